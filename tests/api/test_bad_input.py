# test_bad_input.py -- every row of the Errors table of docs/api.md: each bad request gets
# its status, an application/problem+json body (type, title, status, detail; for 400 an
# errors[] naming the field) and leaves the database exactly as it was. The server must
# still be up at the end.

import json

import pytest
import requests

from dlapi import act_ok, assert_json, assert_problem, describe, file_issue

VALID = {"title": "Thiếu giáo viên Âm nhạc", "description": "Trường chưa có giáo viên Âm nhạc.",
         "category": "THIEU-GV"}
LONG_VI = "ệ"       # one character, three bytes in UTF-8


DROP = object()     # with_(field=DROP) leaves the field out


def with_(**changes):
    """VALID with some fields changed or dropped."""
    body = dict(VALID)
    for k, v in changes.items():
        if v is DROP:
            body.pop(k, None)
        else:
            body[k] = v
    return body


@pytest.fixture(scope="module")
def ctx(app):
    principal = app.login("ht.th001")
    officer = app.login("cb.tccb1")
    other = file_issue(principal, title="Vấn đề khác để đánh dấu trùng",
                       description="Một vấn đề đã có.")
    target = file_issue(principal, title="Thiếu đồ dùng dạy học môn Toán",
                        description="Thiếu bộ đồ dùng dạy học Toán lớp 1.")
    act_ok(officer, target["ref"], "triage")      # resolve is possible from here
    return {"p": principal, "o": officer, "ref": target["ref"], "other": other["ref"]}


def refused(app, ctx, send, status, fields=()):
    """Send; expect a problem with this status (naming fields); nothing changed."""
    before = app.snapshot()
    rows_before = (app.issue_row(ctx["ref"]), app.issue_row(ctx["other"]))
    r = send()
    body = assert_problem(r, status, fields)
    assert app.snapshot() == before, f"database changed by {describe(r)}"
    assert (app.issue_row(ctx["ref"]), app.issue_row(ctx["other"])) == rows_before
    return body


# --------------------------------------------------------------------------- POST /api/issues

TITLE_OR_BODY = ("title", "body")


def vj(obj):
    return json.dumps(obj, ensure_ascii=False).encode("utf-8")


FILE_CASES = [
    # id, body (dict -> JSON, bytes -> as is), fields errors[] must name
    ("malformed-json", b'{"title": "Thi\xe1\xba\xbfu", "description": ', []),
    ("trailing-garbage", vj(VALID) + b" x", []),
    ("empty-body", b"", []),
    ("json-array", vj([VALID]), []),
    ("json-empty-array", b"[]", []),
    ("json-string", b'"title"', []),
    ("json-null", b"null", []),
    ("raw-nul-byte", vj(VALID).replace(b"\xc3\x82m", b"\x00m"), []),
    ("lone-surrogate-escape", vj(with_(title="x")).replace(b'"x"', b'"\\ud800"'), []),
    # Bytes that are not UTF-8 may be reported against the field or against the whole
    # body (a server may check the body before it parses it); either tells what to fix.
    ("invalid-utf8-truncated", vj(with_(title="TITLE")).replace(b"TITLE", b"Thi\xe1\xbb"), [TITLE_OR_BODY]),
    ("invalid-utf8-overlong", vj(with_(title="TITLE")).replace(b"TITLE", b"a\xc0\xafb"), [TITLE_OR_BODY]),
    ("invalid-utf8-surrogate", vj(with_(title="TITLE")).replace(b"TITLE", b"a\xed\xa0\x80b"), [TITLE_OR_BODY]),
    ("invalid-utf8-continuation", vj(with_(title="TITLE")).replace(b"TITLE", b"a\x80b"), [TITLE_OR_BODY]),
    ("invalid-utf8-beyond-10ffff", vj(with_(title="TITLE")).replace(b"TITLE", b"a\xf4\x90\x80\x80"), [TITLE_OR_BODY]),
    ("invalid-utf8-description", vj(with_(description="DESC")).replace(b"DESC", b"m\xff\xfe"), [("description", "body")]),
    ("missing-title", with_(title=DROP), ["title"]),
    ("missing-description", with_(description=DROP), ["description"]),
    ("missing-category", with_(category=DROP), ["category"]),
    ("empty-object", {}, ["title", "description", "category"]),
    ("empty-title", with_(title=""), ["title"]),
    ("whitespace-title", with_(title="  \t\n  "), ["title"]),
    ("empty-description", with_(description=""), ["description"]),
    ("whitespace-description", with_(description="   "), ["description"]),
    ("title-201-vietnamese", with_(title=LONG_VI * 201), ["title"]),
    ("title-201-ascii", with_(title="a" * 201), ["title"]),
    ("description-10001", with_(description=LONG_VI * 10001), ["description"]),
    ("proposed-solution-10001", with_(proposed_solution=LONG_VI * 10001), ["proposed_solution"]),
    ("title-number", with_(title=5), ["title"]),
    ("title-null", with_(title=None), ["title"]),
    ("title-object", with_(title={"vi": "Thiếu"}), ["title"]),
    ("description-bool", with_(description=True), ["description"]),
    ("proposed-solution-array", with_(proposed_solution=[]), ["proposed_solution"]),
    ("proposed-solution-number", with_(proposed_solution=0), ["proposed_solution"]),
    ("category-number", with_(category=7), ["category"]),
    ("priority-number", with_(priority=1), ["priority"]),
    ("unknown-field", with_(foo=1), ["foo"]),
    ("unknown-field-status", with_(status="closed"), ["status"]),
    ("unknown-field-school", with_(school="TH002"), ["school"]),
    ("duplicate-key", b'{"title": "A", "title": "B", "description": "M\xc3\xb4 t\xe1\xba\xa3.", '
                      b'"category": "THIEU-GV"}', ["title"]),
    ("nul-escape-title", vj(with_(title="X")).replace(b'"X"', b'"abc\\u0000def"'), [TITLE_OR_BODY]),
    ("nul-escape-description", vj(with_(description="X")).replace(b'"X"', b'"\\u0000"'), [("description", "body")]),
    ("unknown-category", with_(category="KHONG-CO"), ["category"]),
    ("lowercase-category", with_(category="thieu-gv"), ["category"]),
    ("unknown-priority", with_(priority="critical"), ["priority"]),
    ("uppercase-priority", with_(priority="HIGH"), ["priority"]),
    ("two-bad-fields", with_(title=DROP, priority="critical"), ["title", "priority"]),
]


