# test_journey.py -- one issue's whole life through the API (file, triage, start, ask,
# answer, resolve, reopen, resolve, confirm) checked step by step against the history in
# the database; sessions; PATCH; list filters, search and pagination; reference lists.

import secrets
from datetime import datetime, timedelta, timezone

import pytest
import requests

from dlapi import (ALL_STATUSES, DEMO_PASSWORD, EVENT_KEYS, HEX64_RE, ISSUE_KEYS,
                   OPEN_STATUSES, REF_RE, act, act_ok, assert_json, assert_problem,
                   close_to, comment, describe, file_issue, fold, hours, parse_time, refs,
                   walk)

USER_KEYS = {"login", "name", "role", "email", "school", "cluster", "division",
             "must_change_password"}


def now():
    return datetime.now(timezone.utc)


@pytest.fixture(scope="module")
def principal(app):
    return app.login("ht.th001")


@pytest.fixture(scope="module")
def officer(app):
    return app.login("cb.tccb1")


@pytest.fixture(scope="module")
def supervisor(app):
    return app.login("giamsat1")


def check_issue_shape(issue, with_events=False):
    keys = set(issue)
    missing = ISSUE_KEYS - keys
    assert not missing, f"ISSUE lacks {sorted(missing)}: {issue}"
    assert REF_RE.match(issue["ref"]), issue["ref"]
    assert issue["status"] in ALL_STATUSES
    assert issue["priority"] in {"low", "normal", "high", "urgent"}
    assert issue["category_kind"] in {"management", "teaching"}
    assert isinstance(issue["overdue"], bool)
    for k in ("due_first_response_at", "due_resolution_at", "created_at", "updated_at"):
        parse_time(issue[k])
    for k in ("first_response_at", "resolved_at", "closed_at"):
        if issue[k] is not None:
            parse_time(issue[k])
    assert set(issue["filed_by"]) >= {"login", "name"}
    if with_events:
        assert isinstance(issue.get("events"), list), "response lacks events"
        for e in issue["events"]:
            assert not (EVENT_KEYS - set(e)), f"EVENT lacks {sorted(EVENT_KEYS - set(e))}: {e}"
            parse_time(e["created_at"])


# --------------------------------------------------------------------------- health

def test_healthz_and_readyz(app):
    r = requests.get(app.url("/healthz"), timeout=10)
    assert assert_json(r, 200) == {"status": "ok"}
    r = requests.get(app.url("/readyz"), timeout=10)
    assert assert_json(r, 200) == {"status": "ready"}


# --------------------------------------------------------------------------- sessions

def session_cookie(r):
    """The directline_session Set-Cookie header of a response, split into its parts."""
    for raw in r.raw.headers.getlist("Set-Cookie"):
        parts = [p.strip() for p in raw.split(";")]
        if parts[0].startswith("directline_session="):
            return parts
    raise AssertionError(f"no directline_session cookie: {r.headers}")


def test_login_returns_token_user_and_cookie(app):
    before = app.snapshot()
    r = requests.post(app.url("/api/session"),
                      json={"login": "ht.th001", "password": DEMO_PASSWORD}, timeout=60)
    body = assert_json(r, 200)
    assert HEX64_RE.match(body["token"]), body
    user = body["user"]
    assert set(user) == USER_KEYS, user
    assert user["login"] == "ht.th001" and user["role"] == "principal"
    assert user["school"] == "TH001" and user["cluster"] is None and user["division"] is None
    assert isinstance(user["name"], str) and user["name"].strip()
    # "Sessions last 12 h after the last use": a fresh session expires in about 12 h.
    assert close_to(parse_time(body["expires_at"]), now() + hours(12), 300), body["expires_at"]

    parts = session_cookie(r)
    assert parts[0] == f"directline_session={body['token']}"
    attrs = {p.lower().replace(" ", "") for p in parts[1:]}
    assert "httponly" in attrs, parts
    assert "samesite=strict" in attrs, parts
    assert "path=/" in attrs, parts
    assert app.snapshot()["sessions"] == before["sessions"] + 1


def test_cookie_alone_and_bearer_alone_authenticate(app):
    r = requests.post(app.url("/api/session"),
                      json={"login": "ct.cm01", "password": DEMO_PASSWORD}, timeout=60)
    token = assert_json(r, 200)["token"]

    by_cookie = requests.get(app.url("/api/me"), timeout=10,
                             headers={"Cookie": f"directline_session={token}"})
    me = assert_json(by_cookie, 200)
    assert me["login"] == "ct.cm01" and me["role"] == "cluster_leader"
    assert me["cluster"] == "CM01" and me["school"] is None and me["division"] is None

    by_bearer = requests.get(app.url("/api/me"), timeout=10,
                             headers={"Authorization": f"Bearer {token}"})
    assert assert_json(by_bearer, 200) == me

    assert_problem(requests.get(app.url("/api/me"), timeout=10), 401)
    bogus = secrets.token_hex(32)
    assert_problem(requests.get(app.url("/api/me"), timeout=10,
                                headers={"Authorization": f"Bearer {bogus}"}), 401)
    assert_problem(requests.get(app.url("/api/me"), timeout=10,
                                headers={"Cookie": f"directline_session={bogus}"}), 401)


