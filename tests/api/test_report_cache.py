# test_report_cache.py -- a finished month's report is kept in the database once made
# (sql/migrations/0015_report_cache.sql): asked again, the kept document is the answer,
# byte for byte what a fresh computation gives; a renamed school, a school moved to another
# cluster or an event written into a past month is never hidden behind it; the current
# month is never kept; row-level security keeps each scope's kept reports to its readers.
# The data is test_report.py's scenario (June to October 2026), written the same way.

import gzip
import json

import psycopg2
import pytest

from dlapi import assert_json, comment
from test_report import CURRENT, MONTHS, VARIANTS, all_variants, cli_report, report, \
    write_scenario
from test_rls import acting

OCTOBER = MONTHS[-1]


@pytest.fixture(scope="module")
def world(app):
    refs = write_scenario(app)
    return {"refs": refs, "officer": app.login("cb.tccb1"), "admin": app.login("admin"),
            "leaders": {c: app.login(f"ct.{c.lower()}") for c in ("CMX1", "CMX2")},
            "principal": app.login("ht.thx01")}


def forget(app):
    """Empties the kept reports, so that the next one is computed from the history."""
    app.query("DELETE FROM report_cache")


def kept(app, month=None):
    """{(scope_key, variant)} of the kept reports (of one month)."""
    rows = app.query("SELECT scope_key, variant, to_char(month, 'YYYY-MM') FROM report_cache")
    return {(k, v) for k, v, m in rows if month is None or m == month}


def fresh(app, client, month):
    forget(app)
    return all_variants(client, month)


def epoch(app):
    return app.query("SELECT epoch FROM report_history_epoch")[0][0]


def test_a_kept_report_is_the_fresh_one(app, world):
    """Every scope and format: made once, kept, answered again from the database with the
    same bytes as a computation from the history (and as the CLI's)."""
    clients = {"department": world["officer"], "cluster:CMX1": world["leaders"]["CMX1"],
               "school:THX01": world["principal"]}
    for month in MONTHS:
        forget(app)
        first = {scope: all_variants(c, month) for scope, c in clients.items()}
        keys = kept(app, month)
        assert {v for _, v in keys} == {"json", "html", "csv-issues", "csv-summary"}
        assert {k.split(":")[0] for k, _ in keys} == {"department", "cluster", "school"}
        assert len(keys) == 12, keys
        for scope, c in clients.items():
            again = all_variants(c, month)
            assert again == first[scope], f"{month} {scope}: the kept report differs"
            assert fresh(app, c, month) == first[scope], f"{month} {scope}: differs from fresh"
        assert cli_report(app, month, "cluster:CMX1", "json") == \
            first["cluster:CMX1"][("json", None)]


def kept_document(app, variant="json", scope_key="department"):
    """The kept copy's stored bytes (gzip) and what they hold."""
    stored = bytes(app.query("SELECT document_gzip FROM report_cache"
                             " WHERE variant = %s AND scope_key = %s",
                             (variant, scope_key))[0][0])
    return stored, gzip.decompress(stored)


def test_the_kept_document_is_what_is_answered(app, world):
    """The second answer really comes from report_cache: a mark put into the kept
    document comes back; once it is gone, the report is computed again."""
    officer = world["officer"]
    forget(app)
    made = report(officer, OCTOBER).content
    stored, text = kept_document(app)
    assert text == made
    app.query("UPDATE report_cache SET document_gzip = %s"
              " WHERE variant = 'json' AND scope_key = 'department'",
              (gzip.compress(made + b" "),))
    assert report(officer, OCTOBER).content == made + b" "
    forget(app)
    assert report(officer, OCTOBER).content == made


def test_the_kept_copy_goes_as_stored_to_a_client_that_takes_gzip(app, world):
    """A browser gets the stored gzip bytes themselves (compressed once, when kept); a
    client that takes no gzip gets the same document inflated."""
    officer = world["officer"]
    forget(app)
    made = report(officer, OCTOBER, "html").content
    stored, text = kept_document(app, "html")
    assert text == made
    r = officer.get("/api/reports/monthly", params={"month": OCTOBER, "format": "html"},
                    headers={"Accept-Encoding": "gzip"}, stream=True)
    assert r.status_code == 200
    assert r.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in r.headers["Vary"]
    assert r.raw.read(decode_content=False) == stored
    for refusal in ("identity", "gzip;q=0, deflate"):
        r = officer.get("/api/reports/monthly", params={"month": OCTOBER, "format": "html"},
                        headers={"Accept-Encoding": refusal}, stream=True)
        assert r.status_code == 200 and "Content-Encoding" not in r.headers, refusal
        assert r.raw.read(decode_content=False) == made, refusal
    assert cli_report(app, OCTOBER, "department", "html") == made


