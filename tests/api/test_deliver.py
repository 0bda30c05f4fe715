# test_deliver.py -- issue #10, step 3: notification emails (docs/notifications.md). The
# worker (`directline deliver`) sends each due notification through a local SMTP sink
# (aiosmtpd on loopback, started and stopped here): its content in Vietnamese with an
# English line and a link, a stable Message-ID, retries after the server fails, the
# daily digest, and nothing lost when the worker is killed midway (the message it was
# sending goes again, with the same Message-ID).

import email
import email.policy
import subprocess
import threading
import time

import pytest
from aiosmtpd.controller import Controller
from conftest import child_env, deliver_killed_on_arrival, directline_bin, free_port
from dlapi import assert_json, assert_problem, comment, file_issue

PUBLIC_URL = "https://directline.test"
FROM = "thongbao@directline.test"


class Sink:
    """An SMTP server on loopback that keeps what it is given; `hold` makes it wait that
    long after taking a message before it answers; `refuse` answers 451 instead."""

    def __init__(self):
        self.messages, self.hold, self.refuse = [], 0.0, False
        self.received = threading.Event()
        self.controller = Controller(self, hostname="127.0.0.1", port=free_port())

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return "451 4.3.0 Try again later"
        self.messages.append(email.message_from_bytes(envelope.content,
                                                      policy=email.policy.default))
        self.received.set()
        if self.hold:
            time.sleep(self.hold)
        return "250 OK"

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        self.controller.stop()

    @property
    def url(self):
        return f"smtp://127.0.0.1:{self.controller.port}"


@pytest.fixture
def sink():
    s = Sink().start()
    yield s
    s.stop()


def deliver_env(app, url):
    return child_env({"DATABASE_URL": app.app_url, "DIRECTLINE_SMTP_URL": url,
                      "DIRECTLINE_SMTP_FROM": FROM, "DIRECTLINE_PUBLIC_URL": PUBLIC_URL})


