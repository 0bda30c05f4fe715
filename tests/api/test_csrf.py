# test_csrf.py -- a state change signed in by the session cookie must come from our own
# origin and carry the session's X-CSRF-Token; bearer-token clients are unaffected; the
# cookie stays HttpOnly and SameSite=Strict. Every refusal leaves the database as it was.

import re

import pytest
import requests

from dlapi import DEMO_PASSWORD, HEX64_RE, assert_json, assert_problem, describe

ISSUE = {"title": "Phòng học bị dột khi mưa", "description": "Mái phòng 3A bị dột.",
         "category": "THIEU-GV"}


def cookie_session(app, login):
    """A requests.Session signed in by the cookie only, and its CSRF token."""
    s = requests.Session()
    r = s.post(app.url("/api/session"), json={"login": login, "password": DEMO_PASSWORD},
               timeout=60)
    body = assert_json(r, 200)
    cookie = r.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie, cookie
    assert HEX64_RE.match(body["csrf_token"]), body
    return s, body["csrf_token"]


def origin_of(app):
    return app.base_url                       # http://127.0.0.1:<port>


@pytest.fixture(scope="module")
def principal(app):
    return cookie_session(app, "ht.th001")


def file_with(app, session, headers):
    return session.post(app.url("/api/issues"), json=ISSUE, headers=headers, timeout=30)


def test_me_gives_the_same_token(app, principal):
    s, token = principal
    me = assert_json(s.get(app.url("/api/me"), timeout=30), 200)
    assert me["csrf_token"] == token


@pytest.mark.parametrize("headers,code", [
    ({}, "csrf_token_missing"),
    ({"X-CSRF-Token": ""}, "csrf_token_missing"),
    ({"X-CSRF-Token": "0" * 64}, "csrf_token_invalid"),
    ({"X-CSRF-Token": "abc"}, "csrf_token_invalid"),
])
def test_cookie_state_change_without_the_token_is_refused(app, principal, headers, code):
    s, _ = principal
    before = app.snapshot()
    r = file_with(app, s, {"Origin": origin_of(app), **headers})
    assert assert_problem(r, 403)["code"] == code
    assert app.snapshot() == before


@pytest.mark.parametrize("headers", [
    {"Origin": "http://evil.example"},
    {"Origin": "null"},
    {"Sec-Fetch-Site": "cross-site"},
    {"Sec-Fetch-Site": "same-site"},
])
def test_cookie_state_change_from_another_site_is_refused(app, principal, headers):
    s, token = principal
    before = app.snapshot()
    r = file_with(app, s, {"X-CSRF-Token": token, **headers})
    assert assert_problem(r, 403)["code"] == "cross_site_request"
    assert app.snapshot() == before


def test_cookie_state_change_with_the_token_from_our_origin_works(app, principal):
    s, token = principal
    r = file_with(app, s, {"X-CSRF-Token": token, "Origin": origin_of(app),
                           "Sec-Fetch-Site": "same-origin"})
    issue = assert_json(r, 201)
    # The same token serves every kind of state change of this session.
    r = s.post(app.url(f"/api/issues/{issue['ref']}/comments"), json={"body": "Bổ sung ảnh."},
               headers={"X-CSRF-Token": token}, timeout=30)
    assert_json(r, 201)


def test_another_sessions_token_does_not_work(app, principal):
    s, _ = principal
    _, other_token = cookie_session(app, "ht.th002")
    r = file_with(app, s, {"X-CSRF-Token": other_token})
    assert assert_problem(r, 403)["code"] == "csrf_token_invalid"


def test_cookie_reads_need_no_token(app, principal):
    s, _ = principal
    assert_json(s.get(app.url("/api/issues?limit=1"), headers={"Origin": "http://evil.example"},
                      timeout=30), 200)


def test_bearer_clients_are_unaffected(app):
    p = app.login("ht.th003")
    r = p.send_json("POST", "/api/issues", ISSUE)
    assert_json(r, 201)
    # Even with a cookie present, the bearer header decides, and needs no CSRF token.
    browser, _ = cookie_session(app, "ht.th003")
    p.cookies.update(browser.cookies)
    assert p.cookies.get("directline_session")
    r = p.send_json("POST", "/api/issues", ISSUE, headers={"Origin": "http://evil.example"})
    assert_json(r, 201)


def test_sign_in_from_another_site_is_refused(app):
    before = app.snapshot()
    r = requests.post(app.url("/api/session"), json={"login": "ht.th001",
                      "password": DEMO_PASSWORD}, headers={"Origin": "http://evil.example"},
                      timeout=60)
    assert assert_problem(r, 403)["code"] == "cross_site_request"
    assert "Set-Cookie" not in r.headers
    assert app.snapshot() == before


def test_sign_out_by_cookie_needs_the_token(app):
    s, token = cookie_session(app, "ht.th004")
    r = s.delete(app.url("/api/session"), timeout=30)
    assert assert_problem(r, 403)["code"] == "csrf_token_missing"
    assert_json(s.get(app.url("/api/me"), timeout=30), 200)
    r = s.delete(app.url("/api/session"), headers={"X-CSRF-Token": token}, timeout=30)
    assert r.status_code == 204, describe(r)
    assert re.search(r"Max-Age=0", r.headers["Set-Cookie"])
    assert_problem(s.get(app.url("/api/me"), timeout=30), 401)
