# test_bad_input.py -- what the bad input catalogue (bad_input_catalogue.json, run by
# test_bad_input_catalogue.py) does not hold: the accepted edge cases beside its refusals,
# the body size limits (streamed bodies, closed connections) and the machine codes and
# params of field errors. Each refusal is problem+json and leaves the database as it was.

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
#
# The malformed bodies, wrong types, routes, methods, references and list queries are
# cases of bad_input_catalogue.json (test_bad_input_catalogue.py); here the accepted
# edge cases next to them, the body size limits and the machine codes.

def vj(obj):
    return json.dumps(obj, ensure_ascii=False).encode("utf-8")


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


# --------------------------------------------------------------------------- size

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


def test_good_limits_are_accepted(app, ctx):
    for limit in ("1", "200"):
        body = assert_json(ctx["o"].get("/api/issues", params={"limit": limit}), 200)
        assert len(body["items"]) == int(limit)


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
