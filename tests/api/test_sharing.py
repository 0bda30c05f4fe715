# test_sharing.py -- issue #10, step 1 (docs/dialogue.md): sharing an issue with all
# schools and taking it back, "our school has this too" (co-signing), sensitive
# categories that are never shared, and the suggestions while filing. Each rule is
# checked through the API as the people concerned would meet it, and against the
# database: what a refusal leaves, what the history records, what another school's
# principal may and may not read (internal notes and files never travel).

import secrets
from datetime import datetime, timedelta, timezone

import pytest
from dlapi import (act, assert_json, assert_problem, comment, describe, file_issue,
                   refs, walk)
from test_attachments import jpeg, upload_ok

TOKEN = "Chia se " + secrets.token_hex(4)
INTERNAL_MARK = "NOIBO-" + secrets.token_hex(6)
PEOPLE = ["ht.th001", "ht.th002", "ht.th250", "ct.cm01", "ct.cm12", "cb.gdth1",
          "cb.tccb1", "giamsat1", "admin"]


@pytest.fixture(scope="module")
def c(app):
    return {who: app.login(who) for who in PEOPLE}


def share(client, ref, shared=True):
    return client.send_json("PUT", f"/api/issues/{ref}/sharing", {"shared": shared})


def cosign(client, ref, note=None):
    body = {} if note is None else {"note": note}
    return client.send_json("POST", f"/api/issues/{ref}/cosigns", body)


def new_issue(client, words, category="SACH-GIAO-KHOA"):
    return file_issue(client, title=f"{words} {TOKEN}",
                      description="Nhà trường đề nghị Sở hỗ trợ sớm.", category=category)


# --------------------------------------------------------------------------- sharing

def test_a_new_issue_is_private(app, c):
    issue = new_issue(c["ht.th250"], "Thiếu sách giáo khoa lớp 4 riêng")
    assert issue["shared"] is False and issue["schools_affected"] == 1
    assert issue["cosigned"] is False and issue["category_sensitive"] is False
    assert issue["can"]["share"] is True and issue["can"]["unshare"] is False
    assert issue["can"]["cosign"] is False
    # Another school's principal: the issue does not exist for them.
    for who in ("ht.th001", "ct.cm01"):
        assert_problem(c[who].get(f"/api/issues/{issue['ref']}"), 404)
        assert_problem(cosign(c[who], issue["ref"]), 404)
        assert_problem(share(c[who], issue["ref"]), 404)


def test_sharing_reaches_every_school_but_not_notes_or_files(app, c):
    owner, other = c["ht.th250"], c["ht.th001"]
    issue = new_issue(owner, "Sách giáo khoa Tiếng Việt lớp 2 đến chậm")
    ref = issue["ref"]
    photo = upload_ok(owner, ref, jpeg())
    assert comment(c["cb.gdth1"], ref, f"Ghi chú {INTERNAL_MARK}", internal=True) \
        .status_code == 201
    body = assert_json(share(owner, ref), 200)
    assert body["shared"] is True and body["can"]["unshare"] is True
    assert body["can"]["share"] is False
    assert app.actions_of(ref)[-1] == "share"
    # Sharing twice changes nothing and writes nothing.
    assert_json(share(owner, ref), 200)
    assert app.actions_of(ref).count("share") == 1

    seen = assert_json(other.get(f"/api/issues/{ref}"), 200)
    assert seen["shared"] is True and seen["can"]["cosign"] is True
    assert seen["can"]["comment"] is False and seen["allowed_actions"] == []
    assert seen["can"]["attach"] is False and seen["can"]["share"] is False
    assert INTERNAL_MARK not in str(seen)
    assert seen["attachments"] == [], "a shared issue's files reached another school"
    assert_problem(other.get(f"/api/attachments/{photo['id']}"), 404)
    # The owner still sees the file.
    assert any(a["id"] == photo["id"] for a in
               assert_json(owner.get(f"/api/issues/{ref}"), 200)["attachments"])
    # Readable, but not theirs: 403 for everything but co-signing.
    assert_problem(comment(other, ref, "Chúng tôi cũng vậy"), 403)
    assert_problem(act(other, ref, "confirm"), 403)
    assert_problem(share(other, ref, False), 403)
    # A cluster leader elsewhere and every principal find it through shared=true; the own
    # list of a school stays its own.
    for who in ("ht.th001", "ht.th002", "ct.cm01"):
        assert ref in refs(walk(c[who], {"shared": "true", "q": TOKEN})), who
        assert ref not in refs(walk(c[who], {"q": TOKEN})), who
    assert_problem(comment(c["ct.cm01"], ref, "Cụm ghi nhận"), 403)