@pytest.mark.parametrize("body,fields", [(c[1], c[2]) for c in FILE_CASES],
                         ids=[c[0] for c in FILE_CASES])
def test_file_issue_bad_body(app, ctx, body, fields):
    def send():
        if isinstance(body, bytes):
            return ctx["p"].send_raw("POST", "/api/issues", body)
        return ctx["p"].send_json("POST", "/api/issues", body)
    refused(app, ctx, send, 400, fields)


def test_title_of_200_vietnamese_characters_is_accepted(app, ctx):
    # The positive control of the 201-character case: the limit counts characters, not bytes.
    title = LONG_VI * 200
    before = app.snapshot()
    r = ctx["p"].send_json("POST", "/api/issues", with_(title=title,
                                                        description=LONG_VI * 10000,
                                                        proposed_solution=LONG_VI * 10000))
    assert r.status_code == 201, describe(r)
    assert r.json()["title"] == title
    assert app.snapshot()["issues"] == before["issues"] + 1


def test_null_priority_means_no_suggestion(app, ctx):
    # The doc says "optional priority" and is silent on null; a form with nothing chosen
    # sends null, and the principal expects the category's default, not an error.
    r = ctx["p"].send_json("POST", "/api/issues", with_(priority=None))
    assert r.status_code == 201, describe(r)
    assert r.json()["priority"] == "normal"


def test_json_with_charset_is_json(app, ctx):
    r = ctx["p"].send_raw("POST", "/api/issues", vj(VALID),
                          content_type="application/json; charset=utf-8")
    assert r.status_code == 201, describe(r)


# --------------------------------------------------------------------------- content type, size

@pytest.mark.parametrize("ctype", ["text/plain", None, "application/x-www-form-urlencoded",
                                   "multipart/form-data; boundary=x", "application/jsonx"],
                         ids=["text-plain", "none", "form", "multipart", "jsonx"])
def test_wrong_content_type_is_415(app, ctx, ctype):
    refused(app, ctx, lambda: ctx["p"].send_raw("POST", "/api/issues", vj(VALID),
                                                content_type=ctype), 415)


@pytest.mark.parametrize("path,who", [("/api/issues/{ref}/actions", "o"),
                                      ("/api/issues/{ref}/comments", "p"),
                                      ("/api/issues/{ref}", "o"),
                                      ("/api/session", "p")],
                         ids=["actions", "comments", "patch", "session"])
