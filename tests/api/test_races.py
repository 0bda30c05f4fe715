# test_races.py -- the rules that racing requests used to break. Two issues marked as
# duplicates of each other at the same instant: one wins, the other is refused (409),
# never a chain, never a deadlock's 503, twenty times over; a duplicate of a duplicate and
# a duplicate of an issue others point at are refused too. Moving an issue to another
# division clears an assignee who cannot hold it there, with its own set_assignee event.
# The transition statement itself refuses a status that moved since it was read.

import os
import subprocess
import threading
import time

import psycopg2
import pytest

from dlapi import (act, act_ok, assert_json, assert_problem, describe, file_issue, lock_waiters,
                   race, wait_for_lock_waiters)

TRIES = 20


@pytest.fixture(scope="module")
def principal(app):
    return app.login("ht.th041")


@pytest.fixture(scope="module")
def supervisors(app):
    return [app.login("giamsat1"), app.login("giamsat2")]


def new_issue(principal, n, category="THIEU-GV"):
    return file_issue(principal, title=f"Vấn đề trùng lặp số {n}",
                      description="Hai cán bộ đánh dấu cùng lúc.", category=category)["ref"]


def chains(app):
    """Duplicates whose target is itself a duplicate (or points back): must be none."""
    return app.query("""
        SELECT a.ref, b.ref FROM issues a JOIN issues b ON b.id = a.duplicate_of
         WHERE b.duplicate_of IS NOT NULL OR b.status = 'duplicate'""")


def assert_chain_refusal(r):
    body = assert_problem(r, 409, fields=["duplicate_of"])
    assert body["code"] == "duplicate_chain", describe(r)
    return body


def test_opposite_duplicate_marks_never_chain(app, principal, supervisors):
    codes = []
    for n in range(TRIES):
        a, b = new_issue(principal, 2 * n), new_issue(principal, 2 * n + 1)
        first, second = (s.twin() for s in supervisors)
        responses = race([lambda: act(first, a, "mark_duplicate", duplicate_of=b),
                          lambda: act(second, b, "mark_duplicate", duplicate_of=a)])
        codes.append(sorted(r.status_code for r in responses))
        assert sorted(r.status_code for r in responses) == [200, 409], \
            [describe(r) for r in responses]
        for r in responses:
            if r.status_code == 409:
                assert_chain_refusal(r)
        rows = app.query("SELECT ref, status, duplicate_of FROM issues WHERE ref IN (%s, %s)",
                         (a, b))
        assert sorted(status for _, status, _ in rows) == ["duplicate", "new"], rows
        events = [e for ref in (a, b) for e in app.events_of(ref)
                  if e["action"] == "mark_duplicate"]
        assert len(events) == 1, events
    assert not chains(app)
    assert all(c == [200, 409] for c in codes), codes