def test_cosigning_counts_schools_and_lets_them_follow(app, c):
    owner = c["ht.th250"]
    issue = new_issue(owner, "Máy chiếu phòng học hỏng chưa được thay")
    ref = issue["ref"]
    assert_json(share(owner, ref), 200)
    before = app.issue_row(ref)

    body = assert_json(cosign(c["ht.th001"], ref, "Trường TH001 cũng thiếu máy chiếu"), 201)
    assert body["schools_affected"] == 2 and body["cosigned"] is True
    assert body["can"]["cosign"] is False and body["can"]["comment"] is True
    events = body["events"]
    assert events[-1]["action"] == "cosign"
    assert events[-1]["details"]["school"] == "TH001"
    assert events[-1]["note"] == "Trường TH001 cũng thiếu máy chiếu"
    assert_json(cosign(c["ht.th002"], ref), 201)
    owner_view = assert_json(owner.get(f"/api/issues/{ref}"), 200)
    assert owner_view["schools_affected"] == 3 and owner_view["cosigned"] is False
    assert [e["details"]["school"] for e in owner_view["events"]
            if e["action"] == "cosign"] == ["TH001", "TH002"]
    assert app.query("SELECT count(*) FROM issue_cosigns ic JOIN issues i"
                     " ON i.id = ic.issue_id WHERE i.ref = %s", (ref,))[0][0] == 2
    assert app.issue_row(ref)["updated_at"] > before["updated_at"]

    # Once per school; never the own school's issue.
    r = cosign(c["ht.th001"], ref)
    assert assert_problem(r, 409)["code"] == "already_cosigned"
    assert assert_problem(cosign(owner, ref), 403)["code"] == "role_may_not"
    for who in ("ct.cm12", "cb.gdth1", "giamsat1", "admin"):
        assert_problem(cosign(c[who], ref), 403)

    # A co-signing school comments in public; its comment leaves the issue's row alone.
    row = app.issue_row(ref)
    r = comment(c["ht.th001"], ref, "Chúng tôi đã báo cáo số lượng máy chiếu hỏng.")
    assert r.status_code == 201, describe(r)
    assert app.issue_row(ref)["updated_at"] == row["updated_at"]
    assert_problem(comment(c["ht.th001"], ref, "nội bộ", internal=True), 403)
    # It may not act for the filing school, nor add files.
    assert_problem(act(c["ht.th001"], ref, "confirm"), 403)
    # What it signed, it keeps following after the issue is taken back.
    assert_json(share(owner, ref, False), 200)
    assert app.actions_of(ref)[-1] == "unshare"
    kept = assert_json(c["ht.th001"].get(f"/api/issues/{ref}"), 200)
    assert kept["shared"] is False and kept["cosigned"] is True
    assert ref in refs(walk(c["ht.th001"], {"cosigned": "true", "q": TOKEN}))
    assert ref not in refs(walk(c["ht.th001"], {"shared": "true", "q": TOKEN}))
    # The cluster leader of a co-signing school reads it; a school that never signed
    # does not any more.
    assert_json(c["ct.cm01"].get(f"/api/issues/{ref}"), 200)
    assert_json(c["ct.cm12"].get(f"/api/issues/{ref}"), 200)      # the filing school's
    r = app.login("ht.th003").get(f"/api/issues/{ref}")
    assert_problem(r, 404)


def test_cosigning_refusals(app, c):
    owner = c["ht.th250"]
    private = new_issue(owner, "Vấn đề riêng của trường")
    assert_problem(cosign(c["ht.th001"], private["ref"]), 404)
    declined = new_issue(owner, "Đề nghị đã bị từ chối")
    assert_json(share(owner, declined["ref"]), 200)
    r = act(c["cb.gdth1"], declined["ref"], "decline", note="Không thuộc thẩm quyền")
    assert r.status_code == 200, describe(r)
    before = app.snapshot()
    body = assert_problem(cosign(c["ht.th001"], declined["ref"]), 409)
    assert body["code"] == "issue_finished"
    assert app.snapshot() == before
    # A declined issue cannot be shared again once taken back.
    assert_json(share(owner, declined["ref"], False), 200)
    assert assert_problem(share(owner, declined["ref"]), 409)["code"] == "issue_finished"


# --------------------------------------------------------------------------- sensitive

