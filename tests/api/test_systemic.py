# test_systemic.py -- issue #10, step 2 (docs/dialogue.md): an officer links issues of
# several schools as one systemic problem (a main issue with children), resolving the main
# issue resolves every open child with the same answer in one transaction, and each school
# may still confirm or reopen its own. Who reads what is checked as each person would meet
# it; the history and the link table are checked in the database.

import secrets
from datetime import timedelta

import pytest
from dlapi import act, act_ok, assert_json, assert_problem, comment, file_issue

TOKEN = "He thong " + secrets.token_hex(4)
PEOPLE = ["ht.th001", "ht.th002", "ht.th250", "ct.cm01", "ct.cm06", "cb.gdth1",
          "cb.tccb1", "giamsat1", "admin"]


@pytest.fixture(scope="module")
def c(app):
    return {who: app.login(who) for who in PEOPLE}


def set_parent(client, ref, parent):
    return client.send_json("PUT", f"/api/issues/{ref}/parent", {"parent": parent})


def new_issue(client, words, category="SACH-GIAO-KHOA"):
    return file_issue(client, title=f"{words} {TOKEN}",
                      description="Nhà trường đề nghị Sở hỗ trợ sớm.", category=category)


def test_linking_makes_one_problem_of_several_schools(app, c):
    officer = c["cb.gdth1"]
    parent = new_issue(c["ht.th250"], "Sách giáo khoa lớp 3 thiếu ở nhiều trường")
    child = new_issue(c["ht.th001"], "Trường thiếu sách giáo khoa lớp 3")
    assert parent["parent"] is None and parent["child_count"] == 0
    assert parent["can"]["link"] is False, "a principal may not link"
    staff_view = assert_json(officer.get(f"/api/issues/{parent['ref']}"), 200)
    assert staff_view["can"]["link"] is True and staff_view["can"]["unlink"] is False

    body = assert_json(set_parent(officer, child["ref"], parent["ref"]), 200)
    assert body["parent"] == parent["ref"]
    seen = assert_json(officer.get(f"/api/issues/{parent['ref']}"), 200)
    assert seen["child_count"] == 1 and seen["schools_affected"] == 2
    assert [k["ref"] for k in seen["children"]] == [child["ref"]]
    assert seen["children"][0]["school"] == "TH001"
    assert seen["can"]["unlink"] is True
    # Both histories say so, each naming the other issue; the link table has its stretch.
    assert app.actions_of(child["ref"])[-1] == "link"
    assert app.events_of(child["ref"])[-1]["details"]["parent"] == parent["ref"]
    assert app.events_of(parent["ref"])[-1]["details"] == {"child": child["ref"]}
    rows = app.query("SELECT p.ref, l.unlinked_at FROM issue_links l"
                     " JOIN issues c ON c.id = l.child_id JOIN issues p ON p.id = l.parent_id"
                     " WHERE c.ref = %s", (child["ref"],))
    assert rows == [(parent["ref"], None)]
    # Linking again changes nothing and writes nothing.
    assert_json(set_parent(officer, child["ref"], parent["ref"]), 200)
    assert app.actions_of(child["ref"]).count("link") == 1


def test_a_child_school_reads_the_main_issue_in_public_only(app, c):
    officer = c["cb.gdth1"]
    parent = new_issue(c["ht.th250"], "Tài liệu tham khảo về muộn")
    child = new_issue(c["ht.th001"], "Tài liệu tham khảo chưa nhận được")
    mark = "NOIBO-" + secrets.token_hex(6)
    assert comment(officer, parent["ref"], f"Ghi chú {mark}", internal=True).status_code == 201
    assert_json(set_parent(officer, child["ref"], parent["ref"]), 200)

    # TH001 reads the main issue through its own child: public history, its own child in
    # the list, no files, no comment, no action.
    seen = assert_json(c["ht.th001"].get(f"/api/issues/{parent['ref']}"), 200)
    assert mark not in str(seen)
    assert [k["ref"] for k in seen["children"]] == [child["ref"]]
    assert seen["attachments"] == [] and seen["allowed_actions"] == []
    assert seen["can"]["comment"] is False and seen["can"]["link"] is False
    assert_problem(comment(c["ht.th001"], parent["ref"], "Xin hỏi tiến độ"), 403)
    # TH001's cluster leader too; another school and another cluster's leader: nothing.
    assert_json(c["ct.cm01"].get(f"/api/issues/{parent['ref']}"), 200)
    for who in ("ht.th002", "ct.cm06"):
        assert_problem(c[who].get(f"/api/issues/{parent['ref']}"), 404)
    # The main issue's own school does not read the other school's private child.
    own = assert_json(c["ht.th250"].get(f"/api/issues/{parent['ref']}"), 200)
    assert own["child_count"] == 1 and own["schools_affected"] == 2
    assert own["children"] == []
    assert_problem(c["ht.th250"].get(f"/api/issues/{child['ref']}"), 404)


