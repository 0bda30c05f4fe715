# test_practices.py -- issue #10, step 5 (docs/practices.md): the practice library. An
# officer publishes the answer of a resolved issue as a copy edited to remove names, with
# the files chosen and nothing else of the issue; a principal proposes the school's own
# practice and the Department approves it; every school searches (accent-insensitive) and
# browses what is published, and the suggestions while filing include it.

import secrets

import pytest
from dlapi import (PNG_1PX, act_ok, assert_json, assert_problem, comment, file_issue,
                   signed_in_with_nothing_unread)

TOKEN = "kinhnghiem" + secrets.token_hex(3)
PEOPLE = ["ht.th001", "ht.th002", "ht.th003", "ht.th250", "ct.cm01", "ct.cm12", "cb.csvc1",
          "cb.gdth1", "giamsat1", "admin"]
NAME = "Nguyễn Thị Mai"
NOTE = "Ghi chú nội bộ: kế toán trường chậm nộp hồ sơ"


@pytest.fixture(scope="module")
def c(app):
    return signed_in_with_nothing_unread(app, PEOPLE)


def upload(client, ref, name):
    r = client.post(f"/api/issues/{ref}/attachments",
                    files={"file": (name, PNG_1PX, "image/png")})
    return assert_json(r, 201)


def error_codes(r):
    return {(e["field"], e["code"]) for e in r.json().get("errors", [])}


@pytest.fixture(scope="module")
def resolved(app, c):
    """A toilets issue of TH001 naming a teacher, with two photos and an internal note,
    resolved by the facilities officer."""
    principal, officer = c["ht.th001"], c["cb.csvc1"]
    issue = file_issue(principal, title=f"Nhà vệ sinh học sinh hỏng {TOKEN}",
                       description=f"Cô {NAME} báo bồn cầu khu lớp 2 bị vỡ, nước tràn.",
                       category="VE-SINH-NUOC-SACH",
                       proposed_solution="Sở hỗ trợ kinh phí thay bồn cầu.")
    chosen = upload(principal, issue["ref"], "bon-cau.png")
    unchosen = upload(principal, issue["ref"], "anh-co-mai.png")
    assert_json(comment(officer, issue["ref"], NOTE, internal=True), 201)
    act_ok(officer, issue["ref"], "triage")
    act_ok(officer, issue["ref"], "start")
    act_ok(officer, issue["ref"], "resolve",
           f"Sở đã cấp kinh phí; trường thay bồn cầu trong tuần. Cảm ơn cô {NAME}.")
    return {"ref": issue["ref"], "chosen": chosen["id"], "unchosen": unchosen["id"]}


def publish(client, ref, files=(), **text):
    body = {"issue": ref, "title": f"Sửa nhà vệ sinh hỏng nhanh {TOKEN}",
            "problem": "Bồn cầu khu lớp 2 bị vỡ, nước tràn ra hành lang.",
            "solution": "Trường lập dự toán, Sở cấp kinh phí trong 5 ngày, thay bồn cầu "
                        "trong tuần.",
            "files": list(files)}
    body.update(text)
    return client.send_json("POST", "/api/practices", body)


# --------------------------------------------------------------------------- the demo

def test_the_demo_has_a_library_to_browse(app, c):
    """Before this module adds to it: four practices the Department drew from resolved
    issues, TH002's published proposal, TH003's waiting."""
    shown = assert_json(c["ht.th250"].get("/api/practices"), 200)["items"]
    assert len(shown) == 5
    assert sorted(p["origin"] for p in shown) == ["department"] * 4 + ["school"]
    assert {p["school"] for p in shown if p["origin"] == "school"} == {"TH002"}
    waiting = assert_json(c["cb.gdth1"].get("/api/practices", params={"status": "proposed"}),
                          200)["items"]
    assert [p["school"] for p in waiting] == ["TH003"]
    found = assert_json(c["ht.th250"].get("/api/practices", params={"q": "tu sach luan chuyen"}),
                        200)["items"]
    assert [p["school"] for p in found] == ["TH002"]


# --------------------------------------------------------------------------- publishing

