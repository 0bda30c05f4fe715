# test_sla.py -- SLA policies and the working calendar (docs/reports.md): reading them,
# changing them (admin only, whole and valid or not at all), and the due times they give
# an issue: at filing, on a priority change, across a pause while the school is asked.
#
# Expected working-clock due times come from a small calculator here that walks the
# calendar minute by minute, independent of the server's arithmetic.

import json
from datetime import date, datetime, timedelta

import pytest

from dlapi import (ICT, act_ok, assert_json, assert_problem, assert_problem_naming, comment,
                   describe, dl_time, file_issue, parse_time, walk)

DEFAULT_POLICIES = {"urgent": (24, 72, "calendar"), "high": (48, 168, "calendar"),
                    "normal": (72, 336, "calendar"), "low": (120, 720, "calendar")}
SEEDED_HOURS = {(d, s, e) for d in range(1, 6)
                for s, e in (("07:00", "11:30"), ("13:30", "17:00"))}
WORKING = {d: [(7 * 60, 11 * 60 + 30), (13 * 60 + 30, 17 * 60)] for d in range(1, 6)}


# --------------------------------------------------------------------------- helpers

def policies_body(overrides=None):
    """A full PUT body: the defaults with some priorities replaced."""
    p = dict(DEFAULT_POLICIES)
    p.update(overrides or {})
    return {"items": [{"priority": k, "first_response_hours": v[0], "resolution_hours": v[1],
                       "clock": v[2]} for k, v in p.items()]}


def as_map(items):
    return {i["priority"]: (i["first_response_hours"], i["resolution_hours"], i["clock"])
            for i in items}


def floor_second(dt):
    return dt.replace(microsecond=0)


def working_due(start, hours, holidays, working=WORKING):
    """The instant at which `hours` working hours have passed since `start`: walks minute
    by minute (the first, partial minute by its seconds); a minute counts when it lies in
    one of the day's working intervals and the local day is not a holiday. A target that
    runs out at an interval's end falls due at that end."""
    need = hours * 3600
    t = start.astimezone(ICT)
    for _ in range(400 * 24 * 60):
        left = 60 - t.second - t.microsecond / 1e6          # seconds to the next minute
        minute = t.hour * 60 + t.minute
        if t.date() not in holidays and any(a <= minute < b
                                            for a, b in working.get(t.isoweekday(), [])):
            if need <= left:
                return t + timedelta(seconds=need)
            need -= left
        t = (t + timedelta(seconds=left)).replace(microsecond=0)
    raise AssertionError("no working time in 400 days")


def holidays_of(client):
    cal = assert_json(client.get("/api/calendar"), 200)
    return {date.fromisoformat(h["date"]) for h in cal["holidays"]}


def dues(issue):
    return parse_time(issue["due_first_response_at"]), parse_time(issue["due_resolution_at"])


def get_issue(client, ref):
    return assert_json(client.get(f"/api/issues/{ref}"), 200)


def near(a, b, seconds=1.0):
    return abs((a - b).total_seconds()) <= seconds


def db_settings(app):
    return (app.query("SELECT * FROM sla_policies ORDER BY priority"),
            app.query("SELECT * FROM working_hours ORDER BY weekday, starts"),
            app.query("SELECT * FROM holidays ORDER BY day"))


@pytest.fixture(scope="module")
def who(app):
    return {"admin": app.login("admin"), "supervisor": app.login("giamsat1"),
            "officer": app.login("cb.tccb1"), "leader": app.login("ct.cm01"),
            "principal": app.login("ht.th001")}


@pytest.fixture
def restore(app, who):
    """Puts the SLA policies and the calendar back as they were after the test."""
    policies = assert_json(who["admin"].get("/api/sla-policies"), 200)
    calendar = assert_json(who["admin"].get("/api/calendar"), 200)
    yield
    assert_json(who["admin"].send_json("PUT", "/api/sla-policies", policies), 200)
    assert_json(who["admin"].send_json("PUT", "/api/calendar", calendar), 200)
    assert assert_json(who["admin"].get("/api/sla-policies"), 200) == policies
    assert assert_json(who["admin"].get("/api/calendar"), 200) == calendar


def set_policies(who, overrides):
    body = policies_body(overrides)
    got = assert_json(who["admin"].send_json("PUT", "/api/sla-policies", body), 200)
    assert as_map(got["items"]) == as_map(body["items"])