def test_refusals_name_what_is_wrong(app, c):
    officer = c["cb.gdth1"]
    a = new_issue(c["ht.th250"], "Vấn đề chính A")
    b = new_issue(c["ht.th001"], "Vấn đề con B")
    x = new_issue(c["ht.th002"], "Vấn đề khác X")
    other = new_issue(c["ht.th002"], "Vấn đề chính khác")
    assert_json(set_parent(officer, b["ref"], a["ref"]), 200)
    before = app.snapshot()
    # The value: itself, a bad reference, an unknown issue, a wrong type, nothing.
    assert_problem(set_parent(officer, a["ref"], a["ref"]), 400, fields=["parent"])
    assert_problem(set_parent(officer, x["ref"], "HT-1"), 400, fields=["parent"])
    assert_problem(set_parent(officer, x["ref"], "HT-2026-999999"), 400, fields=["parent"])
    assert_problem(set_parent(officer, x["ref"], 12), 400, fields=["parent"])
    assert_problem(officer.send_json("PUT", f"/api/issues/{x['ref']}/parent", {}), 400,
                   fields=["parent"])
    assert_problem(officer.send_json("PUT", f"/api/issues/{x['ref']}/parent",
                                     {"parent": a["ref"], "extra": 1}), 400, fields=["extra"])
    # The state: one level deep, one parent at a time.
    r = set_parent(officer, x["ref"], b["ref"])
    assert_problem(r, 409)
    assert r.json()["code"] == "parent_is_child"
    r = set_parent(officer, a["ref"], x["ref"])
    assert r.json()["code"] == "child_is_parent" and r.status_code == 409
    r = set_parent(officer, b["ref"], other["ref"])
    assert r.json()["code"] == "linked_elsewhere" and r.status_code == 409
    # Who: a principal (not even for two issues of its own), another division's officer.
    assert_problem(set_parent(c["ht.th250"], x["ref"], a["ref"]), 404)
    assert_problem(set_parent(c["ht.th002"], x["ref"], other["ref"]), 403)
    assert_problem(set_parent(c["cb.tccb1"], x["ref"], a["ref"]), 403)
    assert app.snapshot() == before, "a refused link changed something"
    # A finished main issue takes no child.
    act_ok(officer, other["ref"], "decline", "Không thuộc thẩm quyền của Sở")
    r = set_parent(officer, x["ref"], other["ref"])
    assert r.json()["code"] == "parent_finished" and r.status_code == 409


