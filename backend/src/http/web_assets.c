/* web_assets.c -- reading the app's files into memory once, with gzip copies, ETags and a
 * versioned index.html (see web_assets.h). The table is only ever read after start-up, so
 * the worker threads share it without locks; a lookup can only find a file that was read
 * from below the directory, so no URL can reach outside it. */
#include "http/web_assets.h"

#include <dirent.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/file.h"
#include "util/gzip.h"
#include "util/log.h"
#include "util/xalloc.h"

#define MAX_FILES 1024
#define MAX_FILE_BYTES (8 * 1024 * 1024)
#define MAX_DEPTH 8
#define ASSETS_ROOT "/assets/"

struct web_assets {
    struct web_asset *files;      /* sorted by path */
    size_t count;
    char prefix[32];              /* "/assets/<12 hex>" */
    const struct web_asset *index;
};

static const struct { const char *ext; const char *type; bool text; } TYPES[] = {
    {".html", "text/html; charset=utf-8", true},
    {".css", "text/css; charset=utf-8", true},
    {".js", "text/javascript; charset=utf-8", true},
    {".mjs", "text/javascript; charset=utf-8", true},
    {".json", "application/json", true},
    {".webmanifest", "application/manifest+json", true},
    {".svg", "image/svg+xml", true},
    {".txt", "text/plain; charset=utf-8", true},
    {".png", "image/png", false},
    {".jpg", "image/jpeg", false},
    {".jpeg", "image/jpeg", false},
    {".webp", "image/webp", false},
    {".ico", "image/x-icon", false},
    {".woff2", "font/woff2", false},
};

/* The type for a file name, and whether it is text (worth compressing). */
static const char *type_of(const char *name, bool *text)
{
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot && i < sizeof TYPES / sizeof *TYPES; i++)
        if (strcmp(dot, TYPES[i].ext) == 0) {
            *text = TYPES[i].text;
            return TYPES[i].type;
        }
    *text = false;
    return "application/octet-stream";
}

/* "\"<16 hex of SHA-256>\"" plus an optional suffix. */
static void make_etag(const unsigned char *data, size_t len, const char *suffix, char *out,
                      size_t out_size)
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    char hex[17];
    crypto_hash_sha256(digest, data, len);
    sodium_bin2hex(hex, sizeof hex, digest, 8);
    snprintf(out, out_size, "\"%s%s\"", hex, suffix);
}

/* Fills in the type, gzip copy and ETags of a file whose body is set. */
static void finish_asset(struct web_asset *a)
{
    bool text = false;
    a->type = type_of(a->path, &text);
    free(a->gzip);
    a->gzip = text ? gzip_compress_if_it_pays(a->body, a->len, GZIP_BEST, &a->gzip_len) : NULL;
    make_etag(a->body, a->len, "", a->etag, sizeof a->etag);
    make_etag(a->body, a->len, "-gz", a->etag_gzip, sizeof a->etag_gzip);
}

static bool add_file(struct web_assets *as, const char *fs_path, const char *url_path)
{
    if (as->count == MAX_FILES) {
        log_error("web: more than %d files in the app folder", MAX_FILES);
        return false;
    }
    size_t len = 0;
    char *body = file_read_all(fs_path, &len);
    if (!body || len > MAX_FILE_BYTES) {
        log_error("web: cannot read %s (or over %d bytes)", fs_path, MAX_FILE_BYTES);
        free(body);
        return false;
    }
    struct web_asset *a = &as->files[as->count++];
    *a = (struct web_asset){.path = xstrdup(url_path), .body = (unsigned char *)body,
                            .len = len};
    finish_asset(a);
    return true;
}

/* Reads dir (the URL path url_dir) and below; links and dot files are left out. */
static bool walk(struct web_assets *as, const char *dir, const char *url_dir, int depth)
{
    DIR *d = opendir(dir);
    if (!d) {
        log_error("web: cannot open the app folder %s", dir);
        return false;
    }
    bool ok = true;
    struct dirent *e;
    while (ok && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char *fs = xasprintf("%s/%s", dir, e->d_name);
        char *url = xasprintf("%s/%s", url_dir, e->d_name);
        struct stat st;
        if (lstat(fs, &st) == 0 && S_ISREG(st.st_mode))
            ok = add_file(as, fs, url);
        else if (lstat(fs, &st) == 0 && S_ISDIR(st.st_mode) && depth < MAX_DEPTH)
            ok = walk(as, fs, url, depth + 1);
        free(fs);
        free(url);
    }
    closedir(d);
    return ok;
}