def test_wrong_content_type_other_endpoints(app, ctx, path, who):
    method = "PATCH" if path == "/api/issues/{ref}" else "POST"
    body = {"/api/issues/{ref}/actions": {"action": "start"},
            "/api/issues/{ref}/comments": {"body": "Ý kiến.", "internal": False},
            "/api/issues/{ref}": {"priority": "high"},
            "/api/session": {"login": "ht.th001", "password": "hatinh-demo-2026"}}[path]
    refused(app, ctx, lambda: ctx[who].send_raw(method, path.format(ref=ctx["ref"]), vj(body),
                                                content_type="text/plain"), 415)


def sized_body(total):
    """A filing body of exactly `total` bytes (description padded with ASCII)."""
    base = len(vj(with_(description="")))
    body = vj(with_(description="a" * (total - base)))
    assert len(body) == total
    return body


def test_body_of_64_kib_is_read_and_validated(app, ctx):
    # Exactly 64 KiB is not "over" the limit: it is read, and refused for its length.
    refused(app, ctx, lambda: ctx["p"].send_raw("POST", "/api/issues", sized_body(65536)),
            400, ["description"])


def test_body_over_64_kib_is_413(app, ctx):
    # One byte over: the client must get the 413 (a principal pasting a long text needs
    # to read why), so the server may not reset the connection before answering.
    refused(app, ctx, lambda: ctx["p"].send_raw("POST", "/api/issues", sized_body(65537)), 413)


def test_body_of_1_mib_is_refused(app, ctx):
    # Far over: a server may answer 413 early and close before reading it all.
    before = app.snapshot()
    try:
        r = ctx["p"].send_raw("POST", "/api/issues", sized_body(1 << 20))
        assert_problem(r, 413)
    except requests.ConnectionError:
        pass
    assert app.snapshot() == before
    assert requests.get(app.url("/healthz"), timeout=10).status_code == 200


def test_chunked_body_over_64_kib_is_refused(app, ctx):
    # No Content-Length: the limit must hold while reading. A server may answer 413
    # early and close the connection before the client has sent everything.
    def chunks():
        yield b'{"title": "x", "description": "'
        for _ in range(12):
            yield b"a" * 8192
        yield b'", "category": "THIEU-GV"}'

    before = app.snapshot()
    r = ctx["p"].send_raw("POST", "/api/issues", chunks())
    assert assert_problem(r, 413)["code"] == "too_large"
    assert app.snapshot() == before
    assert requests.get(app.url("/healthz"), timeout=10).status_code == 200


def test_chunked_body_past_the_discard_bound_closes_the_connection(app, ctx):
    # A client that keeps sending is not read forever: past 1 MiB more, the server hangs up.
    def endless():
        yield b'{"title": "'
        for _ in range(400):
            yield b"a" * 8192
    before = app.snapshot()
    with pytest.raises(requests.ConnectionError):
        ctx["p"].send_raw("POST", "/api/issues", endless())
    assert app.snapshot() == before
    assert requests.get(app.url("/healthz"), timeout=10).status_code == 200


# --------------------------------------------------------------------------- routes, methods

@pytest.mark.parametrize("path", ["/api/nothing", "/api/issue", "/api/issues/{ref}/nothing",
                                  "/api/issues/{ref}/actions/extra", "/api/v2/issues",
                                  "/api/clusters/CM01/schools"])
def test_unknown_route_is_404(app, ctx, path):
    refused(app, ctx, lambda: ctx["p"].get(path.format(ref=ctx["ref"])), 404)


METHODS = [
    ("DELETE", "/api/issues", {"GET", "POST"}),
    ("PUT", "/api/issues", {"GET", "POST"}),
    ("PUT", "/api/issues/{ref}", {"GET", "PATCH"}),
    ("DELETE", "/api/issues/{ref}", {"GET", "PATCH"}),
    ("POST", "/api/issues/{ref}", {"GET", "PATCH"}),
    ("GET", "/api/issues/{ref}/actions", {"POST"}),
    ("DELETE", "/api/issues/{ref}/comments", {"POST"}),
    ("POST", "/api/me", {"GET"}),
    ("PUT", "/api/session", {"POST", "DELETE"}),
    ("PUT", "/api/clusters", {"GET", "POST"}),
    ("DELETE", "/api/schools", {"GET"}),
    ("PATCH", "/api/categories", {"GET"}),
    ("POST", "/healthz", {"GET"}),
]


