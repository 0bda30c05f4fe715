# test_ratings_and_directives.py -- issue #10, step 6 (docs/ratings-and-directives.md):
# a school rates the resolution it confirms (1-5), a 1 or 2 reaches the supervisors and
# the report shows the ratings by division; the Department sends directives to all
# schools or to clusters, each school acknowledges, the Department sees who has not, and
# the sweep reminds those once their directive's delay has passed.

import secrets
from datetime import timedelta

import pytest
from dlapi import (act_ok, assert_json, assert_problem, file_issue,
                   signed_in_with_nothing_unread)

TOKEN = "chidao" + secrets.token_hex(3)
PEOPLE = ["ht.th001", "ht.th002", "ht.th250", "ct.cm01", "ct.cm12", "cb.tccb1", "cb.gdth1",
          "giamsat1", "giamsat2", "admin"]


@pytest.fixture(scope="module")
def c(app):
    return signed_in_with_nothing_unread(app, PEOPLE)


def notes(client):
    return assert_json(client.get("/api/notifications", params={"limit": 100}), 200)["items"]


def error_codes(r):
    return {(e["field"], e["code"]) for e in r.json().get("errors", [])}


def resolved_issue(c, words):
    issue = file_issue(c["ht.th001"], title=f"{words} {TOKEN}",
                       description="Trường thiếu giáo viên Tiếng Anh.")
    officer = c["cb.tccb1"]
    act_ok(officer, issue["ref"], "triage")
    assert_json(officer.send_json("PATCH", f"/api/issues/{issue['ref']}",
                                  {"assignee": "cb.tccb1"}), 200)
    act_ok(officer, issue["ref"], "resolve", "Đã bố trí giáo viên hợp đồng.")
    return issue["ref"]


def confirm(client, ref, rating, note=None):
    body = {"action": "confirm", "rating": rating}
    if note is not None:
        body["note"] = note
    return client.send_json("POST", f"/api/issues/{ref}/actions", body)


# --------------------------------------------------------------------------- the demo

def test_the_demo_has_directives_to_follow_and_ratings(app, c):
    """Before this module adds its own: the demo's two directives (to every school, most
    acknowledged and the rest reminded; to CM01 yesterday, nobody yet), and confirmations
    with ratings, a few of them low."""
    sent = assert_json(c["giamsat1"].get("/api/directives"), 200)["items"]
    assert len(sent) == 2
    cm01, every = sent
    assert cm01["audience"] == "clusters" and cm01["acknowledged"] == 0
    assert every["audience"] == "all" and 0 < every["acknowledged"] < every["schools"]
    pending = assert_json(c["giamsat1"].get(f"/api/directives/{every['id']}/schools",
                                            params={"pending": "true"}), 200)["items"]
    assert len(pending) == every["schools"] - every["acknowledged"]
    assert all(s["reminded_at"] for s in pending)
    mine = assert_json(c["ht.th001"].get(f"/api/directives/{cm01['id']}"), 200)
    assert mine["acknowledged_at"] is None
    low = assert_json(c["giamsat1"].get("/api/ratings", params={"low": "true"}), 200)["items"]
    assert low and all(r["rating"] == 2 for r in low)
    out = app.cli("sweep")
    assert "0 schools reminded of directives" in out.stdout, out.stdout


# --------------------------------------------------------------------------- ratings

def test_a_confirmation_carries_the_schools_rating(app, c):
    ref = resolved_issue(c, "Thiếu giáo viên Tiếng Anh lớp 3")
    for bad in (0, 6, "5", 4.5, True):
        r = confirm(c["ht.th001"], ref, bad)
        assert_problem(r, 400)
        assert "rating" in {f for f, _ in error_codes(r)}, bad
    r = c["cb.tccb1"].send_json("POST", f"/api/issues/{ref}/actions",
                                {"action": "resolve", "note": "x", "rating": 5})
    assert ("rating", "not_applicable") in error_codes(r)
    assert app.issue_row(ref)["status"] == "resolved", "a refused rating changed the issue"
    assert_json(confirm(c["ht.th001"], ref, 4, "Giáo viên đã đến dạy từ thứ Hai."), 200)
    event = app.events_of(ref)[-1]
    assert event["action"] == "confirm" and event["details"]["rating"] == 4
    assert event["body"] == "Giáo viên đã đến dạy từ thứ Hai."
    assert not [n for n in notes(c["giamsat1"]) if n["reason"] == "low_rating"
                and n["issue"]["ref"] == ref], "a 4 flagged the issue"