# --------------------------------------------------------------------------- reading

@pytest.mark.parametrize("role", ["admin", "supervisor", "officer", "leader", "principal"])
def test_default_policies(who, role):
    body = assert_json(who[role].get("/api/sla-policies"), 200)
    assert len(body["items"]) == 4
    for item in body["items"]:
        assert set(item) == {"priority", "first_response_hours", "resolution_hours", "clock"}
    assert as_map(body["items"]) == DEFAULT_POLICIES


@pytest.mark.parametrize("role", ["admin", "officer", "principal"])
def test_seeded_calendar(who, role):
    cal = assert_json(who[role].get("/api/calendar"), 200)
    assert set(cal) == {"working_hours", "holidays"}
    got = {(w["weekday"], w["start"], w["end"]) for w in cal["working_hours"]}
    assert got == SEEDED_HOURS and len(cal["working_hours"]) == len(SEEDED_HOURS)
    days = {h["date"]: h["name"] for h in cal["holidays"]}
    assert "2026-04-30" in days and "2026-02-17" in days, sorted(days)
    assert all(isinstance(n, str) and n.strip() for n in days.values())
    assert {d[:4] for d in days} == {"2026", "2027"}, sorted(days)
    for d in days:
        date.fromisoformat(d)


def test_settings_need_a_session(app):
    anon = app.client()
    for path in ("/api/sla-policies", "/api/calendar"):
        assert_problem(anon.get(path), 401)
    assert_problem(anon.send_json("PUT", "/api/sla-policies", policies_body()), 401)
    assert_problem(anon.send_json("PUT", "/api/calendar",
                                  {"working_hours": [], "holidays": []}), 401)


# --------------------------------------------------------------------------- changing

@pytest.mark.parametrize("role", ["supervisor", "officer", "leader", "principal"])
def test_only_an_admin_changes_settings(app, who, role):
    before = db_settings(app)
    body = policies_body({"urgent": (12, 48, "working")})
    assert_problem(who[role].send_json("PUT", "/api/sla-policies", body), 403)
    cal = {"working_hours": [{"weekday": 1, "start": "08:00", "end": "12:00"}],
           "holidays": []}
    assert_problem(who[role].send_json("PUT", "/api/calendar", cal), 403)
    assert db_settings(app) == before


def test_admin_changes_policies(app, who, restore):
    set_policies(who, {"urgent": (12, 48, "calendar"), "low": (96, 600, "working")})
    got = as_map(assert_json(who["officer"].get("/api/sla-policies"), 200)["items"])
    assert got["urgent"] == (12, 48, "calendar") and got["low"] == (96, 600, "working")
    assert got["normal"] == DEFAULT_POLICIES["normal"]
    # and they apply to the next filing
    issue = file_issue(who["principal"], priority="urgent")
    filed = floor_second(parse_time(issue["created_at"]))
    fr, res = dues(issue)
    assert near(fr, filed + timedelta(hours=12)) and near(res, filed + timedelta(hours=48))


def test_admin_replaces_the_calendar(app, who, restore):
    old = assert_json(who["admin"].get("/api/calendar"), 200)
    new = {"working_hours": [{"weekday": 6, "start": "08:00", "end": "12:00"}]
           + old["working_hours"],
           "holidays": old["holidays"] + [{"date": "2027-12-24", "name": "Ngày thử nghiệm"}]}
    got = assert_json(who["admin"].send_json("PUT", "/api/calendar", new), 200)
    assert assert_json(who["officer"].get("/api/calendar"), 200) == got
    assert {(w["weekday"], w["start"], w["end"]) for w in got["working_hours"]} == \
        SEEDED_HOURS | {(6, "08:00", "12:00")}
    assert {"date": "2027-12-24", "name": "Ngày thử nghiệm"} in got["holidays"]
    assert len(got["holidays"]) == len(old["holidays"]) + 1
    # replaced whole: a smaller calendar drops what it leaves out
    small = {"working_hours": [{"weekday": 1, "start": "07:00", "end": "17:00"}],
             "holidays": []}
    got = assert_json(who["admin"].send_json("PUT", "/api/calendar", small), 200)
    assert got == small


