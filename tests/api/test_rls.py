# test_rls.py -- row-level security, the database's own wall (sql/migrations/0010_*): raw
# SQL as the server's role, in each context a transaction can carry, sees and changes
# only what that context may; without a context it sees nothing; the history and the
# audit log cannot be rewritten, truncated or unguarded by that role whatever the context.

import contextlib
import subprocess

import psycopg2
import psycopg2.errors
import pytest

from conftest import child_env, directline_bin
from dlapi import assert_json, comment, file_issue

# What db/db.c sends with a transaction's first statement (db/db_context.c decides the
# flags): who acts, and what that may reach.
CONTEXT_SQL = ("SELECT set_config('directline.context', %(context)s, true),"
               " set_config('directline.user_id', %(user)s, true),"
               " set_config('directline.school_id', %(school)s, true),"
               " set_config('directline.cluster_id', %(cluster)s, true),"
               " set_config('directline.division_id', %(division)s, true),"
               " set_config('directline.reads', %(reads)s, true),"
               " set_config('directline.writes', %(writes)s, true),"
               " set_config('directline.internal', %(internal)s, true),"
               " set_config('directline.schools', (SELECT coalesce(array_agg(id), '{}')::text"
               "   FROM schools WHERE cluster_id = nullif(%(cluster)s, '')::integer), true),"
               # The schools the reader reaches as a school (0021): a cluster's, or its own.
               " set_config('directline.reach', CASE"
               "   WHEN %(cluster)s <> '' THEN (SELECT coalesce(array_agg(id), '{}')::text"
               "     FROM schools WHERE cluster_id = nullif(%(cluster)s, '')::integer)"
               "   WHEN %(school)s <> '' THEN '{' || %(school)s || '}' ELSE '' END, true)")
# (reads every school, writes every school, sees internal notes)
FLAGS = {"officer": (1, 1, 1), "supervisor": (1, 1, 1), "admin": (1, 1, 1),
         "sweep": (1, 1, 1), "report": (1, 0, 0), "demo": (1, 1, 1), "migrate": (1, 1, 1)}
# Every table the policies guard (FORCE: the owner too), what the server reads them
# through, and the tables of the history.
FORCED = ("issues", "issue_events", "attachments", "idempotency_keys", "admin_events",
          "sessions", "users", "issue_cosigns", "meetings", "meeting_agenda", "decisions",
          "decision_issues", "decision_events", "practices", "practice_attachments",
          "directives", "directive_clusters", "directive_schools")
# Enabled, not forced: the owner's triggers write or read them with no policy of their own.
GUARDED = FORCED + ("issue_states_visible", "notifications", "webhook_deliveries", "webhooks")
HISTORY = ("issue_events", "admin_events", "issue_states", "issue_cosigns", "decision_events")


def text(n):
    return str(n) if n else ""


@contextlib.contextmanager
def acting(app, context=None, user=0, school=0, cluster=0, division=0):
    """A transaction as the server's role, carrying `context` (none when None); rolled
    back at the end, whatever happened."""
    conn = psycopg2.connect(app.app_url, connect_timeout=10)
    try:
        cur = conn.cursor()
        if context is not None:
            reads, writes, internal = FLAGS.get(context, (0, 0, 0))
            cur.execute(CONTEXT_SQL, {"context": context, "user": text(user),
                                      "school": text(school), "cluster": text(cluster),
                                      "division": text(division),
                                      "reads": "all" if reads else "",
                                      "writes": "all" if writes else "",
                                      "internal": "on" if internal else ""})
        yield cur
    finally:
        conn.rollback()
        conn.close()


def one(cur, sql, params=None):
    cur.execute(sql, params)
    return cur.fetchone()[0]


@pytest.fixture(scope="module")
def who(app):
    """Ids of the demo's actors, and an issue at TH001 with an internal note."""
    rows = app.query("""
        SELECT u.login, u.id, u.school_id, u.cluster_id, u.division_id, u.role
          FROM users u WHERE u.login IN ('ht.th001', 'ht.th002', 'ct.cm01', 'ct.cm12',
                                         'cb.gdth1', 'admin')""")
    ids = {r[0]: {"user": r[1], "school": r[2], "cluster": r[3], "division": r[4],
                  "role": r[5]} for r in rows}
    principal, officer = app.login("ht.th001"), app.login("cb.gdth1")
    # An endpoint, so that the fixture's events leave webhook deliveries to guard too.
    assert_json(app.login("admin").send_json("POST", "/api/webhooks", {
        "url": "https://hooks.example.vn/rls", "description": "RLS"}), 201)
    issue = file_issue(principal, title="Mái tôn phòng học bị dột (RLS)",
                       description="Trời mưa là nước vào lớp 2A.")
    assert_json(comment(officer, issue["ref"], "Ghi chú nội bộ (RLS).", internal=True), 201)
    ids["issue"] = app.query("SELECT id FROM issues WHERE ref = %s", (issue["ref"],))[0][0]
    # A meeting with the issue on its agenda and a decision on it (0024's tables).
    meeting = assert_json(officer.send_json("POST", "/api/meetings", {
        "kind": "province", "held_on": "2026-12-01", "title": "Giao ban (RLS)",
        "agenda": [issue["ref"]]}), 201)
    decision = assert_json(officer.send_json("POST", f"/api/meetings/{meeting['id']}/decisions", {
        "body": "Sửa mái tôn (RLS).", "division": "GDTH", "due_on": "2027-01-10",
        "issues": [issue["ref"]]}), 201)
    ids["meeting"], ids["decision"] = meeting["id"], decision["id"]
    # A proposal of the school's own practice (0025), waiting for review.
    ids["practice"] = assert_json(principal.send_json("POST", "/api/practices", {
        "category": "THIEU-GV", "title": "Ghép lớp (RLS)", "problem": "Thiếu giáo viên.",
        "solution": "Ghép hai lớp."}), 201)["id"]
    # A directive to the first school's cluster (0026).
    ids["directive"] = assert_json(officer.send_json("POST", "/api/directives", {
        "title": "Hướng dẫn (RLS)", "body": "Các trường báo cáo.",
        "clusters": ["CM01"]}), 201)["id"]
    return ids