def test_officer_me_has_division(app):
    me = assert_json(app.login("cb.tccb1").get("/api/me"), 200)
    assert me["role"] == "officer" and me["division"] == "TCCB"
    assert me["school"] is None and me["cluster"] is None


def test_bad_logins_are_indistinguishable(app):
    # A disabled account must answer exactly like a wrong password (docs/api.md).
    app.query("UPDATE users SET active = false WHERE login = 'ht.th249'")
    try:
        before = app.snapshot()
        attempts = {
            "wrong password": {"login": "ht.th001", "password": "sai-mat-khau-2026"},
            "unknown login": {"login": "khong.ton.tai", "password": DEMO_PASSWORD},
            "disabled user": {"login": "ht.th249", "password": DEMO_PASSWORD},
        }
        bodies = {}
        for what, creds in attempts.items():
            r = requests.post(app.url("/api/session"), json=creds, timeout=60)
            body = assert_problem(r, 401)
            set_session = [c for c in r.raw.headers.getlist("Set-Cookie")
                           if c.startswith("directline_session=")
                           and not c.startswith("directline_session=;")]
            assert not set_session, f"{what}: a session cookie was set: {set_session}"
            body.pop("instance", None)     # a per-request id would differ legitimately
            bodies[what] = body
        first = bodies["wrong password"]
        for what, body in bodies.items():
            assert body == first, f"{what} answers differently: {body} vs {first}"
        assert app.snapshot() == before
    finally:
        app.query("UPDATE users SET active = true WHERE login = 'ht.th249'")


def test_logout_kills_the_token(app):
    r = requests.post(app.url("/api/session"),
                      json={"login": "ht.th003", "password": DEMO_PASSWORD}, timeout=60)
    token = assert_json(r, 200)["token"]
    bearer = {"Authorization": f"Bearer {token}"}
    assert_json(requests.get(app.url("/api/me"), headers=bearer, timeout=10), 200)

    d = requests.delete(app.url("/api/session"), headers=bearer, timeout=10)
    assert d.status_code == 204, describe(d)
    assert_problem(requests.get(app.url("/api/me"), headers=bearer, timeout=10), 401)
    assert_problem(requests.get(app.url("/api/me"), timeout=10,
                                headers={"Cookie": f"directline_session={token}"}), 401)
    assert_problem(requests.get(app.url("/api/issues"), headers=bearer, timeout=10), 401)


# --------------------------------------------------------------------------- the journey
#
# Steps share state in J and run in file order; a step whose predecessor failed is
# skipped (the predecessor's failure already fails the module).

J = {}

TITLE = "Thiếu giáo viên Toán lớp 4 – năm học 2026-2027"
DESCRIPTION = ("Từ tháng 9 trường thiếu 1 giáo viên dạy Toán khối 4; hiện các thầy cô "
               "phải dạy thay, mỗi người thêm 6 tiết/tuần.")
PROPOSAL = "Đề nghị Sở điều động tạm thời 1 giáo viên từ trường lân cận đến hết học kỳ I."


def need(step):
    if J.get("done", 0) < step:
        pytest.skip("an earlier journey step did not complete")