@pytest.mark.parametrize("method,path,allowed", METHODS,
                         ids=[f"{m}-{p}" for m, p, _ in METHODS])
def test_wrong_method_is_405_with_allow(app, ctx, method, path, allowed):
    def send():
        return ctx["o"].request(method, path.format(ref=ctx["ref"]), data=vj({}),
                                headers={"Content-Type": "application/json"})
    before = app.snapshot()
    r = send()
    assert_problem(r, 405)
    allow = {m.strip().upper() for m in (r.headers.get("Allow") or "").split(",") if m.strip()}
    assert allow >= allowed, f"Allow: {r.headers.get('Allow')!r}"
    assert method not in allow
    assert app.snapshot() == before


# --------------------------------------------------------------------------- refs in URLs

# (An encoded NUL, "HT-2026-%00", is refused as 400 before routing: test_http_framing.py.)
BAD_REFS = ["not-a-ref", "HT-2026-12345", "ht-2026-000001", "HT-26-000001", "HT-2026-00000a",
            "HT-2026-000001'%20OR%20'1'='1", "HT-2026-" + "1" * 500,
            "HT-2026-999999", "HT-1999-000001", "%E1%BB%87"]


@pytest.mark.parametrize("ref", BAD_REFS, ids=[r[:20] for r in BAD_REFS])
@pytest.mark.parametrize("endpoint", ["get", "patch", "actions", "comments"])
def test_bad_or_unknown_ref_is_404(app, ctx, ref, endpoint):
    def send():
        if endpoint == "get":
            return ctx["o"].get(f"/api/issues/{ref}")
        if endpoint == "patch":
            return ctx["o"].send_json("PATCH", f"/api/issues/{ref}", {"priority": "high"})
        if endpoint == "actions":
            return ctx["o"].send_json("POST", f"/api/issues/{ref}/actions", {"action": "triage"})
        return ctx["o"].send_json("POST", f"/api/issues/{ref}/comments",
                                  {"body": "Ý kiến.", "internal": False})
    refused(app, ctx, send, 404)


# --------------------------------------------------------------------------- list queries

QUERIES = [
    ("status=open", ["status"]),
    ("status=NEW", ["status"]),
    ("priority=critical", ["priority"]),
    ("overdue=yes", ["overdue"]),
    ("overdue=", ["overdue"]),
    ("foo=1", ["foo"]),
    ("limit=0", ["limit"]),
    ("limit=201", ["limit"]),
    ("limit=-1", ["limit"]),
    ("limit=abc", ["limit"]),
    ("limit=1.5", ["limit"]),
    ("limit=", ["limit"]),
    ("limit=99999999999999999999", ["limit"]),
    ("cursor=garbage", ["cursor"]),
    ("cursor=eyJpZCI6IDF9", ["cursor"]),
    ("q=%C3%28", ["q"]),
    ("status=new&foo=bar&limit=0", ["foo", "limit"]),
]


@pytest.mark.parametrize("query,fields", QUERIES, ids=[q for q, _ in QUERIES])
def test_bad_list_query_is_400(app, ctx, query, fields):
    refused(app, ctx, lambda: ctx["o"].get("/api/issues?" + query), 400, fields)


def test_good_limits_are_accepted(app, ctx):
    for limit in ("1", "200"):
        body = assert_json(ctx["o"].get("/api/issues", params={"limit": limit}), 200)
        assert len(body["items"]) == int(limit)


# --------------------------------------------------------------------------- actions

