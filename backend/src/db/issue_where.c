/* issue_where.c -- the issue filters as one WHERE clause, built in a bounded builder
 * (db/sql_where.c): the SQL is fixed fragments, the values are parameters. */
#include "db/issue_where.h"

#include "db/issue_sql.h"

void issue_where_build(struct sql_where *w, const struct issue_filter *f)
{
    /* Codes become ids once (a subquery run before the scan), so every condition names
     * a column of issues alone: the indexes on school, division and assignee serve,
     * and the counts need no join at all. */
    sql_where_init(w);
    if (f->status)   sql_where_and(w, "i.status = ", f->status, "");
    if (f->school)
        sql_where_and(w, "i.school_id = (SELECT id FROM schools WHERE code = ", f->school, ")");
    /* A cluster's schools as an array, found once: the page then walks the queue's index
     * and keeps the rows of those schools, instead of a join the planner must guess. */
    if (f->cluster)
        sql_where_and(w, "i.school_id = ANY (ARRAY(SELECT sc.id FROM schools sc JOIN clusters c"
                         " ON c.id = sc.cluster_id WHERE c.code = ", f->cluster, "))");
    if (f->category)
        sql_where_and(w, "i.category_id = (SELECT id FROM categories WHERE code = ",
                      f->category, ")");
    if (f->division)
        sql_where_and(w, "i.division_id = (SELECT id FROM divisions WHERE code = ",
                      f->division, ")");
    if (f->priority) sql_where_and(w, "i.priority = ", f->priority, "");
    if (f->assignee)
        sql_where_and(w, "i.assignee_id = (SELECT id FROM users WHERE login = ", f->assignee,
                      ")");
    /* Both sides folded alike (lower case, accents off, đ to d); the pattern's own
     * backslash, % and _ are escaped so they match literally. The folded text is
     * issue_search's, read through the owner's view so that its trigram index serves
     * (0014); the issue itself is still read under its own policy. */
    if (f->q)
        sql_where_and(w, "i.id IN (SELECT s.issue_id FROM issue_search_visible s"
                         " WHERE s.folded LIKE '%' ||"
                         " replace(replace(replace(dl_fold(", f->q,
                         "), '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%')");
    if (f->scope_school_id)
        sql_where_and(w, "i.school_id = ", sql_where_number(w, f->scope_school_id), "::int");
    if (f->scope_cluster_id)
        sql_where_and(w, "i.school_id = ANY (ARRAY(SELECT id FROM schools WHERE cluster_id = ",
                      sql_where_number(w, f->scope_cluster_id), "::int))");
    if (f->overdue >= 0)
        sql_where_text(w, "%s", f->overdue ? " AND " OVERDUE_SQL : " AND NOT " OVERDUE_SQL);
    if (f->escalated >= 0)
        sql_where_text(w, "%s", f->escalated ? " AND i.escalation_level > 0"
                                             : " AND i.escalation_level = 0");
    if (f->shared >= 0)
        sql_where_text(w, "%s", f->shared ? " AND i.shared" : " AND NOT i.shared");
    if (f->cosigned >= 0)
        sql_where_text(w, "%s", f->cosigned ? " AND " COSIGNED_BY_READER_SQL
                                            : " AND NOT " COSIGNED_BY_READER_SQL);
    if (f->has_cursor) {
        int created = sql_where_param(w, sql_where_number(w, f->cursor_created_us));
        int id = sql_where_param(w, sql_where_number(w, f->cursor_id));
        sql_where_text(w, " AND (i.created_at, i.id) < ('epoch'::timestamptz +"
                          " interval '1 microsecond' * $%d::bigint, $%d::bigint)", created, id);
    }
}
