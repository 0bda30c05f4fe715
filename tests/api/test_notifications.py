# test_notifications.py -- issue #10, step 3 (docs/notifications.md): every event someone
# should hear of writes a notification for each person to hear it, in the event's own
# transaction (migration 0022's trigger); a person lists theirs unread first, marks one or
# all read, and never reaches anyone else's. Who hears what is checked as each person
# would meet it, through the API.

import secrets

import pytest
from dlapi import (act_ok, assert_json, assert_problem, comment, file_issue,
                   signed_in_with_nothing_unread)

TOKEN = "Thong bao " + secrets.token_hex(4)
PEOPLE = ["ht.th001", "ht.th002", "ht.th003", "cb.gdth1", "cb.gdth2", "cb.tccb1",
          "giamsat1", "admin"]


@pytest.fixture(scope="module")
def c(app):
    return signed_in_with_nothing_unread(app, PEOPLE)


def new_issue(client, words, category="SACH-GIAO-KHOA"):
    return file_issue(client, title=f"{words} {TOKEN}",
                      description="Nhà trường đề nghị Sở hỗ trợ sớm.", category=category)


def notes(client, **params):
    return assert_json(client.get("/api/notifications", params=params), 200)


def about(client, ref):
    """(reason, action) of the client's notifications of one issue, newest first."""
    return [(n["reason"], n["event"]["action"]) for n in notes(client, limit=100)["items"]
            if n["issue"] and n["issue"]["ref"] == ref]


def unread(client):
    return assert_json(client.get("/api/notifications/unread-count"), 200)["unread"]


def test_a_filing_reaches_the_division_and_not_the_filer(c):
    before = unread(c["cb.gdth1"])
    issue = new_issue(c["ht.th001"], "Thiếu sách Tiếng Việt lớp 1")
    assert about(c["cb.gdth1"], issue["ref"]) == [("new_issue", "filed")]
    assert about(c["cb.gdth2"], issue["ref"]) == [("new_issue", "filed")]
    assert unread(c["cb.gdth1"]) == before + 1
    first = notes(c["cb.gdth1"])["items"][0]
    assert first["read"] is False and first["issue"]["school"] == "TH001"
    assert first["issue"]["title"] == issue["title"]
    assert first["event"]["actor"]["login"] == "ht.th001"
    # Not the filer, not another division, not another school.
    for who in ("ht.th001", "cb.tccb1", "ht.th002", "giamsat1"):
        assert about(c[who], issue["ref"]) == [], who


def test_the_school_hears_answers_and_the_handler_hears_the_school(c):
    officer, principal = c["cb.gdth1"], c["ht.th001"]
    issue = new_issue(principal, "Sách giáo khoa đến chậm")
    ref = issue["ref"]
    assert_json(officer.send_json("PATCH", f"/api/issues/{ref}", {"assignee": "cb.gdth1"}), 200)
    assert_json(comment(officer, ref, "Sở đã liên hệ nhà xuất bản."), 201)
    mark = "NOIBO-" + secrets.token_hex(6)
    assert_json(comment(officer, ref, "Ghi chú nội bộ " + mark, internal=True), 201)
    act_ok(officer, ref, "triage")
    act_ok(officer, ref, "request_info", "Trường cho biết số lượng sách còn thiếu?")
    got = about(principal, ref)
    assert got == [("info_requested", "request_info"), ("answered", "comment")]
    assert mark not in str(notes(principal, limit=100)), "an internal note reached a school"
    answer = [n for n in notes(principal)["items"] if n["event"] and n["event"]["action"] == "comment"][0]
    assert answer["event"]["excerpt"] == "Sở đã liên hệ nhà xuất bản."

    act_ok(principal, ref, "answer_info", "Còn thiếu 40 cuốn.")
    assert_json(comment(principal, ref, "Xin cảm ơn Sở."), 201)
    # The assignee hears the school; the rest of the division no longer does.
    assert about(officer, ref)[:2] == [("school_replied", "comment"),
                                       ("school_replied", "answer_info")]
    assert ("school_replied", "answer_info") not in about(c["cb.gdth2"], ref)
    # Another officer's internal note reaches the assignee only.
    assert_json(comment(c["cb.gdth2"], ref, "Kho còn sách dự phòng.", internal=True), 201)
    assert about(officer, ref)[0] == ("internal_note", "comment")
    # The resolution reaches the school, the confirmation the assignee.
    act_ok(officer, ref, "resolve", "Sở đã chuyển 40 cuốn.")
    assert about(principal, ref)[0] == ("resolved", "resolve")
    act_ok(principal, ref, "confirm")
    assert about(officer, ref)[0] == ("confirmed", "confirm")


