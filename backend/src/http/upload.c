/* upload.c -- the streaming side of uploads. libmicrohttpd can queue an answer only
 * before the first body byte or after the last; so a refusal known from the headers is
 * answered at once when the client waits for "100 Continue" (it then sends nothing), and
 * otherwise after the body has been read and dropped. Only the file part is kept, in one
 * buffer of at most the file's limit. */
#include "http/upload.h"

#include <malloc.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/attachments_api.h"
#include "api/csrf.h"
#include "api/idempotency.h"
#include "api/reply.h"
#include "api/session_api.h"
#include "domain/attachment_rules.h"
#include "util/xalloc.h"

/* Room for a file part's own headers and the boundaries around it. */
#define MULTIPART_OVERHEAD (64 * 1024)
#define POST_BUFFER_SIZE (16 * 1024)
#define FIRST_CAPACITY (256 * 1024)
#define MMAP_FROM (1024 * 1024)

struct upload_gate {
    atomic_int in_progress;
    int max;
};

struct upload {
    struct upload_gate *gate;
    bool holds_slot;
    const struct route *route;
    struct exchange *ex;
    struct MHD_PostProcessor *pp;     /* NULL: the body is only counted and dropped */
    bool refused;                     /* ex holds the answer already */
    unsigned long long received;      /* body bytes so far */
    unsigned long long declared;      /* Content-Length, 0 when unknown */
    struct upload_file file;
    unsigned char *data;              /* file.data, owned */
    size_t capacity;
    char *name;                       /* file.name, owned */
    char *unexpected;                 /* file.unexpected_part, owned */
};

struct upload_gate *upload_gate_create(int max_uploads)
{
    /* A file's buffer comes straight from the system and goes back when freed: without
     * this, glibc raises its threshold after the first big free, and later buffers stay
     * in the threads' heaps after each upload. */
    mallopt(M_MMAP_THRESHOLD, MMAP_FROM);
    struct upload_gate *gate = xcalloc(1, sizeof *gate);
    atomic_init(&gate->in_progress, 0);
    gate->max = max_uploads > 0 ? max_uploads : UPLOAD_DEFAULT_MAX;
    return gate;
}

void upload_gate_free(struct upload_gate *gate)
{
    free(gate);
}

static bool gate_enter(struct upload_gate *gate)
{
    int now = atomic_load(&gate->in_progress);
    while (now < gate->max)
        if (atomic_compare_exchange_weak(&gate->in_progress, &now, now + 1))
            return true;
    return false;
}

/* --- the parts ------------------------------------------------------------------------- */

/* Room for `more` bytes of the file, within its limit; false when it would pass it. A
 * declared length sizes the buffer at once; otherwise it doubles. */
static bool make_room(struct upload *up, size_t more)
{
    size_t need = up->file.len + more;
    if (need > ATTACHMENT_MAX_BYTES)
        return false;
    if (need <= up->capacity)
        return true;
    size_t cap = up->capacity ? up->capacity * 2 : FIRST_CAPACITY;
    if (up->declared && up->declared < ATTACHMENT_MAX_BYTES && cap < up->declared)
        cap = (size_t)up->declared;
    if (cap < need)
        cap = need;
    if (cap > ATTACHMENT_MAX_BYTES)
        cap = ATTACHMENT_MAX_BYTES;
    up->data = xrealloc(up->data, cap);
    up->capacity = cap;
    up->file.data = up->data;
    return true;
}

static void drop_file(struct upload *up)
{
    free(up->data);
    up->data = NULL;
    up->capacity = 0;
    up->file.data = NULL;
    up->file.len = 0;
}

/* libmicrohttpd's post processor hands each part's bytes in order; answering MHD_NO
 * stops it, and the rest of the body is then only counted. */
static enum MHD_Result on_part(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *filename, const char *content_type,
                               const char *transfer_encoding, const char *data,
                               uint64_t off, size_t size)
{
    (void)kind;
    (void)content_type;
    (void)transfer_encoding;
    struct upload *up = cls;
    bool new_part = off == 0 && up->file.len > 0;
    if (!key || strcmp(key, "file") != 0 || (up->file.present && new_part)) {
        up->unexpected = xstrdup(key ? key : "");
        up->file.unexpected_part = up->unexpected;
        return MHD_NO;
    }
    if (!up->file.present) {
        up->file.present = true;
        if (filename) {
            up->name = xstrdup(filename);
            up->file.name = up->name;
            up->file.name_len = strlen(up->name);
        }
    }
    if (size == 0)
        return MHD_YES;
    if (!make_room(up, size)) {
        up->file.too_large = true;
        drop_file(up);
        return MHD_NO;
    }
    memcpy(up->data + up->file.len, data, size);
    up->file.len += size;
    return MHD_YES;
}

/* --- the request ----------------------------------------------------------------------- */

static bool is_multipart(const char *content_type)
{
    return content_type && strncasecmp(content_type, "multipart/form-data", 19) == 0;
}

static bool expects_continue(struct MHD_Connection *conn)
{
    const char *expect = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                     MHD_HTTP_HEADER_EXPECT);
    return expect && strcasecmp(expect, "100-continue") == 0;
}

/* libmicrohttpd's multipart reader on the connection; false when the body has no boundary. */
static bool open_parts(struct upload *up, struct MHD_Connection *conn)
{
    up->pp = MHD_create_post_processor(conn, POST_BUFFER_SIZE, on_part, up);
    return up->pp != NULL;
}

/* Everything that can be judged from the headers; false with err when the upload is
 * refused. */
