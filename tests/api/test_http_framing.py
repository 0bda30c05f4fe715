# test_http_framing.py -- requests whose framing could move the boundary between
# requests, or whose URL a decoder would cut short, are refused with 400 problem+json
# and the connection is closed (RFC 9112 6.3): two Content-Length headers, Content-Length
# with Transfer-Encoding, a transfer coding other than chunked, HTTP/1.1 without Host, an
# encoded NUL in the path or the query. A Content-Length libmicrohttpd cannot read is
# answered by the library itself; the connection closes and no handler runs. And what a
# client puts in the path cannot forge a line in the server's log.
#
# Everything goes over raw sockets: an HTTP client library would not send these.

import json
import socket
import time

import pytest
import requests

from dlapi import DEMO_PASSWORD

HOST = b"Host: 127.0.0.1\r\n"


def exchange(port, data, wait=5.0):
    """Sends raw bytes; reads until the server closes or `wait` passes. Returns
    (bytes received, whether the server closed the connection)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=wait)
    chunks, closed = [], False
    deadline = time.monotonic() + wait
    try:
        s.sendall(data)
        while time.monotonic() < deadline:
            s.settimeout(max(0.05, deadline - time.monotonic()))
            d = s.recv(65536)
            if not d:
                closed = True
                break
            chunks.append(d)
    except socket.timeout:
        pass
    except (ConnectionResetError, BrokenPipeError):
        closed = True
    finally:
        s.close()
    return b"".join(chunks), closed


def status_lines(raw):
    return [l for l in raw.split(b"\r\n") if l.startswith(b"HTTP/1.")]


def first_response(raw):
    """(status, headers with lower-case names, body) of the first response in raw."""
    head, _, rest = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers.setdefault(name.strip().lower(), value.strip())
    length = int(headers.get("content-length", "0"))
    return status, headers, rest[:length]


def assert_refused(app, data, code):
    """One 400 problem+json with this code, Connection: close, and the connection closed;
    whatever followed in the stream was not run as another request."""
    before = app.snapshot()
    raw, closed = exchange(app.server.port, data)
    assert raw, "no answer at all"
    assert len(status_lines(raw)) == 1, raw.decode("latin-1")
    status, headers, body = first_response(raw)
    assert status == 400, raw.decode("latin-1")
    assert headers.get("content-type", "").startswith("application/problem+json"), headers
    problem = json.loads(body)
    assert problem["status"] == 400 and problem["code"] == code, problem
    assert headers.get("connection", "").lower() == "close", headers
    assert closed, "the server kept the connection open"
    assert app.snapshot() == before
    return problem


@pytest.fixture(scope="module")
def token(app):
    return app.login("ht.th001").token


def login_body():
    return json.dumps({"login": "ht.th001", "password": DEMO_PASSWORD}).encode()


SMUGGLED = b"GET /healthz HTTP/1.1\r\n" + HOST + b"\r\n"


def post_session(headers, body):
    return (b"POST /api/session HTTP/1.1\r\n" + HOST + b"Content-Type: application/json\r\n"
            + headers + b"\r\n" + body)


# --------------------------------------------------------------------------- framing

def test_two_different_content_lengths_are_refused(app):
    body = login_body()
    data = post_session(f"Content-Length: {len(body)}\r\nContent-Length: {len(body) + 40}\r\n"
                        .encode(), body + SMUGGLED)
    assert_refused(app, data, "duplicate_content_length")


def test_two_equal_content_lengths_are_refused(app):
    body = login_body()
    data = post_session(f"Content-Length: {len(body)}\r\n".encode() * 2, body)
    assert_refused(app, data, "duplicate_content_length")


def test_content_length_with_chunked_is_refused(app):
    body = login_body()
    chunked = f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\n\r\n"
    data = post_session(f"Content-Length: {len(chunked) + len(SMUGGLED)}\r\n"
                        "Transfer-Encoding: chunked\r\n".encode(), chunked + SMUGGLED)
    assert_refused(app, data, "content_length_with_transfer_encoding")


@pytest.mark.parametrize("codings", [[b"gzip"], [b"chunked", b"chunked"], [b"gzip, chunked"]])
def test_other_transfer_codings_are_refused(app, codings):
    headers = b"".join(b"Transfer-Encoding: " + c + b"\r\n" for c in codings)
    assert_refused(app, post_session(headers, b"2\r\n{}\r\n0\r\n\r\n"),
                   "unsupported_transfer_encoding")


def test_http_1_1_without_host_is_refused(app):
    assert_refused(app, b"GET /healthz HTTP/1.1\r\n\r\n", "bad_host")


def test_two_hosts_are_refused(app):
    assert_refused(app, b"GET /healthz HTTP/1.1\r\n" + HOST + b"Host: other.example\r\n\r\n",
                   "bad_host")


def test_http_1_0_without_host_is_served(app):
    raw, _ = exchange(app.server.port, b"GET /healthz HTTP/1.0\r\n\r\n")
    assert first_response(raw)[0] == 200, raw


@pytest.mark.parametrize("target", ["/api/me%00x", "/api/me%00", "/api/issues?status=new%00x",
                                    "/api/issues?x%00y=1", "/api/issues?limit=5%00"])
def test_an_encoded_nul_in_the_url_is_refused(app, token, target):
    data = (f"GET {target} HTTP/1.1\r\nAuthorization: Bearer {token}\r\n".encode() + HOST
            + b"\r\n")
    assert_refused(app, data, "nul_in_url")


def assert_served_twice(app, head, why):
    """`head`, sent twice on one connection, gets a 200 each time."""
    s = socket.create_connection(("127.0.0.1", app.server.port), timeout=5)
    try:
        for _ in range(2):
            s.sendall(head)
            assert s.recv(65536).startswith(b"HTTP/1.1 200"), why
    finally:
        s.close()


def test_good_requests_keep_their_connection(app, token):
    """The checks refuse only what they should: keep-alive still works."""
    one = f"GET /api/me HTTP/1.1\r\nAuthorization: Bearer {token}\r\n".encode() + HOST + b"\r\n"
    assert_served_twice(app, one, "no 200 on a kept connection")


def test_a_large_head_is_served_on_a_kept_connection(app, token):
    """Each connection's memory is capped at 16 KiB (http/server.h): a 10 KiB head (long
    cookies from a proxy, say) is still served, twice on one connection, and the first
    request's leftovers do not shrink the second's room."""
    padding = b"X-Padding: " + b"p" * 10 * 1024 + b"\r\n"
    one = (f"GET /api/me HTTP/1.1\r\nAuthorization: Bearer {token}\r\n".encode() + HOST
           + padding + b"\r\n")
    assert_served_twice(app, one, "a 10 KiB head was not served")


def test_a_head_past_the_connection_memory_is_refused(app, token):
    """A head larger than the connection's memory gets an answer (4xx) and a close, and
    the server goes on serving."""
    padding = b"X-Padding: " + b"p" * 20 * 1024 + b"\r\n"
    raw, closed = exchange(app.server.port, b"GET /api/me HTTP/1.1\r\n" + HOST + padding
                           + b"\r\n")
    lines = status_lines(raw)
    assert len(lines) == 1 and lines[0].split()[1] in (b"413", b"431"), raw[:200]
    assert closed
    assert requests.get(app.url("/healthz"), timeout=10).status_code == 200


# --------------------------------------------------------------------------- libmicrohttpd's own

@pytest.mark.parametrize("length", ["-1", "99999999999999999999999", "1x"])
def test_an_unreadable_content_length_closes_and_runs_nothing(app, length):
    """libmicrohttpd 0.9.75 answers these itself (400, or 413 for an overflow) before any
    handler runs, and writes that answer's status line and headers twice (see
    docs/deployment.md): the connection must close and nothing may run."""
    body = login_body()
    before = app.snapshot()
    raw, closed = exchange(app.server.port,
                           post_session(f"Content-Length: {length}\r\n".encode(), body))
    lines = status_lines(raw)
    print(f"\n[framing] Content-Length: {length} -> {[l.decode() for l in lines]}")
    assert lines and lines[0].split()[1] in (b"400", b"413"), raw
    assert closed
    assert app.snapshot() == before    # no session was created
    assert wait_for_log(app, "/api/session refused by libmicrohttpd")


# --------------------------------------------------------------------------- the log

def wait_for_log(app, text, wait=5.0):
    """The server's log once it holds `text` (None when it does not within `wait`)."""
    deadline = time.monotonic() + wait
    while True:
        log = app.server.stderr_path.read_text(errors="replace")
        if text in log:
            return log
        if time.monotonic() > deadline:
            return None
        time.sleep(0.1)