def check_step(app, client, action, note, actor, role, from_status, to_status):
    """Run one lifecycle action; check the response and the one new history row.
    Returns (issue before, issue after) as the API shows them."""
    ref = J["ref"]
    prev = J["issue"]
    db_before = app.events_of(ref)
    row_before = app.issue_row(ref)
    snap_before = app.snapshot()

    issue = assert_json(act(client, ref, action, note), 200)
    check_issue_shape(issue, with_events=True)
    assert issue["ref"] == ref
    assert issue["status"] == to_status, issue["status"]

    db_after = app.events_of(ref)
    assert len(db_after) == len(db_before) + 1, [e["action"] for e in db_after]
    assert db_after[:-1] == db_before, "earlier history rows changed"
    new = db_after[-1]
    assert new["action"] == action
    assert new["actor"] == actor
    assert new["from_status"] == from_status
    assert new["to_status"] == to_status
    assert new["body"] == note
    assert new["internal"] is False

    snap_after = app.snapshot()
    assert snap_after["issues"] == snap_before["issues"]
    assert snap_after["issue_events"] == snap_before["issue_events"] + 1

    # The response carries the whole (public) history, oldest first, ending in this step.
    assert [e["id"] for e in issue["events"]] == [e["id"] for e in db_after]
    last = issue["events"][-1]
    assert last["action"] == action
    assert last["actor"]["login"] == actor and last["actor"]["role"] == role
    assert isinstance(last["actor"]["name"], str) and last["actor"]["name"].strip()
    assert last["from_status"] == from_status and last["to_status"] == to_status
    assert last["note"] == note
    assert last["internal"] is False

    # Timestamps: created_at never moves; updated_at moves forward with every step.
    assert issue["created_at"] == prev["created_at"]
    row_after = app.issue_row(ref)
    assert row_after["updated_at"] > row_before["updated_at"]
    assert parse_time(issue["updated_at"]) >= parse_time(prev["updated_at"])
    assert close_to(parse_time(issue["updated_at"]), row_after["updated_at"], 0.002)
    assert parse_time(last["created_at"]) >= parse_time(issue["created_at"])
    assert issue["overdue"] is False
    J["issue"] = issue
    return prev, issue


def test_journey_01_principal_files(app, principal):
    before = app.snapshot()
    t0 = now()
    r = principal.send_json("POST", "/api/issues", {
        "title": TITLE, "description": DESCRIPTION, "category": "THIEU-GV",
        "proposed_solution": PROPOSAL})
    assert r.status_code == 201, describe(r)
    issue = r.json()
    check_issue_shape(issue)
    ref = issue["ref"]
    location = r.headers.get("Location")
    # docs/api.md shows a path; an absolute URL to the same path is accepted too.
    assert location in (f"/api/issues/{ref}", app.url(f"/api/issues/{ref}")), location

    assert REF_RE.match(ref)
    created = parse_time(issue["created_at"])
    assert ref[3:7] == f"{created.year:04d}", "the reference carries the filing year"
    assert t0 - timedelta(seconds=5) <= created <= now() + timedelta(seconds=5)
    assert close_to(parse_time(issue["updated_at"]), created, 1)

    assert issue["title"] == TITLE
    assert issue["description"] == DESCRIPTION
    assert issue["proposed_solution"] == PROPOSAL
    assert issue["status"] == "new"
    assert issue["priority"] == "normal"          # the category's default
    assert issue["category"] == "THIEU-GV" and issue["category_kind"] == "management"
    assert issue["division"] == "TCCB"
    assert issue["school"] == "TH001" and issue["cluster"] == "CM01"
    assert isinstance(issue["school_name"], str) and issue["school_name"].strip()
    assert issue["filed_by"]["login"] == "ht.th001"
    assert issue["assignee"] is None
    assert issue["escalation_level"] == 0 and issue["reopen_count"] == 0
    assert issue["duplicate_of"] is None and issue["overdue"] is False
    assert issue["first_response_at"] is None
    assert issue["resolved_at"] is None and issue["closed_at"] is None
    # Normal priority: first response 72 h, resolution 336 h.
    assert close_to(parse_time(issue["due_first_response_at"]), created + hours(72), 1)
    assert close_to(parse_time(issue["due_resolution_at"]), created + hours(336), 1)

    after = app.snapshot()
    assert after["issues"] == before["issues"] + 1
    assert after["issue_events"] == before["issue_events"] + 1
    row = app.issue_row(ref)
    assert row["status"] == "new" and row["division"] == "TCCB" and row["school"] == "TH001"

    db_events = app.events_of(ref)
    assert len(db_events) == 1
    filed = db_events[0]
    assert filed["action"] == "filed" and filed["actor"] == "ht.th001"
    # The doc is silent on the filed event's statuses; it is the birth of the issue:
    # from nothing to 'new'.
    assert filed["from_status"] is None and filed["to_status"] == "new"

    got = assert_json(principal.get(f"/api/issues/{ref}"), 200)
    check_issue_shape(got, with_events=True)
    for k in ISSUE_KEYS:
        assert got[k] == issue[k], f"GET and POST disagree on {k}: {got[k]!r} vs {issue[k]!r}"
    assert len(got["events"]) == 1
    e = got["events"][0]
    assert e["id"] == filed["id"] and e["action"] == "filed"
    assert e["actor"]["login"] == "ht.th001" and e["actor"]["role"] == "principal"
    assert e["from_status"] is None and e["to_status"] == "new" and e["internal"] is False
    assert close_to(parse_time(e["created_at"]), created, 1)

    J.update(ref=ref, issue=got, created=created, done=1)