def test_an_officer_publishes_an_edited_copy_with_the_chosen_files(app, c, resolved):
    officer, elsewhere = c["cb.csvc1"], c["ht.th250"]
    p = assert_json(publish(officer, resolved["ref"], [resolved["chosen"]]), 201)
    assert p["status"] == "published" and p["origin"] == "department"
    assert p["published_at"] and p["reviewed_by"] == "cb.csvc1"
    assert p["cluster"] == "CM01" and p["category"] == "VE-SINH-NUOC-SACH"
    assert p["school"] is None, "a practice drawn from an issue names no school"
    assert [f["id"] for f in p["files"]] == [resolved["chosen"]]

    # Another school, in another cluster, reads the copy and nothing else of the issue.
    seen = assert_json(elsewhere.get(f"/api/practices/{p['id']}"), 200)
    text = str(seen)
    assert NAME not in text and "Nguyen" not in text
    assert NOTE not in text and "kế toán" not in text
    assert seen["issue_ref"] is None, "the issue's reference reached another school"
    assert [f["id"] for f in seen["files"]] == [resolved["chosen"]]
    got = elsewhere.get(f"/api/practice-files/{resolved['chosen']}")
    assert got.status_code == 200 and got.content == PNG_1PX
    assert_problem(elsewhere.get(f"/api/practice-files/{resolved['unchosen']}"), 404)
    assert_problem(elsewhere.get(f"/api/attachments/{resolved['unchosen']}"), 404)
    assert_problem(elsewhere.get(f"/api/attachments/{resolved['chosen']}"), 404)
    assert_problem(elsewhere.get(f"/api/issues/{resolved['ref']}"), 404)
    # The filing school sees where it came from.
    own = assert_json(c["ht.th001"].get(f"/api/practices/{p['id']}"), 200)
    assert own["issue_ref"] == resolved["ref"]

    # Once per issue; only its division's officers and supervisors; once resolved.
    r = publish(officer, resolved["ref"])
    assert_problem(r, 409)
    assert r.json()["code"] == "already_published"
    assert r.json()["errors"] == [{"field": "issue", "code": "already_published",
                                   "message": f"already has practice {p['id']}",
                                   "params": {"practice_id": p["id"]}}]
    assert_problem(publish(c["cb.gdth1"], resolved["ref"]), 403)
    assert_problem(publish(c["admin"], resolved["ref"]), 403)
    fresh = file_issue(c["ht.th001"], title=f"Nhà vệ sinh thiếu nước {TOKEN}",
                       description="Không có nước.", category="VE-SINH-NUOC-SACH")
    r = publish(officer, fresh["ref"])
    assert_problem(r, 409)
    assert r.json()["code"] == "not_resolved"


def test_the_library_is_searched_without_accents_and_never_finds_what_was_removed(app, c,
                                                                                    resolved):
    reader = c["ht.th250"]
    found = assert_json(reader.get("/api/practices", params={"q": f"nha ve sinh {TOKEN}"}), 200)
    assert [p["title"] for p in found["items"]] == [f"Sửa nhà vệ sinh hỏng nhanh {TOKEN}"]
    for removed in (NAME, "Nguyen Thi Mai", "ke toan truong", "kế toán trường", "tran ra"):
        listed = assert_json(reader.get("/api/practices",
                                        params={"q": f"{removed} {TOKEN}"}), 200)["items"]
        assert all(removed.lower() not in str(p).lower() for p in listed), removed
    assert assert_json(reader.get("/api/practices", params={"q": f"Nguyen Thi Mai {TOKEN}"}),
                       200)["items"] == []
    assert assert_json(reader.get("/api/practices", params={"q": f"ke toan {TOKEN}"}),
                       200)["items"] == []
    by_cluster = assert_json(reader.get("/api/practices", params={
        "cluster": "CM01", "category": "VE-SINH-NUOC-SACH", "q": TOKEN}), 200)["items"]
    assert len(by_cluster) == 1
    assert assert_json(reader.get("/api/practices", params={"cluster": "CM12", "q": TOKEN}),
                       200)["items"] == []
    assert_problem(reader.get("/api/practices", params={"cluster": "CM99"}), 400)
    assert_problem(reader.get("/api/practices", params={"status": "secret"}), 400)


