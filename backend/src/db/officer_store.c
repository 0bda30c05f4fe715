/* officer_store.c -- the assignee picker's list: exactly the people db_user_assignable
 * (reference_store.c) accepts for the division, so every name offered can be chosen. */
#include "db/officer_store.h"

struct db_rows *db_officers_list(struct db *db, const char *division_code, struct error *err)
{
    const char *params[] = {division_code};
    return db_query(db,
        "SELECT u.login, u.full_name AS name, u.role, d.code AS division"
        " FROM users u LEFT JOIN divisions d ON d.id = u.division_id"
        " WHERE u.active AND (u.role = 'supervisor' OR"
        "       (u.role = 'officer' AND ($1::text IS NULL OR d.code = $1::text)))"
        " ORDER BY u.role = 'supervisor', d.code, u.full_name, u.login",
        1, params, err);
}