def as_user(app, ids, login):
    """As db_context_of_actor builds it (tests/unit/test_db_context.c): a cluster only for
    a cluster leader."""
    u = ids[login]
    cluster = u["cluster"] if u["role"] == "cluster_leader" else 0
    return acting(app, u["role"], u["user"], u["school"], cluster, u["division"])


def admin_count(app, sql, params=None):
    return app.query(sql, params)[0][0]


# --------------------------------------------------------------------------- the roles

def test_the_server_role_owns_nothing_and_bypasses_nothing(app):
    row = app.query("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = %s",
                    (app.app_role,))[0]
    assert row == (False, False)
    owned = app.query("""SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner
                          WHERE r.rolname = %s""", (app.app_role,))[0][0]
    assert owned == 0
    # The server connects as that role (its pool's connections show in pg_stat_activity
    # once it has answered something that needs the database).
    app.client().get("/readyz")
    app.login("ht.th001")
    users = {r[0] for r in app.query(
        "SELECT usename FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()"
        " AND usename IS NOT NULL", (app.db_name,))}
    assert app.app_role in users and app.owner_role not in users


def test_only_the_server_role_takes_reference_numbers(app):
    """dl_issue_ref_next runs with the owner's rights: PUBLIC may not call it (any role
    could use up a year's numbers), the server's role may (every filing does)."""
    def may(role):
        return app.query("SELECT has_function_privilege(%s, 'dl_issue_ref_next(integer)',"
                         " 'EXECUTE')", (role,))[0][0]
    assert may(app.app_role)
    assert not may("public")


def test_guarded_tables_force_row_level_security(app):
    rows = dict(app.query("""SELECT relname, relrowsecurity AND relforcerowsecurity
                               FROM pg_class WHERE relname = ANY(%s)""", (list(FORCED),)))
    assert rows == {t: True for t in FORCED}
    # issue_states: policies, and the server reads it only through issue_states_visible.
    assert app.query("SELECT relrowsecurity FROM pg_class WHERE relname = 'issue_states'") \
        == [(True,)]
    with acting(app, "officer") as cur:
        with pytest.raises(psycopg2.errors.InsufficientPrivilege, match="permission denied"):
            cur.execute("SELECT count(*) FROM issue_states")


# --------------------------------------------------------------------------- contexts

def test_no_context_sees_nothing(app, who):
    for table in ("notifications", "webhook_deliveries", "webhooks", "meetings",
                  "meeting_agenda", "decisions", "decision_issues", "decision_events",
                  "practices", "directives", "directive_clusters", "directive_schools"):
        assert admin_count(app, f"SELECT count(*) FROM {table}") > 0, f"{table} is empty here"
    with acting(app) as cur:
        for table in GUARDED:
            assert one(cur, f"SELECT count(*) FROM {table}") == 0, table
        cur.execute("UPDATE issues SET priority = 'urgent' WHERE id = %s", (who["issue"],))
        assert cur.rowcount == 0
    with acting(app, "nobody-we-know") as cur:
        assert one(cur, "SELECT count(*) FROM issues") == 0


def test_no_context_cannot_write(app, who):
    with acting(app) as cur:
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            cur.execute("""INSERT INTO issue_events (issue_id, action, body)
                           VALUES (%s, 'comment', 'x')""", (who["issue"],))


# What a school reads beyond its own issues (migrations 0020, 0021): the shared ones, those
# it co-signed (the demo shares a few; TH001 co-signed one), and the main issue of a
# systemic problem one of whose children it reads that way (the demo links a few).
REACHES = ("(i.shared OR %(s)s = ANY (i.cosigned_schools) OR EXISTS (SELECT 1 FROM issues k"
           " WHERE k.parent_id = i.id AND (k.school_id = %(s)s"
           "                               OR %(s)s = ANY (k.cosigned_schools))))")


def test_principal_sees_only_their_school(app, who):
    school = who["ht.th001"]["school"]
    want = admin_count(app, "SELECT count(*) FROM issues WHERE school_id = %s", (school,))
    beyond = admin_count(app, f"SELECT count(*) FROM issues i WHERE i.school_id <> %(s)s"
                              f" AND {REACHES}", {"s": school})
    events = admin_count(app, f"SELECT count(*) FROM issue_events e JOIN issues i"
                              f" ON i.id = e.issue_id WHERE (i.school_id = %(s)s OR {REACHES})"
                              f" AND NOT e.internal", {"s": school})
    states = admin_count(app, "SELECT count(*) FROM issue_states WHERE school_id = %s",
                         (school,))
    assert want > 0 and beyond > 0
    with as_user(app, who, "ht.th001") as cur:
        assert one(cur, "SELECT count(*) FROM issues") == want + beyond
        assert one(cur, "SELECT count(*) FROM issues i WHERE i.school_id <> %(s)s AND NOT"
                        f" {REACHES}", {"s": school}) == 0
        assert one(cur, "SELECT count(*) FROM issue_events") == events
        assert one(cur, "SELECT count(*) FROM issue_events WHERE internal") == 0
        assert one(cur, "SELECT count(*) FROM issue_states_visible") == states
        assert one(cur, "SELECT count(DISTINCT school_id) FROM issue_states_visible") == 1
        assert one(cur, "SELECT count(*) FROM admin_events") == 0
        assert one(cur, "SELECT count(*) FROM sessions WHERE user_id <> %s",
                   (who["ht.th001"]["user"],)) == 0