def test_moving_and_assigning_tell_the_new_hands(c):
    issue = new_issue(c["ht.th002"], "Giáo viên hợp đồng chưa được ký lại")
    ref = issue["ref"]
    assert_json(c["cb.gdth1"].send_json("PATCH", f"/api/issues/{ref}", {"division": "TCCB"}),
                200)
    assert about(c["cb.tccb1"], ref) == [("new_issue", "set_division")]
    assert_json(c["giamsat1"].send_json("PATCH", f"/api/issues/{ref}",
                                        {"assignee": "cb.tccb1"}), 200)
    assert about(c["cb.tccb1"], ref)[0] == ("assigned", "set_assignee")


def test_an_escalation_reaches_the_supervisors_and_the_handler(c):
    issue = new_issue(c["ht.th003"], "Chưa nhận được kinh phí mua sách")
    ref = issue["ref"]
    act_ok(c["cb.gdth1"], ref, "escalate", "Cần lãnh đạo Sở quyết định.")
    assert about(c["giamsat1"], ref) == [("escalated", "escalate")]
    assert about(c["cb.gdth2"], ref)[0] == ("escalated", "escalate")
    assert ("escalated", "escalate") not in about(c["ht.th003"], ref)


def test_cosigning_schools_follow_the_issue(c):
    owner, signer = c["ht.th001"], c["ht.th002"]
    issue = new_issue(owner, "Máy chiếu hỏng cả khối 5")
    ref = issue["ref"]
    assert_json(owner.send_json("PUT", f"/api/issues/{ref}/sharing", {"shared": True}), 200)
    assert_json(signer.send_json("POST", f"/api/issues/{ref}/cosigns",
                                 {"note": "Trường chúng tôi cũng vậy."}), 201)
    assert about(owner, ref) == [("cosigned", "cosign")]
    joined = [n for n in notes(owner, limit=100)["items"]
              if n["issue"] and n["issue"]["ref"] == ref][0]["event"]
    assert joined["school"]["code"] == "TH002" and joined["school"]["name"]
    officer = c["cb.gdth1"]
    assert_json(comment(officer, ref, "Sở sẽ cấp máy chiếu trong tháng."), 201)
    act_ok(officer, ref, "triage")
    act_ok(officer, ref, "start")
    act_ok(officer, ref, "resolve", "Đã cấp máy chiếu cho các trường.")
    assert about(signer, ref) == [("followed", "resolve"), ("followed", "comment")]
    assert all("school" not in n["event"] for n in notes(signer, limit=100)["items"]
               if n["issue"] and n["issue"]["ref"] == ref), "only a co-signature names a school"
    assert about(owner, ref)[:2] == [("resolved", "resolve"), ("answered", "comment")]
    # A school that neither filed nor co-signed hears nothing, shared or not.
    assert about(c["ht.th003"], ref) == []