def test_duplicate_onto_a_pointed_at_issue_races_without_chain(app, principal, supervisors):
    """C -> A and A -> B at once: both lock A, so whichever comes second sees the first."""
    for n in range(TRIES // 2):
        a, b, c = (new_issue(principal, 100 + 3 * n + k) for k in range(3))
        first, second = (s.twin() for s in supervisors)
        responses = race([lambda: act(first, c, "mark_duplicate", duplicate_of=a),
                          lambda: act(second, a, "mark_duplicate", duplicate_of=b)])
        assert sorted(r.status_code for r in responses) == [200, 409], \
            [describe(r) for r in responses]
    assert not chains(app)


def test_chains_and_self_refused(app, principal, supervisors):
    sup = supervisors[0]
    a, b, c, d = (new_issue(principal, 200 + k) for k in range(4))
    act_ok(sup, a, "mark_duplicate", duplicate_of=b)
    before = app.snapshot()
    # onto a duplicate
    body = assert_chain_refusal(act(sup, c, "mark_duplicate", duplicate_of=a))
    assert body["errors"][0]["code"] == "is_duplicate"
    # an issue others point at cannot become a duplicate itself
    body = assert_chain_refusal(act(sup, b, "mark_duplicate", duplicate_of=d))
    assert body["errors"][0]["code"] == "has_duplicates"
    # itself
    r = act(sup, d, "mark_duplicate", duplicate_of=d)
    body = assert_problem(r, 400, fields=["duplicate_of"])
    assert body["errors"][0]["code"] == "self_duplicate"
    assert app.snapshot() == before
    # the right way round still works: D joins B
    assert act_ok(sup, d, "mark_duplicate", duplicate_of=b)["duplicate_of"] == b
    assert not chains(app)


def test_database_refuses_a_chain_written_past_the_api(app, principal, supervisors):
    """The second wall: a statement that skips the API's checks is refused."""
    a, b, c = (new_issue(principal, 300 + k) for k in range(3))
    act_ok(supervisors[0], a, "mark_duplicate", duplicate_of=b)
    sql = ("UPDATE issues SET status = 'duplicate', closed_at = now(),"
           " duplicate_of = (SELECT id FROM issues WHERE ref = %s) WHERE ref = %s")
    for target, ref in ((a, c), (c, b)):     # onto a duplicate; one that others point at
        with pytest.raises(psycopg2.Error) as e:
            app.query(sql, (target, ref))
        assert "duplicate" in str(e.value), e.value
    assert not chains(app)


# --------------------------------------------------------------------------- division moves

def assignee_events(app, ref):
    return [e["details"] for e in app.events_of(ref) if e["action"] == "set_assignee"]


def test_division_move_clears_an_officer_of_the_old_division(app, principal, supervisors):
    sup = supervisors[0]
    ref = new_issue(principal, 400)                       # THIEU-GV: routed to TCCB
    assert_json(sup.send_json("PATCH", f"/api/issues/{ref}", {"assignee": "cb.tccb1"}), 200)
    got = assert_json(sup.send_json("PATCH", f"/api/issues/{ref}", {"division": "CSVC"}), 200)
    assert got["division"] == "CSVC" and got["assignee"] is None, got
    moved = [e for e in app.events_of(ref) if e["action"] in ("set_division", "set_assignee")]
    assert [e["action"] for e in moved] == ["set_assignee", "set_division", "set_assignee"]
    assert moved[-1]["details"]["from"] == "cb.tccb1" and moved[-1]["details"]["to"] is None
    assert moved[-1]["details"]["reason"] == "division_moved"
    # the officer no longer finds it among their own
    mine = assert_json(app.login("cb.tccb1").get("/api/issues", params={"assignee": "me"}), 200)
    assert ref not in [i["ref"] for i in mine["items"]]
    # an officer of the new division may now take it
    csvc = app.login("cb.csvc1")
    got = assert_json(csvc.send_json("PATCH", f"/api/issues/{ref}", {"assignee": "cb.csvc1"}),
                      200)
    assert got["assignee"]["login"] == "cb.csvc1"


def test_officer_moving_own_issue_away_unassigns_self(app, principal):
    officer = app.login("cb.tccb2")
    ref = new_issue(principal, 401)
    assert_json(officer.send_json("PATCH", f"/api/issues/{ref}", {"assignee": "cb.tccb2"}), 200)
    got = assert_json(officer.send_json("PATCH", f"/api/issues/{ref}", {"division": "GDTH"}),
                      200)
    assert got["assignee"] is None
    assert assignee_events(app, ref)[-1] == {"field": "assignee", "from": "cb.tccb2",
                                             "to": None, "reason": "division_moved"}


def test_division_move_keeps_a_supervisor_or_the_new_assignee(app, principal, supervisors):
    sup = supervisors[0]
    ref = new_issue(principal, 402)
    assert_json(sup.send_json("PATCH", f"/api/issues/{ref}", {"assignee": "giamsat2"}), 200)
    got = assert_json(sup.send_json("PATCH", f"/api/issues/{ref}", {"division": "KHTC"}), 200)
    assert got["assignee"]["login"] == "giamsat2"
    assert len(assignee_events(app, ref)) == 1
    # moved together with an officer of the new division: one change of assignee
    got = assert_json(sup.send_json("PATCH", f"/api/issues/{ref}",
                                    {"division": "GDTH", "assignee": "cb.gdth1"}), 200)
    assert got["division"] == "GDTH" and got["assignee"]["login"] == "cb.gdth1"
    assert assignee_events(app, ref)[-1] == {"field": "assignee", "from": "giamsat2",
                                             "to": "cb.gdth1"}
    assert len(assignee_events(app, ref)) == 2


def test_racing_division_move_and_assignment_leave_no_stranger(app, principal, supervisors):
    """A move and an assignment at once: whatever order the row lock gives them, the
    issue never ends with an officer of another division."""
    for n in range(TRIES // 2):
        ref = new_issue(principal, 500 + n)
        first, second = (s.twin() for s in supervisors)
        responses = race([
            lambda: first.send_json("PATCH", f"/api/issues/{ref}", {"division": "VP"}),
            lambda: second.send_json("PATCH", f"/api/issues/{ref}", {"assignee": "cb.tccb1"})])
        assert all(r.status_code in (200, 400) for r in responses), \
            [describe(r) for r in responses]
        rows = app.query("""
            SELECT u.login, u.role, ud.code, d.code FROM issues i
              JOIN divisions d ON d.id = i.division_id
              LEFT JOIN users u ON u.id = i.assignee_id
              LEFT JOIN divisions ud ON ud.id = u.division_id
             WHERE i.ref = %s""", (ref,))
        login, role, user_division, division = rows[0]
        assert division == "VP"
        assert login is None or role == "supervisor" or user_division == division, rows


# --------------------------------------------------------------------------- stale status

def probe(app, ref, action, from_status, to_status):
    """db_issue_transition called directly (no API, no row lock), as a careless caller
    would: prints "ok" or the error's kind and code."""
    binary = os.environ.get("DIRECTLINE_TRANSITION_PROBE")
    if not binary:
        pytest.fail("DIRECTLINE_TRANSITION_PROBE is not set (run through ctest)")
    p = subprocess.run([binary, app.db_url, ref, action, from_status, to_status],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "runtime error:" not in p.stderr and "Sanitizer" not in p.stderr, p.stderr
    return p.stdout.strip()


def test_transition_refuses_a_status_that_moved(app, principal, supervisors):
    ref = new_issue(principal, 600)
    act_ok(supervisors[0], ref, "triage")
    before = app.snapshot()
    # read as 'new' long ago: the statement itself refuses, nothing is written
    assert probe(app, ref, "triage", "new", "triaged") == "conflict status_changed"
    assert app.snapshot() == before
    assert app.issue_row(ref)["status"] == "triaged"
    # the status it really has goes through
    assert probe(app, ref, "start", "triaged", "in_progress") == "ok"
    assert app.issue_row(ref)["status"] == "in_progress"
    assert [e["action"] for e in app.events_of(ref)] == ["filed", "triage", "start"]


def new_officer(admin, login, division):
    assert_json(admin.send_json("POST", "/api/users", {
        "login": login, "name": "Cán bộ thử", "role": "officer", "division": division}), 201)


@pytest.mark.parametrize("change", [{"division": "GDTH"}, {"active": False},
                                    {"role": "principal", "division": None, "school": "TH010"}])
def test_an_officer_moved_or_deactivated_lets_go_of_the_old_issues(app, principal,
                                                                    supervisors, change):
    """An admin moving an officer to another division, deactivating them or changing
    their role: their unfinished issues lose them as assignee, with an event each."""
    admin = app.login("admin")
    login = "zz.mv" + next(iter(change))[:4]
    new_officer(admin, login, "TCCB")
    open_ref, closed_ref = new_issue(principal, 600), new_issue(principal, 601)
    sup = supervisors[0]
    for ref in (open_ref, closed_ref):
        assert_json(sup.send_json("PATCH", f"/api/issues/{ref}", {"assignee": login}), 200)
    act_ok(sup, closed_ref, "decline", "Không thuộc thẩm quyền.")
    assert_json(admin.send_json("PATCH", f"/api/users/{login}", change), 200)
    got = assert_json(sup.get(f"/api/issues/{open_ref}"), 200)
    assert got["assignee"] is None, got["assignee"]
    assert assignee_events(app, open_ref)[-1] == {"field": "assignee", "from": login,
                                                  "to": None, "reason": "assignee_changed"}
    # a finished issue keeps its history as it was
    assert assert_json(sup.get(f"/api/issues/{closed_ref}"), 200)["assignee"]["login"] == login
    audit = assert_json(admin.get("/api/audit", params={"target": login}), 200)
    details = [e["details"] for e in audit["items"] if e["action"] != "user.create"]
    assert details and details[0].get("issues_released") == 1, details


def test_an_assignment_racing_the_assignees_move_does_not_outlive_it(app, principal,
                                                                     supervisors):
    """An assignment already checked and written, not yet committed, while an admin
    moves the assignee to another division: the move must wait for it and release the
    issue, not commit around it and leave an officer holding an issue of a division
    they can no longer open. The assignment is held open by locking the issue's history
    states, which its event rewrites after the issue row."""
    admin, sup = app.login("admin"), supervisors[0]
    login = "zz.mvrace"
    new_officer(admin, login, "TCCB")
    ref = new_issue(principal, 700)
    issue_id = app.issue_row(ref)["id"]
    holder = psycopg2.connect(app.db_url)
    results = {}
    try:
        cur = holder.cursor()
        cur.execute("SELECT 1 FROM issue_states WHERE issue_id = %s FOR UPDATE", (issue_id,))
        assign = threading.Thread(target=lambda: results.__setitem__("assign", sup.send_json(
            "PATCH", f"/api/issues/{ref}", {"assignee": login})))
        assign.start()
        wait_for_lock_waiters(app, 1)
        # A new connection for the move: the admin's kept-alive one may belong to the
        # server thread now blocked in the assignment (a worker thread serves its
        # connections one request at a time), and would sit unread until the holder lets
        # go, then be closed as idle past the server's 15 s.
        mover = app.login("admin")
        move = threading.Thread(target=lambda: results.__setitem__("move", mover.send_json(
            "PATCH", f"/api/users/{login}", {"division": "GDTH"})))
        move.start()
        # Either the move waits behind the assignment (a second waiter) or it is done.
        deadline = time.monotonic() + 10
        while move.is_alive() and lock_waiters(app) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        holder.rollback()
        holder.close()
    assign.join(20)
    move.join(20)
    mover.close()
    assert results["move"].status_code == 200, describe(results["move"])
    got = assert_json(sup.get(f"/api/issues/{ref}"), 200)
    if results["assign"].status_code == 200:
        assert got["assignee"] is None, f"{login} moved to GDTH still holds {ref}"
    else:
        assert_problem(results["assign"], 400)
        assert got["assignee"] is None


