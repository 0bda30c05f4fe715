# test_queue.py -- the queue's search and its "overdue" after 0014 moved them for speed:
# the search reads the folded text from issue_search through the owner's view, and must
# show each reader exactly what the issue's own policy shows (a principal only their
# school's, a cluster leader only their cluster's, through the API and in raw SQL as the
# server's role); its trigram index serves the server's role; the server's role cannot
# write the search table; and "overdue" is one rule wherever it is asked.

import psycopg2
import pytest

from dlapi import assert_json, file_issue, refs, walk
from test_rls import acting, as_user, one

# A word no demo issue holds, with accents, so that the search must fold them.
WORD = "Quạt trần rơi"
PLAIN = "quat tran roi"
# Who files one issue holding the word: two schools of cluster CM01 and one of CM12.
FILERS = ("ht.th001", "ht.th002", "ht.th240")


@pytest.fixture(scope="module")
def searchable(app):
    """{filer login: ref} of the issues holding WORD, and the actors' ids."""
    filed = {}
    for login in FILERS:
        issue = file_issue(app.login(login), title=f"{WORD} tại lớp học ({login})",
                           description="Cần thay quạt trần trước mùa nóng.")
        filed[login] = issue["ref"]
    rows = app.query("""
        SELECT u.login, u.id, u.school_id, u.cluster_id, u.division_id, u.role
          FROM users u WHERE u.login IN ('ht.th001', 'ht.th002', 'ht.th240', 'ct.cm01',
                                         'ct.cm12', 'ct.cm02', 'cb.gdth1')""")
    ids = {r[0]: {"user": r[1], "school": r[2], "cluster": r[3], "division": r[4],
                  "role": r[5]} for r in rows}
    return filed, ids


# What each reader must find: their school's, their cluster's, or all three.
EXPECTED = {
    "ht.th001": ("ht.th001",),
    "ht.th002": ("ht.th002",),
    "ht.th240": ("ht.th240",),
    "ct.cm01": ("ht.th001", "ht.th002"),
    "ct.cm12": ("ht.th240",),
    "ct.cm02": (),
    "cb.gdth1": FILERS,
}


@pytest.mark.parametrize("reader", sorted(EXPECTED))
@pytest.mark.parametrize("typed", [WORD.lower(), PLAIN])
def test_search_shows_each_reader_only_what_they_may_read(app, searchable, reader, typed):
    filed, _ = searchable
    got = set(refs(walk(app.login(reader), {"q": typed})))
    assert got == {filed[f] for f in EXPECTED[reader]}


@pytest.mark.parametrize("reader", sorted(EXPECTED))
def test_search_counts_follow_the_same_rule(app, searchable, reader):
    counts = assert_json(app.login(reader).get("/api/issues/counts", params={"q": PLAIN}), 200)
    assert counts["total"] == len(EXPECTED[reader])


@pytest.mark.parametrize("reader", ["ht.th001", "ct.cm01", "ct.cm12", "cb.gdth1"])
def test_search_with_other_filters_keeps_the_scope(app, searchable, reader):
    filed, _ = searchable
    got = set(refs(walk(app.login(reader), {"q": PLAIN, "cluster": "CM01"})))
    want = {filed[f] for f in EXPECTED[reader]} & {filed["ht.th001"], filed["ht.th002"]}
    assert got == want


def visible_ids(cur, filed_ids):
    cur.execute("SELECT issue_id FROM issue_search_visible WHERE issue_id = ANY(%s)"
                " AND folded LIKE '%%' || dl_fold(%s) || '%%'", (filed_ids, WORD))
    return {r[0] for r in cur.fetchall()}


@pytest.mark.parametrize("reader", sorted(EXPECTED))
def test_search_view_applies_the_issue_policy_in_raw_sql(app, searchable, reader):
    filed, ids = searchable
    by_ref = dict(app.query("SELECT ref, id FROM issues WHERE ref = ANY(%s)",
                            (list(filed.values()),)))
    want = {by_ref[filed[f]] for f in EXPECTED[reader]}
    with as_user(app, ids, reader) as cur:
        assert visible_ids(cur, list(by_ref.values())) == want
        # The table itself, read directly, shows nothing to anyone but its owner.
        assert one(cur, "SELECT count(*) FROM issue_search") == 0


def test_search_view_shows_nothing_without_a_context(app, searchable):
    with acting(app) as cur:
        assert one(cur, "SELECT count(*) FROM issue_search_visible") == 0
        assert one(cur, "SELECT count(*) FROM issue_search") == 0


def test_the_trigram_index_serves_the_servers_role(app, searchable):
    """Behind the issues' policy the trigram index could not be used (LIKE is not
    leakproof); through the view it can, in every context."""
    _, ids = searchable
    for reader in ("ht.th001", "ct.cm01", "cb.gdth1"):
        with as_user(app, ids, reader) as cur:
            cur.execute("SET LOCAL enable_seqscan = off")
            cur.execute("EXPLAIN SELECT issue_id FROM issue_search_visible"
                        " WHERE folded LIKE '%quat tran roi%'")
            plan = "\n".join(r[0] for r in cur.fetchall())
            assert "issue_search_folded_idx" in plan, plan