def test_journey_02_officer_triages(app, officer):
    need(1)
    _, issue = check_step(app, officer, "triage", None, "cb.tccb1", "officer",
                          "new", "triaged")
    # Triage is not an answer to the school.
    assert issue["first_response_at"] is None
    J["done"] = 2


def test_journey_03_officer_starts(app, officer):
    need(2)
    _, issue = check_step(app, officer, "start", "Phòng TCCB đang rà soát biên chế.",
                          "cb.tccb1", "officer", "triaged", "in_progress")
    assert issue["first_response_at"] is None
    J["done"] = 3


def test_journey_04_officer_requests_info(app, officer):
    need(3)
    prev, issue = check_step(
        app, officer, "request_info",
        "Đề nghị nhà trường gửi danh sách giáo viên hiện có và thời khóa biểu khối 4.",
        "cb.tccb1", "officer", "in_progress", "awaiting_school")
    assert issue["first_response_at"] is not None, "request_info is a first response"
    first = parse_time(issue["first_response_at"])
    assert close_to(first, parse_time(issue["events"][-1]["created_at"]), 1)
    assert first >= J["created"]
    J.update(first_response_at=issue["first_response_at"], done=4)


def test_journey_05_principal_answers(app, principal):
    need(4)
    prev, issue = check_step(
        app, principal, "answer_info", "Trường đã gửi danh sách 14 giáo viên và thời khóa biểu.",
        "ht.th001", "principal", "awaiting_school", "in_progress")
    assert issue["first_response_at"] == J["first_response_at"], "first response moved"
    # The SLA clock pauses while the school is asked: the due time can only move later.
    assert parse_time(issue["due_resolution_at"]) >= parse_time(prev["due_resolution_at"])
    J["done"] = 5


def test_journey_06_officer_resolves(app, officer):
    need(5)
    _, issue = check_step(
        app, officer, "resolve",
        "Sở đã điều động cô Nguyễn Thị Hà từ TH005 về dạy Toán khối 4 từ thứ Hai tới.",
        "cb.tccb1", "officer", "in_progress", "resolved")
    assert issue["resolved_at"] is not None
    assert close_to(parse_time(issue["resolved_at"]), parse_time(issue["events"][-1]["created_at"]), 1)
    assert issue["closed_at"] is None
    assert issue["first_response_at"] == J["first_response_at"]
    J.update(first_resolved_at=issue["resolved_at"], done=6)


def test_journey_07_principal_reopens(app, principal):
    need(6)
    _, issue = check_step(
        app, principal, "reopen", "Giáo viên được điều động chưa đến trường; xin Sở kiểm tra lại.",
        "ht.th001", "principal", "resolved", "in_progress")
    assert issue["reopen_count"] == 1
    # The doc is silent; an issue that is open again is not resolved, so the summary row
    # forgets the old resolution time (the history keeps it).
    assert issue["resolved_at"] is None
    assert issue["closed_at"] is None
    assert issue["first_response_at"] == J["first_response_at"]
    J["done"] = 7


def test_journey_08_officer_resolves_again(app, officer):
    need(7)
    _, issue = check_step(
        app, officer, "resolve", "Cô Hà đã nhận công tác tại trường từ hôm nay.",
        "cb.tccb1", "officer", "in_progress", "resolved")
    assert issue["resolved_at"] is not None
    second = parse_time(issue["resolved_at"])
    assert second > parse_time(J["first_resolved_at"])
    assert close_to(second, parse_time(issue["events"][-1]["created_at"]), 1)
    assert issue["reopen_count"] == 1
    J.update(resolved_at=issue["resolved_at"], done=8)


def test_journey_09_principal_confirms(app, principal):
    need(8)
    _, issue = check_step(app, principal, "confirm", None, "ht.th001", "principal",
                          "resolved", "closed")
    assert issue["closed_at"] is not None
    assert close_to(parse_time(issue["closed_at"]), parse_time(issue["events"][-1]["created_at"]), 1)
    assert issue["resolved_at"] == J["resolved_at"]
    assert issue["first_response_at"] == J["first_response_at"]
    assert issue["reopen_count"] == 1
    assert issue["overdue"] is False
    J["done"] = 9