def item(priority, first=72, resolution=336, clock="calendar", **extra):
    d = {"priority": priority, "first_response_hours": first, "resolution_hours": resolution,
         "clock": clock}
    d.update(extra)
    return d


def four(**replace):
    """The four default items, some replaced by priority name."""
    items = policies_body()["items"]
    return [replace.get(i["priority"], i) for i in items]


BAD_POLICIES = [
    ("missing-priority-key", {"items": four(low={"first_response_hours": 120,
                                                 "resolution_hours": 720,
                                                 "clock": "calendar"})}, "priority"),
    ("missing-a-priority", {"items": four()[:3]}, ("items", "low", "priority")),
    ("duplicated-priority", {"items": four() + [item("normal", 10, 20)]}, "priority"),
    ("duplicated-instead-of-low", {"items": four(low=item("high", 48, 168))},
     ("priority", "items")),
    ("unknown-priority", {"items": four(low=item("critical", 120, 720))}, "priority"),
    ("resolution-before-first-response", {"items": four(normal=item("normal", 72, 48))},
     ("resolution_hours", "first_response_hours", "items[2]")),
    ("clock-bogus", {"items": four(high=item("high", 48, 168, "sundial"))}, "clock"),
    ("clock-missing", {"items": four(high={"priority": "high", "first_response_hours": 48,
                                           "resolution_hours": 168})}, "clock"),
    ("hours-fractional", {"items": four(normal=item("normal", 72.5, 336))},
     "first_response_hours"),
    ("hours-string", {"items": four(normal=item("normal", "72", 336))},
     "first_response_hours"),
    ("hours-zero", {"items": four(normal=item("normal", 0, 336))}, "first_response_hours"),
    ("hours-negative", {"items": four(normal=item("normal", 72, -336))}, "resolution_hours"),
    ("hours-missing", {"items": four(normal={"priority": "normal", "first_response_hours": 72,
                                             "clock": "calendar"})}, "resolution_hours"),
    ("unknown-top-level-field", dict(policies_body(), extra=1), "extra"),
    ("items-not-a-list", {"items": {"normal": 72}}, "items"),
    ("items-missing", {}, "items"),
]


@pytest.mark.parametrize("body,field", [(b, f) for _, b, f in BAD_POLICIES],
                         ids=[n for n, _, _ in BAD_POLICIES])
def test_bad_policies_change_nothing(app, who, body, field):
    before = db_settings(app)
    assert_problem_naming(who["admin"].send_json("PUT", "/api/sla-policies", body), 400, field)
    assert db_settings(app) == before
    assert as_map(assert_json(who["admin"].get("/api/sla-policies"), 200)["items"]) == \
        DEFAULT_POLICIES


def test_unknown_field_in_a_policy(app, who):
    """An unknown key inside an item is refused, and the answer names it."""
    before = db_settings(app)
    body = {"items": four(urgent=item("urgent", 24, 72, colour="red"))}
    r = who["admin"].send_json("PUT", "/api/sla-policies", body)
    problem = assert_problem(r, 400, require_errors=True)
    assert any("colour" in e["field"] or "colour" in e["message"]
               for e in problem["errors"]), describe(r)
    assert db_settings(app) == before


HOURS = [{"weekday": d, "start": s, "end": e} for d, s, e in sorted(SEEDED_HOURS)]
HOLIDAYS = [{"date": "2026-09-02", "name": "Quốc khánh"}]
BAD_CALENDARS = [
    ("overlapping-hours", {"working_hours": HOURS + [{"weekday": 1, "start": "11:00",
                                                      "end": "12:00"}],
                           "holidays": HOLIDAYS}, "working_hours"),
    ("date-2026-02-30", {"working_hours": HOURS,
                         "holidays": HOLIDAYS + [{"date": "2026-02-30", "name": "Không có"}]},
     ("holidays", "date")),
    ("date-malformed", {"working_hours": HOURS,
                        "holidays": [{"date": "30/04/2026", "name": "Sai dạng"}]},
     ("holidays", "date")),
    ("duplicated-holiday", {"working_hours": HOURS, "holidays": HOLIDAYS + HOLIDAYS},
     ("holidays", "date")),
    ("unknown-field", {"working_hours": HOURS, "holidays": HOLIDAYS, "timezone": "UTC"},
     "timezone"),
    ("weekday-8", {"working_hours": [{"weekday": 8, "start": "07:00", "end": "11:00"}],
                   "holidays": []}, ("weekday", "working_hours")),
    ("ends-before-start", {"working_hours": [{"weekday": 1, "start": "11:00", "end": "07:00"}],
                           "holidays": []}, "working_hours"),
    ("time-25-00", {"working_hours": [{"weekday": 1, "start": "07:00", "end": "25:00"}],
                    "holidays": []}, ("working_hours", "end")),
    ("holidays-missing", {"working_hours": HOURS}, "holidays"),
]


