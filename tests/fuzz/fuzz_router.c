/* fuzz_router.c -- libFuzzer target: http/router.c's matching of a method and a decoded
 * path against the route table. Input: one byte choosing the method, then the path (cut at
 * the first NUL, as a C string is). Besides crashes and undefined behaviour it finds: a
 * match whose named segment, put back into the pattern, does not give the path; a 405
 * whose Allow list is empty or cut short; a 405 for a path no route takes. */
#include <stdlib.h>
#include <string.h>

#include "http/router.h"
#include "fuzz_check.h"

/* The pattern with "{name}" replaced by value equals path. */
static bool rebuilds(const char *pattern, const char *value, const char *path)
{
    const char *open = strchr(pattern, '{');
    if (!open)
        return strcmp(pattern, path) == 0;
    const char *close = strchr(open, '}');
    size_t head = (size_t)(open - pattern), v = strlen(value);
    return strncmp(pattern, path, head) == 0 && strncmp(path + head, value, v) == 0 &&
           strcmp(close + 1, path + head + v) == 0;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    if (size < 1)
        return -1;
    char *path = malloc(size);
    memcpy(path, data + 1, size - 1);
    path[size - 1] = '\0';
    struct exchange ex = {.method = (enum http_method)(data[0] % (METHOD_OTHER + 1)),
                          .path = path};
    const struct route *route = NULL;
    switch (router_match(&ex, &route)) {
    case ROUTE_FOUND:
        FUZZ_CHECK(route != NULL);
        FUZZ_CHECK(route->method == ex.method ||
                   (ex.method == METHOD_HEAD && route->method == METHOD_GET));
        FUZZ_CHECK(strlen(ex.path_param) < sizeof ex.path_param);
        FUZZ_CHECK(rebuilds(route->pattern, ex.path_param, path));
        FUZZ_CHECK(ex.allow[0] == '\0');
        break;
    case ROUTE_NO_METHOD:
        /* Every method name is listed whole: the list ends in a name, not a cut one. */
        FUZZ_CHECK(ex.allow[0] != '\0' && strlen(ex.allow) < sizeof ex.allow - 1);
        FUZZ_CHECK(strncmp(path, "/", 1) == 0);
        break;
    case ROUTE_NO_PATH:
        FUZZ_CHECK(ex.allow[0] == '\0');
        break;
    }
    free(path);
    return 0;
}
