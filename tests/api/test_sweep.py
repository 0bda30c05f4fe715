# test_sweep.py -- `directline sweep` (docs/reports.md, "The sweep"): escalation of
# breached issues (level 1 on a first-response breach, level 2 on a resolution breach, each
# raise one `escalated` event by nobody, never repeated, not while waiting on the school),
# two sweepers at once, auto-closing stale resolutions, the escalated filter of the issue
# list, and refusing a bad clock.
#
# Nothing waits for real time: each sweep is told the time with --now, hours or days after
# the filing of the issues it is about. (Those sweeps also escalate and close demo issues;
# the tests look at their own issues, and at the whole history only for duplicates.)

import subprocess
from datetime import timedelta

import pytest

from conftest import child_env, directline_bin, run_cli, sanitizer_findings, tail
from dlapi import (ICT, act_ok, assert_json, assert_problem, comment, file_issue, parse_time,
                   walk)


def iso(dt):
    return dt.astimezone(ICT).replace(microsecond=0).isoformat()


def sweep(app, at, *extra, env=None):
    """One pass at the instant `at`; asserts exit 0."""
    args = ["sweep", "--now", iso(at), *extra]
    p = run_cli(args, app.app_url, extra_env=env)
    assert p.returncode == 0, f"`directline {' '.join(args)}` exited {p.returncode}:\n" \
                              f"{p.stdout}\n{p.stderr}"
    return p


def escalations(app, ref):
    return [e for e in app.events_of(ref) if e["action"] == "escalated"]


def level(app, ref):
    return app.issue_row(ref)["escalation_level"]


@pytest.fixture(scope="module")
def who(app):
    return {"principal": app.login("ht.th010"), "officer": app.login("cb.tccb1"),
            "supervisor": app.login("giamsat1")}


def new_issue(who, **extra):
    """A fresh normal issue (THIEU-GV: TCCB, 72 h / 336 h on the calendar clock) and its
    filing instant."""
    issue = file_issue(who["principal"], **extra)
    assert issue["priority"] == "normal"
    return issue["ref"], parse_time(issue["created_at"])


H = timedelta(hours=1)


# --------------------------------------------------------------------------- escalation

def test_breaches_raise_once_each(app, who):
    ref, filed = new_issue(who)
    sweep(app, filed + 71 * H)                      # nothing due yet
    assert level(app, ref) == 0 and escalations(app, ref) == []

    sweep(app, filed + 73 * H)                      # no first response after 72 h
    assert level(app, ref) == 1
    ev = escalations(app, ref)
    assert len(ev) == 1, ev
    assert ev[0]["details"] == {"level": 1, "reason": "first_response_breach"}
    assert ev[0]["actor"] is None

    sweep(app, filed + 73 * H)                      # again: nothing new
    sweep(app, filed + 100 * H)
    assert len(escalations(app, ref)) == 1 and level(app, ref) == 1

    sweep(app, filed + 337 * H)                     # not resolved after 336 h
    assert level(app, ref) == 2
    ev = escalations(app, ref)
    assert len(ev) == 2, ev
    assert ev[1]["details"] == {"level": 2, "reason": "resolution_breach"}
    assert ev[1]["actor"] is None

    for hours in (337, 500, 5000):                  # a raise is never repeated
        sweep(app, filed + hours * H)
    assert len(escalations(app, ref)) == 2 and level(app, ref) == 2

    # as the API shows it
    issue = assert_json(who["officer"].get(f"/api/issues/{ref}"), 200)
    assert issue["escalation_level"] == 2
    shown = [e for e in issue["events"] if e["action"] == "escalated"]
    assert [e["details"] for e in shown] == [{"level": 1, "reason": "first_response_breach"},
                                            {"level": 2, "reason": "resolution_breach"}]
    assert all(e["actor"] is None for e in shown)
    assert all(e["from_status"] == e["to_status"] == "new" for e in shown)


def test_both_breaches_in_one_pass(app, who):
    """Past both due times at the first sweep: two raises, two events, in order."""
    ref, filed = new_issue(who)
    sweep(app, filed + 400 * H)
    assert [e["details"] for e in escalations(app, ref)] == \
        [{"level": 1, "reason": "first_response_breach"},
         {"level": 2, "reason": "resolution_breach"}]
    assert level(app, ref) == 2