def test_sensitive_category_is_never_shared(app, c):
    cats = {x["code"]: x for x in
            assert_json(c["ht.th001"].get("/api/categories"), 200)["items"]}
    assert {k for k, v in cats.items() if v["sensitive"]} == \
        {"TUYEN-DUNG", "LUONG-PHU-CAP", "KHIEU-NAI-KY-LUAT"}
    issue = new_issue(c["ht.th001"], "Khiếu nại về kỷ luật giáo viên",
                      category="KHIEU-NAI-KY-LUAT")
    assert issue["category_sensitive"] is True and issue["can"]["share"] is False
    before = app.snapshot()
    body = assert_problem(share(c["ht.th001"], issue["ref"]), 409)
    assert body["code"] == "sensitive_category"
    assert app.snapshot() == before
    # The database refuses it too, whoever asks.
    with pytest.raises(Exception, match="sensitive category"):
        app.query("UPDATE issues SET shared = true WHERE ref = %s", (issue["ref"],))


def test_moving_a_shared_issue_into_a_sensitive_category_unshares_it(app, c):
    issue = new_issue(c["ht.th001"], "Thiếu giáo viên và thiết bị", category="THIET-BI-DH")
    ref = issue["ref"]
    assert_json(share(c["ht.th001"], ref), 200)
    assert_json(cosign(c["ht.th250"], ref), 201)
    r = c["giamsat1"].send_json("PATCH", f"/api/issues/{ref}", {"category": "TUYEN-DUNG"})
    body = assert_json(r, 200)
    assert body["shared"] is False and body["category"] == "TUYEN-DUNG"
    unshare = [e for e in body["events"] if e["action"] == "unshare"]
    assert len(unshare) == 1 and unshare[0]["details"]["reason"] == "sensitive_category"
    assert_problem(c["ht.th002"].get(f"/api/issues/{ref}"), 404)
    # The co-signing school keeps what it signed.
    assert_json(c["ht.th250"].get(f"/api/issues/{ref}"), 200)


def test_marking_a_category_sensitive_unshares_its_issues(app, c):
    issue = new_issue(c["ht.th002"], "Phần mềm quản lý trường học lỗi", category="CHUYEN-DOI-SO")
    ref = issue["ref"]
    assert_json(share(c["ht.th002"], ref), 200)
    r = c["admin"].send_json("PATCH", "/api/categories/CHUYEN-DOI-SO", {"sensitive": True})
    assert assert_json(r, 200)["sensitive"] is True
    try:
        assert app.query("SELECT shared FROM issues WHERE ref = %s", (ref,))[0][0] is False
        last = app.events_of(ref)[-1]
        assert last["action"] == "unshare"
        assert_problem(share(c["ht.th002"], ref), 409)
        audit = app.query("SELECT details FROM admin_events WHERE action = 'category.update'"
                          " AND target = 'CHUYEN-DOI-SO' ORDER BY id DESC LIMIT 1")
        assert audit and audit[0][0]["sensitive"] == {"from": False, "to": True}, audit
    finally:
        r = c["admin"].send_json("PATCH", "/api/categories/CHUYEN-DOI-SO", {"sensitive": False})
        assert_json(r, 200)
    assert_json(share(c["ht.th002"], ref), 200)


# --------------------------------------------------------------------------- suggestions

def similar(client, text):
    return assert_json(client.get("/api/issues/similar", params={"text": text}), 200)["items"]


def test_suggestions_find_accent_stripped_near_duplicates_the_reader_may_read(app, c):
    words = f"Nhà vệ sinh học sinh bị hỏng bồn nước {secrets.token_hex(3)}"
    shared = file_issue(c["ht.th250"], title=words, description="Cần sửa gấp trước mùa mưa.",
                        category="VE-SINH-NUOC-SACH")
    private = file_issue(c["ht.th002"], title=words, description="Cần sửa gấp trước mùa mưa.",
                         category="VE-SINH-NUOC-SACH")
    own = file_issue(c["ht.th001"], title=words, description="Bồn nước rò rỉ.",
                     category="VE-SINH-NUOC-SACH")
    assert_json(share(c["ht.th250"], shared["ref"]), 200)
    typed = "nha ve sinh hoc sinh bi hong bon nuoc"       # no accents, as typed in a hurry
    found = similar(c["ht.th001"], typed)
    found_refs = [i["ref"] for i in found]
    assert shared["ref"] in found_refs and own["ref"] in found_refs, found
    assert private["ref"] not in found_refs, "another school's private issue was suggested"
    by_ref = {i["ref"]: i for i in found}
    assert by_ref[shared["ref"]]["shared"] is True and by_ref[shared["ref"]]["own"] is False
    assert by_ref[own["ref"]]["own"] is True
    assert by_ref[own["ref"]]["filed_at"] == own["created_at"]
    assert set(by_ref[own["ref"]]) == {"ref", "title", "status", "school", "school_name",
                                       "filed_at", "shared", "cosigned", "own", "systemic",
                                       "schools_affected",
                                       "similarity"}
    assert len(found) <= 5
    assert all(0 < i["similarity"] <= 1 for i in found)
    # The other school's own issue is found by that school, and by the Department.
    assert private["ref"] in [i["ref"] for i in similar(c["ht.th002"], typed)]
    assert private["ref"] in [i["ref"] for i in similar(c["cb.gdth1"], typed)]
    # Too short to say anything: nothing, and no error.
    assert similar(c["ht.th001"], "nha") == []


