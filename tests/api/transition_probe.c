/* transition_probe.c -- calls db_issue_transition the way a careless caller would: with
 * a `from` status it never locked or re-read, against the test module's real database,
 * so test_races.py can check that the statement itself refuses a status that moved.
 *
 *   transition_probe DATABASE_URL REF ACTION FROM TO
 *
 * Prints "ok", or the error's kind and code ("conflict status_changed"); exits 2 on a
 * usage or connection problem. The actor is the demo supervisor giamsat1. */
#include <stdio.h>

#include "db/db.h"
#include "db/issue_store.h"

static const char *kind_name(enum error_kind k)
{
    switch (k) {
    case ERR_CONFLICT: return "conflict";
    case ERR_INVALID: return "invalid";
    case ERR_NOT_FOUND: return "not_found";
    case ERR_UNAVAILABLE: return "unavailable";
    default: return "other";
    }
}

static long long one_id(struct db *db, const char *sql, const char *param, struct error *err)
{
    const char *params[] = {param};
    struct db_rows *rows = db_query(db, sql, 1, params, err);
    long long id = rows && db_rows_count(rows) == 1 ? db_rows_int(rows, 0, "id") : 0;
    db_rows_free(rows);
    return id;
}

int main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: transition_probe DATABASE_URL REF ACTION FROM TO\n");
        return 2;
    }
    struct issue_transition t = {0};
    if (!action_parse(argv[3], &t.action) || !status_parse(argv[4], &t.from) ||
        !status_parse(argv[5], &t.to)) {
        fprintf(stderr, "unknown action or status\n");
        return 2;
    }
    struct error err = {0};
    struct db *db = db_connect(argv[1], &err);
    if (!db) {
        fprintf(stderr, "cannot connect: %s\n", err.message);
        return 2;
    }
    int status = 2;
    if (!db_begin(db, &err))
        goto done;
    t.issue_id = one_id(db, "SELECT id FROM issues WHERE ref = $1", argv[2], &err);
    t.actor_id = (int)one_id(db, "SELECT id FROM users WHERE login = $1", "giamsat1", &err);
    if (!t.issue_id || !t.actor_id) {
        fprintf(stderr, "no issue %s or no giamsat1\n", argv[2]);
        goto done;
    }
    if (db_issue_transition(db, &t, &err) && db_commit(db, &err))
        printf("ok\n");
    else
        printf("%s %s\n", kind_name(err.kind), err.code);
    status = 0;
done:
    db_rollback(db);
    db_close(db);
    return status;
}