@pytest.mark.parametrize("body,field", [(b, f) for _, b, f in BAD_CALENDARS],
                         ids=[n for n, _, _ in BAD_CALENDARS])
def test_bad_calendars_change_nothing(app, who, body, field):
    before = db_settings(app)
    assert_problem_naming(who["admin"].send_json("PUT", "/api/calendar", body), 400, field)
    assert db_settings(app) == before


# --------------------------------------------------------------------------- due times

@pytest.mark.parametrize("priority", ["urgent", "high", "normal", "low"])
def test_due_times_at_filing(who, priority):
    """Calendar clock: due = filing + the policy's hours, every hour counted."""
    issue = file_issue(who["principal"], priority=priority)
    assert issue["priority"] == priority
    filed = parse_time(issue["created_at"])
    fr, res = dues(issue)
    first_h, res_h, _ = DEFAULT_POLICIES[priority]
    assert near(fr, filed + timedelta(hours=first_h)), (fr, filed)
    assert near(res, filed + timedelta(hours=res_h)), (res, filed)
    assert issue["first_response_at"] is None and issue["overdue"] is False


def test_calculator_knows_the_calendar():
    """The test's own calculator, on cases worked out by hand."""
    hol = {date(2026, 4, 27), date(2026, 4, 30), date(2026, 5, 1)}
    fri = datetime(2026, 4, 24, 10, 0, tzinfo=ICT)
    assert working_due(fri, 1, hol) == datetime(2026, 4, 24, 11, 0, tzinfo=ICT)
    assert working_due(fri, 2, hol) == datetime(2026, 4, 24, 14, 0, tzinfo=ICT)
    assert working_due(fri, 5, hol) == datetime(2026, 4, 24, 17, 0, tzinfo=ICT)
    assert working_due(fri, 6, hol) == datetime(2026, 4, 28, 8, 0, tzinfo=ICT)
    assert working_due(fri, 72, hol) == datetime(2026, 5, 12, 10, 0, tzinfo=ICT)
    assert working_due(fri, 336, hol) == datetime(2026, 6, 26, 10, 0, tzinfo=ICT)
    night = datetime(2026, 11, 23, 21, 12, 33, tzinfo=ICT)
    assert working_due(night, 1, set()) == datetime(2026, 11, 24, 8, 0, tzinfo=ICT)
    odd = datetime(2026, 11, 24, 11, 29, 30, tzinfo=ICT)
    assert working_due(odd, 1, set()) == datetime(2026, 11, 24, 14, 29, 30, tzinfo=ICT)


def test_working_clock_at_filing(app, who, restore):
    """normal on the working clock: due times count only working hours on working days
    from the filing second; other priorities keep the calendar clock."""
    set_policies(who, {"normal": (72, 336, "working")})
    holidays = holidays_of(who["admin"])
    issue = file_issue(who["principal"], priority="normal")
    filed = floor_second(parse_time(issue["created_at"]))
    fr, res = dues(issue)
    assert near(fr, working_due(filed, 72, holidays)), (issue["created_at"], fr)
    assert near(res, working_due(filed, 336, holidays)), (issue["created_at"], res)
    # 336 working hours are 42 working days: always later than 336 calendar hours
    assert res > filed + timedelta(hours=336)
    other = file_issue(who["principal"], priority="high")
    filed = parse_time(other["created_at"])
    assert near(dues(other)[0], filed + timedelta(hours=48))