def deliver_once(app, url):
    r = subprocess.run([directline_bin(), "deliver", "--once"], env=deliver_env(app, url),
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    return r.stderr


def nothing_due(app):
    """Sends what the demo and earlier tests left due into a sink of its own, so a test
    sees only its own messages."""
    s = Sink().start()
    try:
        while app.query("SELECT count(*) FROM notifications WHERE email_due_at <= now()")[0][0]:
            deliver_once(app, s.url)
    finally:
        s.stop()


def only_due(app, nid):
    """Leaves nid the one email due (the officers' of the same filing are not this test's)."""
    app.query("UPDATE notifications SET email_due_at = NULL WHERE email_due_at IS NOT NULL"
              " AND id <> %s RETURNING id", (nid,))


def row(app, nid):
    return app.query("SELECT email_due_at IS NULL, email_sent_at IS NOT NULL, email_attempts,"
                     " email_error, email_due_at > now() + interval '50 seconds'"
                     " FROM notifications WHERE id = %s", (nid,))[0]


def the_answer(app, principal_login="ht.th001"):
    """Files an issue as the principal, answers it as the officer; the principal's
    notification id, the issue and the answer."""
    principal, officer = app.login(principal_login), app.login("cb.gdth1")
    issue = file_issue(principal, title="Thiếu sách Tiếng Việt lớp 4",
                       description="Trường thiếu 30 cuốn.", category="SACH-GIAO-KHOA")
    answer = "Sở đã liên hệ nhà xuất bản;\nsách về trong tuần."
    assert_json(comment(officer, issue["ref"], answer), 201)
    nid = app.query("SELECT n.id FROM notifications n JOIN users u ON u.id = n.user_id"
                    " JOIN issues i ON i.id = n.issue_id WHERE u.login = %s AND i.ref = %s",
                    (principal_login, issue["ref"]))[0][0]
    return nid, issue, answer


def body_of(message):
    return message.get_content()


def test_an_answer_is_emailed_in_both_languages_with_a_link(app, sink):
    nothing_due(app)
    nid, issue, answer = the_answer(app)
    deliver_once(app, sink.url)
    mine = [m for m in sink.messages if m["To"].addresses[0].addr_spec == "ht.th001@hatinh.edu.vn"]
    assert len(mine) == 1, [m["Subject"] for m in sink.messages]
    m = mine[0]
    assert m["Message-ID"] == f"<directline.n{nid}@directline.test>"
    assert m["Subject"] == f"[directline] {issue['ref']}: Sở đã trả lời vấn đề của trường"
    assert m["From"].addresses[0].addr_spec == FROM
    assert m["Content-Transfer-Encoding"] == "base64"
    text = body_of(m)
    assert "Sở đã trả lời vấn đề của trường" in text
    assert "The Department answered your issue" in text
    assert answer.replace("\n", "\r\n") in text or answer in text
    assert f"{PUBLIC_URL}/issues/{issue['ref']}" in text
    assert issue["title"] in text
    # Recorded as sent, once; nothing left due for it.
    assert row(app, nid)[:3] == (True, True, 1)
    deliver_once(app, sink.url)
    assert len([m for m in sink.messages if m["Message-ID"] == f"<directline.n{nid}@directline.test>"]) == 1


def test_a_school_that_joined_reads_what_happened(app, sink):
    nothing_due(app)
    owner, joined, officer = app.login("ht.th001"), app.login("ht.th002"), app.login("cb.gdth1")
    issue = file_issue(owner, title="Thiếu bàn ghế lớp 1", description="Thiếu 20 bộ.",
                       category="SACH-GIAO-KHOA")
    assert_json(owner.send_json("PUT", f"/api/issues/{issue['ref']}/sharing", {"shared": True}),
                200)
    assert_json(joined.send_json("POST", f"/api/issues/{issue['ref']}/cosigns", {}), 201)
    assert_json(comment(officer, issue["ref"], "Sở sẽ cấp bàn ghế trong tháng."), 201)
    deliver_once(app, sink.url)
    theirs = [m for m in sink.messages
              if m["To"].addresses[0].addr_spec == "ht.th002@hatinh.edu.vn"]
    assert [m["Subject"] for m in theirs] == [
        f"[directline] {issue['ref']}: Sở đã trả lời một vấn đề trường bạn cùng báo"]
    assert "The Department answered an issue your school also reported" in body_of(theirs[0])


def test_a_failing_server_is_tried_again_later(app, sink):
    nothing_due(app)
    nid, issue, _ = the_answer(app)
    only_due(app, nid)
    down = f"smtp://127.0.0.1:{free_port()}"          # nothing listens there
    deliver_once(app, down)
    done, sent, attempts, error, _ = row(app, nid)
    assert (done, sent, attempts) == (False, False, 1) and error
    assert app.query("SELECT email_due_at BETWEEN now() + interval '50 seconds'"
                     " AND now() + interval '70 seconds' FROM notifications WHERE id = %s",
                     (nid,)) == [(True,)], "the first retry is not a minute later"
    # The server answers, but refuses for now: a second failure, two minutes on.
    sink.refuse = True
    app.query("UPDATE notifications SET email_due_at = now() WHERE id = %s RETURNING id", (nid,))
    deliver_once(app, sink.url)
    assert row(app, nid)[2] == 2 and "SMTP 451" in row(app, nid)[3]
    # Once it takes mail again the message goes, with the same id it always had.
    sink.refuse = False
    app.query("UPDATE notifications SET email_due_at = now() WHERE id = %s RETURNING id", (nid,))
    deliver_once(app, sink.url)
    assert row(app, nid)[:3] == (True, True, 3)
    assert [m["Message-ID"] for m in sink.messages if issue["ref"] in m["Subject"]] == \
        [f"<directline.n{nid}@directline.test>"]


def test_the_last_try_gives_up_and_says_why(app):
    nothing_due(app)
    nid, _, _ = the_answer(app)
    app.query("UPDATE notifications SET email_attempts = 9 WHERE id = %s RETURNING id", (nid,))
    stderr = deliver_once(app, f"smtp://127.0.0.1:{free_port()}")
    done, sent, attempts, error, _ = row(app, nid)
    assert (done, sent, attempts) == (True, False, 10) and error
    assert "given up" in stderr


def test_a_worker_killed_midway_loses_nothing(app, sink):
    """The sink takes the message, then waits; the worker is killed before it can record
    that the message went. When the claim's lease ends the message goes again, with the
    same Message-ID, and is recorded once sent."""
    nothing_due(app)
    nid, issue, _ = the_answer(app)
    only_due(app, nid)
    sink.hold = 5.0
    deliver_killed_on_arrival(deliver_env(app, sink.url), sink.received, "email")
    first = [m["Message-ID"] for m in sink.messages if issue["ref"] in m["Subject"]]
    assert first == [f"<directline.n{nid}@directline.test>"]
    done, sent, attempts, _, leased = row(app, nid)
    assert (done, sent, attempts, leased) == (False, False, 1, True), "not left due again"
    # The lease ends (here: now); the next worker sends it again.
    sink.hold = 0.0
    app.query("UPDATE notifications SET email_due_at = now() WHERE id = %s RETURNING id", (nid,))
    deliver_once(app, sink.url)
    again = [m["Message-ID"] for m in sink.messages if issue["ref"] in m["Subject"]]
    assert again == [first[0], first[0]], "the resent message has another id"
    assert row(app, nid)[:3] == (True, True, 2)


def test_a_digest_reader_gets_one_email_a_day(app, sink):
    nothing_due(app)
    principal = app.login("ht.th002")
    settings = assert_json(principal.send_json("PUT", "/api/me/notification-settings",
                                               {"email_digest": True}), 200)
    assert settings == {"email": "ht.th002@hatinh.edu.vn", "email_digest": True}
    n1, issue1, _ = the_answer(app, "ht.th002")
    n2, issue2, _ = the_answer(app, "ht.th002")
    # Due at the next 16:30 in Ha Tinh, not now.
    assert app.query("SELECT bool_and(email_due_at > now() AND email_due_at <= now() + interval"
                     " '1 day' AND to_char(email_due_at AT TIME ZONE 'Asia/Ho_Chi_Minh',"
                     " 'HH24:MI') = '16:30') FROM notifications WHERE id IN (%s, %s)",
                     (n1, n2)) == [(True,)]
    deliver_once(app, sink.url)
    assert not [m for m in sink.messages if "ht.th002" in str(m["To"])]
    # 16:30 comes (here: now): one message with both.
    app.query("UPDATE notifications SET email_due_at = now() WHERE id IN (%s, %s)"
              " RETURNING id", (n1, n2))
    deliver_once(app, sink.url)
    mine = [m for m in sink.messages if "ht.th002" in str(m["To"])]
    assert len(mine) == 1
    uid = app.query("SELECT id FROM users WHERE login = 'ht.th002'")[0][0]
    assert mine[0]["Message-ID"] == f"<directline.digest.u{uid}.n{min(n1, n2)}@directline.test>"
    text = body_of(mine[0])
    assert issue1["ref"] in text and issue2["ref"] in text
    assert "Today's notifications (2)" in text
    assert row(app, n1)[:2] == (True, True) and row(app, n2)[:2] == (True, True)
    # Back to one email each: what waits goes now.
    n3, _, _ = the_answer(app, "ht.th002")
    assert_json(principal.send_json("PUT", "/api/me/notification-settings",
                                    {"email_digest": False}), 200)
    assert app.query("SELECT email_due_at <= now() FROM notifications WHERE id = %s",
                     (n3,)) == [(True,)]


def test_settings_refuse_bad_input(app):
    principal = app.login("ht.th003")
    got = assert_json(principal.get("/api/me/notification-settings"), 200)
    assert got == {"email": "ht.th003@hatinh.edu.vn", "email_digest": False}
    for body, field in (({}, "email_digest"), ({"email_digest": "yes"}, "email_digest"),
                        ({"email_digest": True, "email": "x@y"}, "email")):
        assert_problem(principal.send_json("PUT", "/api/me/notification-settings", body),
                       400, [field])
    assert_problem(principal.get("/api/me/notification-settings?user=admin"), 400, ["user"])
    assert assert_json(principal.get("/api/me/notification-settings"), 200) == got


def test_the_worker_needs_its_settings(app):
    env = child_env({"DATABASE_URL": app.app_url})
    for name in ("DIRECTLINE_SMTP_URL", "DIRECTLINE_SMTP_FROM", "DIRECTLINE_PUBLIC_URL"):
        env.pop(name, None)
    r = subprocess.run([directline_bin(), "deliver", "--once"], env=env, capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 2 and "DIRECTLINE_PUBLIC_URL is not set" in r.stderr
    env["DIRECTLINE_PUBLIC_URL"] = PUBLIC_URL
    env["DIRECTLINE_SMTP_URL"] = "smtp://127.0.0.1:25"
    r = subprocess.run([directline_bin(), "deliver", "--once"], env=env, capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 2 and "or neither" in r.stderr