@pytest.mark.parametrize("statement", [
    "INSERT INTO issue_search (issue_id, school_id, folded) SELECT id, school_id, 'x'"
    " FROM issues LIMIT 1",
    "UPDATE issue_search SET folded = 'x'",
    "DELETE FROM issue_search",
    "TRUNCATE issue_search",
    "INSERT INTO issue_search_visible (issue_id, folded) SELECT id, 'x' FROM issues LIMIT 1",
    "UPDATE issue_search_visible SET folded = 'x'",
    "DELETE FROM issue_search_visible",
])
def test_the_servers_role_cannot_change_the_search(app, searchable, statement):
    _, ids = searchable
    before = app.query("SELECT count(*), md5(string_agg(folded, '' ORDER BY issue_id))"
                       " FROM issue_search")
    with as_user(app, ids, "cb.gdth1") as cur:
        try:
            cur.execute(statement)
        except psycopg2.Error:
            pass                    # refused outright, or (below) changed nothing
        else:
            assert cur.rowcount == 0, statement
    after = app.query("SELECT count(*), md5(string_agg(folded, '' ORDER BY issue_id))"
                      " FROM issue_search")
    assert after == before


def test_every_issue_has_its_search_row(app, searchable):
    missing = app.query("SELECT count(*) FROM issues i"
                        " LEFT JOIN issue_search s ON s.issue_id = i.id"
                        " WHERE s.issue_id IS NULL OR s.school_id <> i.school_id"
                        "    OR s.folded <> dl_fold(i.title || ' ' || i.description)")
    assert missing[0][0] == 0


# ------------------------------------------------------------------------- overdue, once

# The three spellings 0014 replaced, on (status, first_response_at, due_first, due_res)
# asked at `at`: the issue list's (now, after its own statement), the sweep's two breach
# clocks (without their escalation levels) and the report's (an instant, before the
# events at it).
OLD_RULES = """
SELECT s, fr, df, dr, a,
       dl_overdue(s, fr IS NOT NULL, df, dr, a) AS list_new,
       (s IN ('new', 'triaged', 'in_progress') AND (a > dr OR (fr IS NULL AND a > df)))
           AS list_old,
       dl_first_answer_late(s, fr IS NOT NULL, df, a) AS first_new,
       (s IN ('new', 'triaged', 'in_progress') AND fr IS NULL AND df < a) AS first_old,
       dl_resolution_late(s, dr, a) AS resolution_new,
       (s IN ('new', 'triaged', 'in_progress') AND dr < a) AS resolution_old,
       dl_overdue(s, fr < a, df, dr, a) AS report_new,
       (s <> 'awaiting_school' AND (dr < a OR ((fr IS NULL OR fr >= a) AND df < a)))
           AS report_old
  FROM unnest(ARRAY['new', 'triaged', 'in_progress', 'awaiting_school', 'resolved',
                    'closed', 'declined', 'duplicate']) AS s,
       unnest(ARRAY[NULL, '2026-06-01 00:00+07', '2026-06-03 00:00+07',
                    '2026-06-05 00:00+07']::timestamptz[]) AS fr,
       unnest(ARRAY['2026-06-02 00:00+07', '2026-06-03 00:00+07',
                    '2026-06-04 00:00+07']::timestamptz[]) AS df,
       unnest(ARRAY['2026-06-03 00:00+07', '2026-06-06 00:00+07']::timestamptz[]) AS dr,
       unnest(ARRAY['2026-06-01 00:00+07', '2026-06-03 00:00+07',
                    '2026-06-05 12:00+07']::timestamptz[]) AS a
"""
# The report asks only about issues unresolved at its instant.
UNRESOLVED = ("new", "triaged", "in_progress", "awaiting_school")


def test_overdue_is_the_rule_each_place_spelled_before(app):
    rows = app.query(OLD_RULES)
    assert len(rows) == 8 * 4 * 3 * 2 * 3
    for r in rows:
        s, fr, df, dr, a, list_new, list_old, first_new, first_old, res_new, res_old, \
            report_new, report_old = r
        assert list_new == list_old, r
        assert first_new == first_old and res_new == res_old, r
        if s in UNRESOLVED:
            assert report_new == report_old, r


def test_overdue_list_filter_and_field_agree(app, searchable):
    officer = app.login("cb.gdth1")
    app.query("UPDATE issues SET due_first_response_at = now() - interval '2 hours',"
              " due_resolution_at = now() + interval '2 days' WHERE ref = %s RETURNING id",
              (searchable[0]["ht.th002"],))
    late = walk(officer, {"overdue": "true"})
    on_time = walk(officer, {"overdue": "false"})
    assert searchable[0]["ht.th002"] in refs(late)
    assert all(i["overdue"] is True for i in late)
    assert all(i["overdue"] is False for i in on_time)
