# test_log_secrets.py -- the server's log never holds a password, a session or CSRF token,
# a password hash or an attachment's bytes: this module signs in, changes a password,
# creates a user and resets another's password (temporary passwords), uploads files with
# a recognisable marker (one taken, one refused), sends bad requests that carry secrets,
# then reads everything the server wrote and finds none of them.

import secrets
import time

import requests

from dladmin import create_user, sign_in, signed_in
from dlapi import DEMO_PASSWORD, PNG_1PX, assert_json, assert_problem, file_issue

MARKER = "DLSECRETMARKER" + secrets.token_hex(8)


def server_output(app):
    """All the server has written so far (its log goes to standard error)."""
    out = b""
    for path in (app.server.stderr_path, app.server.stdout_path):
        out += path.read_bytes()
    return out.decode("utf-8", errors="replace")


def log_when_written(app, *lines, seconds=10.0):
    """The server's output once it holds each of `lines` (request log lines are written
    after the answer, so a moment after the client has it), or fails."""
    deadline = time.monotonic() + seconds
    while True:
        log = server_output(app)
        missing = [line for line in lines if line not in log]
        if not missing:
            return log
        assert time.monotonic() < deadline, f"no log line {missing} within {seconds:.0f} s"
        time.sleep(0.05)


def test_no_secret_reaches_the_log(app):
    secrets_seen = {}          # what must not be in the log -> where it came from

    # Sign in (the demo password, the session and CSRF tokens).
    body = assert_json(sign_in(app, "ht.th001", DEMO_PASSWORD), 200)
    secrets_seen.update({DEMO_PASSWORD: "the demo password", body["token"]: "a session token",
                         body["csrf_token"]: "a CSRF token"})
    principal = signed_in(app, "ht.th001", DEMO_PASSWORD)
    secrets_seen[principal.token] = "a session token"

    # A wrong password, and a sign-in whose body is broken after the password.
    wrong = "sai-mat-khau-" + MARKER
    assert sign_in(app, "ht.th002", wrong).status_code == 401
    r = requests.post(app.url("/api/session"), timeout=30,
                      data=f'{{"login": "ht.th002", "password": "{wrong}x", '.encode(),
                      headers={"Content-Type": "application/json"})
    assert_problem(r, 400)
    secrets_seen[wrong] = "a wrong password"

    # An admin creates a user (temporary password), who changes it; a reset gives another.
    admin = signed_in(app, "admin", DEMO_PASSWORD)
    secrets_seen[admin.token] = "the admin's session token"
    user, temporary = create_user(admin)
    secrets_seen[temporary] = "a temporary password"
    newcomer = signed_in(app, user["login"], temporary)
    secrets_seen[newcomer.token] = "a session token"
    chosen = "Mật khẩu mới " + MARKER[:12]
    r = newcomer.send_json("PUT", "/api/me/password",
                           {"current_password": temporary, "new_password": chosen})
    assert r.status_code == 204, r.text
    secrets_seen[chosen] = "a chosen password"
    r = newcomer.send_json("PUT", "/api/me/password",
                           {"current_password": "khong-dung-" + MARKER, "new_password": "x" * 12})
    assert_problem(r, 400)
    secrets_seen["khong-dung-" + MARKER] = "a wrong current password"
    reset = assert_json(admin.send_json("POST", f"/api/users/{user['login']}/password-reset",
                                        {}), 200)
    secrets_seen[reset["temporary_password"]] = "a reset's temporary password"

    # Files: one taken, one refused for its type, each with the marker in its bytes.
    ref = file_issue(principal)["ref"]
    taken = PNG_1PX + f"tEXt-{MARKER}-taken".encode()
    r = principal.post(f"/api/issues/{ref}/attachments",
                       files={"file": ("anh.png", taken, "image/png")})
    assert_json(r, 201)
    refused = f"not a picture {MARKER}-refused".encode()
    r = principal.post(f"/api/issues/{ref}/attachments",
                       files={"file": ("ghi-chu.png", refused, "image/png")})
    assert_problem(r, 415)
    secrets_seen[MARKER] = "an attachment's bytes"

    # A bearer token that is not a session, and the hashes in the database.
    bogus = secrets.token_hex(32)
    assert requests.get(app.url("/api/me"), headers={"Authorization": f"Bearer {bogus}"},
                        timeout=30).status_code == 401
    secrets_seen[bogus] = "a presented bearer token"
    for (password_hash,) in app.query("SELECT password_hash FROM users WHERE login IN "
                                      "('ht.th001', 'admin', %s)", (user["login"],)):
        secrets_seen[password_hash] = "a password hash"

    # The last requests' lines: the two uploads and the bogus bearer token.
    log = log_when_written(app, f"POST /api/issues/{ref}/attachments 201",
                           f"POST /api/issues/{ref}/attachments 415", "GET /api/me 401")
    found = [f"{where} ({value[:12]}...)" for value, where in secrets_seen.items()
             if value in log]
    assert not found, f"the server's log holds {found}"
