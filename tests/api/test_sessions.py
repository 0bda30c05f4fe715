# test_sessions.py -- how long a session lives: it ends after 30 minutes unused or 12
# hours after the sign-in however it is used (both set by serve options or environment
# variables); each sign-in issues a new token and ends the session the client came with;
# the sweep deletes ended sessions. (What a password change, a reset and a deactivation
# do to sessions is in test_accounts.py and test_admin.py.)
#
# Time is moved by moving the session's timestamps back in the database.
#
# The last use is written only when the written one is over a minute old (a tenth of the
# idle limit when that is shorter), so most requests only read: a session may end up to
# that much before its idle limit, never after it.

import threading
from datetime import datetime, timedelta, timezone

import psycopg2
import requests

from conftest import Server
from dlapi import DEMO_PASSWORD, Client, assert_json, assert_problem, describe

import pytest


def token_of(client):
    return client.headers["Authorization"].split(" ", 1)[1]


def session_row(app, token):
    rows = app.query("SELECT created_at, last_seen_at, expires_at FROM sessions"
                     " WHERE token_hash = sha256(convert_to(%s, 'UTF8'))", (token,))
    assert rows, "no such session"
    return dict(zip(("created_at", "last_seen_at", "expires_at"), rows[0]))


def age(app, token, **columns):
    """Moves the named timestamps of the session back by the given intervals."""
    sets = ", ".join(f"{c} = {c} - %s::interval" for c in columns)
    app.query(f"UPDATE sessions SET {sets} WHERE token_hash = sha256(convert_to(%s, 'UTF8'))",
              (*columns.values(), token))


def assert_ended(r):
    assert assert_problem(r, 401)["code"] == "session_ended", describe(r)


def test_a_session_unused_for_30_minutes_has_ended(app):
    client = app.login("ht.th011")
    token = token_of(client)
    age(app, token, last_seen_at="29 minutes")
    assert_json(client.get("/api/me"), 200)
    seen = session_row(app, token)["last_seen_at"]
    assert datetime.now(timezone.utc) - seen < timedelta(minutes=1)   # the use counted
    age(app, token, last_seen_at="30 minutes 1 second")
    assert_ended(client.get("/api/me"))


def row_version(app, token):
    """The session row's xmin: it changes when anything writes the row."""
    return app.query("SELECT xmin::text FROM sessions"
                     " WHERE token_hash = sha256(convert_to(%s, 'UTF8'))", (token,))[0][0]


def next_xid(app):
    return app.query("SELECT txid_snapshot_xmax(txid_current_snapshot())")[0][0]


def test_the_last_use_is_written_only_once_it_is_a_minute_old(app):
    school, ref = app.query("SELECT s.code, i.ref FROM issues i JOIN schools s"
                            " ON s.id = i.school_id ORDER BY s.code DESC, i.id LIMIT 1")[0]
    client = app.login("ht." + school.lower())
    token = token_of(client)
    age(app, token, last_seen_at="30 seconds")
    seen, version = session_row(app, token)["last_seen_at"], row_version(app, token)
    # No transaction id is taken (so no commit record and no WAL flush). Something else
    # in the cluster (autovacuum's ANALYZE) may take one meanwhile: one clean try of
    # several is the proof, while a request that writes spoils every try.
    moved = []
    for _ in range(5):
        before = next_xid(app)
        assert_json(client.get("/api/me"), 200)
        assert_json(client.get(f"/api/issues/{ref}"), 200)
        moved.append(next_xid(app) - before)
        if moved[-1] == 0:
            break
    assert 0 in moved, f"transaction ids taken by each pair of reads: {moved}"
    assert session_row(app, token)["last_seen_at"] == seen
    assert row_version(app, token) == version
    # Over a minute old: the next request writes it.
    age(app, token, last_seen_at="31 seconds")
    assert_json(client.get("/api/me"), 200)
    assert session_row(app, token)["last_seen_at"] > seen


def test_a_request_does_not_wait_for_a_lock_on_its_session(app):
    """Another transaction holds the session's row (as a request writing its last use
    would, until its commit reached the disk): requests of the same user go on."""
    client = app.login("ht.th018")
    token = token_of(client)
    answers = []
    reader = threading.Thread(target=lambda: answers.append(client.get("/api/me")))
    conn = psycopg2.connect(app.db_url, connect_timeout=10)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM sessions WHERE token_hash = sha256(convert_to(%s, 'UTF8'))"
                        " FOR UPDATE", (token,))
            reader.start()
            reader.join(60)      # the lock is held for as long as this waits
            assert answers, "a read waited for the lock on its session's row"
            assert_json(answers[0], 200)
    finally:
        conn.rollback()
        conn.close()
        if reader.is_alive():
            reader.join(60)


def test_a_logout_ends_the_session_at_once_on_every_server(app):
    other = Server(app.app_url, app.logdir).start()
    try:
        client = app.login("ht.th019")
        token = token_of(client)
        elsewhere = Client(other.base_url, token)
        assert_json(client.get("/api/me"), 200)
        assert_json(elsewhere.get("/api/me"), 200)       # used a moment ago, here and there
        assert client.delete("/api/session").status_code == 204
        assert_ended(elsewhere.get("/api/me"))
        assert_ended(client.get("/api/me"))
    finally:
        problems = other.stop()
    assert not problems, "\n".join(problems)