def test_a_low_rating_reaches_the_supervisors(app, c):
    ref = resolved_issue(c, "Thiếu giáo viên Âm nhạc")
    assert_json(confirm(c["ht.th001"], ref, 2, "Giáo viên hợp đồng chỉ dạy được hai tuần."), 200)
    for supervisor in ("giamsat1", "giamsat2"):
        told = [n for n in notes(c[supervisor])
                if n["issue"] and n["issue"]["ref"] == ref]
        assert [n["reason"] for n in told] == ["low_rating"], supervisor
    assignee = [n["reason"] for n in notes(c["cb.tccb1"]) if n["issue"]
                and n["issue"]["ref"] == ref]
    assert assignee[0] == "confirmed"
    low = assert_json(c["giamsat1"].get("/api/ratings", params={"low": "true"}), 200)["items"]
    mine = [x for x in low if x["ref"] == ref]
    assert mine and mine[0]["rating"] == 2 and mine[0]["school"] == "TH001"
    assert mine[0]["comment"] == "Giáo viên hợp đồng chỉ dạy được hai tuần."
    assert all(x["rating"] <= 2 for x in low)
    assert_problem(c["ht.th001"].get("/api/ratings"), 403)
    assert_problem(c["ct.cm01"].get("/api/ratings"), 403)

    this = app.query("SELECT to_char(now() AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM')")[0][0]
    report = assert_json(c["giamsat1"].get("/api/reports/monthly", params={"month": this}), 200)
    ratings = report["ratings"]
    tccb = next(d for d in ratings["by_division"] if d["code"] == "TCCB")
    assert tccb["count"] >= 2 and tccb["low"] >= 1 and 1 <= tccb["average"] <= 5
    assert ratings["count"] == sum(d["count"] for d in ratings["by_division"])
    html = c["giamsat1"].get("/api/reports/monthly", params={"month": this,
                                                             "format": "html"}).text
    assert "Đánh giá của nhà trường" in html


def test_the_database_refuses_a_rating_out_of_place(app):
    import psycopg2
    ref = app.query("SELECT ref FROM issues WHERE status = 'resolved' LIMIT 1")[0][0]
    for action, details in (("confirm", '{"rating": 7}'), ("comment", '{"rating": 3}'),
                            ("confirm", '{"rating": "4"}')):
        with pytest.raises(psycopg2.errors.CheckViolation):
            app.query("INSERT INTO issue_events (issue_id, action, details)"
                      " SELECT id, %s, %s::jsonb FROM issues WHERE ref = %s RETURNING 1",
                      (action, details, ref))


# --------------------------------------------------------------------------- directives

def send(client, **body):
    payload = {"title": f"Hướng dẫn kiểm tra cuối học kỳ I {TOKEN}",
               "body": "Các trường tổ chức kiểm tra theo Thông tư 27, báo cáo kết quả trước "
                       "ngày 15/01."}
    payload.update(body)
    return client.send_json("POST", "/api/directives", payload)