def test_other_school_sees_and_changes_nothing_of_it(app, who):
    issue = who["issue"]
    with as_user(app, who, "ht.th002") as cur:
        assert one(cur, "SELECT count(*) FROM issues WHERE id = %s", (issue,)) == 0
        assert one(cur, "SELECT count(*) FROM issue_events WHERE issue_id = %s", (issue,)) == 0
        assert one(cur, "SELECT count(*) FROM issue_states_visible WHERE issue_id = %s",
                   (issue,)) == 0
        cur.execute("UPDATE issues SET title = 'đổi' WHERE id = %s", (issue,))
        assert cur.rowcount == 0
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            cur.execute("""INSERT INTO issue_events (issue_id, actor_id, action, body)
                           VALUES (%s, %s, 'comment', 'x')""", (issue, who["ht.th002"]["user"]))
    # Nor may a principal file for another school.
    with as_user(app, who, "ht.th002") as cur:
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            cur.execute("""INSERT INTO issues (ref, school_id, filed_by, category_id,
                                               division_id, priority, title, description,
                                               due_first_response_at, due_resolution_at)
                           SELECT 'HT-2099-000001', %s, %s, c.id, c.default_division_id,
                                  'low', 't', 'd', now(), now()
                             FROM categories c LIMIT 1""",
                        (who["ht.th001"]["school"], who["ht.th002"]["user"]))


def test_principal_comments_on_their_own_issue(app, who):
    with as_user(app, who, "ht.th001") as cur:
        cur.execute("""INSERT INTO issue_events (issue_id, actor_id, action, body)
                       VALUES (%s, %s, 'comment', 'Cảm ơn') RETURNING school_id""",
                    (who["issue"], who["ht.th001"]["user"]))
        assert cur.fetchone()[0] == who["ht.th001"]["school"]
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            cur.execute("""INSERT INTO issue_events (issue_id, actor_id, action, body, internal)
                           VALUES (%s, %s, 'comment', 'x', true)""",
                        (who["issue"], who["ht.th001"]["user"]))


def test_cluster_leader_sees_the_cluster(app, who):
    cluster = who["ct.cm01"]["cluster"]
    want = admin_count(app, "SELECT count(*) FROM issues i JOIN schools s"
                            " ON s.id = i.school_id WHERE s.cluster_id = %s", (cluster,))
    elsewhere = ("FROM issues i JOIN schools s ON s.id = i.school_id WHERE s.cluster_id <> %s"
                 " AND NOT i.shared AND NOT i.cosigned_schools &&"
                 " ARRAY(SELECT id FROM schools WHERE cluster_id = %s)"
                 " AND NOT EXISTS (SELECT 1 FROM issues k JOIN schools ks ON ks.id = k.school_id"
                 "                 WHERE k.parent_id = i.id AND ks.cluster_id = %s)")
    with as_user(app, who, "ct.cm01") as cur:
        assert one(cur, "SELECT count(*) FROM issues i JOIN schools s ON s.id = i.school_id"
                        " WHERE s.cluster_id = %s", (cluster,)) == want
        assert one(cur, "SELECT count(*) " + elsewhere, (cluster, cluster, cluster)) == 0
        assert one(cur, "SELECT count(*) FROM issue_events WHERE internal") == 0
        assert one(cur, "SELECT count(*) FROM issues WHERE id = %s", (who["issue"],)) == 1
    with as_user(app, who, "ct.cm12") as cur:
        assert one(cur, "SELECT count(*) FROM issues WHERE id = %s", (who["issue"],)) == 0


def test_staff_see_every_issue_and_the_internal_notes(app, who):
    issues = admin_count(app, "SELECT count(*) FROM issues")
    internal = admin_count(app, "SELECT count(*) FROM issue_events WHERE internal")
    assert internal > 0
    with as_user(app, who, "cb.gdth1") as cur:
        assert one(cur, "SELECT count(*) FROM issues") == issues
        assert one(cur, "SELECT count(*) FROM issue_events WHERE internal") == internal
        assert one(cur, "SELECT count(*) FROM admin_events") == 0     # the admin's own
    with as_user(app, who, "admin") as cur:
        assert one(cur, "SELECT count(*) FROM admin_events") == \
            admin_count(app, "SELECT count(*) FROM admin_events")


def test_attachment_bytes_only_through_the_owner_function(app, who):
    with as_user(app, who, "cb.gdth1") as cur:
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            cur.execute("SELECT content FROM attachment_contents LIMIT 1")


# --------------------------------------------------------------------------- system contexts

