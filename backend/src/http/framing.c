/* framing.c -- request framing checks (see framing.h). libmicrohttpd keeps every header
 * line it received, so repeated headers can be counted; it takes the first
 * Content-Length and lets Transfer-Encoding win, which is what a proxy in front might
 * not do: the two would then disagree on where this request ends. */
#include "http/framing.h"

#include <string.h>
#include <strings.h>

struct header_count {
    const char *name;
    int count;
};

static enum MHD_Result count_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                    const char *value)
{
    (void)kind;
    (void)value;
    struct header_count *hc = cls;
    if (strcasecmp(key, hc->name) == 0)
        hc->count++;
    return MHD_YES;
}

static int header_count(struct MHD_Connection *conn, const char *name)
{
    struct header_count hc = {name, 0};
    MHD_get_connection_values(conn, MHD_HEADER_KIND, count_header, &hc);
    return hc.count;
}

/* %00 in any case of hex digits ("%00" has none that differ). */
static bool has_encoded_nul(const char *uri)
{
    return uri && strstr(uri, "%00") != NULL;
}

static bool fault(struct framing_fault *f, const char *code, const char *detail)
{
    f->code = code;
    f->detail = detail;
    return false;
}

bool framing_check(struct MHD_Connection *conn, const char *version, const char *raw_uri,
                   struct framing_fault *f)
{
    int lengths = header_count(conn, MHD_HTTP_HEADER_CONTENT_LENGTH);
    int codings = header_count(conn, MHD_HTTP_HEADER_TRANSFER_ENCODING);
    if (lengths > 1)
        return fault(f, "duplicate_content_length",
                     "The request has more than one Content-Length header.");
    if (lengths > 0 && codings > 0)
        return fault(f, "content_length_with_transfer_encoding",
                     "The request has both Content-Length and Transfer-Encoding.");
    const char *coding = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                     MHD_HTTP_HEADER_TRANSFER_ENCODING);
    if (codings > 1 || (coding && strcasecmp(coding, "chunked") != 0))
        return fault(f, "unsupported_transfer_encoding",
                     "Only one Transfer-Encoding header, chunked, is accepted.");
    if (version && strcmp(version, MHD_HTTP_VERSION_1_1) == 0 &&
        header_count(conn, MHD_HTTP_HEADER_HOST) != 1)
        return fault(f, "bad_host", "An HTTP/1.1 request needs exactly one Host header.");
    if (has_encoded_nul(raw_uri))
        return fault(f, "nul_in_url", "The address contains an encoded NUL (%00).");
    return true;
}
