/* conn_guard.c -- head deadlines, body rates and per-address caps (see conn_guard.h).
 * One lock guards the list of connections and the address counts: the workers take it
 * for a moment per event, the reaper once a second. A connection's record is unlinked
 * in libmicrohttpd's CLOSED notification, which comes before its socket is closed, so
 * the reaper never shuts down a descriptor that has been reused. An address's place is
 * reserved in the accept callback and claimed at STARTED (see conn_guard_accept). */
#include "http/conn_guard.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "util/log.h"
#include "util/xalloc.h"

#define ADDRESS_BUCKETS 1024
/* libmicrohttpd notifies STARTED in the thread that accepted, right after the accept
 * callback; a reservation this old belongs to a connection that failed in between
 * (out of memory, TLS set-up) and will never start. */
#define RESERVATION_EXPIRY_MS 2000

enum phase { PHASE_HEAD, PHASE_BODY, PHASE_ANSWER };

struct guarded {
    struct guarded *prev, *next;
    struct conn_guard *guard;
    int fd;
    enum phase phase;
    long long phase_start_ms;
    unsigned long long body_bytes;
    bool cut;                          /* already shut down by the reaper */
    bool counted;                      /* holds a place in its address's count */
    int family;
    unsigned char bytes[16];
};

/* `count` includes the places reserved at accept time (`reserved`) for connections whose
 * STARTED notification has not come yet. */
struct address_count {
    struct address_count *next;
    int family;
    unsigned char bytes[16];
    int count;
    int reserved;
    long long last_reserved_ms;
};

struct conn_guard {
    struct conn_guard_config config;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool stopping;
    pthread_t reaper;
    struct guarded *head;
    struct address_count *buckets[ADDRESS_BUCKETS];
    unsigned long refused;             /* over the per-address cap, since the last report */
};

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* --- per-address counts (under the lock) -------------------------------------------- */

static struct address_count **slot_of(struct conn_guard *g, int family,
                                      const unsigned char bytes[16])
{
    unsigned h = (unsigned)family;
    for (int i = 0; i < 16; i++)
        h = h * 31u + bytes[i];
    struct address_count **p = &g->buckets[h % ADDRESS_BUCKETS];
    while (*p && ((*p)->family != family || memcmp((*p)->bytes, bytes, 16) != 0))
        p = &(*p)->next;
    return p;
}

static void forget_if_unused(struct address_count **p)
{
    if ((*p)->count > 0)
        return;
    struct address_count *gone = *p;
    *p = gone->next;
    free(gone);
}

static struct address_count *entry_of(struct conn_guard *g, int family,
                                      const unsigned char bytes[16])
{
    struct address_count **p = slot_of(g, family, bytes);
    if (!*p) {
        *p = xcalloc(1, sizeof **p);
        (*p)->family = family;
        memcpy((*p)->bytes, bytes, 16);
    }
    return *p;
}

/* Takes a place for a connection being accepted; false when the address has none left. */
static bool address_reserve(struct conn_guard *g, int family, const unsigned char bytes[16])
{
    struct address_count *c = *slot_of(g, family, bytes);
    if (c && c->count >= g->config.per_address_limit)
        return false;
    c = entry_of(g, family, bytes);
    c->count++;
    c->reserved++;
    c->last_reserved_ms = now_ms();
    return true;
}

/* The connection has started: its reservation becomes its place (or, when the
 * reservation expired before a very late start, a place is taken now). */
static void address_claim(struct conn_guard *g, int family, const unsigned char bytes[16])
{
    struct address_count *c = entry_of(g, family, bytes);
    if (c->reserved > 0)
        c->reserved--;
    else
        c->count++;
}

static void address_release(struct conn_guard *g, int family, const unsigned char bytes[16])
{
    struct address_count **p = slot_of(g, family, bytes);
    if (!*p)
        return;
    (*p)->count--;
    forget_if_unused(p);
}

