/* csrf.c -- proof that a browser's state change comes from our own app (see csrf.h). */
#include "api/csrf.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "util/secret.h"

void csrf_token_for(const char *session_token, char out[CSRF_TOKEN_HEX])
{
    /* A prefix keeps it apart from the token's own hash, which the sessions table holds. */
    char input[SECRET_TOKEN_HEX + 32];
    snprintf(input, sizeof input, "directline-csrf:%s", session_token);
    secret_token_hash(input, out);
}

/* "http://host:port" or "https://host:port" naming the Host the request was sent to. */
static bool same_host(const char *origin, const char *host)
{
    const char *sep = strstr(origin, "://");
    if (!sep || !host)
        return false;
    const char *origin_host = sep + 3;
    return strcasecmp(origin_host, host) == 0;
}

static bool check_origin(const struct exchange *ex, struct error *err)
{
    /* Fetch metadata first: "same-origin" from our pages, "none" when a person acted
     * directly; anything else was started by another site. */
    if (ex->fetch_site && strcmp(ex->fetch_site, "same-origin") != 0 &&
        strcmp(ex->fetch_site, "none") != 0)
        return error_coded(err, ERR_FORBIDDEN, "cross_site_request",
                           "This request came from another site and was refused.");
    if (ex->origin && !same_host(ex->origin, ex->host))
        return error_coded(err, ERR_FORBIDDEN, "cross_site_request",
                           "This request came from another site (%.80s) and was refused.",
                           ex->origin);
    return true;
}

static bool check_token(const struct exchange *ex, struct error *err)
{
    const char *sent = ex->csrf_header;
    if (!sent || !sent[0])
        return error_coded(err, ERR_FORBIDDEN, "csrf_token_missing",
                           "Send the session's CSRF token in the X-CSRF-Token header.");
    if (strlen(sent) != CSRF_TOKEN_HEX - 1 ||
        !secret_equal(sent, ex->csrf_token, CSRF_TOKEN_HEX - 1))
        return error_coded(err, ERR_FORBIDDEN, "csrf_token_invalid",
                           "The X-CSRF-Token header does not belong to this session.");
    return true;
}

bool csrf_check(const struct exchange *ex, struct error *err)
{
    if (ex->method == METHOD_GET || ex->method == METHOD_HEAD)
        return true;
    if (ex->authenticated && !ex->by_cookie)
        return true;     /* a bearer token is no ambient credential: nothing to forge */
    if (!check_origin(ex, err))
        return false;
    return !ex->by_cookie || check_token(ex, err);
}