def test_a_damaged_kept_copy_is_made_again(app, world):
    """A kept copy that is not gzip, or not a whole gzip member (written by hand), is
    never answered: the report is made again from the history and kept in its place, for
    a client that takes gzip and for one that does not."""
    officer = world["officer"]
    forget(app)
    made = report(officer, OCTOBER).content
    stored, _ = kept_document(app)
    for damage, accept in ((b"not gzip", "gzip"), (b"not gzip", "identity"),
                           (stored[:-8], "identity")):
        app.query("UPDATE report_cache SET document_gzip = %s"
                  " WHERE variant = 'json' AND scope_key = 'department'", (damage,))
        r = officer.get("/api/reports/monthly", params={"month": OCTOBER},
                        headers={"Accept-Encoding": accept})
        assert r.status_code == 200 and r.content == made, (damage[:12], accept)
        again, text = kept_document(app)
        assert text == made, (damage[:12], accept)


def test_the_current_month_is_never_kept(app, world):
    forget(app)
    report(world["officer"], CURRENT)
    report(world["leaders"]["CMX1"], CURRENT, "html")
    assert kept(app) == set()


def test_a_renamed_school_shows_its_new_name(app, world):
    admin, leader = world["admin"], world["leaders"]["CMX1"]
    forget(app)
    before = all_variants(leader, OCTOBER)
    old = app.query("SELECT name FROM schools WHERE code = 'THX02'")[0][0]
    new = "Trường Tiểu học Hoa Sen"
    try:
        assert_json(admin.send_json("PATCH", "/api/schools/THX02", {"name": new}), 200)
        after = all_variants(leader, OCTOBER)
        for variant, body in after.items():
            assert new.encode() in body and old.encode() not in body, variant
        assert after == fresh(app, leader, OCTOBER)
    finally:
        assert_json(admin.send_json("PATCH", "/api/schools/THX02", {"name": old}), 200)
    assert all_variants(leader, OCTOBER) == before


def test_a_school_moved_to_another_cluster_moves_its_issues(app, world):
    """A cluster's report is keyed by the schools it holds now: after a move, neither
    cluster's leader gets the report kept before it."""
    admin, a, b = world["admin"], world["leaders"]["CMX1"], world["leaders"]["CMX2"]
    forget(app)
    a_before, b_before = report(a, OCTOBER).json(), report(b, OCTOBER).json()
    moved = [i["ref"] for i in a_before["issues"] if i["school"] == "THX03"]
    assert moved, "the scenario has THX03 issues unresolved at October's end"
    try:
        assert_json(admin.send_json("PATCH", "/api/schools/THX03", {"cluster": "CMX2"}), 200)
        a_after, b_after = report(a, OCTOBER).json(), report(b, OCTOBER).json()
        assert not set(moved) & {i["ref"] for i in a_after["issues"]}
        assert set(moved) <= {i["ref"] for i in b_after["issues"]}
        assert b_after["totals"]["unresolved"] == \
            b_before["totals"]["unresolved"] + len(moved)
        assert report(b, OCTOBER).content == fresh(app, b, OCTOBER)[("json", None)]
    finally:
        assert_json(admin.send_json("PATCH", "/api/schools/THX03", {"cluster": "CMX1"}), 200)
    assert report(a, OCTOBER).json() == a_before