def test_bad_input_is_named(app, c):
    ref = new_issue(c["ht.th001"], "Kiểm tra dữ liệu sai")["ref"]
    before = app.snapshot()
    assert_problem(c["ht.th001"].send_json("PUT", f"/api/issues/{ref}/sharing", {}), 400,
                   ["shared"])
    assert_problem(c["ht.th001"].send_json("PUT", f"/api/issues/{ref}/sharing",
                                           {"shared": "yes"}), 400, ["shared"])
    assert_problem(c["ht.th001"].send_json("PUT", f"/api/issues/{ref}/sharing",
                                           {"shared": True, "to": "all"}), 400, ["to"])
    assert_problem(c["ht.th002"].send_json("POST", f"/api/issues/{ref}/cosigns",
                                           {"note": 5}), 400, ["note"])
    assert_problem(c["ht.th001"].get("/api/issues/similar"), 400, ["text"])
    assert_problem(c["ht.th001"].get("/api/issues/similar",
                                     params={"text": "abc def ghi", "limit": "3"}),
                   400, ["limit"])
    assert_problem(c["ht.th001"].get("/api/issues/similar", params={"text": "x" * 1001}),
                   400, ["text"])
    assert_problem(c["ht.th001"].get("/api/issues", params={"shared": "maybe"}), 400,
                   ["shared"])
    assert app.snapshot() == before


# --------------------------------------------------------------------------- the report

def test_the_report_counts_the_schools_affected_at_the_months_end(app, c):
    """Each unresolved issue counts its school and those that co-signed it before the
    month's end: a co-signature after the end does not change that month's report."""
    this = {"month": datetime.now(timezone(timedelta(hours=7))).strftime("%Y-%m")}
    ref = new_issue(c["ht.th250"], "Thiếu tủ đựng hồ sơ")["ref"]
    assert_json(share(c["ht.th250"], ref), 200)
    assert_json(cosign(c["ht.th001"], ref), 201)
    assert_json(cosign(c["ht.th002"], ref), 201)
    now = assert_json(c["giamsat1"].get("/api/reports/monthly",
                                        params={"month": this["month"]}), 200)
    listed = {i["ref"]: i for i in now["issues"]}
    assert listed[ref]["schools_affected"] == 3
    csv = c["giamsat1"].get("/api/reports/monthly", params={"month": this["month"],
                                                             "format": "csv"}).text
    header = csv.splitlines()[0].split(",")
    row = next(line for line in csv.splitlines() if line.startswith(ref)).split(",")
    assert row[header.index("schools_affected")] == "3"

    # Last month: an issue unresolved at its end, co-signed once before the end and once
    # after (rows written straight into the table, as a co-signature at those instants).
    year, month = map(int, this["month"].split("-"))
    previous = f"{year - 1}-12" if month == 1 else f"{year}-{month - 1:02d}"
    before = assert_json(c["giamsat1"].get("/api/reports/monthly",
                                           params={"month": previous}), 200)
    target = next(i for i in before["issues"] if i["schools_affected"] == 1)
    end = app.query("SELECT (date_trunc('month', %s::date + interval '1 month')"
                    " AT TIME ZONE 'Asia/Ho_Chi_Minh')", (previous + "-01",))[0][0]
    app.query("""INSERT INTO issue_cosigns (issue_id, school_id, principal_id, created_at)
                 SELECT i.id, u.school_id, u.id, %s
                   FROM issues i, users u WHERE i.ref = %s AND u.login = %s
                 RETURNING 1""", (end - timedelta(days=1), target["ref"], "ht.th003"))
    app.query("""INSERT INTO issue_cosigns (issue_id, school_id, principal_id, created_at)
                 SELECT i.id, u.school_id, u.id, %s
                   FROM issues i, users u WHERE i.ref = %s AND u.login = %s
                 RETURNING 1""", (end + timedelta(hours=1), target["ref"], "ht.th004"))
    # The kept copy of a finished month is made again only when its history changes; rows
    # written by hand behind the server's back are not such a change, so it goes here.
    app.query("DELETE FROM report_cache RETURNING 1")
    after = assert_json(c["giamsat1"].get("/api/reports/monthly",
                                          params={"month": previous}), 200)
    assert {i["ref"]: i["schools_affected"] for i in after["issues"]}[target["ref"]] == 2