def test_sign_in_context_reaches_users_and_sessions_only(app, who):
    with acting(app, "sign_in") as cur:
        assert one(cur, "SELECT count(*) FROM users WHERE login = 'ht.th001'") == 1
        assert one(cur, "SELECT count(*) FROM sessions") == \
            admin_count(app, "SELECT count(*) FROM sessions")
        for table in ("issues", "issue_events", "issue_states_visible", "attachments",
                      "admin_events", "idempotency_keys"):
            assert one(cur, f"SELECT count(*) FROM {table}") == 0, table


def test_sweep_context_works_on_every_issue(app, who):
    with acting(app, "sweep") as cur:
        assert one(cur, "SELECT count(*) FROM issues") == \
            admin_count(app, "SELECT count(*) FROM issues")
        cur.execute("UPDATE issues SET updated_at = updated_at WHERE id = %s", (who["issue"],))
        assert cur.rowcount == 1
        cur.execute("""INSERT INTO issue_events (issue_id, action, details)
                       VALUES (%s, 'escalated', '{"level": 1}')""", (who["issue"],))
        assert one(cur, "SELECT count(*) FROM admin_events") == 0
        assert one(cur, "SELECT count(*) FROM sessions") == 0     # only ended ones


def test_report_context_reads_everything_and_changes_nothing(app, who):
    with acting(app, "report") as cur:
        assert one(cur, "SELECT count(*) FROM issue_states_visible") == \
            admin_count(app, "SELECT count(*) FROM issue_states")
        cur.execute("UPDATE issues SET updated_at = updated_at WHERE id = %s", (who["issue"],))
        assert cur.rowcount == 0
        assert one(cur, "SELECT count(*) FROM users") > 0


def test_cli_user_context_adds_users_and_audits_them(app, who):
    with acting(app, "user_cli") as cur:
        assert one(cur, "SELECT count(*) FROM issues") == 0
        cur.execute("""INSERT INTO users (login, full_name, role, password_hash)
                       VALUES ('rls.cli', 'RLS', 'supervisor', 'x')""")
        cur.execute("""INSERT INTO admin_events (actor_id, action, target)
                       VALUES (NULL, 'user.create', 'rls.cli')""")
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            cur.execute("""INSERT INTO admin_events (actor_id, action, target)
                           VALUES (%s, 'user.create', 'x')""", (who["admin"]["user"],))


def test_states_view_is_the_policy(app, who):
    """The view the report reads applies the same rule as the table's policy."""
    cluster = who["ct.cm01"]["cluster"]
    want = admin_count(app, "SELECT count(*) FROM issue_states st JOIN schools s"
                            " ON s.id = st.school_id WHERE s.cluster_id = %s", (cluster,))
    with as_user(app, who, "ct.cm01") as cur:
        assert one(cur, "SELECT count(*) FROM issue_states_visible") == want
    with acting(app) as cur:
        assert one(cur, "SELECT count(*) FROM issue_states_visible") == 0
    with as_user(app, who, "cb.gdth1") as cur:
        with pytest.raises(psycopg2.errors.InsufficientPrivilege, match="permission denied"):
            cur.execute("DELETE FROM issue_states_visible")


def test_history_is_derived_by_the_owner_only(app, who):
    with as_user(app, who, "cb.gdth1") as cur:
        with pytest.raises(psycopg2.errors.InsufficientPrivilege, match="permission denied"):
            cur.execute("""INSERT INTO issue_states (issue_id, school_id, valid_from, status,
                                                     category, division, priority,
                                                     escalation_level)
                           SELECT issue_id, school_id, valid_from - interval '1 day', status,
                                  category, division, priority, escalation_level
                             FROM issue_states LIMIT 1""")
    with as_user(app, who, "cb.gdth1") as cur:
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            cur.execute("SELECT issue_states_rebuild(%s)", (who["issue"],))


def test_links_are_derived_by_the_owner_only(app, who):
    """issue_links follows the history's link events (0021): the server's role reads the
    stretches of the issues it reads and writes none, not even in the sweep's context."""
    parent, child = (row[0] for row in app.query(
        "SELECT id FROM issues ORDER BY id LIMIT 2"))
    for login in ("cb.gdth1", "admin"):
        with as_user(app, who, login) as cur:
            with pytest.raises(psycopg2.errors.InsufficientPrivilege, match="permission denied"):
                cur.execute("INSERT INTO issue_links (child_id, parent_id, linked_at)"
                            " VALUES (%s, %s, now())", (child, parent))
    for statement in ("UPDATE issue_links SET unlinked_at = now()", "DELETE FROM issue_links",
                      "TRUNCATE issue_links"):
        with acting(app, "sweep") as cur:
            with pytest.raises(psycopg2.errors.InsufficientPrivilege, match="permission denied"):
                cur.execute(statement)
    # Reading: a principal sees the stretches of the issues it reads, and no other.
    want = admin_count(app, "SELECT count(*) FROM issue_links l JOIN issues c"
                            " ON c.id = l.child_id WHERE c.school_id = %s",
                       (who["ht.th001"]["school"],))
    with as_user(app, who, "ht.th001") as cur:
        assert one(cur, "SELECT count(*) FROM issue_links l JOIN issues c ON c.id = l.child_id"
                        " WHERE c.school_id = %s", (who["ht.th001"]["school"],)) == want
        assert one(cur, "SELECT count(*) FROM issue_links l WHERE NOT EXISTS"
                        " (SELECT 1 FROM issues c WHERE c.id = l.child_id)") == 0
    with acting(app) as cur:
        assert one(cur, "SELECT count(*) FROM issue_links") == 0


