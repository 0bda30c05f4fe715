# test_accounts.py -- one's own password (PUT /api/me/password), temporary passwords that
# open nothing but the way to replace them, and what a reset or a deactivation does to
# the sessions a user holds.

import requests

from dlapi import DEMO_PASSWORD, Client, FromAddress, assert_json, assert_problem, describe
from dladmin import (admin_snapshot, assert_unchanged, audit_since, create_user,
                     max_audit_id, sign_in, signed_in)

import pytest


@pytest.fixture(scope="module")
def admin(app):
    return app.login("admin")


def change(client, current, new, **extra):
    body = {"current_password": current, "new_password": new}
    body.update(extra)
    return client.send_json("PUT", "/api/me/password", body)


# --------------------------------------------------------------------------- own password

def test_me_says_whether_the_password_must_change(app):
    me = assert_json(app.login("ht.th003").get("/api/me"), 200)
    assert me["must_change_password"] is False


def test_change_password_ends_other_sessions_only(app):
    first = app.login("ht.th004")
    second = app.login("ht.th004")
    before_audit = max_audit_id(app)
    r = change(first, DEMO_PASSWORD, "Mật khẩu mới của trường 004")
    assert r.status_code == 204, describe(r)
    assert r.content == b""
    assert_json(first.get("/api/me"), 200)                      # this session goes on
    assert_problem(second.get("/api/me"), 401)                  # the other one has ended
    assert_problem(sign_in(app, "ht.th004", DEMO_PASSWORD), 401)
    signed_in(app, "ht.th004", "Mật khẩu mới của trường 004")
    stored = app.query("SELECT password_hash, must_change_password FROM users"
                       " WHERE login = 'ht.th004'")[0]
    assert stored[0].startswith("$argon2id$") and "004" not in stored[0]
    assert stored[1] is False
    # Not an admin change: no audit row.
    assert audit_since(app, before_audit) == []


def test_wrong_current_password_is_a_field_error_and_changes_nothing(app):
    client = app.login("ht.th005")
    before = admin_snapshot(app)
    r = change(client, "not-the-password", "Một mật khẩu mới dài")
    body = assert_problem(r, 400, fields=["current_password"])
    assert [e["code"] for e in body["errors"]] == ["wrong_password"]
    assert_unchanged(app, before, r)
    assert_json(client.get("/api/me"), 200)
    signed_in(app, "ht.th005", DEMO_PASSWORD)


@pytest.mark.parametrize("current,new,field,code", [
    (DEMO_PASSWORD, "short", "new_password", "too_short"),
    (DEMO_PASSWORD, "ngắn ngắn", "new_password", "too_short"),      # 9 characters, 12 bytes
    (DEMO_PASSWORD, "x" * 201, "new_password", "too_long"),
    (DEMO_PASSWORD, " " * 12, "new_password", "blank"),                 # sign-in could not use it
    (DEMO_PASSWORD, " \t\r\n" * 4, "new_password", "blank"),
    (DEMO_PASSWORD, "ă" * 600, "new_password", "too_long_bytes"),       # 1,200 bytes
    ("ă" * 600, "Một mật khẩu mới dài", "current_password", "too_long_bytes"),
    (DEMO_PASSWORD, DEMO_PASSWORD, "new_password", "unchanged"),
    (DEMO_PASSWORD, None, "new_password", "required"),
    (None, "Một mật khẩu mới dài", "current_password", "required"),
    (DEMO_PASSWORD, 12345678901, "new_password", "not_text"),
    (["x"], "Một mật khẩu mới dài", "current_password", "not_text"),
])
def test_bad_new_password_is_refused(app, current, new, field, code):
    client = app.login("ht.th006")
    body = {}
    if current is not None:
        body["current_password"] = current
    if new is not None:
        body["new_password"] = new
    before = admin_snapshot(app)
    r = client.send_json("PUT", "/api/me/password", body)
    problem = assert_problem(r, 400, fields=[field])
    assert code in [e["code"] for e in problem["errors"] if e["field"] == field], problem
    if code in ("too_short", "too_long", "too_long_bytes"):
        e = next(e for e in problem["errors"] if e["code"] == code)
        assert e["params"] == {"too_short": {"min": 10}, "too_long": {"max": 200},
                               "too_long_bytes": {"max": 1024}}[code]
    assert_unchanged(app, before, r)


def test_a_password_with_spaces_signs_in_as_it_was_set(app):
    # Sign-in reads the password raw, like the change: spaces around it count, and a
    # password that only starts with spaces is a password.
    client = app.login("ht.th007")
    spaced = "   mật khẩu có dấu cách   "
    assert change(client, DEMO_PASSWORD, spaced).status_code == 204
    assert_problem(sign_in(app, "ht.th007", spaced.strip()), 401)
    signed_in(app, "ht.th007", spaced)