def test_resolving_the_main_issue_resolves_its_open_children(app, c):
    officer = c["cb.gdth1"]
    parent = new_issue(c["ht.th250"], "Sách giáo khoa lớp 5 in sai")
    waiting = new_issue(c["ht.th001"], "Sách lớp 5 in sai trang")
    fresh = new_issue(c["ht.th002"], "Sách lớp 5 thiếu trang")
    other_division = new_issue(c["ht.th002"], "Thiếu giáo viên vì sách sai", "THIEU-GV")
    done = new_issue(c["ht.th001"], "Sách lớp 5 in mờ")
    for child in (waiting, fresh, other_division, done):
        assert_json(set_parent(officer, child["ref"], parent["ref"]), 200)
    act_ok(officer, waiting["ref"], "triage")
    act_ok(officer, waiting["ref"], "request_info", "Trường cho biết số bản bị lỗi")
    act_ok(officer, done["ref"], "triage")
    act_ok(officer, done["ref"], "resolve", "Đã đổi sách")
    before_done = app.actions_of(done["ref"])
    act_ok(officer, parent["ref"], "triage")
    answer = "Nhà xuất bản sẽ đổi toàn bộ sách lỗi trước ngày 15."
    body = act_ok(officer, parent["ref"], "resolve", answer)
    assert body["status"] == "resolved"

    parent_resolve = app.events_of(parent["ref"])[-1]
    for child in (waiting, fresh, other_division):
        seen = assert_json(officer.get(f"/api/issues/{child['ref']}"), 200)
        assert seen["status"] == "resolved", child["title"]
        assert seen["first_response_at"] is not None
        last = app.events_of(child["ref"])[-1]
        assert last["action"] == "resolve" and last["actor"] == "cb.gdth1"
        assert last["body"] == answer and last["details"]["parent"] == parent["ref"]
        # One transaction: the same instant as the main issue's own resolve.
        assert last["created_at"] == parent_resolve["created_at"]
    assert app.events_of(waiting["ref"])[-1]["from_status"] == "awaiting_school"
    assert "paused_seconds" in app.events_of(waiting["ref"])[-1]["details"]
    assert app.actions_of(done["ref"]) == before_done, "a resolved child was touched"

    # Each school decides for its own: TH001 reopens, TH002 confirms; the main issue and
    # the other children stay as they are.
    mine = assert_json(c["ht.th001"].get(f"/api/issues/{waiting['ref']}"), 200)
    assert set(mine["allowed_actions"]) == {"confirm", "reopen"}
    act_ok(c["ht.th001"], waiting["ref"], "reopen", "Sách đổi vẫn còn lỗi")
    act_ok(c["ht.th002"], fresh["ref"], "confirm")
    assert_problem(act(c["ht.th001"], parent["ref"], "confirm"), 403)
    statuses = dict(app.query("SELECT ref, status FROM issues WHERE ref = ANY(%s)",
                              ([parent["ref"], waiting["ref"], fresh["ref"]],)))
    assert statuses == {parent["ref"]: "resolved", waiting["ref"]: "in_progress",
                        fresh["ref"]: "closed"}


def test_unlinking_lets_a_child_go(app, c):
    officer = c["cb.gdth1"]
    parent = new_issue(c["ht.th250"], "Vấn đề chung sẽ gỡ")
    child = new_issue(c["ht.th001"], "Vấn đề con sẽ gỡ")
    assert_json(set_parent(officer, child["ref"], parent["ref"]), 200)
    # The child's page offers unlinking to whom the endpoint allows it: the main issue's
    # division and supervisors, not another division's officer nor the school.
    offered = {who: assert_json(c[who].get(f"/api/issues/{child['ref']}"), 200)["can"]
               ["unlink_from_parent"] for who in ("cb.gdth1", "cb.tccb1", "giamsat1", "ht.th001")}
    assert offered == {"cb.gdth1": True, "cb.tccb1": False, "giamsat1": True,
                       "ht.th001": False}
    assert_problem(set_parent(c["cb.tccb1"], child["ref"], None), 403)
    body = assert_json(set_parent(officer, child["ref"], None), 200)
    assert body["can"]["unlink_from_parent"] is False
    assert body["parent"] is None
    seen = assert_json(officer.get(f"/api/issues/{parent['ref']}"), 200)
    assert seen["child_count"] == 0 and seen["schools_affected"] == 1
    assert seen["children"] == [] and seen["can"]["unlink"] is False
    assert app.actions_of(child["ref"])[-2:] == ["link", "unlink"]
    assert app.events_of(parent["ref"])[-1]["details"] == {"child": child["ref"]}
    (unlinked,), = app.query("SELECT l.unlinked_at IS NOT NULL FROM issue_links l"
                             " JOIN issues c ON c.id = l.child_id WHERE c.ref = %s",
                             (child["ref"],))
    assert unlinked
    # TH001 no longer reads the main issue; unlinking again is nothing to do.
    assert_problem(c["ht.th001"].get(f"/api/issues/{parent['ref']}"), 404)
    assert_json(set_parent(officer, child["ref"], None), 200)
    assert app.actions_of(child["ref"]).count("unlink") == 1


# --------------------------------------------------------------------------- the report

def month_of(app, offset):
    """This month's or an earlier one's label, and the instant it ends, in Ha Tinh."""
    label, end = app.query(
        "SELECT to_char(m, 'YYYY-MM'), (m + interval '1 month') AT TIME ZONE 'Asia/Ho_Chi_Minh'"
        " FROM (SELECT date_trunc('month', now() AT TIME ZONE 'Asia/Ho_Chi_Minh')"
        "              - make_interval(months => %s) AS m) x", (offset,))[0]
    return label, end