def test_notifications_are_written_by_the_owner_and_read_by_their_person(app, who):
    """notifications (0022) are written by the owner's trigger alone; the server's role
    reads and marks a person's own rows in that person's context, and no one else's, not
    even an admin's or the sweep's; only read_at may change."""
    officer = who["cb.gdth1"]["user"]
    mine = admin_count(app, "SELECT count(*) FROM notifications WHERE user_id = %s", (officer,))
    assert mine > 0, "the fixture's filing told the division nothing"
    theirs = app.query("SELECT id FROM notifications WHERE user_id <> %s LIMIT 1", (officer,))[0][0]
    with as_user(app, who, "cb.gdth1") as cur:
        assert one(cur, "SELECT count(*) FROM notifications") == mine
        cur.execute("UPDATE notifications SET read_at = now() WHERE id = %s", (theirs,))
        assert cur.rowcount == 0, "a person marked another's notification"
        cur.execute("UPDATE notifications SET read_at = now() WHERE user_id = %s", (officer,))
        assert cur.rowcount == mine
        with pytest.raises(psycopg2.errors.InsufficientPrivilege, match="permission denied"):
            cur.execute("UPDATE notifications SET reason = 'answered' WHERE user_id = %s",
                        (officer,))
    for login in ("admin", "ht.th001"):
        with as_user(app, who, login) as cur:
            assert one(cur, "SELECT count(*) FROM notifications WHERE user_id = %s",
                       (officer,)) == 0
            with pytest.raises(psycopg2.errors.InsufficientPrivilege, match="permission denied"):
                cur.execute("INSERT INTO notifications (user_id, event_id, issue_id, reason,"
                            " created_at) SELECT %s, id, issue_id, 'answered', now()"
                            " FROM issue_events LIMIT 1", (who[login]["user"],))
    for statement in ("DELETE FROM notifications", "TRUNCATE notifications"):
        with acting(app, "sweep") as cur:
            with pytest.raises(psycopg2.errors.InsufficientPrivilege, match="permission denied"):
                cur.execute(statement)
    with acting(app, "sweep") as cur:
        assert one(cur, "SELECT count(*) FROM notifications") == 0


def test_a_second_level_is_refused_by_the_database(app, who):
    """The owner's trigger refuses a main issue under another (0021), whatever the
    server checked first."""
    child, parent = app.query("SELECT id, parent_id FROM issues WHERE parent_id IS NOT NULL"
                              " ORDER BY id LIMIT 1")[0]
    other = app.query("SELECT id FROM issues WHERE parent_id IS NULL AND child_count = 0"
                      " ORDER BY id LIMIT 1")[0][0]
    officer = who["cb.gdth1"]["user"]
    with as_user(app, who, "cb.gdth1") as cur:
        with pytest.raises(psycopg2.errors.CheckViolation, match="one level"):
            cur.execute("""INSERT INTO issue_events (issue_id, actor_id, action, details)
                           VALUES (%s, %s, 'link', jsonb_build_object('parent_id', %s::bigint))""",
                        (other, officer, child))
    with as_user(app, who, "cb.gdth1") as cur:
        with pytest.raises(psycopg2.errors.CheckViolation, match="one level"):
            cur.execute("""INSERT INTO issue_events (issue_id, actor_id, action, details)
                           VALUES (%s, %s, 'link', jsonb_build_object('parent_id', %s::bigint))""",
                        (parent, officer, other))
    with as_user(app, who, "cb.gdth1") as cur:
        with pytest.raises(psycopg2.errors.UniqueViolation):
            cur.execute("""INSERT INTO issue_events (issue_id, actor_id, action, details)
                           VALUES (%s, %s, 'link', jsonb_build_object('parent_id', %s::bigint))""",
                        (child, officer, other))


# --------------------------------------------------------------------------- sharing

@pytest.fixture(scope="module")
def shared(app, who):
    """A shared issue of TH001 with an internal note and a file, and a private one."""
    principal, officer = app.login("ht.th001"), app.login("cb.gdth1")
    out = {}
    for key in ("shared", "private"):
        issue = file_issue(principal, title=f"Thiếu bàn ghế học sinh (RLS, {key})",
                           description="Bàn ghế lớp 1 đã hỏng nhiều.")
        assert_json(comment(officer, issue["ref"], "Ghi chú nội bộ.", internal=True), 201)
        out[key] = app.query("SELECT id FROM issues WHERE ref = %s", (issue["ref"],))[0][0]
        out[key + "_ref"] = issue["ref"]
    r = principal.send_json("PUT", f"/api/issues/{out['shared_ref']}/sharing", {"shared": True})
    assert_json(r, 200)
    app.query("""INSERT INTO attachments (issue_id, name, media_type, size, sha256, uploaded_by)
                 VALUES (%s, 'a.pdf', 'application/pdf', 1, sha256('x'), %s) RETURNING id""",
              (out["shared"], who["ht.th001"]["user"]))
    return out


def test_a_shared_issue_reaches_other_schools_without_notes_or_files(app, who, shared):
    issue = shared["shared"]
    for login in ("ht.th002", "ct.cm12"):
        with as_user(app, who, login) as cur:
            assert one(cur, "SELECT count(*) FROM issues WHERE id = %s", (issue,)) == 1
            assert one(cur, "SELECT count(*) FROM issue_events WHERE issue_id = %s",
                       (issue,)) > 0
            assert one(cur, "SELECT count(*) FROM issue_events WHERE issue_id = %s AND"
                            " internal", (issue,)) == 0
            assert one(cur, "SELECT count(*) FROM attachments WHERE issue_id = %s",
                       (issue,)) == 0
            assert one(cur, "SELECT count(*) FROM issues WHERE id = %s",
                       (shared["private"],)) == 0
            cur.execute("UPDATE issues SET title = 'đổi' WHERE id = %s", (issue,))
            assert cur.rowcount == 0
    with as_user(app, who, "ht.th001") as cur:
        assert one(cur, "SELECT count(*) FROM attachments WHERE issue_id = %s", (issue,)) == 1