ACTION_CASES = [
    ("bad-action-name", {"action": "fly"}, ["action"]),
    ("missing-action", {"note": "Ghi chú."}, ["action"]),
    ("action-number", {"action": 5}, ["action"]),
    ("action-uppercase", {"action": "RESOLVE", "note": "Xong."}, ["action"]),
    ("resolve-without-note", {"action": "resolve"}, ["note"]),
    ("resolve-empty-note", {"action": "resolve", "note": ""}, ["note"]),
    ("resolve-blank-note", {"action": "resolve", "note": " \n\t "}, ["note"]),
    ("resolve-null-note", {"action": "resolve", "note": None}, ["note"]),
    ("resolve-note-number", {"action": "resolve", "note": 5}, ["note"]),
    ("resolve-note-10001", {"action": "resolve", "note": LONG_VI * 10001}, ["note"]),
    ("request-info-without-note", {"action": "request_info"}, ["note"]),
    ("decline-without-note", {"action": "decline"}, ["note"]),
    ("mark-duplicate-without-duplicate-of", {"action": "mark_duplicate"}, ["duplicate_of"]),
    ("mark-duplicate-bad-ref", {"action": "mark_duplicate", "duplicate_of": "xyz"},
     ["duplicate_of"]),
    ("mark-duplicate-number", {"action": "mark_duplicate", "duplicate_of": 12},
     ["duplicate_of"]),
    # An issue that does not exist is a wrong value, not a missing page.
    ("mark-duplicate-unknown-ref", {"action": "mark_duplicate", "duplicate_of": "HT-2026-999999"},
     ["duplicate_of"]),
    ("unknown-field", {"action": "start", "internal": True}, ["internal"]),
]


@pytest.mark.parametrize("body,fields", [(c[1], c[2]) for c in ACTION_CASES],
                         ids=[c[0] for c in ACTION_CASES])
def test_bad_action_body(app, ctx, body, fields):
    refused(app, ctx, lambda: ctx["o"].send_json("POST", f"/api/issues/{ctx['ref']}/actions",
                                                 body), 400, fields)


@pytest.mark.parametrize("body", [b'{"action": "resolve", "note": ', b"[]",
                                  b'{"action": "resolve", "note": "a\xffb"}',
                                  b'{"action": "resolve", "note": "a\\u0000b"}',
                                  b'{"action": "start", "action": "resolve", "note": "x"}'],
                         ids=["malformed", "array", "invalid-utf8", "nul", "duplicate-key"])
def test_bad_action_json(app, ctx, body):
    refused(app, ctx, lambda: ctx["o"].send_raw("POST", f"/api/issues/{ctx['ref']}/actions",
                                                body), 400)


def test_issue_cannot_duplicate_itself(app, ctx):
    # Not in the doc: a wrong value (400) or a refused transition (409) are both fair;
    # what matters is a clean refusal, not a database error.
    before = app.snapshot()
    r = ctx["o"].send_json("POST", f"/api/issues/{ctx['ref']}/actions",
                           {"action": "mark_duplicate", "duplicate_of": ctx["ref"]})
    assert r.status_code in (400, 409), describe(r)
    assert_problem(r, r.status_code)
    assert app.snapshot() == before


# --------------------------------------------------------------------------- comments

COMMENT_CASES = [
    ("empty-body", {"body": "", "internal": False}, ["body"]),
    ("blank-body", {"body": "  \n ", "internal": False}, ["body"]),
    ("missing-body", {"internal": False}, ["body"]),
    ("body-number", {"body": 5, "internal": False}, ["body"]),
    ("body-10001", {"body": LONG_VI * 10001, "internal": False}, ["body"]),
    ("internal-string", {"body": "Ý kiến.", "internal": "yes"}, ["internal"]),
    ("internal-number", {"body": "Ý kiến.", "internal": 1}, ["internal"]),
    ("unknown-field", {"body": "Ý kiến.", "internal": False, "note": "x"}, ["note"]),
]


@pytest.mark.parametrize("body,fields", [(c[1], c[2]) for c in COMMENT_CASES],
                         ids=[c[0] for c in COMMENT_CASES])
def test_bad_comment(app, ctx, body, fields):
    refused(app, ctx, lambda: ctx["p"].send_json("POST", f"/api/issues/{ctx['ref']}/comments",
                                                 body), 400, fields)


def test_bad_comment_raw(app, ctx):
    for body in (b'{"body": "a\\u0000b", "internal": false}',
                 b'{"body": "a\xc3", "internal": false}'):
        refused(app, ctx, lambda: ctx["p"].send_raw(
            "POST", f"/api/issues/{ctx['ref']}/comments", body), 400, ["body"])


# --------------------------------------------------------------------------- PATCH

PATCH_CASES = [
    ("unknown-priority", {"priority": "critical"}, ["priority"]),
    ("unknown-division", {"division": "XYZ"}, ["division"]),
    ("unknown-category", {"category": "KHONG-CO"}, ["category"]),
    ("status-is-not-patchable", {"status": "closed"}, ["status"]),
    ("title-is-not-patchable", {"title": "Đổi tên"}, ["title"]),
    ("assignee-number", {"assignee": 5}, ["assignee"]),
    ("assignee-unknown", {"assignee": "khong.ton.tai"}, ["assignee"]),
    ("priority-null", {"priority": None}, ["priority"]),
    ("two-bad-fields", {"priority": "x", "division": "Y"}, ["priority", "division"]),
]