def test_the_suggestions_while_filing_include_practices(app, c, resolved):
    r = assert_json(c["ht.th003"].get("/api/issues/similar", params={
        "text": f"nha ve sinh hong {TOKEN}"}), 200)
    found = [p for p in r["practices"] if p["title"] == f"Sửa nhà vệ sinh hỏng nhanh {TOKEN}"]
    assert len(found) == 1
    # A Department practice names its cluster, never the school it came from.
    assert (found[0]["origin"], found[0]["cluster"], found[0]["school"],
            found[0]["school_name"]) == ("department", "CM01", None, None)
    short = assert_json(c["ht.th003"].get("/api/issues/similar", params={"text": "ab"}), 200)
    assert short == {"items": [], "practices": []}


# --------------------------------------------------------------------------- proposals

def test_a_principal_proposes_and_the_department_approves(app, c):
    principal, neighbour, officer = c["ht.th002"], c["ht.th003"], c["cb.gdth1"]
    r = principal.send_json("POST", "/api/practices", {
        "category": "SACH-GIAO-KHOA", "title": f"Tủ sách luân chuyển giữa các lớp {TOKEN}",
        "problem": "Thiếu sách tham khảo cho học sinh lớp 4, 5.",
        "solution": "Mỗi lớp góp 20 cuốn, luân chuyển hằng tháng; thầy Lê Văn Bình giữ sổ."})
    p = assert_json(r, 201)
    assert p["status"] == "proposed" and p["origin"] == "school" and p["school"] == "TH002"
    assert p["can"] == {"edit": False, "publish": False, "decline": False, "withdraw": False}

    # Waiting for review: its school and the Department read it; no other school does.
    assert_problem(neighbour.get(f"/api/practices/{p['id']}"), 404)
    mine = assert_json(principal.get("/api/practices", params={"status": "proposed"}), 200)
    assert p["id"] in [x["id"] for x in mine["items"]]
    theirs = assert_json(neighbour.get("/api/practices", params={"status": "proposed"}), 200)
    assert p["id"] not in [x["id"] for x in theirs["items"]]
    waiting = assert_json(officer.get("/api/practices", params={"status": "proposed"}), 200)
    assert p["id"] in [x["id"] for x in waiting["items"]]
    assert p["id"] not in [x["id"] for x in assert_json(
        neighbour.get("/api/practices", params={"q": TOKEN}), 200)["items"]]

    # Reviewing is staff's; a decline needs its note.
    assert_problem(principal.send_json("POST", f"/api/practices/{p['id']}/review",
                                       {"decision": "publish"}), 403)
    r = officer.send_json("POST", f"/api/practices/{p['id']}/review", {"decision": "decline"})
    assert ("note", "required") in error_codes(r)
    published = assert_json(officer.send_json("POST", f"/api/practices/{p['id']}/review", {
        "decision": "publish", "note": "Cảm ơn nhà trường.",
        "solution": "Mỗi lớp góp 20 cuốn, luân chuyển hằng tháng; giáo viên chủ nhiệm giữ sổ."}),
        200)
    assert published["status"] == "published" and published["reviewed_by"] == "cb.gdth1"
    assert "Lê Văn Bình" not in str(published)
    seen = assert_json(neighbour.get(f"/api/practices/{p['id']}"), 200)
    assert seen["school"] == "TH002" and "Lê Văn Bình" not in str(seen)
    r = officer.send_json("POST", f"/api/practices/{p['id']}/review", {
        "decision": "publish", "note": "lần nữa"})
    assert_problem(r, 409)
    assert r.json()["code"] == "not_proposed"

    # An edit, then a withdrawal: gone from every school's library, kept for the record.
    edited = assert_json(officer.send_json("PATCH", f"/api/practices/{p['id']}", {
        "title": f"Tủ sách luân chuyển {TOKEN}"}), 200)
    assert edited["title"] == f"Tủ sách luân chuyển {TOKEN}"
    assert_problem(principal.send_json("PATCH", f"/api/practices/{p['id']}", {"title": "x"}), 403)
    gone = assert_json(officer.send_json("POST", f"/api/practices/{p['id']}/review", {
        "decision": "withdraw", "note": "Đã có hướng dẫn chung của Sở."}), 200)
    assert gone["status"] == "withdrawn"
    assert_problem(neighbour.get(f"/api/practices/{p['id']}"), 404)
    r = officer.send_json("PATCH", f"/api/practices/{p['id']}", {"title": "x"})
    assert_problem(r, 409)
    assert r.json()["code"] == "practice_closed"
    assert app.query("SELECT status FROM practices WHERE id = %s", (p["id"],)) == [("withdrawn",)]