static bool admit(struct upload *up, struct MHD_Connection *conn, struct error *err)
{
    struct exchange *ex = up->ex;
    if (up->declared > ATTACHMENT_MAX_BYTES + MULTIPART_OVERHEAD)
        return attachments_too_large(err);
    /* The same checks as every other route's (http/server.c), before any of the body. */
    if (!api_authenticate(ex, err) || !csrf_check(ex, err))
        return false;
    if (!is_multipart(ex->content_type))
        return error_coded(err, ERR_UNSUPPORTED, "not_multipart",
                           "Send the file as multipart/form-data, in a part named \"file\".");
    if (!gate_enter(up->gate)) {
        ex->retry_after = UPLOAD_RETRY_AFTER_SECONDS;
        return error_coded(err, ERR_UNAVAILABLE, "too_many_uploads",
                           "Too many files are being sent right now; try again in a few "
                           "seconds.");
    }
    up->holds_slot = true;
    /* The only upload route is the attachments'; its rights are asked before the body. */
    bool allowed = attachments_upload_allowed(ex, err);
    exchange_release_db(ex);   /* a slow upload must not hold a database connection */
    if (!allowed)
        return false;
    if (!open_parts(up, conn))
        return error_coded(err, ERR_INVALID, "invalid_multipart",
                           "The multipart/form-data body has no boundary.");
    return true;
}

static struct upload *upload_new(struct MHD_Connection *conn, struct exchange *ex)
{
    struct upload *up = xcalloc(1, sizeof *up);
    up->ex = ex;
    const char *len = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                  MHD_HTTP_HEADER_CONTENT_LENGTH);
    up->declared = len ? strtoull(len, NULL, 10) : 0;
    return up;
}

bool upload_start(struct upload_gate *gate, struct MHD_Connection *conn,
                  const struct route *route, struct exchange *ex, struct upload **out)
{
    struct upload *up = upload_new(conn, ex);
    up->gate = gate;
    up->route = route;
    *out = up;
    struct error err = {0};
    if (admit(up, conn, &err))
        return false;
    up->refused = true;
    if (up->holds_slot)
        atomic_fetch_sub(&gate->in_progress, 1);   /* dropping bytes needs no slot */
    up->holds_slot = false;
    reply_error(ex, &err);
    exchange_release_db(ex);
    /* Answer now if the client waits for our go-ahead, or would send more than we read. */
    return expects_continue(conn) || up->declared > UPLOAD_BODY_BOUND;
}

bool upload_feed(struct upload *up, const char *data, size_t size)
{
    up->received += size;
    if (up->received > UPLOAD_BODY_BOUND)
        return false;
    if (up->refused)
        return true;
    if (!up->pp)
        return true;
    if (MHD_post_process(up->pp, data, size) == MHD_NO) {
        /* The iterator stopped it (a file too large, another part) or the body is not
         * multipart as declared; the rest is only counted. */
        if (!up->file.too_large && !up->file.unexpected_part)
            up->file.malformed = true;
        MHD_destroy_post_processor(up->pp);
        up->pp = NULL;
        drop_file(up);
    }
    return true;
}

/* What makes two uploads the same request for an Idempotency-Key: the path, the file's
 * name and its bytes. Not the multipart framing: a browser draws a new boundary for every
 * send, so a retry of the same file would never match. */
static void fingerprint_done(struct upload *up)
{
    crypto_hash_sha256_state st;
    unsigned char digest[crypto_hash_sha256_BYTES];
    const char *name = up->file.name ? up->file.name : "";
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const unsigned char *)"POST", 5);
    crypto_hash_sha256_update(&st, (const unsigned char *)up->ex->path,
                              strlen(up->ex->path) + 1);
    crypto_hash_sha256_update(&st, (const unsigned char *)name, strlen(name) + 1);
    if (up->file.data)
        crypto_hash_sha256_update(&st, up->file.data, up->file.len);
    crypto_hash_sha256_final(&st, digest);
    sodium_bin2hex(up->file.fingerprint, sizeof up->file.fingerprint, digest, sizeof digest);
}

/* The body is over: the file as read. */
static void close_parts(struct upload *up)
{
    if (up->pp && MHD_destroy_post_processor(up->pp) == MHD_NO)
        up->file.malformed = true;    /* the body ended before its closing boundary */
    up->pp = NULL;
    fingerprint_done(up);
}

struct upload *upload_parts_open(struct MHD_Connection *conn, struct exchange *ex)
{
    struct upload *up = upload_new(conn, ex);
    if (open_parts(up, conn))
        return up;
    free(up);
    return NULL;
}

const struct upload_file *upload_parts_close(struct upload *up)
{
    close_parts(up);
    return &up->file;
}

void upload_finish(struct upload *up)
{
    if (up->refused)
        return;
    close_parts(up);
    struct exchange *ex = up->ex;
    struct error err = {0};
    ex->upload = &up->file;
    /* Only now is the whole request known: a retry under an Idempotency-Key gets the
     * first answer again, as on the JSON routes. */
    if ((up->route->flags & ROUTE_IDEMPOTENT) && !idempotency_begin(ex, &err))
        reply_error(ex, &err);
    else if (!idempotency_replayed(ex))
        up->route->handler(ex);
    ex->upload = NULL;
}

void upload_free(struct upload *up)
{
    if (!up)
        return;
    if (up->pp)
        MHD_destroy_post_processor(up->pp);
    if (up->holds_slot)
        atomic_fetch_sub(&up->gate->in_progress, 1);
    free(up->data);
    free(up->name);
    free(up->unexpected);
    free(up);
}
