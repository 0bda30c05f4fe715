/* security_headers.c -- the headers every response carries (see security_headers.h). */
#include "http/security_headers.h"

/* JSON, CSV and problems are data: a browser that opens one renders nothing active. */
#define API_CSP "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

void security_headers_add(struct MHD_Response *response, const char *csp)
{
    MHD_add_response_header(response, "Content-Security-Policy", csp ? csp : API_CSP);
    MHD_add_response_header(response, "X-Content-Type-Options", "nosniff");
    /* For browsers that predate frame-ancestors. */
    MHD_add_response_header(response, "X-Frame-Options", "DENY");
    MHD_add_response_header(response, "Referrer-Policy", "same-origin");
    MHD_add_response_header(response, "Cross-Origin-Opener-Policy", "same-origin");
    MHD_add_response_header(response, "Cross-Origin-Resource-Policy", "same-origin");
}