def test_first_response_prevents_the_first_raise(app, who):
    ref, filed = new_issue(who)
    assert_json(comment(who["officer"], ref, "Sở đã nhận, đang xem xét."), 201)
    sweep(app, filed + 73 * H)
    assert level(app, ref) == 0 and escalations(app, ref) == []
    sweep(app, filed + 337 * H)
    assert [e["details"] for e in escalations(app, ref)] == \
        [{"level": 2, "reason": "resolution_breach"}]
    assert level(app, ref) == 2


def test_a_manual_escalation_counts(app, who):
    """Already at level 1 by hand: the first-response breach raises nothing; the
    resolution breach still raises to 2."""
    ref, filed = new_issue(who)
    act_ok(who["officer"], ref, "escalate", "Cần lãnh đạo phòng xem xét.")
    sweep(app, filed + 73 * H)
    assert escalations(app, ref) == [] and level(app, ref) == 1
    sweep(app, filed + 337 * H)
    assert [e["details"] for e in escalations(app, ref)] == \
        [{"level": 2, "reason": "resolution_breach"}]


def test_awaiting_school_is_not_escalated(app, who):
    ref, filed = new_issue(who)
    act_ok(who["officer"], ref, "triage")
    act_ok(who["officer"], ref, "request_info", "Đề nghị gửi danh sách.")
    sweep(app, filed + 400 * H)
    assert level(app, ref) == 0 and escalations(app, ref) == []
    # the clock runs again after the answer (the pause was a moment): the resolution
    # breach is raised then
    act_ok(who["principal"], ref, "answer_info", "Đã gửi.")
    sweep(app, filed + 400 * H)
    assert [e["details"] for e in escalations(app, ref)] == \
        [{"level": 2, "reason": "resolution_breach"}]


@pytest.mark.parametrize("final", ["resolved", "declined"])
def test_finished_issues_are_not_escalated(app, who, final):
    ref, filed = new_issue(who)
    act_ok(who["officer"], ref, "triage")
    act_ok(who["officer"], ref, "resolve" if final == "resolved" else "decline", "Đã xử lý.")
    sweep(app, filed + 400 * H, "--auto-close-days", "3650")
    assert escalations(app, ref) == [] and level(app, ref) == 0


def sweep_processes(app, at, n=2):
    """n sweeps started together; returns their CompletedProcess-like results."""
    env = child_env({"DATABASE_URL": app.app_url})
    cmd = [directline_bin(), "sweep", "--now", iso(at)]
    procs = [subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, env=env, text=True, errors="replace")
             for _ in range(n)]
    results = []
    for p in procs:
        out, err = p.communicate(timeout=300)
        results.append((p.returncode, out, err))
    return results


def duplicated_raises(app):
    return app.query("""SELECT issue_id, details->>'level', count(*) FROM issue_events
                         WHERE action = 'escalated'
                         GROUP BY 1, 2 HAVING count(*) > 1""")


@pytest.mark.parametrize("round_", [1, 2, 3])
def test_two_sweeps_at_once_raise_each_breach_once(app, who, round_):
    issues = [new_issue(who) for _ in range(6)]
    latest = max(filed for _, filed in issues)
    for rc, out, err in sweep_processes(app, latest + 400 * H):
        assert rc == 0, f"sweep exited {rc}:\n{out}\n{tail(err)}"
        assert not sanitizer_findings(err), tail(err)
    for ref, _ in issues:
        assert [e["details"]["level"] for e in escalations(app, ref)] == [1, 2], ref
        assert level(app, ref) == 2
    assert duplicated_raises(app) == []


# --------------------------------------------------------------------------- auto-close

def resolved_issue(who):
    ref, _ = new_issue(who)
    act_ok(who["officer"], ref, "triage")
    done = act_ok(who["officer"], ref, "resolve", "Đã bố trí giáo viên.")
    assert done["status"] == "resolved"
    return ref, parse_time(done["resolved_at"])


def closes(app, ref):
    return [e for e in app.events_of(ref) if e["action"] == "closed"]