def test_a_directive_reaches_its_clusters_schools_and_each_acknowledges(app, c):
    officer = c["cb.gdth1"]
    d = assert_json(send(officer, clusters=["CM01"], remind_after_days=2), 201)
    in_cm01 = app.query("SELECT count(*) FROM schools s JOIN clusters cl ON cl.id = s.cluster_id"
                        " WHERE cl.code = 'CM01'")[0][0]
    assert d["audience"] == "clusters" and d["clusters"] == ["CM01"]
    assert d["schools"] == in_cm01 and d["acknowledged"] == 0 and d["remind_after_days"] == 2

    told = [n for n in notes(c["ht.th001"]) if n["directive"] and n["directive"]["id"] == d["id"]]
    assert [n["reason"] for n in told] == ["directive"] and told[0]["issue"] is None
    assert not [n for n in notes(c["ht.th250"]) if n["directive"]
                and n["directive"]["id"] == d["id"]]
    assert_problem(c["ht.th250"].get(f"/api/directives/{d['id']}"), 404)
    assert d["id"] not in [x["id"] for x in assert_json(c["ht.th250"].get("/api/directives"),
                                                        200)["items"]]
    mine = assert_json(c["ht.th001"].get(f"/api/directives/{d['id']}"), 200)
    assert mine["acknowledged_at"] is None and mine["body"].startswith("Các trường")

    done = assert_json(c["ht.th001"].post(f"/api/directives/{d['id']}/acknowledge"), 200)
    assert done["acknowledged_at"] and done["acknowledged"] == 1
    again = assert_json(c["ht.th001"].post(f"/api/directives/{d['id']}/acknowledge"), 200)
    assert again["acknowledged_at"] == done["acknowledged_at"], "the first time stands"
    assert_problem(c["ht.th250"].post(f"/api/directives/{d['id']}/acknowledge"), 404)
    assert_problem(c["cb.gdth1"].post(f"/api/directives/{d['id']}/acknowledge"), 403)

    pending = assert_json(officer.get(f"/api/directives/{d['id']}/schools",
                                      params={"pending": "true"}), 200)["items"]
    assert len(pending) == in_cm01 - 1 and "TH001" not in [s["school"] for s in pending]
    every = assert_json(c["ct.cm01"].get(f"/api/directives/{d['id']}/schools"), 200)["items"]
    assert every[-1]["school"] == "TH001" and every[-1]["acknowledged_by"] == "ht.th001"
    assert_problem(c["ct.cm12"].get(f"/api/directives/{d['id']}/schools"), 404)
    assert_problem(c["ht.th001"].get(f"/api/directives/{d['id']}/schools"), 403)


def test_the_sweep_reminds_the_schools_that_have_not_acknowledged_once(app, c):
    d = assert_json(send(c["giamsat1"], title=f"Báo cáo an toàn trường học {TOKEN}",
                         clusters=["CM01", "CM12"], remind_after_days=3), 201)
    assert_json(c["ht.th001"].post(f"/api/directives/{d['id']}/acknowledge"), 200)
    app.query("UPDATE directives SET sent_at = sent_at - interval '3 days 1 minute'"
              " WHERE id = %s RETURNING 1", (d["id"],))

    def reminders(login):
        return [n for n in notes(c[login]) if n["reason"] == "directive_reminder"
                and n["directive"]["id"] == d["id"]]

    out = app.cli("sweep")
    assert out.returncode == 0, out.stderr
    assert "schools reminded of directives" in out.stdout
    assert len(reminders("ht.th250")) == 1 and len(reminders("ht.th002")) == 1
    assert reminders("ht.th001") == [], "a school that acknowledged was reminded"
    app.cli("sweep")
    assert len(reminders("ht.th250")) == 1, "reminded twice"
    schools = assert_json(c["giamsat1"].get(f"/api/directives/{d['id']}/schools"), 200)["items"]
    assert all(s["reminded_at"] for s in schools if not s["acknowledged_at"])


def test_a_directive_to_every_school(app, c):
    d = assert_json(send(c["cb.gdth1"], title=f"Lịch nghỉ Tết {TOKEN}"), 201)
    assert d["audience"] == "all" and d["clusters"] == []
    assert d["schools"] == app.query("SELECT count(*) FROM schools")[0][0]
    assert d["remind_after_days"] == 3
    assert_json(c["ht.th250"].get(f"/api/directives/{d['id']}"), 200)


def test_who_sends_and_bad_directives(app, c):
    for who in ("ht.th001", "ct.cm01", "admin"):
        assert_problem(send(c[who]), 403)
    before = app.query("SELECT (SELECT count(*) FROM directives),"
                       " (SELECT count(*) FROM directive_schools)")[0]
    cases = [
        ({"title": ""}, ("title", "empty")),
        ({"body": "b" * 10001}, ("body", "too_long")),
        ({"clusters": ["CM99"]}, ("clusters[0]", "unknown_code")),
        ({"clusters": "CM01"}, ("clusters", "not_array")),
        ({"clusters": [1]}, ("clusters[0]", "invalid_format")),
        ({"remind_after_days": 0}, ("remind_after_days", "out_of_range")),
        ({"remind_after_days": 61}, ("remind_after_days", "out_of_range")),
    ]
    for body, expected in cases:
        r = send(c["cb.gdth1"], **body)
        assert_problem(r, 400)
        assert expected[0] in {f for f, _ in error_codes(r)}, (body, r.text)
    after = app.query("SELECT (SELECT count(*) FROM directives),"
                      " (SELECT count(*) FROM directive_schools)")[0]
    assert after == before