def test_sign_in_passwords_are_bound_in_bytes_and_blank_is_just_wrong(app):
    # 600 characters are 1,200 bytes: too long for a sign-in as for a change.
    problem = assert_problem(sign_in(app, "ht.th008", "ă" * 600), 400, fields=["password"])
    e = problem["errors"][0]
    assert (e["code"], e["params"]) == ("too_long_bytes", {"max": 1024}), problem
    # Only spaces is a wrong password like any other, not a malformed request.
    assert assert_problem(sign_in(app, "ht.th008", " " * 12), 401)["code"] == "bad_login"
    signed_in(app, "ht.th008", DEMO_PASSWORD)


def client_from(app, source, login):
    """A bearer client for login whose connections come from `source`."""
    r = requests.post(app.url("/api/session"), json={"login": login, "password": DEMO_PASSWORD},
                      timeout=60)
    c = Client(app.base_url, assert_json(r, 200)["token"])
    c.mount("http://", FromAddress(source))
    return c


def failures(app, source, login):
    return app.query("SELECT count(*) FROM sign_in_failures WHERE address = %s AND login = %s",
                     (source, login))[0][0]


def test_wrong_current_passwords_are_throttled_like_sign_ins(app):
    source = "127.0.10.1"
    client = client_from(app, source, "ht.th009")
    for i in range(10):
        r = change(client, f"sai {i}", "Một mật khẩu mới dài")
        assert_problem(r, 400, fields=["current_password"])
    # The 11th is refused before any check, even with the right password, and so is a
    # sign-in of that login from that address: they share one counter.
    r = change(client, DEMO_PASSWORD, "Một mật khẩu mới dài")
    assert assert_problem(r, 429)["code"] == "too_many_sign_ins"
    assert 1 <= int(r.headers["Retry-After"]) <= 15 * 60, describe(r)
    with requests.Session() as s:
        s.mount("http://", FromAddress(source))
        r = s.post(app.url("/api/session"), json={"login": "ht.th009", "password": DEMO_PASSWORD},
                   timeout=60)
    assert_problem(r, 429)
    assert failures(app, source, "ht.th009") == 10
    signed_in(app, "ht.th009", DEMO_PASSWORD)            # the old password still holds


def test_a_right_current_password_clears_the_failures(app):
    source = "127.0.10.2"
    client = client_from(app, source, "ht.th010")
    for i in range(9):
        assert_problem(change(client, f"sai {i}", "Một mật khẩu mới dài"), 400)
    assert failures(app, source, "ht.th010") == 9
    assert change(client, DEMO_PASSWORD, "Một mật khẩu mới dài").status_code == 204
    assert failures(app, source, "ht.th010") == 0


def test_new_password_may_not_be_the_login(app, admin):
    user, temp = create_user(admin, login="thu.matkhau01", school="TH015")
    client = signed_in(app, user["login"], temp)
    before = admin_snapshot(app)
    r = change(client, temp, "thu.matkhau01")
    problem = assert_problem(r, 400, fields=["new_password"])
    assert [e["code"] for e in problem["errors"]] == ["same_as_login"]
    assert_unchanged(app, before, r)


def test_password_body_is_checked_strictly(app):
    client = app.login("ht.th006")
    before = admin_snapshot(app)
    r = change(client, DEMO_PASSWORD, "Một mật khẩu mới dài", extra="x")
    assert_problem(r, 400, fields=["extra"])
    r = client.send_raw("PUT", "/api/me/password", b"current_password=x",
                        content_type="application/x-www-form-urlencoded")
    assert_problem(r, 415)
    r = client.send_raw("PUT", "/api/me/password", b"{")
    assert_problem(r, 400)
    assert_unchanged(app, before, r)
    assert_problem(app.client().send_json("PUT", "/api/me/password",
                                          {"current_password": DEMO_PASSWORD,
                                           "new_password": "Một mật khẩu mới dài"}), 401)


# --------------------------------------------------------------------------- temporary

ALLOWED_BEFORE_CHANGE = [("GET", "/api/me")]
BLOCKED_BEFORE_CHANGE = [
    ("GET", "/api/issues", None), ("GET", "/api/categories", None),
    ("GET", "/api/schools", None), ("GET", "/api/reports/monthly?month=2026-10", None),
    ("POST", "/api/issues", {"title": "Thử", "description": "Thử", "category": "THIEU-GV"}),
    ("GET", "/api/sla-policies", None),
]


def test_temporary_password_opens_only_the_password_change(app, admin):
    user, temp = create_user(admin, school="TH011")
    assert user["must_change_password"] is True
    r = sign_in(app, user["login"], temp)
    body = assert_json(r, 200)
    assert body["user"]["must_change_password"] is True
    client = signed_in(app, user["login"], temp)
    me = assert_json(client.get("/api/me"), 200)
    assert me["must_change_password"] is True
    for method, path, payload in BLOCKED_BEFORE_CHANGE:
        before = admin_snapshot(app)
        issues_before = app.snapshot()
        r = client.send_json(method, path, payload) if payload else client.request(method, path)
        problem = assert_problem(r, 403)
        assert problem["code"] == "password_change_required", describe(r)
        assert app.snapshot() == issues_before
        assert_unchanged(app, before, r)
    # The temporary password is the current one; the new one may not be it again.
    assert_problem(change(client, temp, temp), 400, fields=["new_password"])
    r = change(client, temp, "Mật khẩu riêng của tôi 2026")
    assert r.status_code == 204, describe(r)
    me = assert_json(client.get("/api/me"), 200)
    assert me["must_change_password"] is False
    assert_json(client.get("/api/issues"), 200)
    # The temporary password worked once and is dead now.
    assert_problem(sign_in(app, user["login"], temp), 401)
    signed_in(app, user["login"], "Mật khẩu riêng của tôi 2026")