def test_a_file_carries_its_issues_school_for_good(app, who, shared):
    """The files' policy reads the file's own copy of its issue's school (0023): a trigger
    fills it in, and nobody changes it afterwards, staff included."""
    issue = shared["shared"]
    assert app.query("SELECT a.school_id = i.school_id FROM attachments a"
                     " JOIN issues i ON i.id = a.issue_id WHERE a.issue_id = %s",
                     (issue,)) == [(True,)]
    with as_user(app, who, "cb.gdth1") as cur:
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            cur.execute("UPDATE attachments SET school_id = %s WHERE issue_id = %s",
                        (who["ht.th002"]["school"], issue))


def test_a_school_cosigns_a_shared_issue_in_its_own_name_only(app, who, shared):
    issue, me = shared["shared"], who["ht.th002"]
    insert = ("INSERT INTO issue_cosigns (issue_id, school_id, principal_id)"
              " VALUES (%s, %s, %s)")
    event = ("INSERT INTO issue_events (issue_id, actor_id, action, body)"
             " VALUES (%s, %s, %s, 'x')")
    refused = [
        (insert, (shared["private"], me["school"], me["user"])),    # a private issue
        (insert, (issue, who["ht.th001"]["school"], me["user"])),   # another school's name
        (insert, (issue, me["school"], who["ht.th001"]["user"])),   # another person's name
        (event, (issue, me["user"], "comment")),                    # not signed yet
        (event, (shared["private"], me["user"], "cosign")),
    ]
    for sql, params in refused:
        with as_user(app, who, "ht.th002") as cur:
            with pytest.raises(psycopg2.errors.InsufficientPrivilege):
                cur.execute(sql, params)
    with as_user(app, who, "ht.th002") as cur:
        cur.execute(insert, (issue, me["school"], me["user"]))
        cur.execute(event, (issue, me["user"], "cosign"))
        assert one(cur, "SELECT cosigned_schools FROM issues WHERE id = %s", (issue,)) \
            == [me["school"]]
        cur.execute(event, (issue, me["user"], "comment"))       # signed: it may comment
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            cur.execute("INSERT INTO issue_events (issue_id, actor_id, action, body, internal)"
                        " VALUES (%s, %s, 'comment', 'x', true)", (issue, me["user"]))


def test_search_view_follows_sharing(app, who, shared):
    with as_user(app, who, "ht.th002") as cur:
        assert one(cur, "SELECT count(*) FROM issue_search_visible WHERE issue_id = %s",
                   (shared["shared"],)) == 1
        assert one(cur, "SELECT count(*) FROM issue_search_visible WHERE issue_id = %s",
                   (shared["private"],)) == 0


# --------------------------------------------------------------------------- the history

@pytest.mark.parametrize("table", HISTORY)
@pytest.mark.parametrize("statement", [
    "UPDATE {t} SET created_at = created_at",
    "DELETE FROM {t}",
    "TRUNCATE {t}",
])
def test_history_cannot_be_rewritten(app, who, table, statement):
    if table == "issue_states":
        statement = statement.replace("created_at", "valid_from")
    # Refused by the role's privileges, not only by the triggers (which an owner could
    # switch off): "permission denied for table".
    for ctx in ("admin", "sweep", "migrate"):
        with acting(app, ctx, user=who["admin"]["user"]) as cur:
            with pytest.raises(psycopg2.errors.InsufficientPrivilege, match="permission denied"):
                cur.execute(statement.format(t=table))


@pytest.mark.parametrize("table,trigger", [
    ("issue_cosigns", "issue_cosigns_append_only"),
    ("issue_events", "issue_events_append_only"),
    ("issue_events", "issue_events_no_truncate"),
    ("admin_events", "admin_events_append_only"),
    ("admin_events", "admin_events_no_truncate"),
    ("decision_events", "decision_events_append_only"),
])
def test_history_guards_cannot_be_dropped_or_disabled(app, table, trigger):
    with acting(app, "migrate") as cur:
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            cur.execute(f"DROP TRIGGER {trigger} ON {table}")
    with acting(app, "migrate") as cur:
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            cur.execute(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}")
    with acting(app, "migrate") as cur:
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            cur.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")