def test_journey_10_history_and_closed_is_final(app, principal, officer, supervisor):
    need(9)
    ref = J["ref"]
    got = assert_json(principal.get(f"/api/issues/{ref}"), 200)
    assert [e["action"] for e in got["events"]] == [
        "filed", "triage", "start", "request_info", "answer_info", "resolve", "reopen",
        "resolve", "confirm"]
    ids = [e["id"] for e in got["events"]]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    times = [parse_time(e["created_at"]) for e in got["events"]]
    assert times == sorted(times), "events are not oldest first"
    assert got["status"] == "closed" and got["reopen_count"] == 1

    before = app.snapshot()
    assert_problem(act(principal, ref, "reopen", "Lại có vấn đề."), 409)
    assert_problem(act(officer, ref, "resolve", "Giải quyết lần nữa."), 409)
    assert_problem(act(supervisor, ref, "triage"), 409)
    assert_problem(act(officer, ref, "decline", "Không cần thiết."), 409)
    assert_problem(officer.send_json("PATCH", f"/api/issues/{ref}", {"priority": "high"}), 409)
    assert app.snapshot() == before


# --------------------------------------------------------------------------- PATCH

def new_patch_events(app, ref, n_before):
    events = app.events_of(ref)
    return events[n_before:]


def test_patch_writes_one_event_per_changed_field(app, principal, officer):
    issue = file_issue(principal, title="Thiếu nhân viên kế toán sau khi nghỉ hưu",
                       description="Kế toán nghỉ hưu từ tháng 10, trường chưa có người thay.")
    ref = issue["ref"]
    n = len(app.events_of(ref))

    got = assert_json(officer.send_json("PATCH", f"/api/issues/{ref}", {"priority": "high"}), 200)
    check_issue_shape(got, with_events=True)
    assert got["priority"] == "high" and got["status"] == "new"
    new = new_patch_events(app, ref, n)
    assert [e["action"] for e in new] == ["set_priority"]
    assert new[0]["actor"] == "cb.tccb1"
    # The schema documents details of a field change as {"field", "from", "to"}; a new
    # priority also records the due times it brought (docs/reports.md), 48 h / 168 h.
    details = dict(new[0]["details"])
    due_fr, due_res = details.pop("due_first_response_at"), details.pop("due_resolution_at")
    assert details == {"field": "priority", "from": "normal", "to": "high"}
    created = parse_time(got["created_at"])
    assert abs((parse_time(due_fr) - created).total_seconds() - 48 * 3600) <= 1
    assert abs((parse_time(due_res) - created).total_seconds() - 168 * 3600) <= 1
    assert abs((parse_time(got["due_resolution_at"]) - created).total_seconds() - 168 * 3600) <= 1
    assert got["events"][-1]["action"] == "set_priority"
    n += 1

    # The same value again changes nothing and writes nothing.
    got = assert_json(officer.send_json("PATCH", f"/api/issues/{ref}", {"priority": "high"}), 200)
    assert got["priority"] == "high"
    assert len(app.events_of(ref)) == n

    got = assert_json(officer.send_json("PATCH", f"/api/issues/{ref}", {"assignee": "cb.tccb2"}), 200)
    assert got["assignee"]["login"] == "cb.tccb2" and got["assignee"]["name"].strip()
    new = new_patch_events(app, ref, n)
    assert [e["action"] for e in new] == ["set_assignee"]
    assert new[0]["details"]["field"] == "assignee"
    n += 1

    got = assert_json(officer.send_json("PATCH", f"/api/issues/{ref}",
                                        {"priority": "urgent", "assignee": None}), 200)
    assert got["priority"] == "urgent" and got["assignee"] is None
    new = new_patch_events(app, ref, n)
    assert sorted(e["action"] for e in new) == ["set_assignee", "set_priority"]
    n += 2

    # The assignee must be an officer of the issue's division, or a supervisor: another
    # division's officer or a principal is a wrong value (400 naming assignee).
    before = app.snapshot()
    for who in ("cb.gdth1", "ht.th001", "khong.ton.tai"):
        r = officer.send_json("PATCH", f"/api/issues/{ref}", {"assignee": who})
        assert_problem(r, 400, fields=["assignee"])
    assert app.snapshot() == before

    got = assert_json(officer.send_json("PATCH", f"/api/issues/{ref}", {"assignee": "giamsat2"}), 200)
    assert got["assignee"]["login"] == "giamsat2"
    n += 1

    # Moving the issue to another division with one of that division's officers.
    got = assert_json(officer.send_json("PATCH", f"/api/issues/{ref}",
                                        {"division": "GDTH", "assignee": "cb.gdth1"}), 200)
    assert got["division"] == "GDTH" and got["assignee"]["login"] == "cb.gdth1"
    new = new_patch_events(app, ref, n)
    assert sorted(e["action"] for e in new) == ["set_assignee", "set_division"]
    n += 2

    # The rights moved with it: TCCB may no longer change it, GDTH may.
    before = app.snapshot()
    assert_problem(officer.send_json("PATCH", f"/api/issues/{ref}", {"priority": "low"}), 403)
    assert app.snapshot() == before
    gdth = app.login("cb.gdth1")
    got = assert_json(gdth.send_json("PATCH", f"/api/issues/{ref}", {"category": "DAY-HOC-TV"}), 200)
    assert got["category"] == "DAY-HOC-TV" and got["category_kind"] == "teaching"
    new = new_patch_events(app, ref, n)
    assert [e["action"] for e in new] == ["set_category"]
    assert app.issue_row(ref)["status"] == "new"