/* Gives back the places of connections that were accepted but never started. */
static void expire_reservations(struct conn_guard *g, long long now)
{
    for (int i = 0; i < ADDRESS_BUCKETS; i++)
        for (struct address_count **p = &g->buckets[i]; *p;) {
            struct address_count *c = *p;
            if (c->reserved > 0 && now - c->last_reserved_ms >= RESERVATION_EXPIRY_MS) {
                c->count -= c->reserved;
                c->reserved = 0;
            }
            if (c->count <= 0)
                forget_if_unused(p);
            else
                p = &c->next;
        }
}

/* --- libmicrohttpd callbacks --------------------------------------------------------- */

/* Whether a connection from `peer` holds a place in its address's count (the cap is on,
 * the address is IPv4 or IPv6 and no trusted proxy's); its family and bytes when so. */
static bool is_counted(const struct conn_guard *g, const struct sockaddr *peer, int *family,
                       unsigned char bytes[16])
{
    return g->config.per_address_limit > 0 && sockaddr_bytes(peer, family, bytes) &&
           !trusted_proxies_has_sockaddr(g->config.proxies, peer);
}

/* The place is taken here, not at STARTED: each worker thread accepts on its own, and
 * a check here with the count made later would let one address past the cap by up to
 * a connection per thread. */
enum MHD_Result conn_guard_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen)
{
    (void)addrlen;
    struct conn_guard *g = cls;
    int family = 0;
    unsigned char bytes[16];
    if (!is_counted(g, addr, &family, bytes))
        return MHD_YES;
    pthread_mutex_lock(&g->lock);
    bool room = address_reserve(g, family, bytes);
    if (!room)
        g->refused++;
    pthread_mutex_unlock(&g->lock);
    return room ? MHD_YES : MHD_NO;
}

static void started(struct conn_guard *g, struct MHD_Connection *conn, void **socket_context)
{
    struct guarded *c = xcalloc(1, sizeof *c);
    c->guard = g;
    c->fd = -1;
    const union MHD_ConnectionInfo *fd_info =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    if (fd_info)
        c->fd = fd_info->connect_fd;
    const union MHD_ConnectionInfo *addr_info =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *peer = addr_info ? addr_info->client_addr : NULL;
    c->counted = is_counted(g, peer, &c->family, c->bytes);
    c->phase = PHASE_HEAD;
    c->phase_start_ms = now_ms();
    pthread_mutex_lock(&g->lock);
    if (c->counted)
        address_claim(g, c->family, c->bytes);
    c->next = g->head;
    if (g->head)
        g->head->prev = c;
    g->head = c;
    pthread_mutex_unlock(&g->lock);
    *socket_context = c;
}

static void closed(struct conn_guard *g, void **socket_context)
{
    struct guarded *c = *socket_context;
    if (!c)
        return;
    pthread_mutex_lock(&g->lock);
    if (c->counted)
        address_release(g, c->family, c->bytes);
    if (c->prev)
        c->prev->next = c->next;
    else
        g->head = c->next;
    if (c->next)
        c->next->prev = c->prev;
    pthread_mutex_unlock(&g->lock);
    free(c);
    *socket_context = NULL;
}

void conn_guard_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
                       enum MHD_ConnectionNotificationCode code)
{
    if (code == MHD_CONNECTION_NOTIFY_STARTED)
        started(cls, conn, socket_context);
    else
        closed(cls, socket_context);
}

/* --- phases, from the request handler ------------------------------------------------ */

static struct guarded *guarded_of(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return info ? info->socket_context : NULL;
}

static void enter(struct MHD_Connection *conn, enum phase phase)
{
    struct guarded *c = guarded_of(conn);
    if (!c)
        return;
    pthread_mutex_lock(&c->guard->lock);
    c->phase = phase;
    c->phase_start_ms = now_ms();
    c->body_bytes = 0;
    pthread_mutex_unlock(&c->guard->lock);
}

void conn_guard_head_done(struct MHD_Connection *conn)
{
    enter(conn, PHASE_BODY);
}

void conn_guard_answering(struct MHD_Connection *conn)
{
    enter(conn, PHASE_ANSWER);
}

void conn_guard_request_done(struct MHD_Connection *conn)
{
    enter(conn, PHASE_HEAD);
}