def test_a_session_ends_12_hours_after_the_sign_in_however_used(app):
    r = requests.post(app.url("/api/session"), json={"login": "ht.th012",
                                                     "password": DEMO_PASSWORD}, timeout=60)
    body = assert_json(r, 200)
    client = Client(app.base_url, body["token"])
    row = session_row(app, body["token"])
    assert row["expires_at"] - row["created_at"] == timedelta(hours=12)
    expires = datetime.fromisoformat(body["expires_at"])
    assert abs(expires - row["expires_at"]) < timedelta(seconds=1)
    assert_json(client.get("/api/me"), 200)
    assert session_row(app, body["token"])["expires_at"] == row["expires_at"]   # not slid
    # Used a minute ago, but signed in 12 hours ago: ended.
    age(app, body["token"], created_at="12 hours", expires_at="12 hours")
    assert_ended(client.get("/api/me"))


def test_each_sign_in_issues_a_new_token_and_ends_the_one_presented(app):
    first = app.login("ht.th013")
    second = app.login("ht.th013")
    assert token_of(first) != token_of(second)
    assert_json(first.get("/api/me"), 200)             # separate devices: both live
    # A browser signing in again with its old cookie: the old session is over.
    s = requests.Session()
    s.cookies.set("directline_session", token_of(first))
    r = s.post(app.url("/api/session"), json={"login": "ht.th013", "password": DEMO_PASSWORD},
               timeout=60)
    body = assert_json(r, 200)
    assert body["token"] not in (token_of(first), token_of(second))
    assert_ended(first.get("/api/me"))
    assert_json(second.get("/api/me"), 200)
    # A failed sign-in ends nothing.
    s.cookies.set("directline_session", token_of(second))
    assert_problem(s.post(app.url("/api/session"), json={"login": "ht.th013", "password": "x"},
                          timeout=60), 401)
    assert_json(second.get("/api/me"), 200)


def test_a_token_of_the_right_shape_that_the_server_does_not_know_has_ended(app):
    # The server keeps no record of tokens that are gone, so it cannot tell a token that
    # ended from one it never gave out: both are session_ended (docs/api.md says so).
    assert_ended(Client(app.base_url, "0" * 64).get("/api/me"))
    # A token of the wrong shape is no session at all.
    body = assert_problem(Client(app.base_url, "not-a-token").get("/api/me"), 401)
    assert body["code"] != "session_ended", body


def test_the_sweep_deletes_ended_sessions(app):
    client = app.login("ht.th014")
    token = token_of(client)
    live = app.login("ht.th014")
    age(app, token, created_at="13 hours", expires_at="13 hours")
    p = app.cli("sweep")
    assert p.returncode == 0, p.stderr
    assert not app.query("SELECT 1 FROM sessions WHERE token_hash = sha256(convert_to(%s, 'UTF8'))",
                         (token,))
    assert_json(live.get("/api/me"), 200)


def test_the_limits_are_set_by_options_and_environment(app):
    server = Server(app.app_url, app.logdir, extra_env={"DIRECTLINE_SESSION_HOURS": "2"},
                    extra_args=["--session-idle-minutes", "1"]).start()
    try:
        r = requests.post(server.base_url + "/api/session",
                          json={"login": "ht.th015", "password": DEMO_PASSWORD}, timeout=60)
        token = assert_json(r, 200)["token"]
        row = session_row(app, token)
        assert row["expires_at"] - row["created_at"] == timedelta(hours=2)
        client = Client(server.base_url, token)
        age(app, token, last_seen_at="50 seconds")
        assert_json(client.get("/api/me"), 200)
        age(app, token, last_seen_at="61 seconds")
        assert_ended(client.get("/api/me"))
    finally:
        problems = server.stop()
    assert not problems, "\n".join(problems)
    server = Server(app.app_url, app.logdir, extra_args=["--session-hours", "3"]).start()
    try:
        r = requests.post(server.base_url + "/api/session",
                          json={"login": "ht.th015", "password": DEMO_PASSWORD}, timeout=60)
        row = session_row(app, assert_json(r, 200)["token"])
        assert row["expires_at"] - row["created_at"] == timedelta(hours=3)
    finally:
        problems = server.stop()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("args", [["--session-idle-minutes", "0"], ["--session-hours", "x"],
                                  ["--sign-in-queue", "0"]])
def test_bad_limits_are_refused(app, args):
    p = app.cli("serve", "--listen", "127.0.0.1:1", *args)
    assert p.returncode == 2, p.stderr
    assert "bad arguments" in p.stderr


def test_help_names_the_limits(app):
    out = app.cli("serve", "--help").stdout
    for word in ("--session-idle-minutes", "$DIRECTLINE_SESSION_IDLE_MINUTES", "--session-hours",
                 "$DIRECTLINE_SESSION_HOURS", "--sign-in-queue", "$DIRECTLINE_SIGN_IN_QUEUE"):
        assert word in out