# --------------------------------------------------------------------------- first response

def test_first_response_is_the_first_public_answer(app, principal, officer):
    issue = file_issue(principal, title="Bàn ghế học sinh lớp 1 không đúng chuẩn chiều cao",
                       description="Đề nghị hướng dẫn cách mua sắm bổ sung.")
    ref = issue["ref"]

    def first_response():
        return assert_json(officer.get(f"/api/issues/{ref}"), 200)["first_response_at"]

    r = comment(principal, ref, "Nhà trường bổ sung ảnh chụp phòng học.")
    ev = assert_json(r, 201)
    assert ev["action"] == "comment" and ev["internal"] is False
    assert ev["note"] == "Nhà trường bổ sung ảnh chụp phòng học."
    assert ev["actor"]["login"] == "ht.th001"
    assert ev["from_status"] is None and ev["to_status"] is None
    assert first_response() is None, "a principal's comment is no answer"

    assert_json(comment(officer, ref, "Ghi chú nội bộ: chờ ý kiến phòng KHTC.", internal=True), 201)
    assert first_response() is None, "an internal note is no answer to the school"
    assert_json(officer.send_json("PATCH", f"/api/issues/{ref}", {"priority": "high"}), 200)
    act_ok(officer, ref, "triage")
    assert first_response() is None

    ev = assert_json(comment(officer, ref, "Sở đã nhận và đang xem xét."), 201)
    first = first_response()
    assert first is not None
    assert close_to(parse_time(first), parse_time(ev["created_at"]), 1)
    assert_json(comment(officer, ref, "Bổ sung: dự kiến có kết quả trong tuần."), 201)
    assert first_response() == first


# --------------------------------------------------------------------------- lists

SYLLABLES = ["Quỳnh", "Thưởng", "Nhữ", "Khuê", "Xuyến", "Lữ", "Ngạn", "Khổng", "Diệp",
             "Ưởng", "Huỳnh", "Giáp", "Tưởng", "Mẫn"]


@pytest.fixture(scope="module")
def listing(app):
    """Issues at TH010 with known properties, for the filters."""
    p = app.login("ht.th010")
    gdth1 = app.login("cb.gdth1")
    rng = secrets.SystemRandom()
    token = "Đặng " + " ".join(rng.sample(SYLLABLES, 4))          # in L1's title
    token2 = "Đoàn " + " ".join(rng.sample(SYLLABLES, 4))         # in L2's description
    L = {"token": token, "token2": token2}
    L["l1"] = file_issue(p, title=f"Thiếu giáo viên Mĩ thuật ở điểm trường {token}",
                         description="Điểm trường lẻ không có giáo viên Mĩ thuật.")
    L["l2"] = file_issue(p, title="Học sinh lớp 2 đọc chậm môn Tiếng Việt",
                         description=f"Cần tài liệu phụ đạo; liên hệ cô {token2}.",
                         category="DAY-HOC-TV")
    act_ok(gdth1, L["l2"]["ref"], "triage")
    assert_json(gdth1.send_json("PATCH", f"/api/issues/{L['l2']['ref']}",
                                {"priority": "high", "assignee": "cb.gdth2"}), 200)
    L["more"] = [file_issue(p, title=f"Đề nghị hỗ trợ số {i}",
                            description="Nội dung đề nghị hỗ trợ của nhà trường.")
                 for i in range(3)]
    # Setup shortcut: make one issue overdue by moving its due times into the past (the
    # API has no way to wait 72 hours).
    L["late"] = L["more"][0]
    app.query("""UPDATE issues SET due_first_response_at = now() - interval '2 hours',
                                   due_resolution_at = now() - interval '1 hour'
                  WHERE ref = %s""", (L["late"]["ref"],))
    return L