def test_who_may_propose(app, c):
    body = {"category": "SACH-GIAO-KHOA", "title": "x", "problem": "y", "solution": "z"}
    assert_problem(c["ct.cm01"].send_json("POST", "/api/practices", body), 403)
    assert_problem(c["admin"].send_json("POST", "/api/practices", body), 403)
    # A principal proposes the school's own (no issue); staff publish from an issue (no
    # category: the issue's).
    r = c["ht.th001"].send_json("POST", "/api/practices", dict(body, issue="HT-2026-000001"))
    assert_problem(r, 400)
    assert ("issue", "unknown_field") in error_codes(r)
    r = c["cb.gdth1"].send_json("POST", "/api/practices", body)
    assert_problem(r, 400)
    assert ("category", "unknown_field") in error_codes(r)


def test_bad_practices_are_refused_field_by_field_and_nothing_is_stored(app, c, resolved):
    officer, principal = c["cb.csvc1"], c["ht.th001"]
    before = app.query("SELECT (SELECT count(*) FROM practices),"
                       " (SELECT count(*) FROM practice_attachments)")[0]
    cases = [
        (officer, {"issue": resolved["ref"], "title": "", "problem": "p", "solution": "s"},
         ("title", "empty")),
        (officer, {"issue": "HT-1", "title": "t", "problem": "p", "solution": "s"},
         ("issue", "invalid_format")),
        (officer, {"issue": "HT-2026-999999", "title": "t", "problem": "p", "solution": "s"},
         ("issue", "unknown_issue")),
        (officer, {"issue": resolved["ref"], "title": "t", "problem": "p", "solution": "s",
                   "files": "1"}, ("files", "not_array")),
        (officer, {"issue": resolved["ref"], "title": "t", "problem": "p", "solution": "s",
                   "files": [1.5]}, ("files[0]", "invalid_id")),
        (principal, {"category": "KHONG-CO", "title": "t", "problem": "p", "solution": "s"},
         ("category", "unknown_code")),
        (principal, {"category": "SACH-GIAO-KHOA", "title": "t" * 201, "problem": "p",
                     "solution": "s"}, ("title", "too_long")),
        (principal, {"category": "SACH-GIAO-KHOA", "title": "t", "problem": "p"},
         ("solution", "required")),
    ]
    for client, body, expected in cases:
        r = client.send_json("POST", "/api/practices", body)
        assert_problem(r, 400)
        assert expected in error_codes(r), (body, r.text)
    after = app.query("SELECT (SELECT count(*) FROM practices),"
                      " (SELECT count(*) FROM practice_attachments)")[0]
    assert after == before


def test_a_file_of_another_issue_does_not_travel(app, c, resolved):
    officer, principal = c["cb.csvc1"], c["ht.th001"]
    other = file_issue(principal, title=f"Nước sinh hoạt bị nhiễm phèn {TOKEN}",
                       description="Nước giếng có phèn.", category="VE-SINH-NUOC-SACH")
    photo = upload(principal, other["ref"], "nuoc-phen.png")
    act_ok(officer, other["ref"], "triage")
    act_ok(officer, other["ref"], "resolve", "Đã lắp bộ lọc.")
    r = publish(officer, other["ref"], [resolved["chosen"], photo["id"]],
                title=f"Lọc nước nhiễm phèn {TOKEN}")
    assert_problem(r, 400)
    assert ("files[0]", "unknown_attachment") in error_codes(r)
    p = assert_json(publish(officer, other["ref"], [photo["id"]],
                            title=f"Lọc nước nhiễm phèn {TOKEN}"), 201)
    assert [f["id"] for f in p["files"]] == [photo["id"]]