def insert_past_issue(app, filed, priority="high", school="TH001", category="THIEU-GV"):
    """An issue filed at a past instant, written as the server writes a filing."""
    hours = DEFAULT_POLICIES[priority]
    fr, res = filed + timedelta(hours=hours[0]), filed + timedelta(hours=hours[1])
    conn = app.db()
    conn.autocommit = False
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT dl_issue_ref_next(%s)", (filed.year,))
            ref = f"HT-{filed.year}-{cur.fetchone()[0]:06d}"
            cur.execute("""
                INSERT INTO issues (ref, school_id, filed_by, category_id, division_id, priority,
                                    title, description, due_first_response_at,
                                    due_resolution_at, created_at, updated_at)
                SELECT %s, s.id, u.id, c.id, c.default_division_id, %s, %s, %s, %s, %s, %s, %s
                  FROM schools s, users u, categories c
                 WHERE s.code = %s AND u.school_id = s.id AND u.role = 'principal'
                   AND c.code = %s
                RETURNING id, (SELECT code FROM divisions d WHERE d.id = division_id),
                          filed_by""",
                (ref, priority, "Thiếu giáo viên trước kỳ nghỉ lễ", "Gửi trước lễ 30/4.",
                 fr, res, filed, filed, school, category))
            issue_id, division, filer = cur.fetchone()
            cur.execute("""INSERT INTO issue_events (issue_id, actor_id, action, to_status,
                                                     details, created_at)
                           VALUES (%s, %s, 'filed', 'new', %s, %s)""",
                        (issue_id, filer, json.dumps({
                            "category": category, "division": division, "priority": priority,
                            "due_first_response_at": dl_time(fr),
                            "due_resolution_at": dl_time(res)}), filed))
        conn.commit()
    finally:
        conn.autocommit = True
    return ref


def test_working_clock_on_priority_change_across_holidays(app, who, restore):
    """An issue filed Friday 24 April 2026 10:00, before the long weekend (Mon 27 April
    and Thu 30 April - Fri 1 May are holidays), moved to a working-clock priority: its due
    times are recomputed from the filing time on working hours (worked out by hand)."""
    ref = insert_past_issue(app, datetime(2026, 4, 24, 10, 0, tzinfo=ICT), priority="high")
    issue = get_issue(who["officer"], ref)
    assert dues(issue) == (datetime(2026, 4, 26, 10, 0, tzinfo=ICT),
                           datetime(2026, 5, 1, 10, 0, tzinfo=ICT))
    set_policies(who, {"normal": (72, 336, "working")})
    r = who["officer"].send_json("PATCH", f"/api/issues/{ref}", {"priority": "normal"})
    issue = assert_json(r, 200)
    assert issue["priority"] == "normal"
    assert dues(issue) == (datetime(2026, 5, 12, 10, 0, tzinfo=ICT),
                           datetime(2026, 6, 26, 10, 0, tzinfo=ICT)), dues(issue)


def test_priority_change_recomputes_from_filing(who):
    issue = file_issue(who["principal"], priority="normal")
    ref = issue["ref"]
    filed = floor_second(parse_time(issue["created_at"]))
    for priority in ("high", "low", "urgent", "normal"):
        r = who["officer"].send_json("PATCH", f"/api/issues/{ref}", {"priority": priority})
        issue = assert_json(r, 200)
        fr, res = dues(issue)
        first_h, res_h, _ = DEFAULT_POLICIES[priority]
        assert near(fr, filed + timedelta(hours=first_h)), (priority, fr)
        assert near(res, filed + timedelta(hours=res_h)), (priority, res)
    changes = [e for e in issue["events"] if e["action"] == "set_priority"]
    assert [(e["details"]["from"], e["details"]["to"]) for e in changes] == \
        [("normal", "high"), ("high", "low"), ("low", "urgent"), ("urgent", "normal")]