FILTERS = [
    # (param, value, predicate on an item, included keys, excluded keys)
    ("status", "new", lambda i: i["status"] == "new", ["l1"], ["l2"]),
    ("status", "triaged", lambda i: i["status"] == "triaged", ["l2"], ["l1"]),
    ("school", "TH010", lambda i: i["school"] == "TH010", ["l1", "l2", "late"], []),
    ("cluster", "CM01", lambda i: i["cluster"] == "CM01", [], []),
    ("category", "DAY-HOC-TV", lambda i: i["category"] == "DAY-HOC-TV", ["l2"], ["l1"]),
    ("category", "THIEU-GV", lambda i: i["category"] == "THIEU-GV", ["l1"], ["l2"]),
    ("division", "GDTH", lambda i: i["division"] == "GDTH", ["l2"], ["l1"]),
    ("division", "TCCB", lambda i: i["division"] == "TCCB", ["l1"], ["l2"]),
    ("priority", "high", lambda i: i["priority"] == "high", ["l2"], ["l1"]),
    ("priority", "normal", lambda i: i["priority"] == "normal", ["l1"], ["l2"]),
    ("assignee", "cb.gdth2",
     lambda i: i["assignee"] is not None and i["assignee"]["login"] == "cb.gdth2", ["l2"], ["l1"]),
    ("overdue", "true", lambda i: i["overdue"] is True and i["status"] in OPEN_STATUSES,
     ["late"], ["l1"]),
    ("overdue", "false", lambda i: i["overdue"] is False, ["l1"], ["late"]),
]


@pytest.mark.parametrize("param,value,pred,inc,exc", FILTERS,
                         ids=[f"{f[0]}={f[1]}" for f in FILTERS])
def test_list_filter(app, supervisor, listing, param, value, pred, inc, exc):
    items = walk(supervisor, {param: value})
    assert items or inc, f"{param}={value} returned nothing"
    bad = [(i["ref"], i.get(param)) for i in items if not pred(i)]
    assert not bad, f"{param}={value} returned items that do not match: {bad[:10]}"
    got = set(refs(items))
    for k in inc:
        assert listing[k]["ref"] in got, f"{param}={value} misses {k}"
    for k in exc:
        assert listing[k]["ref"] not in got, f"{param}={value} wrongly returns {k}"
    for i in items:
        check_issue_shape(i)


def test_list_overdue_issue_shows_overdue(app, supervisor, listing):
    got = assert_json(supervisor.get(f"/api/issues/{listing['late']['ref']}"), 200)
    assert got["overdue"] is True
    got = assert_json(supervisor.get(f"/api/issues/{listing['l1']['ref']}"), 200)
    assert got["overdue"] is False


def test_list_filters_combine_with_and(app, supervisor, listing):
    items = walk(supervisor, {"school": "TH010", "division": "GDTH", "priority": "high",
                              "status": "triaged"})
    got = set(refs(items))
    assert listing["l2"]["ref"] in got
    assert listing["l1"]["ref"] not in got
    assert all(i["school"] == "TH010" and i["division"] == "GDTH" and i["priority"] == "high"
               and i["status"] == "triaged" for i in items)
    # Filters that cannot both hold give nothing.
    assert walk(supervisor, {"school": "TH010", "cluster": "CM12"}) == []


def test_search_ignores_case_and_accents(app, supervisor, listing):
    items = walk(supervisor, {"q": "giao vien", "school": "TH010"})
    assert listing["l1"]["ref"] in refs(items), "'giao vien' does not find 'giáo viên'"
    for i in items:
        assert "giao vien" in fold(i["title"] + " " + i["description"]), i["ref"]
    upper = walk(supervisor, {"q": "GIÁO VIÊN", "school": "TH010"})
    assert sorted(refs(upper)) == sorted(refs(items))

    # The unique token: only L1 carries it (title), only L2 the second (description).
    assert refs(walk(supervisor, {"q": fold(listing["token"])})) == [listing["l1"]["ref"]]
    assert refs(walk(supervisor, {"q": listing["token"].upper()})) == [listing["l1"]["ref"]]
    assert refs(walk(supervisor, {"q": fold(listing["token2"])})) == [listing["l2"]["ref"]]
    assert walk(supervisor, {"q": "khongcotunaytrongdulieu" + secrets.token_hex(4)}) == []


def test_keyset_pagination_limit_2(app, supervisor, listing):
    whole = walk(supervisor, {"school": "TH010"})
    assert len(whole) >= 5
    pages, params = [], {"school": "TH010", "limit": "2"}
    for _ in range(100):
        body = assert_json(supervisor.get("/api/issues", params=params), 200)
        pages.append(body["items"])
        if body["next_cursor"] is None:
            break
        params["cursor"] = body["next_cursor"]
    else:
        pytest.fail("pagination does not end")
    # A cursor promises more: every page but the last is full, and the last is not
    # empty (the UI shows "more" only when there is more).
    assert all(len(p) == 2 for p in pages[:-1]), [len(p) for p in pages]
    assert 1 <= len(pages[-1]) <= 2, [len(p) for p in pages]
    flat = [i["ref"] for p in pages for i in p]
    assert len(flat) == len(set(flat)), "a ref appears on two pages"
    assert flat == refs(whole), "pages of 2 differ from one page of 200"
    created = [parse_time(i["created_at"]) for p in pages for i in p]
    assert created == sorted(created, reverse=True), "not newest first"
    # Our last filed issue is the newest of TH010.
    assert flat[0] == listing["more"][-1]["ref"]