@pytest.mark.parametrize("body,fields", [(c[1], c[2]) for c in PATCH_CASES],
                         ids=[c[0] for c in PATCH_CASES])
def test_bad_patch(app, ctx, body, fields):
    refused(app, ctx, lambda: ctx["o"].send_json("PATCH", f"/api/issues/{ctx['ref']}", body),
            400, fields)


def test_bad_patch_json(app, ctx):
    for body in (b"[]", b'{"priority": ', b'{"priority": "high", "priority": "low"}'):
        refused(app, ctx, lambda: ctx["o"].send_raw("PATCH", f"/api/issues/{ctx['ref']}", body),
                400)


# --------------------------------------------------------------------------- session

SESSION_CASES = [
    # A request that is not a login attempt at all is bad input (400), not a failed
    # login (401).
    ("missing-password", {"login": "ht.th001"}, ["password"]),
    ("missing-login", {"password": "hatinh-demo-2026"}, ["login"]),
    ("login-number", {"login": 5, "password": "hatinh-demo-2026"}, ["login"]),
    ("unknown-field", {"login": "ht.th001", "password": "hatinh-demo-2026", "remember": True},
     ["remember"]),
]


@pytest.mark.parametrize("body,fields", [(c[1], c[2]) for c in SESSION_CASES],
                         ids=[c[0] for c in SESSION_CASES])
def test_bad_session_request(app, ctx, body, fields):
    anon = app.client()
    refused(app, ctx, lambda: anon.send_json("POST", "/api/session", body), 400, fields)


def test_bad_session_json(app, ctx):
    anon = app.client()
    for body in (b'{"login": "ht.th001", ', b"[]", b'{"login": "ht.th\xff", "password": "x"}'):
        refused(app, ctx, lambda: anon.send_raw("POST", "/api/session", body), 400)


# --------------------------------------------------------------------------- still alive

# --------------------------------------------------------------------------- machine codes

def field_error(body, field):
    found = [e for e in body["errors"] if e["field"] == field]
    assert found, f"no error for {field}: {body}"
    return found[0]


def test_field_errors_carry_codes_and_params(app, ctx):
    """The app shows each error in the reader's language from its code and params."""
    body = refused(app, ctx, lambda: ctx["p"].send_json("POST", "/api/issues", with_(
        title="x" * 201, description=DROP)), 400)
    assert body["code"] == "validation"
    title = field_error(body, "title")
    assert (title["code"], title["params"]) == ("too_long", {"max": 200})
    assert field_error(body, "description")["code"] == "required"
    body = refused(app, ctx, lambda: ctx["p"].send_json("POST", "/api/issues",
                                                        with_(extra=1)), 400)
    assert field_error(body, "extra")["code"] == "unknown_field"

    r = ctx["o"].get("/api/issues", params={"limit": "500"})
    limit = field_error(assert_problem(r, 400, ["limit"]), "limit")
    assert (limit["code"], limit["params"]) == ("out_of_range", {"min": 1, "max": 200})


def test_refusals_carry_codes(app, ctx):
    body = refused(app, ctx, lambda: ctx["p"].send_json(
        "POST", f"/api/issues/{ctx['ref']}/actions", {"action": "triage"}), 409)
    assert body["code"] == "role_may_not"
    body = refused(app, ctx, lambda: ctx["o"].send_json(
        "POST", f"/api/issues/{ctx['ref']}/actions", {"action": "triage"}), 409)
    assert body["code"] == "wrong_status"
    body = refused(app, ctx, lambda: ctx["o"].send_json("POST", "/api/issues", VALID), 403)
    assert body["code"] == "principals_only"
    r = app.client().get("/api/me")
    assert assert_problem(r, 401)["code"] == "unauthenticated"
    r = app.client().get("/api/nothing-here")
    assert assert_problem(r, 404)["code"] == "not_found"


def test_server_still_up(app, ctx):
    r = requests.get(app.url("/healthz"), timeout=10)
    assert assert_json(r, 200) == {"status": "ok"}
    r = requests.get(app.url("/readyz"), timeout=10)
    assert r.status_code == 200
    assert_json(ctx["p"].get("/api/me"), 200)