def test_pause_moves_due_times(app, who):
    """While the issue waits on the school its clock stops: five hours of waiting (the
    request moved five hours into the past in the database) move both due times five
    hours later, and the answer_info event records the new due times."""
    principal, officer = who["principal"], who["officer"]
    issue = file_issue(principal, priority="normal")
    ref = issue["ref"]
    filed = floor_second(parse_time(issue["created_at"]))
    act_ok(officer, ref, "triage")
    waiting = act_ok(officer, ref, "request_info", "Đề nghị gửi danh sách giáo viên.")
    assert waiting["status"] == "awaiting_school"
    fr0, res0 = dues(waiting)
    assert (fr0, res0) == dues(issue)
    app.query("UPDATE issues SET paused_at = paused_at - interval '5 hours' WHERE ref = %s",
              (ref,))
    answered = act_ok(principal, ref, "answer_info", "Đã gửi danh sách.")
    fr1, res1 = dues(answered)
    for before, after in ((fr0, fr1), (res0, res1)):
        moved = (after - before).total_seconds()
        assert 5 * 3600 <= moved <= 5 * 3600 + 10, moved
    event = [e for e in answered["events"] if e["action"] == "answer_info"][-1]
    assert isinstance(event["details"], dict), event
    assert parse_time(event["details"]["due_first_response_at"]) == fr1, event
    assert parse_time(event["details"]["due_resolution_at"]) == res1, event
    # a priority change now counts from the filing, plus the time spent paused
    paused = fr1 - fr0
    r = officer.send_json("PATCH", f"/api/issues/{ref}", {"priority": "high"})
    fr2, res2 = dues(assert_json(r, 200))
    assert near(fr2, filed + timedelta(hours=48) + paused), (fr2, filed, paused)
    assert near(res2, filed + timedelta(hours=168) + paused), (res2, filed, paused)


def test_awaiting_school_is_not_overdue(app, who):
    principal, officer = who["principal"], who["officer"]
    ref = file_issue(principal)["ref"]
    act_ok(officer, ref, "triage")
    # both due times an hour ago (instead of waiting three days)
    app.query("""UPDATE issues SET due_first_response_at = now() - interval '1 hour',
                                   due_resolution_at = now() - interval '1 hour'
                  WHERE ref = %s""", (ref,))
    assert get_issue(officer, ref)["overdue"] is True
    assert ref in {i["ref"] for i in walk(officer, {"overdue": "true", "school": "TH001"})}
    waiting = act_ok(officer, ref, "request_info", "Đề nghị bổ sung.")
    assert waiting["status"] == "awaiting_school" and waiting["overdue"] is False
    assert ref not in {i["ref"] for i in walk(officer, {"overdue": "true", "school": "TH001"})}
    assert ref in {i["ref"] for i in walk(officer, {"overdue": "false", "school": "TH001"})}
    assert get_issue(principal, ref)["overdue"] is False
    # the clock runs again once the school answers: still past due
    assert act_ok(principal, ref, "answer_info", "Đã bổ sung.")["overdue"] is True


# --------------------------------------------------------------------------- first response

def test_public_comment_is_a_first_response(who):
    principal, officer = who["principal"], who["officer"]
    ref = file_issue(principal)["ref"]
    act_ok(officer, ref, "triage")
    assert get_issue(officer, ref)["first_response_at"] is None     # triage is no answer
    ev = assert_json(comment(officer, ref, "Sở đã nhận, đang xem xét."), 201)
    first = get_issue(officer, ref)["first_response_at"]
    assert first is not None and near(parse_time(first), parse_time(ev["created_at"]))
    assert_json(comment(officer, ref, "Bổ sung thông tin."), 201)
    assert get_issue(officer, ref)["first_response_at"] == first     # only the first


def test_internal_note_is_no_first_response(who):
    principal, officer = who["principal"], who["officer"]
    ref = file_issue(principal)["ref"]
    assert_json(comment(officer, ref, "Ghi chú nội bộ.", internal=True), 201)
    assert get_issue(officer, ref)["first_response_at"] is None
    assert_json(comment(principal, ref, "Trường bổ sung thông tin."), 201)
    assert get_issue(officer, ref)["first_response_at"] is None     # the school is not the Department
    act_ok(officer, ref, "triage")
    answered = act_ok(officer, ref, "request_info", "Đề nghị bổ sung hồ sơ.")
    ev = [e for e in answered["events"] if e["action"] == "request_info"][-1]
    assert answered["first_response_at"] is not None
    assert near(parse_time(answered["first_response_at"]), parse_time(ev["created_at"]))


@pytest.mark.parametrize("action", ["resolve", "decline"])
def test_resolve_and_decline_are_first_responses(who, action):
    principal, officer = who["principal"], who["officer"]
    ref = file_issue(principal)["ref"]
    act_ok(officer, ref, "triage")
    done = act_ok(officer, ref, action, "Trả lời của Sở.")
    ev = [e for e in done["events"] if e["action"] == action][-1]
    assert done["first_response_at"] is not None
    assert near(parse_time(done["first_response_at"]), parse_time(ev["created_at"]))
