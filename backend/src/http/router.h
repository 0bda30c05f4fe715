/* router.h -- the one route table: method, path pattern, handler, flags. Tells "no such
 * path" (404) from "path, but not this method" (405 with Allow). */
#ifndef DL_HTTP_ROUTER_H
#define DL_HTTP_ROUTER_H

#include <stdbool.h>
#include "api/exchange.h"

enum route_flags {
    ROUTE_PUBLIC = 0,
    ROUTE_AUTH = 1 << 0,      /* needs a signed-in user */
    ROUTE_IDEMPOTENT = 1 << 1,/* honours Idempotency-Key (api/idempotency.h); with AUTH */
};

typedef void (*route_handler)(struct exchange *ex);

struct route {
    enum http_method method;
    const char *pattern;      /* "{ref}", "{login}", "{code}", "{id}": one checked segment */
    route_handler handler;
    unsigned flags;
};

enum route_outcome { ROUTE_FOUND, ROUTE_NO_PATH, ROUTE_NO_METHOD };

/* Finds the route; on ROUTE_FOUND fills ex->path_param; on ROUTE_NO_METHOD sets
 * ex->allow to the methods the path does take. */
enum route_outcome router_match(struct exchange *ex, const struct route **route);

#endif