def report(client, month):
    return assert_json(client.get("/api/reports/monthly", params={"month": month}), 200)


def test_the_report_counts_a_systemic_problem_once_with_its_schools(app, c):
    officer, reader = c["cb.gdth1"], c["giamsat1"]
    this, _ = month_of(app, 0)
    parent = new_issue(c["ht.th250"], "Thiếu sách giáo khoa tiếng Anh lớp 3")
    kids = [new_issue(c[who], "Thiếu sách tiếng Anh lớp 3 ở trường")
            for who in ("ht.th001", "ht.th002")]
    before = report(reader, this)
    for kid in kids:
        assert_json(set_parent(officer, kid["ref"], parent["ref"]), 200)
    now = report(reader, this)
    listed = {i["ref"]: i for i in now["issues"]}
    assert not any(k["ref"] in listed for k in kids), "a child was counted on its own"
    assert listed[parent["ref"]]["schools_affected"] == 3
    assert listed[parent["ref"]]["schools"] == ["TH001", "TH002", "TH250"]
    assert now["totals"]["unresolved"] == before["totals"]["unresolved"] - 2
    csv = reader.get("/api/reports/monthly", params={"month": this, "format": "csv"}).text
    header = csv.splitlines()[0].split(",")
    row = next(line for line in csv.splitlines() if line.startswith(parent["ref"])).split(",")
    assert row[header.index("schools")] == "TH001 TH002 TH250"
    html = reader.get("/api/reports/monthly", params={"month": this, "format": "html"}).text
    assert "TH001 TH002 TH250" in html


def test_a_past_months_report_shows_the_links_of_that_months_end(app, c):
    """Linked a day before last month's end and let go an hour after it: last month's
    report folds the child into its parent, this month's lists both."""
    reader = c["giamsat1"]
    last, end = month_of(app, 1)
    before = report(reader, last)
    alone = [i for i in before["issues"] if i["schools_affected"] == 1]
    parent = alone[0]
    child = next(i for i in alone if i["school"] != parent["school"])
    officer_id = app.query("SELECT id FROM users WHERE login = 'cb.gdth1'")[0][0]
    for action, at in (("link", end - timedelta(days=1)), ("unlink", end + timedelta(hours=1))):
        app.query("""INSERT INTO issue_events (issue_id, actor_id, action, details, created_at)
                     SELECT c.id, %s, %s, jsonb_build_object('parent', p.ref, 'parent_id', p.id), %s
                       FROM issues c, issues p WHERE c.ref = %s AND p.ref = %s
                     RETURNING 1""", (officer_id, action, at, child["ref"], parent["ref"]))
    then = report(reader, last)
    listed = {i["ref"]: i for i in then["issues"]}
    assert child["ref"] not in listed
    assert listed[parent["ref"]]["schools_affected"] == 2
    assert sorted(listed[parent["ref"]]["schools"]) == sorted([parent["school"],
                                                              child["school"]])
    assert then["totals"]["unresolved"] == before["totals"]["unresolved"] - 1
    this, _ = month_of(app, 0)
    current = {i["ref"]: i for i in report(reader, this)["issues"]}
    if parent["ref"] in current and child["ref"] in current:
        assert current[parent["ref"]]["schools"] is None


def test_the_demo_has_systemic_problems_to_show(app, c):
    """The demo links open issues of other schools under two main issues, and what its
    events say is what the link table and the summaries say."""
    rows = app.query("""SELECT p.ref, p.child_count, cardinality(p.affected_schools),
                               (SELECT count(*) FROM issue_links l
                                 WHERE l.parent_id = p.id AND l.unlinked_at IS NULL),
                               (SELECT count(DISTINCT i.school_id) FROM issues i
                                 WHERE i.id = p.id OR i.parent_id = p.id)
                          FROM issues p WHERE p.child_count > 0
                           AND p.created_at < now() - interval '1 day'   -- the demo's own
                         ORDER BY p.ref""")
    assert len(rows) == 2, rows
    for ref, children, schools, links, distinct in rows:
        assert children == links and 2 <= children <= 4 and schools == distinct >= 3
        seen = assert_json(c["giamsat1"].get(f"/api/issues/{ref}"), 200)
        assert len(seen["children"]) == children
        assert all(k["ref"] != ref for k in seen["children"])
