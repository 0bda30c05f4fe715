# test_webhooks.py -- issue #10, step 3: the Department's webhooks (docs/notifications.md).
# An admin registers an endpoint; every event of the history becomes a delivery in the
# event's transaction; the worker (`directline deliver`) posts it as JSON signed with
# HMAC-SHA256 over a timestamp and the body, with a stable event id, to a receiver on
# loopback started and stopped here: content, signature, retry after the receiver fails,
# nothing lost when the worker is killed midway (the same event id twice), the log.

import hashlib
import hmac
import json
import re
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from conftest import child_env, deliver_killed_on_arrival, directline_bin, free_port
from dlapi import assert_json, assert_problem, comment, file_issue

PUBLIC_URL = "https://directline.test"


class Receiver:
    """An HTTP endpoint on loopback that keeps each POST (headers, body); `status` is what
    it answers, `hold` how long it waits after keeping a request before answering."""

    def __init__(self):
        self.posts, self.status, self.hold = [], 200, 0.0
        self.received = threading.Event()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.posts.append({"headers": dict(self.headers), "body": body})
                outer.received.set()
                if outer.hold:
                    time.sleep(outer.hold)
                self.send_response(outer.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}/directline"

    def events(self, ref=None):
        out = [json.loads(p["body"]) for p in self.posts]
        return [e for e in out if ref is None or e["issue"]["ref"] == ref]


@pytest.fixture(scope="module")
def receiver():
    r = Receiver()
    r.thread.start()
    yield r
    r.server.shutdown()
    r.server.server_close()


@pytest.fixture(scope="module")
def hook(app, receiver):
    """The endpoint, registered by the admin: its id and secret."""
    admin = app.login("admin")
    created = assert_json(admin.send_json("POST", "/api/webhooks", {
        "url": receiver.url, "description": "Hệ thống quản lý văn bản của Sở"}), 201)
    assert re.fullmatch(r"[0-9a-f]{64}", created["secret"])
    return created


