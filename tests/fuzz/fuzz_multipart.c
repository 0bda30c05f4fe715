/* fuzz_multipart.c -- libFuzzer target: multipart/form-data uploads as http/upload.c reads
 * them, through libmicrohttpd's own post processor. That processor is created from a live
 * connection (MHD_create_post_processor reads the Content-Type from it), so this target
 * starts a libmicrohttpd daemon on 127.0.0.1 (an ephemeral port) once and sends each input
 * to it as one POST; the daemon's handler drives upload_parts_open / upload_feed /
 * upload_parts_close, the same code the attachment route runs after its header checks
 * (which need a database and are left out). Input, by its first byte:
 *   'R' raw: the Content-Type's boundary on the first line, the body after it;
 *   'W' well formed: a file name on the first line, the file's bytes after it; the target
 *       frames them as a browser does and checks that exactly those bytes and that name
 *       come out.
 * Besides crashes, leaks and undefined behaviour it finds: a file read from a body that
 * said it was malformed, a file larger than the limit, a well-formed upload read wrongly. */
#define _GNU_SOURCE   /* memmem */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <microhttpd.h>

#include "domain/attachment_rules.h"
#include "http/upload.h"
#include "fuzz_check.h"

#define WELL_FORMED_BOUNDARY "----fuzzBoundary7MA4YWxkTrZu0gW"

static uint16_t port;

/* What the target expects of a well-formed upload; the handler checks it. */
static struct {
    bool active;
    const char *name;               /* NULL: do not compare (a name MHD may read otherwise) */
    const unsigned char *data;
    size_t len;
    bool checked;                   /* the handler saw the whole body and judged it */
} expect;

struct request {
    struct exchange ex;
    struct upload *up;
};

static void check_file(const struct upload_file *f)
{
    FUZZ_CHECK(f->len <= ATTACHMENT_MAX_BYTES);
    FUZZ_CHECK(f->len == 0 || f->data != NULL);
    /* A file over its limit or beside another part is dropped at once; a malformed body's
     * is kept but refused first thing by the handler (attachment_upload_api.c). */
    if (f->too_large || f->unexpected_part)
        FUZZ_CHECK(f->len == 0 && f->data == NULL);
    FUZZ_CHECK(!f->name || strlen(f->name) == f->name_len);
    if (!expect.active)
        return;
    expect.checked = true;
    FUZZ_CHECK(f->present && !f->too_large && !f->malformed && !f->unexpected_part);
    FUZZ_CHECK(f->len == expect.len && (f->len == 0 || memcmp(f->data, expect.data, f->len) == 0));
    FUZZ_CHECK(!expect.name || (f->name && strcmp(f->name, expect.name) == 0));
}

static enum MHD_Result answer(struct MHD_Connection *conn, const char *text)
{
    struct MHD_Response *res =
        MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
    enum MHD_Result ok = MHD_queue_response(conn, MHD_HTTP_OK, res);
    MHD_destroy_response(res);
    return ok;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    (void)cls; (void)url; (void)method; (void)version;
    struct request *rq = *con_cls;
    if (!rq) {
        rq = calloc(1, sizeof *rq);
        rq->ex.path = "/api/issues/HT-2026-000001/attachments";
        rq->ex.method = METHOD_POST;
        rq->up = upload_parts_open(conn, &rq->ex);
        FUZZ_CHECK(rq->up || !expect.active);
        *con_cls = rq;
        return MHD_YES;
    }
    if (*upload_data_size) {
        if (rq->up)
            FUZZ_CHECK(upload_feed(rq->up, upload_data, *upload_data_size));
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (rq->up)
        check_file(upload_parts_close(rq->up));
    return answer(conn, "done");
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode code)
{
    (void)cls; (void)conn; (void)code;
    struct request *rq = *con_cls;
    if (!rq)
        return;
    upload_free(rq->up);
    free(rq);
    *con_cls = NULL;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc; (void)argv;
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = 0,
                               .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL, on_request, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr, MHD_OPTION_CONNECTION_TIMEOUT, 10u,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_END);
    FUZZ_CHECK(d != NULL);
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    FUZZ_CHECK(info && info->port);
    port = info->port;
    return 0;   /* the daemon lives as long as the process */
}

static void send_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;   /* libFuzzer's timer (SIGALRM) interrupts system calls */
        if (w <= 0)
            return;   /* the server closed early; what it read is judged by the handler */
        p += w;
        n -= (size_t)w;
    }
}

