/* idempotency.c -- the Idempotency-Key header (see idempotency.h). */
#include "api/idempotency.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/idempotency_store.h"
#include "util/secret.h"
#include "util/xalloc.h"

#define KEY_MAX 64

/* The key as sent, bare or as a quoted structured-field string; false when malformed. */
static bool read_key(const char *header, char key[KEY_MAX + 1])
{
    size_t len = strlen(header);
    if (len >= 2 && header[0] == '"' && header[len - 1] == '"') {
        header++;
        len -= 2;
    }
    if (len == 0 || len > KEY_MAX)
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = header[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_';
        if (!ok)
            return false;
    }
    memcpy(key, header, len);
    key[len] = '\0';
    return true;
}

/* What makes two requests "the same": method, path and body. */
static void fingerprint(const struct exchange *ex, char out[65])
{
    if (ex->upload) {   /* an upload: its path, file name and bytes (http/upload.c) */
        memcpy(out, ex->upload->fingerprint, 65);
        return;
    }
    static const char *const METHODS[] = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "?"};
    size_t path_len = strlen(ex->path), method_len = strlen(METHODS[ex->method]);
    size_t len = method_len + 1 + path_len + 1 + ex->body_len;
    char *text = xmalloc(len + 1);
    memcpy(text, METHODS[ex->method], method_len + 1);
    memcpy(text + method_len + 1, ex->path, path_len + 1);
    if (ex->body_len)
        memcpy(text + method_len + 1 + path_len + 1, ex->body, ex->body_len);
    secret_sha256_hex(text, len, out);
    free(text);
}

static void replay(struct exchange *ex, struct stored_response *stored)
{
    free(ex->location);
    ex->status = stored->status;
    ex->response_type = "application/json";
    exchange_set_body(ex, stored->body, 0);
    ex->location = stored->location;
    stored->body = stored->location = NULL;
}

bool idempotency_begin(struct exchange *ex, struct error *err)
{
    char key[KEY_MAX + 1];
    if (!ex->idempotency_header)
        return true;
    if (!read_key(ex->idempotency_header, key))
        return error_field(err, "Idempotency-Key", "invalid_format",
                           "must be 1-%d characters of A-Z, a-z, 0-9, '-' or '_'", KEY_MAX)
               || error_param(err, "max", KEY_MAX);
    struct db *db = api_db(ex, err);
    bool got = false;
    if (!db || !db_idempotency_lock(db, ex->user.actor.user_id, key, &got, err))
        return false;
    if (!got) {
        ex->retry_after = 1;
        return error_coded(err, ERR_CONFLICT, "idempotency_in_flight",
                           "A request with this Idempotency-Key is still being handled; "
                           "try again in a moment.");
    }
    snprintf(ex->idempotency.key, sizeof ex->idempotency.key, "%s", key);
    ex->idempotency.locked = true;
    fingerprint(ex, ex->idempotency.request_hash);

    struct stored_response stored = {0};
    if (!db_idempotency_find(db, ex->user.actor.user_id, key, &stored, err))
        return false;
    bool same = stored.found && strcmp(stored.request_hash, ex->idempotency.request_hash) == 0;
    if (same)
        replay(ex, &stored);
    else if (stored.found)
        error_coded(err, ERR_UNPROCESSABLE, "idempotency_key_reused",
                    "This Idempotency-Key was already used for another request.");
    else
        ex->idempotency.active = true;
    stored_response_free(&stored);
    return !error_is_set(err);
}

bool idempotency_replayed(const struct exchange *ex)
{
    return ex->idempotency.locked && !ex->idempotency.active;
}

bool idempotency_commit(struct exchange *ex, struct error *err)
{
    bool success = ex->status >= 200 && ex->status <= 299 && ex->response_body;
    if (ex->idempotency.active && success &&
        !db_idempotency_store(ex->db, ex->user.actor.user_id, ex->idempotency.key,
                              ex->idempotency.request_hash, ex->status, ex->location,
                              ex->response_body, err))
        return false;
    return db_commit(ex->db, err);
}