static int by_path(const void *a, const void *b)
{
    return strcmp(((const struct web_asset *)a)->path, ((const struct web_asset *)b)->path);
}

static const struct web_asset *find_path(const struct web_assets *as, const char *path)
{
    struct web_asset key = {.path = (char *)path};
    return bsearch(&key, as->files, as->count, sizeof *as->files, by_path);
}

/* One version for the whole app, from every file but index.html (which is never cached
 * for long, and names the version itself). */
static void make_prefix(struct web_assets *as)
{
    crypto_hash_sha256_state st;
    unsigned char digest[crypto_hash_sha256_BYTES];
    char hex[13];
    crypto_hash_sha256_init(&st);
    for (size_t i = 0; i < as->count; i++) {
        if (&as->files[i] == as->index)
            continue;
        crypto_hash_sha256_update(&st, (const unsigned char *)as->files[i].path,
                                  strlen(as->files[i].path) + 1);
        crypto_hash_sha256_update(&st, (const unsigned char *)as->files[i].etag,
                                  strlen(as->files[i].etag));
    }
    crypto_hash_sha256_final(&st, digest);
    sodium_bin2hex(hex, sizeof hex, digest, 6);
    snprintf(as->prefix, sizeof as->prefix, ASSETS_ROOT "%s", hex);
}

/* In index.html, src="/x" and href="/x" that name one of our files become
 * src="<prefix>/x": the page itself is revalidated on every visit, the rest is cached. */
static void version_index(struct web_assets *as, struct web_asset *index)
{
    const char *src = (const char *)index->body;
    size_t cap = index->len + 1, used = 0;
    char *out = xmalloc(cap);
    for (size_t i = 0; i < index->len;) {
        size_t attr = 0;
        if (strncmp(src + i, "src=\"/", 6) == 0)
            attr = 5;
        else if (strncmp(src + i, "href=\"/", 7) == 0)
            attr = 6;
        size_t path_len = attr ? strcspn(src + i + attr, "\"") : 0;
        char *path = attr ? xstrndup(src + i + attr, path_len) : NULL;
        bool ours = path && strcmp(path, "/index.html") != 0 && find_path(as, path);
        size_t take = attr ? attr : 1;
        size_t need = used + take + (ours ? strlen(as->prefix) : 0) + 1;
        if (need > cap)
            out = xrealloc(out, cap = need * 2);
        memcpy(out + used, src + i, take);
        used += take;
        if (ours) {
            memcpy(out + used, as->prefix, strlen(as->prefix));
            used += strlen(as->prefix);
        }
        i += take;
        free(path);
    }
    free(index->body);
    index->body = (unsigned char *)out;
    index->len = used;
    finish_asset(index);
}

struct web_assets *web_assets_load(const char *dir)
{
    struct web_assets *as = xcalloc(1, sizeof *as);
    as->files = xcalloc(MAX_FILES, sizeof *as->files);
    if (!walk(as, dir, "", 0)) {
        web_assets_free(as);
        return NULL;
    }
    qsort(as->files, as->count, sizeof *as->files, by_path);
    struct web_asset *index = (struct web_asset *)find_path(as, "/index.html");
    if (!index) {
        log_error("web: %s has no index.html", dir);
        web_assets_free(as);
        return NULL;
    }
    as->index = index;
    make_prefix(as);
    version_index(as, index);
    log_info("web: %zu files from %s, served under %s", as->count, dir, as->prefix);
    return as;
}

void web_assets_free(struct web_assets *as)
{
    if (!as)
        return;
    for (size_t i = 0; i < as->count; i++) {
        free(as->files[i].path);
        free(as->files[i].body);
        free(as->files[i].gzip);
    }
    free(as->files);
    free(as);
}

const char *web_assets_prefix(const struct web_assets *as)
{
    return as->prefix;
}

const struct web_asset *web_assets_index(const struct web_assets *as)
{
    return as->index;
}

const struct web_asset *web_assets_find(const struct web_assets *as, const char *url,
                                        bool *versioned)
{
    *versioned = false;
    if (strncmp(url, ASSETS_ROOT, strlen(ASSETS_ROOT)) != 0)
        return find_path(as, url);
    /* "/assets/<version>/x": any version finds today's file, so a page loaded just before
     * a new release still works; only the current version may be cached for long. */
    const char *version = url + strlen(ASSETS_ROOT);
    const char *rest = strchr(version, '/');
    if (!rest)
        return NULL;
    const char *current = as->prefix + strlen(ASSETS_ROOT);
    *versioned = (size_t)(rest - version) == strlen(current) &&
                 strncmp(version, current, strlen(current)) == 0;
    return find_path(as, rest);
}
