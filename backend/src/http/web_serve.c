/* web_serve.c -- answering GET and HEAD for the browser app's files: the versioned copies
 * cached for a year, everything else revalidated by ETag on each use, gzip for the text
 * files when the client takes it, and index.html for the app's own paths. */
#include "http/web_serve.h"

#include <string.h>

#include "http/content_coding.h"
#include "http/security_headers.h"

bool web_serve_owns(const char *url)
{
    return strncmp(url, "/api/", 5) != 0 && strcmp(url, "/api") != 0 &&
           strcmp(url, "/healthz") != 0 && strcmp(url, "/readyz") != 0;
}

const struct web_asset *web_serve_pick(const struct web_assets *assets, const char *url,
                                       bool *immutable)
{
    bool versioned = false;
    const struct web_asset *a = web_assets_find(assets, url, &versioned);
    *immutable = a && versioned;
    if (a)
        return a;
    /* A name with an extension is a file that is not there; anything else is a screen
     * of the app ("/issues/HT-2026-000123"), which index.html routes. */
    const char *last = strrchr(url, '/');
    if (strncmp(url, "/assets/", 8) == 0 || (last && strchr(last, '.')))
        return NULL;
    return web_assets_index(assets);
}

/* Whether If-None-Match lists this ETag (or "*"). */
static bool etag_matches(const char *header, const char *etag)
{
    return header && (strstr(header, etag) != NULL || strcmp(header, "*") == 0);
}

enum MHD_Result web_serve_send(struct MHD_Connection *conn, const struct web_asset *a,
                               bool immutable)
{
    const char *accept = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                     MHD_HTTP_HEADER_ACCEPT_ENCODING);
    const char *if_none = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                      MHD_HTTP_HEADER_IF_NONE_MATCH);
    bool gzip = a->gzip && content_coding_takes_gzip(accept);
    const char *etag = gzip ? a->etag_gzip : a->etag;
    bool unchanged = etag_matches(if_none, etag);
    struct MHD_Response *resp =
        unchanged ? MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT)
                  : MHD_create_response_from_buffer(gzip ? a->gzip_len : a->len,
                                                    gzip ? a->gzip : a->body,
                                                    MHD_RESPMEM_PERSISTENT);
    if (!unchanged)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, a->type);
    if (gzip && !unchanged)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
    if (a->gzip)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_VARY, "Accept-Encoding");
    MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, etag);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
                            immutable ? "public, max-age=31536000, immutable" : "no-cache");
    security_headers_add(resp, SECURITY_APP_CSP);
    enum MHD_Result rc = MHD_queue_response(conn, unchanged ? MHD_HTTP_NOT_MODIFIED : MHD_HTTP_OK,
                                            resp);
    MHD_destroy_response(resp);
    return rc;
}