def test_signing_out_is_allowed_before_the_change(app, admin):
    user, temp = create_user(admin, school="TH012")
    client = signed_in(app, user["login"], temp)
    r = client.delete("/api/session")
    assert r.status_code == 204, describe(r)
    assert_problem(client.get("/api/me"), 401)


def test_cookie_sessions_are_held_to_it_too(app, admin):
    user, temp = create_user(admin, school="TH013")
    r = sign_in(app, user["login"], temp)
    token = r.json()["token"]
    cookies = {"directline_session": token}
    r = requests.get(app.url("/api/issues"), cookies=cookies, timeout=30)
    assert assert_problem(r, 403)["code"] == "password_change_required"
    assert_json(requests.get(app.url("/api/me"), cookies=cookies, timeout=30), 200)


# --------------------------------------------------------------------------- reset, deactivate

def test_reset_ends_sessions_and_requires_a_change(app, admin):
    login = "ht.th020"
    sessions = [app.login(login), app.login(login)]
    before_audit = max_audit_id(app)
    doc = assert_json(admin.send_json("POST", f"/api/users/{login}/password-reset", {}), 200)
    temp = doc["temporary_password"]
    for s in sessions:
        assert_problem(s.get("/api/me"), 401)
    assert app.query("SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id"
                     " WHERE u.login = %s", (login,))[0][0] == 0
    assert_problem(sign_in(app, login, DEMO_PASSWORD), 401)
    client = signed_in(app, login, temp)
    assert client.user["must_change_password"] is True
    assert assert_problem(client.get("/api/issues"), 403)["code"] == "password_change_required"
    rows = audit_since(app, before_audit)
    assert [(r["action"], r["target"], r["actor"]) for r in rows] == \
        [("user.password_reset", login, "admin")]
    assert rows[0]["details"]["sessions_ended"] == 2
    assert temp not in str(rows[0]["details"])
    assert change(client, temp, "Mật khẩu mới sau khi cấp lại").status_code == 204
    assert_json(client.get("/api/issues"), 200)


def test_deactivation_ends_sessions_and_blocks_sign_in(app, admin):
    login = "ht.th021"
    client = app.login(login)
    r = admin.send_json("PATCH", f"/api/users/{login}", {"active": False})
    assert assert_json(r, 200)["active"] is False
    assert_problem(client.get("/api/me"), 401)
    assert_problem(sign_in(app, login, DEMO_PASSWORD), 401)
    # Signing in again, once active, works with the same password.
    assert_json(admin.send_json("PATCH", f"/api/users/{login}", {"active": True}), 200)
    signed_in(app, login, DEMO_PASSWORD)


def test_temporary_passwords_are_never_logged(app, admin):
    _, temp = create_user(admin, school="TH014")
    reset = assert_json(admin.send_json("POST", "/api/users/ht.th022/password-reset", {}), 200)
    for path in (app.server.stdout_path, app.server.stderr_path):
        text = path.read_text(errors="replace")
        assert temp not in text and reset["temporary_password"] not in text, path
    details = " ".join(str(r[0]) for r in app.query("SELECT details FROM admin_events"))
    assert temp not in details and reset["temporary_password"] not in details
    hashes = app.query("SELECT password_hash FROM users WHERE login = 'ht.th022'")[0][0]
    assert hashes.startswith("$argon2id$")


# --------------------------------------------------------------------------- last admin
# Last in the module: it takes the demo's admin out for a while.

def test_two_admins_demoting_each_other_at_once_leave_one(app, admin):
    import threading

    admins = []
    for _ in range(2):
        user, temp = create_user(admin, role="admin", school=...)
        client = signed_in(app, user["login"], temp)
        assert change(client, temp, "Quản trị viên thứ hai 2026").status_code == 204
        admins.append((user["login"], client))
    (a_login, a), (b_login, b) = admins
    assert_json(a.send_json("PATCH", "/api/users/admin", {"active": False}), 200)
    try:
        statuses = {}
        barrier = threading.Barrier(2)

        def demote(client, target):
            barrier.wait()
            statuses[target] = client.send_json("PATCH", f"/api/users/{target}",
                                                {"role": "supervisor"}).status_code

        threads = [threading.Thread(target=demote, args=(a, b_login)),
                   threading.Thread(target=demote, args=(b, a_login))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert sorted(statuses.values())[0] == 200, statuses
        assert sorted(statuses.values())[1] in (403, 409), statuses
        left = app.query("SELECT login FROM users WHERE role = 'admin' AND active")
        assert len(left) == 1, left
    finally:
        survivor = a if statuses.get(b_login) == 200 else b
        assert_json(survivor.send_json("PATCH", "/api/users/admin", {"active": True}), 200)