void conn_guard_body_bytes(struct MHD_Connection *conn, size_t n)
{
    struct guarded *c = guarded_of(conn);
    if (!c)
        return;
    pthread_mutex_lock(&c->guard->lock);
    c->body_bytes += n;
    pthread_mutex_unlock(&c->guard->lock);
}

/* --- the reaper ---------------------------------------------------------------------- */

enum verdict { KEEP, CUT_HEAD, CUT_BODY };

static enum verdict judge(const struct conn_guard_config *cfg, const struct guarded *c,
                          long long now)
{
    long long elapsed = now - c->phase_start_ms;
    if (c->phase == PHASE_HEAD)
        return elapsed >= (long long)cfg->head_timeout_seconds * 1000 ? CUT_HEAD : KEEP;
    if (c->phase != PHASE_BODY || elapsed < (long long)cfg->body_grace_seconds * 1000)
        return KEEP;
    /* Averaged since the body began: a pause on a mobile link is made up for later. */
    return (long double)c->body_bytes * 1000 < (long double)cfg->min_body_rate * elapsed
               ? CUT_BODY : KEEP;
}

static void reap_once(struct conn_guard *g)
{
    unsigned long heads = 0, bodies = 0, refused;
    long long now = now_ms();
    pthread_mutex_lock(&g->lock);
    for (struct guarded *c = g->head; c; c = c->next) {
        enum verdict v = c->cut ? KEEP : judge(&g->config, c, now);
        if (v == KEEP || c->fd < 0)
            continue;
        /* libmicrohttpd reads the end of the stream and closes it in its own thread. */
        shutdown(c->fd, SHUT_RDWR);
        c->cut = true;
        if (v == CUT_HEAD)
            heads++;
        else
            bodies++;
    }
    expire_reservations(g, now);
    refused = g->refused;
    g->refused = 0;
    pthread_mutex_unlock(&g->lock);
    if (heads || bodies)
        log_warn("closed %lu connection(s) past the %d s head deadline and %lu sending a "
                 "body under %d bytes/s", heads, g->config.head_timeout_seconds, bodies,
                 g->config.min_body_rate);
    if (refused)
        log_warn("refused %lu connection(s) from addresses holding %d already", refused,
                 g->config.per_address_limit);
}

static void *reaper_main(void *arg)
{
    struct conn_guard *g = arg;
    pthread_mutex_lock(&g->lock);
    while (!g->stopping) {
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);   /* the clock `wake` was made with */
        until.tv_sec += 1;
        pthread_cond_timedwait(&g->wake, &g->lock, &until);
        if (g->stopping)
            break;
        pthread_mutex_unlock(&g->lock);
        reap_once(g);
        pthread_mutex_lock(&g->lock);
    }
    pthread_mutex_unlock(&g->lock);
    return NULL;
}

struct conn_guard *conn_guard_create(const struct conn_guard_config *config)
{
    struct conn_guard *g = xcalloc(1, sizeof *g);
    g->config = *config;
    pthread_mutex_init(&g->lock, NULL);
    /* A wall-clock step back must not stall the cuts. */
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&g->wake, &attr);
    pthread_condattr_destroy(&attr);
    if (pthread_create(&g->reaper, NULL, reaper_main, g) != 0) {
        log_error("cannot start the slow-connection reaper thread");
        pthread_cond_destroy(&g->wake);
        pthread_mutex_destroy(&g->lock);
        free(g);
        return NULL;
    }
    return g;
}

void conn_guard_free(struct conn_guard *g)
{
    if (!g)
        return;
    pthread_mutex_lock(&g->lock);
    g->stopping = true;
    pthread_cond_signal(&g->wake);
    pthread_mutex_unlock(&g->lock);
    pthread_join(g->reaper, NULL);
    for (int i = 0; i < ADDRESS_BUCKETS; i++)
        while (g->buckets[i]) {
            struct address_count *next = g->buckets[i]->next;
            free(g->buckets[i]);
            g->buckets[i] = next;
        }
    pthread_cond_destroy(&g->wake);
    pthread_mutex_destroy(&g->lock);
    free(g);
}
