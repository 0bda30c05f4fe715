# test_idempotency.py -- the Idempotency-Key header on POST /api/issues, .../actions and
# .../comments: a retry gets the first response and changes nothing; the same key with
# another body is 422; two at once file one issue; keys are per user; errors are not
# kept, so a corrected retry runs afresh; a malformed key is 400.

import threading
import uuid

import pytest

from dlapi import assert_json, assert_problem, describe, file_issue

ISSUE = {"title": "Máy chiếu phòng 2B hỏng", "description": "Máy chiếu không lên hình.",
         "category": "THIEU-GV"}


def key():
    return str(uuid.uuid4())


def post(client, path, body, k):
    return client.send_json("POST", path, body, headers={"Idempotency-Key": k})


def count_issues(app, title):
    return app.query("SELECT count(*) FROM issues WHERE title = %s", (title,))[0][0]


def test_retry_of_a_filing_returns_the_first_response(app):
    p = app.login("ht.th010")
    body = dict(ISSUE, title="Máy chiếu hỏng — thử lại " + key()[:8])
    k = key()
    first = post(p, "/api/issues", body, k)
    issue = assert_json(first, 201)
    before = app.snapshot()
    for _ in range(3):
        again = post(p, "/api/issues", body, k)
        assert again.status_code == 201, describe(again)
        assert again.content == first.content
        assert again.headers["Location"] == first.headers["Location"]
    assert app.snapshot() == before
    assert count_issues(app, body["title"]) == 1
    assert issue["ref"] in first.headers["Location"]


def test_same_key_with_another_body_is_422(app):
    p = app.login("ht.th011")
    k = key()
    assert_json(post(p, "/api/issues", dict(ISSUE, title="Lần đầu " + k[:8]), k), 201)
    before = app.snapshot()
    r = post(p, "/api/issues", dict(ISSUE, title="Lần khác " + k[:8]), k)
    assert assert_problem(r, 422)["code"] == "idempotency_key_reused"
    assert app.snapshot() == before
    # The same key on another endpoint is another request too.
    ref = file_issue(p)["ref"]
    r = post(p, f"/api/issues/{ref}/comments", {"body": "Bổ sung"}, k)
    assert assert_problem(r, 422)["code"] == "idempotency_key_reused"


def test_two_at_once_file_one_issue(app):
    p = app.login("ht.th012")
    title = "Gửi hai lần cùng lúc " + key()[:8]
    k = key()
    clients = [p.twin() for _ in range(6)]
    results = [None] * len(clients)

    def send(i):
        results[i] = post(clients[i], "/api/issues", dict(ISSUE, title=title), k)

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(clients))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert count_issues(app, title) == 1
    ok = [r for r in results if r.status_code == 201]
    assert ok, [describe(r) for r in results]
    assert len({r.content for r in ok}) == 1, "every 201 is the same response"
    for r in results:
        if r.status_code != 201:
            assert assert_problem(r, 409)["code"] == "idempotency_in_flight"
            assert r.headers.get("Retry-After") == "1"


def test_actions_and_comments_are_not_repeated(app):
    p = app.login("ht.th013")
    o = app.login("cb.tccb1")
    ref = file_issue(p)["ref"]
    k = key()
    first = post(o, f"/api/issues/{ref}/actions", {"action": "triage"}, k)
    assert_json(first, 200)
    again = post(o, f"/api/issues/{ref}/actions", {"action": "triage"}, k)
    assert again.status_code == 200 and again.content == first.content, describe(again)
    # Without the key the same action is refused: it was done once.
    assert_problem(o.send_json("POST", f"/api/issues/{ref}/actions", {"action": "triage"}), 409)

    k = key()
    c1 = post(o, f"/api/issues/{ref}/comments", {"body": "Đã nhận."}, k)
    assert_json(c1, 201)
    c2 = post(o, f"/api/issues/{ref}/comments", {"body": "Đã nhận."}, k)
    assert c2.status_code == 201 and c2.content == c1.content
    comments = [e for e in app.events_of(ref) if e["action"] == "comment"]
    assert len(comments) == 1