def test_walk_everything_matches_the_database(app, supervisor, listing):
    items = walk(supervisor)
    all_refs = refs(items)
    assert len(all_refs) == len(set(all_refs)), "duplicates across pages"
    db_count = app.query("SELECT count(*) FROM issues")[0][0]
    assert len(all_refs) == db_count
    created = [parse_time(i["created_at"]) for i in items]
    assert created == sorted(created, reverse=True)

    body = assert_json(supervisor.get("/api/issues"), 200)
    assert len(body["items"]) == min(50, db_count), "the default limit is 50"
    assert (body["next_cursor"] is not None) == (db_count > 50)
    body = assert_json(supervisor.get("/api/issues", params={"limit": "200"}), 200)
    assert len(body["items"]) == min(200, db_count)


# --------------------------------------------------------------------------- reference lists

def test_reference_lists(app, principal):
    clusters = assert_json(principal.get("/api/clusters"), 200)["items"]
    assert len(clusters) == 12
    assert {c["code"] for c in clusters} == {f"CM{n:02d}" for n in range(1, 13)}
    assert all(isinstance(c["name"], str) and c["name"].strip() for c in clusters)

    schools = assert_json(principal.get("/api/schools"), 200)["items"]
    assert len(schools) == 250
    assert {s["code"] for s in schools} == {f"TH{n:03d}" for n in range(1, 251)}
    by_code = {s["code"]: s for s in schools}
    assert by_code["TH001"]["cluster"] == "CM01" and by_code["TH002"]["cluster"] == "CM01"
    assert by_code["TH250"]["cluster"] == "CM12"
    assert all(s["cluster"] in {c["code"] for c in clusters} for s in schools)
    assert all(s["name"].strip() and s["commune"].strip() for s in schools)

    total = 0
    for c in clusters:
        part = assert_json(principal.get("/api/schools", params={"cluster": c["code"]}), 200)["items"]
        assert part and all(s["cluster"] == c["code"] for s in part)
        total += len(part)
    assert total == 250
    cm01 = {s["code"] for s in assert_json(
        principal.get("/api/schools", params={"cluster": "CM01"}), 200)["items"]}
    assert {"TH001", "TH002"} <= cm01 and "TH250" not in cm01

    divisions = assert_json(principal.get("/api/divisions"), 200)["items"]
    codes = {d["code"] for d in divisions}
    assert codes >= {"GDTH", "TCCB", "KHTC", "TTR", "CSVC", "VP"}
    assert all(d["name"].strip() and d["name_en"].strip() for d in divisions)

    categories = assert_json(principal.get("/api/categories"), 200)["items"]
    assert 15 <= len(categories) <= 25
    cats = {c["code"]: c for c in categories}
    assert cats["THIEU-GV"]["kind"] == "management"
    assert cats["THIEU-GV"]["division"] == "TCCB"
    assert cats["THIEU-GV"]["default_priority"] == "normal"
    assert cats["DAY-HOC-TV"]["kind"] == "teaching"
    assert cats["DAY-HOC-TV"]["division"] == "GDTH"
    assert cats["DAY-HOC-TV"]["default_priority"] == "normal"
    for c in categories:
        assert c["kind"] in {"management", "teaching"}
        assert c["division"] in codes
        assert c["default_priority"] in {"low", "normal", "high", "urgent"}
        assert c["name"].strip() and c["name_en"].strip()


def test_filed_issue_follows_category_routing(app, principal):
    issue = file_issue(principal, title="Học sinh đọc chưa trôi chảy cuối học kỳ I",
                       description="Khoảng 10% học sinh lớp 1 đọc chưa trôi chảy.",
                       category="DAY-HOC-TV", priority="high", proposed_solution=None)
    assert issue["division"] == "GDTH" and issue["category_kind"] == "teaching"
    assert issue["priority"] == "high"                 # the principal's suggestion
    assert issue["proposed_solution"] is None
    created = parse_time(issue["created_at"])
    # High priority: 48 h / 168 h.
    assert close_to(parse_time(issue["due_first_response_at"]), created + hours(48), 1)
    assert close_to(parse_time(issue["due_resolution_at"]), created + hours(168), 1)