def test_a_main_issue_tells_each_childs_school_once(c):
    officer = c["cb.gdth1"]
    parent = new_issue(c["ht.th003"], "Thiếu sách Tiếng Anh lớp 3 nhiều trường")
    child = new_issue(c["ht.th001"], "Thiếu sách Tiếng Anh lớp 3")
    assert_json(officer.send_json("PUT", f"/api/issues/{child['ref']}/parent",
                                  {"parent": parent["ref"]}), 200)
    assert about(c["ht.th001"], child["ref"]) == [("linked", "link")]
    assert_json(comment(officer, parent["ref"], "Sở đang làm việc với nhà xuất bản."), 201)
    assert about(c["ht.th001"], parent["ref"]) == [("followed", "comment")]
    act_ok(officer, parent["ref"], "triage")
    act_ok(officer, parent["ref"], "resolve", "Nhà xuất bản gửi bù sách.")
    # The child's own resolution tells TH001; the parent's does not tell it a second time.
    assert about(c["ht.th001"], child["ref"])[0] == ("resolved", "resolve")
    assert about(c["ht.th001"], parent["ref"]) == [("followed", "comment")]
    assert about(c["ht.th003"], parent["ref"])[0] == ("resolved", "resolve")
    # Unlinked, TH001 no longer reads the main issue, nor what it was told of it.
    second = new_issue(c["ht.th002"], "Thiếu sách Tiếng Anh lớp 4")
    other_parent = new_issue(c["ht.th003"], "Thiếu sách Tiếng Anh lớp 4 nhiều trường")
    assert_json(officer.send_json("PUT", f"/api/issues/{second['ref']}/parent",
                                  {"parent": other_parent["ref"]}), 200)
    assert_json(comment(officer, other_parent["ref"], "Đang tổng hợp."), 201)
    assert about(c["ht.th002"], other_parent["ref"]) == [("followed", "comment")]
    count = unread(c["ht.th002"])
    assert_json(officer.send_json("PUT", f"/api/issues/{second['ref']}/parent",
                                  {"parent": None}), 200)
    assert about(c["ht.th002"], other_parent["ref"]) == []
    assert unread(c["ht.th002"]) == count - 1


def test_unread_come_first_and_marking_reads(c):
    officer, principal = c["cb.gdth1"], c["ht.th002"]
    assert_json(principal.post("/api/notifications/read-all"), 200)
    refs = [new_issue(principal, f"Đồ dùng học tập số {n}")["ref"] for n in range(5)]
    page = notes(officer, limit=5)
    assert [n["issue"]["ref"] for n in page["items"]] == refs[::-1]
    newest, oldest = page["items"][0], page["items"][-1]
    r = assert_json(officer.post(f"/api/notifications/{oldest['id']}/read"), 200)
    assert r["read"] is True and r["unread"] == page["unread"] - 1
    # Marking again changes nothing; the read one goes after every unread one.
    assert assert_json(officer.post(f"/api/notifications/{oldest['id']}/read"),
                       200)["unread"] == page["unread"] - 1
    unread_only = notes(officer, unread="true", limit=100)
    assert oldest["id"] not in [n["id"] for n in unread_only["items"]]
    assert all(not n["read"] for n in unread_only["items"])
    # read-all up to what the app showed leaves anything newer unread.
    later = new_issue(principal, "Đồ dùng học tập bổ sung")["ref"]
    marked = assert_json(officer.send_json("POST", "/api/notifications/read-all",
                                           {"up_to": newest["id"]}), 200)
    assert marked["marked"] >= 4 and marked["unread"] == 1
    assert [n["issue"]["ref"] for n in notes(officer, unread="true")["items"]] == [later]
    # One issue's, as the app marks when the issue is opened.
    assert assert_json(officer.send_json("POST", "/api/notifications/read-all",
                                         {"issue": later}), 200)["unread"] == 0