def test_the_path_cannot_forge_a_log_line(app):
    raw, _ = exchange(app.server.port,
                      b"GET /api/probe%0a2026-01-01T00:00:00Z%20info%20FORGED%0d%1b[31m HTTP/1.1\r\n"
                      + HOST + b"\r\n", wait=2.0)
    assert first_response(raw)[0] == 404, raw
    log = wait_for_log(app, "/api/probe") or ""
    lines = [l for l in log.splitlines() if "/api/probe" in l or "FORGED" in l]
    assert len(lines) == 1, lines
    assert "/api/probe\\x0a2026-01-01T00:00:00Z\\x20info\\x20FORGED\\x0d\\x1b[31m" in lines[0], lines


def test_spaces_in_the_path_cannot_forge_the_access_lines_fields(app):
    """The access line is "METHOD PATH STATUS TIME ADDRESS [LOGIN]", read by splitting on
    spaces (tests/bench/sign_in_flood.py does): a decoded %20 must not add fields."""
    raw, _ = exchange(app.server.port,
                      b"GET /api/forge%20200%200.1ms%2010.0.0.9%20admin HTTP/1.1\r\n"
                      + HOST + b"\r\n", wait=2.0)
    assert first_response(raw)[0] == 404, raw
    escaped = "/api/forge\\x20200\\x200.1ms\\x2010.0.0.9\\x20admin"
    log = wait_for_log(app, escaped) or ""
    lines = [l for l in log.splitlines() if "/api/forge" in l]
    assert len(lines) == 1, lines
    fields = lines[0].split()
    assert fields[-5:] == ["GET", escaped, "404", fields[-2], "127.0.0.1"], fields