def deliver_once(app):
    env = child_env({"DATABASE_URL": app.app_url, "DIRECTLINE_PUBLIC_URL": PUBLIC_URL})
    for name in ("DIRECTLINE_SMTP_URL", "DIRECTLINE_SMTP_FROM"):
        env.pop(name, None)
    r = subprocess.run([directline_bin(), "deliver", "--once"], env=env, capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    return r.stderr


def verify(post, secret, tolerance=300):
    """What a receiver does: recompute the signature over "<t>.<body>" and compare."""
    header = post["headers"]["Directline-Signature"]
    parts = dict(p.split("=", 1) for p in header.split(","))
    assert abs(int(parts["t"]) - time.time()) < tolerance, "a stale timestamp"
    want = hmac.new(secret.encode(), parts["t"].encode() + b"." + post["body"],
                    hashlib.sha256).hexdigest()
    return hmac.compare_digest(want, parts["v1"])


def delivery(app, hook_id, event_id):
    return app.query("SELECT attempts, delivered_at IS NOT NULL, due_at IS NULL, last_status,"
                     " last_error, due_at > now() + interval '50 seconds'"
                     " FROM webhook_deliveries WHERE webhook_id = %s AND event_id = %s",
                     (hook_id, event_id))[0]


def flush(app, receiver):
    """Delivers what earlier tests left due, so each test sees its own posts."""
    while app.query("SELECT count(*) FROM webhook_deliveries WHERE due_at <= now()")[0][0]:
        deliver_once(app)
    receiver.posts.clear()
    receiver.received.clear()


def test_only_an_admin_manages_webhooks(app, hook):
    for who in ("cb.gdth1", "giamsat1", "ht.th001"):
        client = app.login(who)
        assert_problem(client.get("/api/webhooks"), 403)
        assert_problem(client.send_json("POST", "/api/webhooks", {
            "url": "https://example.vn/x", "description": "x"}), 403)
    listed = assert_json(app.login("admin").get("/api/webhooks"), 200)["items"]
    mine = [w for w in listed if w["id"] == hook["id"]]
    assert len(mine) == 1 and "secret" not in mine[0], "the secret is shown more than once"
    assert mine[0]["active"] is True and mine[0]["created_by"] == "admin"
    assert app.query("SELECT count(*) FROM admin_events WHERE action = 'webhook.add'"
                     " AND target = %s", (hook["url"],)) == [(1,)]


def test_each_event_is_posted_signed_with_its_id(app, hook, receiver):
    flush(app, receiver)
    principal, officer = app.login("ht.th001"), app.login("cb.gdth1")
    issue = file_issue(principal, title="Mất điện phòng tin học", category="SACH-GIAO-KHOA",
                       description="Cả tuần nay phòng tin học không có điện.")
    assert_json(comment(officer, issue["ref"], "Ghi chú cho phòng kế hoạch.", internal=True), 201)
    deliver_once(app)
    got = receiver.events(issue["ref"])
    assert [e["type"] for e in got] == ["issue.filed", "issue.comment"]
    filed = got[0]
    events = app.events_of(issue["ref"])
    assert filed["id"] == f"evt_{events[0]['id']}"
    assert filed["issue"]["url"] == f"{PUBLIC_URL}/issues/{issue['ref']}"
    assert filed["issue"]["school"] == "TH001" and filed["issue"]["division"] == "GDTH"
    assert filed["event"]["actor"] == "ht.th001" and filed["event"]["to_status"] == "new"
    assert got[1]["event"]["internal"] is True
    assert got[1]["event"]["body"] == "Ghi chú cho phòng kế hoạch."
    for post in receiver.posts:
        assert post["headers"]["Content-Type"] == "application/json"
        assert post["headers"]["Directline-Event-Id"] == json.loads(post["body"])["id"]
        assert verify(post, hook["secret"]), "the signature does not verify"
        assert not verify(post, "0" * 64), "any key verifies"
    # A body changed on the way no longer verifies.
    forged = dict(receiver.posts[0], body=receiver.posts[0]["body"].replace(b"TH001", b"TH002"))
    assert not verify(forged, hook["secret"])
    assert delivery(app, hook["id"], events[0]["id"])[:4] == (1, True, True, 200)


def test_a_failing_endpoint_is_tried_again(app, hook, receiver):
    flush(app, receiver)
    issue = file_issue(app.login("ht.th002"), title="Thiếu máy tính cho học sinh",
                       category="SACH-GIAO-KHOA", description="Phòng máy còn 5 máy.")
    event = app.events_of(issue["ref"])[0]["id"]
    receiver.status = 500
    try:
        deliver_once(app)
    finally:
        receiver.status = 200
    attempts, delivered, done, status, error, later = delivery(app, hook["id"], event)
    assert (attempts, delivered, done, status, later) == (1, False, False, 500, True)
    assert "500" in error
    app.query("UPDATE webhook_deliveries SET due_at = now() WHERE event_id = %s RETURNING id",
              (event,))
    deliver_once(app)
    assert delivery(app, hook["id"], event)[:4] == (2, True, True, 200)
    ids = [e["id"] for e in receiver.events(issue["ref"])]
    assert ids == [f"evt_{event}", f"evt_{event}"], "a retry changed the event id"
    # The log says so, newest first.
    log = assert_json(app.login("admin").get(f"/api/webhooks/{hook['id']}/deliveries"), 200)
    row = [d for d in log["items"] if d["event_id"] == f"evt_{event}"][0]
    assert row["attempts"] == 2 and row["last_status"] == 200 and row["delivered_at"]
    assert row["issue"] == issue["ref"] and row["action"] == "filed"


def test_a_worker_killed_midway_loses_nothing(app, hook, receiver):
    flush(app, receiver)
    issue = file_issue(app.login("ht.th003"), title="Sân trường ngập nước",
                       category="SACH-GIAO-KHOA", description="Mưa lớn, sân ngập.")
    event = app.events_of(issue["ref"])[0]["id"]
    receiver.hold = 5.0
    env = child_env({"DATABASE_URL": app.app_url, "DIRECTLINE_PUBLIC_URL": PUBLIC_URL})
    try:
        deliver_killed_on_arrival(env, receiver.received, "webhook post")
    finally:
        receiver.hold = 0.0
    attempts, delivered, done, _, _, leased = delivery(app, hook["id"], event)
    assert (attempts, delivered, done, leased) == (1, False, False, True)
    app.query("UPDATE webhook_deliveries SET due_at = now() WHERE event_id = %s RETURNING id",
              (event,))
    deliver_once(app)
    assert [e["id"] for e in receiver.events(issue["ref"])] == [f"evt_{event}"] * 2
    assert delivery(app, hook["id"], event)[:3] == (2, True, True)


def test_a_switched_off_endpoint_gets_nothing_new(app, hook, receiver):
    flush(app, receiver)
    admin = app.login("admin")
    off = assert_json(admin.send_json("PATCH", f"/api/webhooks/{hook['id']}", {"active": False}),
                      200)
    assert off["active"] is False
    try:
        issue = file_issue(app.login("ht.th001"), title="Cổng trường hỏng",
                           category="SACH-GIAO-KHOA", description="Cổng không đóng được.")
        deliver_once(app)
        assert receiver.events(issue["ref"]) == []
        assert app.query("SELECT count(*) FROM webhook_deliveries d JOIN issue_events e"
                         " ON e.id = d.event_id JOIN issues i ON i.id = e.issue_id"
                         " WHERE i.ref = %s", (issue["ref"],)) == [(0,)]
    finally:
        assert_json(admin.send_json("PATCH", f"/api/webhooks/{hook['id']}", {"active": True}),
                    200)
    assert app.query("SELECT count(*) FROM admin_events WHERE action = 'webhook.change'")[0][0] == 2


@pytest.mark.parametrize("body,field", [
    ({"url": "http://hooks.example.vn/x", "description": "x"}, "url"),
    ({"url": "ftp://example.vn/x", "description": "x"}, "url"),
    ({"url": "https://user:pw@example.vn/x", "description": "x"}, "url"),
    ({"url": "https://example.vn/x\nX-Evil: 1", "description": "x"}, "url"),
    ({"url": "https://example.vn/" + "a" * 500, "description": "x"}, "url"),
    ({"url": "https://example.vn/x"}, "description"),
    ({"url": "https://example.vn/x", "description": ""}, "description"),
    ({"url": "https://example.vn/x", "description": "x", "secret": "mine"}, "secret"),
    ({"description": "x"}, "url"),
])
def test_a_bad_endpoint_is_refused_and_nothing_stored(app, hook, body, field):
    admin = app.login("admin")
    before = app.query("SELECT count(*) FROM webhooks")[0][0]
    assert_problem(admin.send_json("POST", "/api/webhooks", body), 400, [field])
    assert app.query("SELECT count(*) FROM webhooks")[0][0] == before


def test_bad_changes_and_unknown_endpoints(app, hook):
    admin = app.login("admin")
    assert_problem(admin.send_json("PATCH", f"/api/webhooks/{hook['id']}", {}), 400, ["active"])
    assert_problem(admin.send_json("PATCH", f"/api/webhooks/{hook['id']}", {"active": "no"}),
                   400, ["active"])
    assert_problem(admin.send_json("PATCH", "/api/webhooks/99999", {"active": False}), 404)
    assert_problem(admin.send_json("PATCH", "/api/webhooks/999999999999999999",
                                   {"active": False}), 404)
    assert_problem(admin.get("/api/webhooks/99999/deliveries"), 404)
    assert_problem(admin.get(f"/api/webhooks/{hook['id']}/deliveries?cursor=x"), 400, ["cursor"])
    assert_problem(admin.get(f"/api/webhooks/{hook['id']}/deliveries?limit=0"), 400, ["limit"])


def test_the_server_role_writes_no_delivery(app, hook):
    """Deliveries come from the owner's trigger only; the server's role may record a try
    (the worker's context) but never add, remove or rewrite what was delivered."""
    import psycopg2.errors
    conn = psycopg2.connect(app.app_url)
    try:
        cur = conn.cursor()
        cur.execute("SELECT set_config('directline.context', 'deliver', true)")
        for statement in ("INSERT INTO webhook_deliveries (webhook_id, event_id, created_at)"
                          " SELECT %s, max(id), now() FROM issue_events" % hook["id"],
                          "DELETE FROM webhook_deliveries",
                          "UPDATE webhook_deliveries SET event_id = event_id",
                          "DELETE FROM webhooks"):
            with pytest.raises(psycopg2.errors.InsufficientPrivilege):
                cur.execute(statement)
            conn.rollback()
            cur.execute("SELECT set_config('directline.context', 'deliver', true)")
    finally:
        conn.close()