def test_paging_walks_every_notification_once(c):
    officer, principal = c["cb.gdth2"], c["ht.th003"]
    for n in range(7):
        new_issue(principal, f"Bàn ghế hỏng phòng {n}")
    first = notes(officer, limit=3)
    assert_json(officer.post(f"/api/notifications/{first['items'][1]['id']}/read"), 200)
    seen, cursor = [], None
    while True:
        page = notes(officer, limit=3, **({"cursor": cursor} if cursor else {}))
        seen += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            break
    ids = [n["id"] for n in seen]
    assert len(ids) == len(set(ids)), "a notification came twice"
    flags = [n["read"] for n in seen]
    assert flags == sorted(flags), "a read notification came before an unread one"
    unread_ids = [n["id"] for n in seen if not n["read"]]
    assert unread_ids == sorted(unread_ids, reverse=True)
    assert len(unread_ids) == unread(officer)


def test_nobody_reaches_anothers_notifications(app, c):
    theirs = notes(c["cb.gdth1"], limit=1)["items"][0]["id"]
    r = c["cb.tccb1"].post(f"/api/notifications/{theirs}/read")
    assert_problem(r, 404)
    assert notes(c["cb.gdth1"], limit=1)["items"][0]["id"] == theirs
    row = app.query("SELECT read_at FROM notifications WHERE id = %s", (theirs,))
    assert row == [(None,)], "another person's notification was marked"
    assert_problem(c["cb.tccb1"].post("/api/notifications/999999999/read"), 404)
    assert_problem(app.client().get("/api/notifications"), 401)


@pytest.mark.parametrize("params,field", [
    ({"unread": "maybe"}, "unread"), ({"limit": "0"}, "limit"), ({"limit": "101"}, "limit"),
    ({"cursor": "abc"}, "cursor"), ({"cursor": "2.5"}, "cursor"), ({"sort": "old"}, "sort"),
])
def test_a_bad_list_query_names_its_parameter(c, params, field):
    assert_problem(c["ht.th001"].get("/api/notifications", params=params), 400, [field])


@pytest.mark.parametrize("body,field", [
    ({"up_to": "12"}, "up_to"), ({"up_to": 0}, "up_to"), ({"up_to": 1.5}, "up_to"),
    ({"issue": "HT-26"}, "issue"), ({"issue": 7}, "issue"), ({"all": True}, "all"),
])
def test_a_bad_read_all_body_names_its_field_and_marks_nothing(app, c, body, field):
    before = app.query("SELECT count(*) FROM notifications WHERE read_at IS NULL")[0][0]
    r = c["cb.gdth1"].send_json("POST", "/api/notifications/read-all", body)
    assert_problem(r, 400, [field])
    assert app.query("SELECT count(*) FROM notifications WHERE read_at IS NULL")[0][0] == before


def test_every_notification_belongs_to_an_event_of_its_transaction(app):
    """The trigger is the outbox's only writer: each row was written with its event (same
    instant), no event a person hears of was left without its notifications, and nobody
    heard of one event twice (an event's audiences never overlap; no index checks it)."""
    assert app.query("SELECT event_id, user_id FROM notifications WHERE event_id IS NOT NULL"
                     " GROUP BY 1, 2 HAVING count(*) > 1") == []
    # A meeting decision's or a directive's own notifications (0024, 0026) name it instead.
    assert app.query("SELECT count(*) FROM notifications WHERE event_id IS NULL"
                     " AND (issue_id IS NOT NULL"
                     "      OR num_nonnulls(decision_id, directive_id) <> 1)") == [(0,)]
    assert app.query("SELECT count(*) FROM notifications n JOIN issue_events e"
                     " ON e.id = n.event_id WHERE n.created_at <> e.created_at"
                     " OR n.issue_id <> e.issue_id") == [(0,)]
    assert app.query("SELECT count(*) FROM issue_events e WHERE e.action = 'filed'"
                     " AND e.body IS NULL AND e.created_at > now() - interval '1 hour'"
                     " AND NOT EXISTS (SELECT 1 FROM notifications n"
                     "                  WHERE n.event_id = e.id)") == [(0,)]