/* One POST with this Content-Type parameter and body; waits for the server to finish. */
static void post(const char *boundary, const char *body, size_t len)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    FUZZ_CHECK(fd >= 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(port),
                               .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int rc;
    while ((rc = connect(fd, (struct sockaddr *)&addr, sizeof addr)) != 0 &&
           (errno == EINTR || errno == EALREADY))
        ;   /* an interrupted connect goes on; asking again says how it is doing */
    FUZZ_CHECK(rc == 0 || errno == EISCONN);
    char head[1024];
    int n = snprintf(head, sizeof head,
                     "POST /api/issues/HT-2026-000001/attachments HTTP/1.1\r\nHost: fuzz\r\n"
                     "Content-Type: multipart/form-data; boundary=%s\r\n"
                     "Content-Length: %zu\r\n\r\n",
                     boundary, len);
    send_all(fd, head, (size_t)n);
    send_all(fd, body, len);
    /* Until the answer's end ("done", or whatever libmicrohttpd says before closing). */
    char buf[2048];
    size_t got = 0;
    ssize_t r;
    while (got < sizeof buf - 1 &&
           ((r = recv(fd, buf + got, sizeof buf - 1 - got, 0)) > 0 || (r < 0 && errno == EINTR))) {
        if (r < 0)
            continue;
        got += (size_t)r;
        buf[got] = '\0';
        if (strstr(buf, "\r\n\r\ndone"))
            break;
    }
    /* Reset rather than close: a closed connection waits out TIME_WAIT on its port, and
     * hundreds of thousands of them would use up the ephemeral ports. */
    struct linger reset = {.l_onoff = 1, .l_linger = 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
    close(fd);
}

/* A header value must be one line without NULs for the request to reach the handler. */
static bool header_safe(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] == '\r' || s[i] == '\n' || s[i] == '\0')
            return false;
    return n < 200;
}

static void raw(const char *in, size_t size)
{
    const char *nl = memchr(in, '\n', size);
    if (!nl || !header_safe(in, (size_t)(nl - in)))
        return;
    char boundary[200];
    memcpy(boundary, in, (size_t)(nl - in));
    boundary[nl - in] = '\0';
    post(boundary, nl + 1, size - (size_t)(nl - in) - 1);
}

static void well_formed(const char *in, size_t size)
{
    const char *nl = memchr(in, '\n', size);
    if (!nl || !header_safe(in, (size_t)(nl - in)) || memchr(in, '"', (size_t)(nl - in)))
        return;
    const char *data = nl + 1;
    size_t len = size - (size_t)(nl - in) - 1;
    /* The delimiter inside the file's bytes would end the part there: no longer this case. */
    if (memmem(data, len, "--" WELL_FORMED_BOUNDARY, strlen("--" WELL_FORMED_BOUNDARY)))
        return;
    char name[200];
    memcpy(name, in, (size_t)(nl - in));
    name[nl - in] = '\0';
    char *body = malloc(len + 512);
    int head = snprintf(body, 512,
                        "--" WELL_FORMED_BOUNDARY "\r\nContent-Disposition: form-data; "
                        "name=\"file\"; filename=\"%s\"\r\nContent-Type: image/jpeg\r\n\r\n",
                        name);
    memcpy(body + head, data, len);
    size_t total = (size_t)head + len;
    total += (size_t)sprintf(body + total, "\r\n--" WELL_FORMED_BOUNDARY "--\r\n");
    /* libmicrohttpd decodes no escapes in a file name; a name with a ';' or a '\' or
     * starting with blanks may legitimately read otherwise, so only plain names compare. */
    bool plain = name[0] && !strpbrk(name, ";\\") && name[0] != ' ' && name[0] != '\t';
    expect.active = true;
    expect.name = plain ? name : NULL;
    expect.data = (const unsigned char *)data;
    expect.len = len;
    expect.checked = false;
    post(WELL_FORMED_BOUNDARY, body, total);
    FUZZ_CHECK(expect.checked);   /* the answer came after the handler's check */
    expect.active = false;
    free(body);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    if (size < 1 || (data[0] != 'R' && data[0] != 'W'))
        return -1;
    if (data[0] == 'R')
        raw((const char *)data + 1, size - 1);
    else
        well_formed((const char *)data + 1, size - 1);
    return 0;
}