def test_errors_are_not_kept_so_a_corrected_retry_runs(app):
    p = app.login("ht.th014")
    k = key()
    before = app.snapshot()
    r = post(p, "/api/issues", dict(ISSUE, title=""), k)
    assert_problem(r, 400)
    assert app.snapshot() == before
    stored = app.query("SELECT count(*) FROM idempotency_keys WHERE key = %s", (k,))[0][0]
    assert stored == 0
    # A 409 (refused by the lifecycle) is not kept either.
    o = app.login("cb.tccb1")
    ref = file_issue(p)["ref"]
    k2 = key()
    assert_problem(post(o, f"/api/issues/{ref}/actions", {"action": "start"}, k2), 409)
    assert_json(o.send_json("POST", f"/api/issues/{ref}/actions", {"action": "triage"}), 200)
    assert_json(post(o, f"/api/issues/{ref}/actions", {"action": "start"}, k2), 200)


def test_keys_are_per_user(app):
    a, b = app.login("ht.th015"), app.login("ht.th016")
    k = key()
    ra = post(a, "/api/issues", dict(ISSUE, title="Trường A " + k[:8]), k)
    rb = post(b, "/api/issues", dict(ISSUE, title="Trường A " + k[:8]), k)
    assert_json(ra, 201)
    assert_json(rb, 201)
    assert ra.json()["ref"] != rb.json()["ref"]
    assert rb.json()["school"] == "TH016"


def test_the_stored_response_is_written_with_the_change(app):
    p = app.login("ht.th017")
    k = key()
    issue = assert_json(post(p, "/api/issues", dict(ISSUE, title="Ghi cùng " + k[:8]), k), 201)
    row = app.query("""SELECT k.status, k.location, i.created_at <= k.created_at
                         FROM idempotency_keys k JOIN users u ON u.id = k.user_id
                         JOIN issues i ON i.ref = %s
                        WHERE k.key = %s AND u.login = 'ht.th017'""", (issue["ref"], k))
    assert row and row[0][0] == 201 and row[0][1] == f"/api/issues/{issue['ref']}"


def test_an_expired_key_runs_afresh(app):
    p = app.login("ht.th018")
    k = key()
    title = "Hết hạn " + k[:8]
    assert_json(post(p, "/api/issues", dict(ISSUE, title=title), k), 201)
    app.query("UPDATE idempotency_keys SET created_at = now() - interval '25 hours' "
              "WHERE key = %s", (k,))
    assert_json(post(p, "/api/issues", dict(ISSUE, title=title), k), 201)
    assert count_issues(app, title) == 2


def test_the_sweep_forgets_expired_keys(app):
    p = app.login("ht.th021")
    old, fresh = key(), key()
    assert_json(post(p, "/api/issues", dict(ISSUE, title="Cũ " + old[:8]), old), 201)
    assert_json(post(p, "/api/issues", dict(ISSUE, title="Mới " + fresh[:8]), fresh), 201)
    app.query("UPDATE idempotency_keys SET created_at = now() - interval '25 hours' "
              "WHERE key = %s", (old,))
    p_sweep = app.cli("sweep")
    assert p_sweep.returncode == 0, p_sweep.stderr
    left = {r[0] for r in app.query("SELECT key FROM idempotency_keys WHERE key IN (%s, %s)",
                                     (old, fresh))}
    assert left == {fresh}


@pytest.mark.parametrize("bad", ["", "a" * 65, "có dấu", "a b", "x/y", '"'])
def test_malformed_keys_are_400(app, bad):
    p = app.login("ht.th019")
    before = app.snapshot()
    r = p.send_json("POST", "/api/issues", ISSUE, headers={"Idempotency-Key": bad.encode()})
    body = assert_problem(r, 400, ["Idempotency-Key"])
    assert body["errors"][0]["code"] == "invalid_format"
    assert app.snapshot() == before


def test_a_quoted_key_is_the_same_key(app):
    p = app.login("ht.th020")
    k = key()
    first = post(p, "/api/issues", dict(ISSUE, title="Có ngoặc " + k[:8]), k)
    again = post(p, "/api/issues", dict(ISSUE, title="Có ngoặc " + k[:8]), f'"{k}"')
    assert again.status_code == 201 and again.content == first.content