def test_an_event_written_into_a_past_month_is_not_hidden(app, world):
    """The server stamps its events with the time of writing, which leaves kept reports
    valid; an event dated in a month that has ended (a correction by hand, a loader)
    raises the history epoch, and every kept report is made again."""
    officer, refs = world["officer"], world["refs"]
    forget(app)
    before = report(officer, OCTOBER).json()
    epoch0 = epoch(app)
    open_at_end = {i["ref"]: i for i in before["issues"]}
    ref = next(r for r, i in open_at_end.items() if i["escalation_level"] == 0)

    assert_json(comment(officer, ref, "Đang xem xét.", internal=True), 201)
    assert epoch(app) == epoch0, "an event of now must not raise the epoch"
    assert ("department", "json") in kept(app, OCTOBER)

    conn = app.db()
    with conn.cursor() as cur:
        cur.execute("""INSERT INTO issue_events (issue_id, action, from_status, to_status,
                                                 body, details, created_at)
                       SELECT i.id, 'escalated', st.status, st.status, 'Late correction.',
                              '{"level": 1, "reason": "first_response_breach"}',
                              '2026-10-20 09:00+07'
                         FROM issues i JOIN issue_states st ON st.issue_id = i.id
                        WHERE i.ref = %s AND st.valid_to IS NULL""", (ref,))
    assert epoch(app) == epoch0 + 1
    after = report(officer, OCTOBER).json()
    assert after["totals"]["escalated"] == before["totals"]["escalated"] + 1
    assert {i["ref"]: i["escalation_level"] for i in after["issues"]}[ref] == 1
    assert report(officer, OCTOBER).content == fresh(app, officer, OCTOBER)[("json", None)]


def test_kept_reports_follow_row_level_security(app, world):
    """As the server's role: staff reach every kept report, a cluster leader only those of
    their cluster and its schools, a principal only their school's; nobody keeps one wider
    than they read."""
    forget(app)
    report(world["officer"], OCTOBER)
    for leader in world["leaders"].values():
        report(leader, OCTOBER)
    report(world["principal"], OCTOBER)
    ids = {r[0]: r[1:] for r in app.query(
        "SELECT login, id, school_id, cluster_id, division_id FROM users"
        " WHERE login IN ('ct.cmx1', 'ht.thx01', 'cb.tccb1')")}
    schools = dict(app.query("SELECT code, id FROM schools WHERE code LIKE 'THX%'"))

    def scopes(cur):
        cur.execute("SELECT scope_key FROM report_cache")
        return sorted(k.split(":")[0] + ":" + k.split(":")[1] if ":" in k else k
                      for (k,) in cur.fetchall())

    user, school, cluster, division = ids["cb.tccb1"]
    with acting(app, "officer", user, school or 0, 0, division or 0) as cur:
        assert scopes(cur) == ["cluster:CMX1", "cluster:CMX2", "department", "school:THX01"]
    user, school, cluster, division = ids["ct.cmx1"]
    with acting(app, "cluster_leader", user, 0, cluster, 0) as cur:
        assert scopes(cur) == ["cluster:CMX1", "school:THX01"]
    user, school, cluster, division = ids["ht.thx01"]
    with acting(app, "principal", user, school, 0, 0) as cur:
        assert scopes(cur) == ["school:THX01"]
        with pytest.raises(psycopg2.Error) as e:
            cur.execute("""INSERT INTO report_cache (month, scope_key, variant, scope_schools,
                               logic, history_epoch, names_digest, document_gzip)
                           VALUES ('2026-10-01', 'school:THX02', 'json', %s, 1, 0, '',
                                   '\\x00')""",
                        ([schools["THX02"]],))
        assert e.value.pgcode == "42501", e.value.pgerror     # insufficient privilege (RLS)
    with acting(app) as cur:
        assert scopes(cur) == []
    doc = json.loads(report(world["leaders"]["CMX1"], OCTOBER).content)
    assert doc["scope"] == {"kind": "cluster", "code": "CMX1"}


def test_a_report_as_of_a_moment_inside_the_month_is_not_kept(app, world):
    """`directline report --now` inside a month reports it as of that moment: not the
    finished month, so it is neither kept nor answered from a kept copy."""
    forget(app)
    early = cli_report(app, OCTOBER, "department", "json", now="2026-10-15T12:00:00+07:00")
    assert json.loads(early)["as_of"].startswith("2026-10-15T12:00:00")
    assert kept(app) == set()
    whole = report(world["officer"], OCTOBER).content
    assert json.loads(whole)["as_of"].startswith("2026-11-01T00:00:00")
    assert cli_report(app, OCTOBER, "department", "json",
                      now="2026-10-15T12:00:00+07:00") == early
