/* upload.h -- multipart/form-data uploads (ROUTE_UPLOAD routes) read as they stream:
 * checked before the first body byte (size declared, session, rights, a free slot), the
 * one file part kept in memory up to its limit, anything else read and dropped up to a
 * bound and answered after it (libmicrohttpd cannot answer in the middle of a body). */
#ifndef DL_HTTP_UPLOAD_H
#define DL_HTTP_UPLOAD_H

#include <microhttpd.h>
#include <stdbool.h>
#include "api/exchange.h"
#include "http/router.h"

/* A body is read (and dropped) past the file's limit up to this size, so that the client
 * gets its 413; past it the connection is closed. */
#define UPLOAD_BODY_BOUND (64 * 1024 * 1024)
#define UPLOAD_DEFAULT_MAX 8        /* uploads in progress at once, across all threads */
#define UPLOAD_RETRY_AFTER_SECONDS 5

/* The cap on uploads in progress, shared by the server's threads. */
struct upload_gate;
struct upload_gate *upload_gate_create(int max_uploads);
void upload_gate_free(struct upload_gate *gate);

struct upload;

/* At the first call of a request for an upload route (the headers are in). Fills *out
 * (freed by upload_free); true when the response in ex must be sent now, before any of
 * the body (then libmicrohttpd closes the connection after it). */
bool upload_start(struct upload_gate *gate, struct MHD_Connection *conn,
                  const struct route *route, struct exchange *ex, struct upload **out);
/* A piece of the body; false when the connection must be closed (past the bound). */
bool upload_feed(struct upload *up, const char *data, size_t size);
/* The body is complete: fills ex's response (the route's handler runs if the file may be
 * stored). */
void upload_finish(struct upload *up);
/* Frees everything, gives back the slot. NULL is fine. */
void upload_free(struct upload *up);

/* The reading of the parts alone, without the header checks, the slot or the handler: what
 * the fuzz target (tests/fuzz) drives, with no database. NULL when the body has no
 * boundary; feed with upload_feed, end with upload_parts_close, free with upload_free. */
struct upload *upload_parts_open(struct MHD_Connection *conn, struct exchange *ex);
const struct upload_file *upload_parts_close(struct upload *up);

#endif
