/* web_assets.h -- the browser app's files (backend/web/), read once at start-up into
 * memory with their type, a gzip copy of the text ones, and an ETag. index.html is
 * rewritten so that its links to our own files name a versioned path that browsers may
 * cache for a year: a new version of any file makes a new path. */
#ifndef DL_HTTP_WEB_ASSETS_H
#define DL_HTTP_WEB_ASSETS_H

#include <stdbool.h>
#include <stddef.h>

struct web_asset {
    char *path;              /* "/js/app.js": the URL path below the app's root */
    const char *type;        /* Content-Type */
    unsigned char *body;
    size_t len;
    unsigned char *gzip;     /* NULL when not worth it (images, tiny files) */
    size_t gzip_len;
    char etag[24];           /* "\"<16 hex>\"" of the body */
    char etag_gzip[28];      /* the gzip copy's, a different representation */
};

struct web_assets;

/* Reads every regular file below dir (not following links, skipping dot files); NULL with
 * a logged reason when dir cannot be read or holds no index.html. */
struct web_assets *web_assets_load(const char *dir);
void web_assets_free(struct web_assets *assets);

/* The URL prefix of the versioned copies: "/assets/<12 hex>". */
const char *web_assets_prefix(const struct web_assets *assets);
const struct web_asset *web_assets_index(const struct web_assets *assets);

/* The file at a URL path: "/app.css", or "/assets/<any version>/app.css" (then
 * *versioned says whether the version is the current one). NULL when no such file. */
const struct web_asset *web_assets_find(const struct web_assets *assets, const char *url,
                                        bool *versioned);

#endif