def test_auto_close_after_fourteen_days(app, who):
    ref, resolved = resolved_issue(who)
    sweep(app, resolved + timedelta(days=13))
    assert app.issue_row(ref)["status"] == "resolved" and closes(app, ref) == []
    sweep(app, resolved + timedelta(days=15))
    row = app.issue_row(ref)
    assert row["status"] == "closed" and row["closed_at"] is not None
    ev = closes(app, ref)
    assert len(ev) == 1, ev
    assert ev[0]["actor"] is None
    assert (ev[0]["from_status"], ev[0]["to_status"]) == ("resolved", "closed")
    assert ev[0]["body"] and ev[0]["body"].strip(), "the closing event says nothing"
    sweep(app, resolved + timedelta(days=30))
    assert len(closes(app, ref)) == 1
    issue = assert_json(who["principal"].get(f"/api/issues/{ref}"), 200)
    assert issue["status"] == "closed" and issue["closed_at"] is not None
    shown = [e for e in issue["events"] if e["action"] == "closed"]
    assert len(shown) == 1 and shown[0]["actor"] is None and shown[0]["note"]


def test_auto_close_days_option(app, who):
    ref, resolved = resolved_issue(who)
    sweep(app, resolved + timedelta(days=2), "--auto-close-days", "3")
    assert app.issue_row(ref)["status"] == "resolved"
    sweep(app, resolved + timedelta(days=4), "--auto-close-days", "3")
    assert app.issue_row(ref)["status"] == "closed"
    assert len(closes(app, ref)) == 1 and closes(app, ref)[0]["actor"] is None


def test_auto_close_days_from_the_environment(app, who):
    ref, resolved = resolved_issue(who)
    env = {"DIRECTLINE_AUTO_CLOSE_DAYS": "5"}
    sweep(app, resolved + timedelta(days=4), env=env)
    assert app.issue_row(ref)["status"] == "resolved"
    sweep(app, resolved + timedelta(days=6), env=env)
    assert app.issue_row(ref)["status"] == "closed"


def test_reopened_issue_is_not_auto_closed(app, who):
    ref, resolved = resolved_issue(who)
    act_ok(who["principal"], ref, "reopen", "Chưa giải quyết xong.")
    sweep(app, resolved + timedelta(days=15))
    assert app.issue_row(ref)["status"] == "in_progress" and closes(app, ref) == []


# --------------------------------------------------------------------------- the list

def test_escalated_filter(app, who):
    ref, filed = new_issue(who)
    sweep(app, filed + 400 * H)
    officer = who["officer"]
    escalated = walk(officer, {"escalated": "true"})
    calm = walk(officer, {"escalated": "false"})
    assert all(i["escalation_level"] > 0 for i in escalated)
    assert all(i["escalation_level"] == 0 for i in calm)
    db_up = {r for (r,) in app.query("SELECT ref FROM issues WHERE escalation_level > 0")}
    db_calm = {r for (r,) in app.query("SELECT ref FROM issues WHERE escalation_level = 0")}
    assert {i["ref"] for i in escalated} == db_up and ref in db_up
    assert {i["ref"] for i in calm} == db_calm and db_calm
    # combined with the other filters and the role's scope
    mine = walk(who["principal"], {"escalated": "true"})
    assert mine and all(i["school"] == "TH010" and i["escalation_level"] > 0 for i in mine)
    assert ref in {i["ref"] for i in mine}
    assert_problem(officer.get("/api/issues", params={"escalated": "maybe"}), 400,
                   fields=["escalated"])


# --------------------------------------------------------------------------- refusals

def history_size(app):
    return app.query("SELECT count(*), coalesce(max(id), 0), "
                     "(SELECT max(updated_at) FROM issues) FROM issue_events")[0]


@pytest.mark.parametrize("args", [
    ["--now", "not-a-time"],
    ["--now", "2026-13-01T00:00:00+07:00"],
    ["--now", "2026-02-30T10:00:00+07:00"],
    ["--now", "2026-11-23T25:00:00+07:00"],
    ["--now", ""],
    ["--now"],
    ["--auto-close-days", "0"],
    ["--auto-close-days", "abc"],
    ["--frobnicate"],
    ["extra-argument"],
], ids=lambda a: " ".join(a) or "empty")
def test_bad_arguments_are_refused(app, who, args):
    """A sweep that cannot tell the time (or its options) must not run a pass at all: the
    demo data is full of breaches at the real clock."""
    ref, _ = new_issue(who)
    app.query("UPDATE issues SET due_first_response_at = now() - interval '1 hour' "
              "WHERE ref = %s", (ref,))
    before = history_size(app)
    p = run_cli(["sweep", *args], app.app_url)
    assert p.returncode != 0, f"exit 0 for {args}: {p.stdout}"
    assert p.stderr.strip(), "no message on stderr"
    assert history_size(app) == before
    assert level(app, ref) == 0