def test_migrate_grants_the_server_role_again_and_at_once(app):
    """Every migrate grants the server's role what it needs (a role named later, tables
    added later), under the migrations' lock: two at once both succeed."""
    conn = app.db()
    with conn.cursor() as cur:
        cur.execute(f'REVOKE SELECT ON users FROM "{app.app_role}"')
    env = child_env({"DATABASE_URL": app.app_url, "DATABASE_OWNER_URL": app.owner_url})
    procs = [subprocess.Popen([directline_bin(), "migrate"], env=env, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
        assert app.app_role in out, out
    with acting(app, "sign_in") as cur:
        assert one(cur, "SELECT count(*) FROM users WHERE login = 'ht.th001'") == 1


def test_the_server_still_answers_each_role(app, who):
    """End to end through the server's role: each actor reads what the API allows."""
    ref = app.query("SELECT ref FROM issues WHERE id = %s", (who["issue"],))[0][0]
    for login, status in (("ht.th001", 200), ("ct.cm01", 200), ("cb.gdth1", 200),
                          ("ht.th002", 404), ("ct.cm12", 404)):
        r = app.login(login).get(f"/api/issues/{ref}")
        assert r.status_code == status, (login, r.status_code, r.text[:200])


# --------------------------------------------------------------------------- in whose name (0011)

def copy_issue_sql():
    """An INSERT of a copy of one issue with a new id and reference, filed by %(by)s."""
    return """INSERT INTO issues
              SELECT (jsonb_populate_record(i, jsonb_build_object(
                        'id', nextval(pg_get_serial_sequence('issues', 'id')),
                        'ref', 'HT-2026-' || lpad((900000 + (random() * 99999)::int)::text, 6, '0'),
                        'filed_by', %(by)s))).*
                FROM issues i WHERE i.id = %(issue)s"""


def test_an_issue_is_filed_in_the_acting_principals_name_only(app, who):
    me, other = who["ht.th001"]["user"], who["ht.th002"]["user"]
    with as_user(app, who, "ht.th001") as cur:
        cur.execute(copy_issue_sql(), {"by": me, "issue": who["issue"]})
        assert cur.rowcount == 1
    with as_user(app, who, "ht.th001") as cur:
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            cur.execute(copy_issue_sql(), {"by": other, "issue": who["issue"]})


def test_an_event_is_written_in_the_acting_users_name_only(app, who):
    for login in ("ht.th001", "cb.gdth1"):
        someone_else = who["admin"]["user"]
        with as_user(app, who, login) as cur:
            with pytest.raises(psycopg2.errors.InsufficientPrivilege):
                cur.execute("""INSERT INTO issue_events (issue_id, actor_id, action, body)
                               VALUES (%s, %s, 'comment', 'Thay mặt người khác')""",
                            (who["issue"], someone_else))
        with as_user(app, who, login) as cur:
            with pytest.raises(psycopg2.errors.InsufficientPrivilege):
                cur.execute("""INSERT INTO issue_events (issue_id, actor_id, action, body)
                               VALUES (%s, NULL, 'comment', 'Không tên')""", (who["issue"],))
    with acting(app, "sweep") as cur:
        cur.execute("""INSERT INTO issue_events (issue_id, actor_id, action, body)
                       VALUES (%s, NULL, 'comment', 'Hệ thống')""", (who["issue"],))


@pytest.mark.parametrize("change", ["role = 'admin'", "active = NOT active",
                                    "login = 'ht.th001x'", "school_id = NULL"])
def test_a_user_changes_only_what_they_own_of_their_account(app, who, change):
    me = who["ht.th001"]["user"]
    with as_user(app, who, "ht.th001") as cur:
        cur.execute("UPDATE users SET password_hash = password_hash,"
                    " must_change_password = false WHERE id = %s", (me,))
        assert cur.rowcount == 1
        with pytest.raises(psycopg2.errors.InsufficientPrivilege, match="only an admin"):
            cur.execute(f"UPDATE users SET {change} WHERE id = %s", (me,))
    with as_user(app, who, "admin") as cur:
        cur.execute("UPDATE users SET active = active, role = role WHERE id = %s", (me,))
        assert cur.rowcount == 1


# --------------------------------------------------------------------------- decisions

def test_a_school_reads_a_decision_through_its_issue_only(app, who):
    """0024: staff read every meeting and decision; a principal or cluster leader only
    those naming an issue they read, with their meeting; nobody but staff writes them."""
    naming = ("SELECT count(*) FROM decisions d WHERE EXISTS (SELECT 1 FROM decision_issues di"
              " JOIN issues i ON i.id = di.issue_id WHERE di.decision_id = d.id"
              " AND (i.school_id = %(s)s OR " + REACHES + "))")
    for login in ("ht.th001", "ht.th002"):
        school = who[login]["school"]
        want = admin_count(app, naming, {"s": school})
        with as_user(app, who, login) as cur:
            assert one(cur, "SELECT count(*) FROM decisions") == want, login
            seen = one(cur, "SELECT count(*) FROM decisions WHERE id = %s", (who["decision"],))
            assert seen == (1 if login == "ht.th001" else 0), login
            assert one(cur, "SELECT count(*) FROM meetings WHERE id = %s",
                       (who["meeting"],)) == seen
            assert one(cur, "SELECT count(*) FROM decision_events WHERE decision_id = %s",
                       (who["decision"],)) == seen
            assert one(cur, "SELECT count(*) FROM meeting_agenda") == 0
    with as_user(app, who, "ct.cm01") as cur:
        assert one(cur, "SELECT count(*) FROM decisions WHERE id = %s", (who["decision"],)) == 1
    with as_user(app, who, "cb.gdth1") as cur:
        assert one(cur, "SELECT count(*) FROM decisions") == admin_count(
            app, "SELECT count(*) FROM decisions")
        assert one(cur, "SELECT count(*) FROM meeting_agenda WHERE meeting_id = %s",
                   (who["meeting"],)) == 1


@pytest.mark.parametrize("statement", [
    "INSERT INTO meetings (kind, held_on, title, created_by)"
    " VALUES ('province', '2026-12-01', 'x', %(u)s)",
    "UPDATE decisions SET body = 'x' WHERE id = %(d)s",
    "INSERT INTO decision_events (decision_id, action, actor_id, body, division_id, due_on, done)"
    " SELECT id, 'done', %(u)s, body, division_id, due_on, true FROM decisions WHERE id = %(d)s",
])
def test_a_school_writes_no_decision(app, who, statement):
    with as_user(app, who, "ht.th001") as cur:
        try:
            cur.execute(statement, {"u": who["ht.th001"]["user"], "d": who["decision"]})
        except (psycopg2.errors.InsufficientPrivilege, psycopg2.errors.CheckViolation):
            return
        assert cur.rowcount == 0, "a principal changed a decision"


def test_a_meeting_is_never_changed_nor_a_decision_deleted(app, who):
    for statement in ("UPDATE meetings SET title = 'x'", "DELETE FROM meetings",
                      "DELETE FROM decisions", "DELETE FROM decision_issues"):
        with acting(app, "officer", user=who["cb.gdth1"]["user"]) as cur:
            with pytest.raises(psycopg2.errors.InsufficientPrivilege, match="permission denied"):
                cur.execute(statement)


# --------------------------------------------------------------------------- practices

def test_a_school_reads_published_practices_and_its_own_proposals(app, who):
    """0025: what is published reaches every school; a proposal, its own school and staff."""
    for login in ("ht.th001", "ht.th002", "ct.cm01"):
        school = who[login]["school"] or 0
        want = admin_count(app, "SELECT count(*) FROM practices WHERE status = 'published'"
                                " OR school_id = %s", (school,))
        with as_user(app, who, login) as cur:
            assert one(cur, "SELECT count(*) FROM practices") == want, login
            assert one(cur, "SELECT count(*) FROM practices WHERE id = %s",
                       (who["practice"],)) == (1 if login == "ht.th001" else 0), login
    with as_user(app, who, "cb.gdth1") as cur:
        assert one(cur, "SELECT count(*) FROM practices") == admin_count(
            app, "SELECT count(*) FROM practices")


@pytest.mark.parametrize("values", [
    "('school', %(other)s, 'proposed', %(u)s)",        # another school's name
    "('school', %(own)s, 'published', %(u)s)",         # publishing itself
    "('department', %(own)s, 'proposed', %(u)s)",      # as the Department
])
def test_a_school_proposes_in_its_own_name_only(app, who, values):
    with as_user(app, who, "ht.th001") as cur:
        with pytest.raises((psycopg2.errors.InsufficientPrivilege,
                            psycopg2.errors.CheckViolation)):
            cur.execute("INSERT INTO practices (origin, school_id, status, proposed_by,"
                        " category_id, title, problem, solution)"
                        " SELECT v.*, c.id, 't', 'p', 's' FROM (VALUES " + values + ")"
                        " AS v(origin, school_id, status, proposed_by), categories c LIMIT 1",
                        {"own": who["ht.th001"]["school"], "other": who["ht.th002"]["school"],
                         "u": who["ht.th001"]["user"]})
    with as_user(app, who, "ht.th001") as cur:
        cur.execute("UPDATE practices SET status = 'published' WHERE id = %s",
                    (who["practice"],))
        assert cur.rowcount == 0, "a school published its own proposal"


# --------------------------------------------------------------------------- directives

def test_a_directive_reaches_its_schools_and_their_cluster_only(app, who):
    """0026: a school reads the directives that reached it and its own row; a cluster
    leader those of the cluster's schools; staff all."""
    cm01 = admin_count(app, "SELECT count(*) FROM directive_schools WHERE directive_id = %s",
                       (who["directive"],))
    for login, sees in (("ht.th001", 1), ("ht.th002", 1), ("ct.cm01", cm01), ("ct.cm12", 0)):
        with as_user(app, who, login) as cur:
            assert one(cur, "SELECT count(*) FROM directives WHERE id = %s",
                       (who["directive"],)) == (1 if sees else 0), login
            assert one(cur, "SELECT count(*) FROM directive_schools WHERE directive_id = %s",
                       (who["directive"],)) == sees, login
    with as_user(app, who, "cb.gdth1") as cur:
        assert one(cur, "SELECT count(*) FROM directive_schools WHERE directive_id = %s",
                   (who["directive"],)) == cm01


def test_a_school_acknowledges_in_its_own_name_only(app, who):
    with as_user(app, who, "ht.th001") as cur:
        cur.execute("UPDATE directive_schools SET acknowledged_by = %s, acknowledged_at = now()"
                    " WHERE directive_id = %s AND school_id <> %s",
                    (who["ht.th001"]["user"], who["directive"], who["ht.th001"]["school"]))
        assert cur.rowcount == 0, "a school acknowledged for another"
    with as_user(app, who, "ht.th001") as cur:
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            cur.execute("UPDATE directive_schools SET acknowledged_by = %s, acknowledged_at = now()"
                        " WHERE directive_id = %s AND school_id = %s",
                        (who["ht.th002"]["user"], who["directive"], who["ht.th001"]["school"]))
    with as_user(app, who, "ht.th001") as cur:
        with pytest.raises(psycopg2.errors.InsufficientPrivilege, match="permission denied"):
            cur.execute("UPDATE directive_schools SET reminded_at = now()")
    with acting(app, "officer", user=who["cb.gdth1"]["user"]) as cur:
        for statement in ("DELETE FROM directives", "DELETE FROM directive_schools",
                          "UPDATE directives SET title = 'x'"):
            with pytest.raises(psycopg2.errors.InsufficientPrivilege, match="permission denied"):
                cur.execute(statement)
            cur.connection.rollback()
