# test_static.py -- the browser app's files: types, caching (ETag, versioned paths),
# gzip, the fallback to index.html for the app's own paths (never for /api/), no way out
# of the app's folder, and the security headers on every response, errors included.
# The server here serves a folder made by the test, so the checks do not depend on what
# the real app holds.

import base64
import gzip
import hashlib
import http.client
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
import requests

from conftest import Server, child_env, directline_bin
from dlapi import assert_problem, describe

INDEX = """<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>directline</title>
<link rel="stylesheet" href="/app.css">
<script type="module" src="/js/app.js"></script>
<link rel="icon" href="/missing.ico">
</head><body><main id="app">Đang tải…</main></body></html>
"""
CSS = "body { font-family: system-ui; }\n" + ".row { padding: 4px; }\n" * 100
APP_JS = "import { hello } from './hello.js';\nhello();\n" + "// padding\n" * 60
HELLO_JS = "export function hello() { document.title = 'Xin chào'; }\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
                    "0000000d49444154789c6360000002000105fe02fea70000000049454e44ae426082")
SECRET = "this file lies outside the app's folder"


@pytest.fixture(scope="module")
def web(app):
    tmp = Path(tempfile.mkdtemp(prefix="directline-web-"))
    (tmp / "secret.txt").write_text(SECRET)
    root = tmp / "web"
    (root / "js").mkdir(parents=True)
    (root / "index.html").write_text(INDEX, encoding="utf-8")
    (root / "app.css").write_text(CSS)
    (root / "js" / "app.js").write_text(APP_JS)
    (root / "js" / "hello.js").write_text(HELLO_JS)
    (root / "logo.png").write_bytes(PNG)
    (root / "icon.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"></svg>' + " " * 300)
    (root / ".hidden.txt").write_text("dot files are not served")
    os.symlink(tmp / "secret.txt", root / "link.txt")
    server = Server(app.app_url, app.logdir, extra_args=["--web-dir", str(root)]).start()
    try:
        yield server.base_url
    finally:
        problems = server.stop()
        shutil.rmtree(tmp, ignore_errors=True)
        assert not problems, "\n".join(problems)


def get(base, path, **headers):
    return requests.get(base + path, headers=headers, timeout=10)


def raw_get(base, path):
    """GET with the path exactly as written (requests would normalise '..')."""
    host, port = base.split("//")[1].split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        conn.request("GET", path)
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


def assert_security_headers(r, app_page=False):
    csp = r.headers.get("Content-Security-Policy", "")
    assert "frame-ancestors 'none'" in csp, describe(r)
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, csp
    assert r.headers.get("X-Content-Type-Options") == "nosniff", describe(r)
    assert r.headers.get("Referrer-Policy") == "same-origin", describe(r)
    assert r.headers.get("X-Frame-Options") == "DENY", describe(r)
    if app_page:
        assert "script-src 'self'" in csp and "style-src 'self'" in csp, csp
    return csp


def versioned_paths(index_html):
    return re.findall(r'(?:src|href)="(/assets/[0-9a-f]{12}/[^"]+)"', index_html)


def test_index_is_html_revalidated_each_time_with_versioned_links(web):
    r = get(web, "/")
    assert r.status_code == 200, describe(r)
    assert r.headers["Content-Type"] == "text/html; charset=utf-8"
    assert r.headers["Cache-Control"] == "no-cache"
    assert re.match(r'^"[0-9a-f]{16}(-gz)?"$', r.headers["ETag"])
    assert_security_headers(r, app_page=True)
    paths = versioned_paths(r.text)
    assert sorted(p.split("/", 3)[3] for p in paths) == ["app.css", "js/app.js"], r.text
    assert 'href="/missing.ico"' in r.text, "a link to no file is left alone"
    assert "Đang tải…" in r.text


def test_app_paths_fall_back_to_the_index(web):
    index = get(web, "/").text
    for path in ("/issues/HT-2026-000001", "/queue", "/admin/users", "/report?month=2026-10"):
        r = get(web, path)
        assert r.status_code == 200 and r.text == index, describe(r)
        assert r.headers["Cache-Control"] == "no-cache"


def test_api_paths_never_fall_back(web):
    for path in ("/api/nothing", "/api", "/api/issues/not-a-ref"):
        r = get(web, path)
        assert_problem(r, 404)
        assert_security_headers(r)


def test_missing_file_is_404_problem(web):
    for path in ("/missing.js", "/js/nothing.css", "/assets/0123456789ab/nothing.js",
                 "/.hidden.txt", "/link.txt"):
        r = get(web, path)
        assert_problem(r, 404)
        assert_security_headers(r)


@pytest.mark.parametrize("path,ctype", [
    ("/app.css", "text/css; charset=utf-8"),
    ("/js/app.js", "text/javascript; charset=utf-8"),
    ("/logo.png", "image/png"),
    ("/icon.svg", "image/svg+xml"),
])
def test_files_have_their_types(web, path, ctype):
    r = get(web, path, **{"Accept-Encoding": "identity"})
    assert r.status_code == 200, describe(r)
    assert r.headers["Content-Type"] == ctype
    assert r.headers["Cache-Control"] == "no-cache"
    assert_security_headers(r, app_page=True)


def test_etag_gives_304(web):
    r = get(web, "/app.css", **{"Accept-Encoding": "identity"})
    etag = r.headers["ETag"]
    again = get(web, "/app.css", **{"Accept-Encoding": "identity", "If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"", describe(again)
    assert again.headers["ETag"] == etag
    assert_security_headers(again, app_page=True)
    other = get(web, "/app.css", **{"Accept-Encoding": "identity", "If-None-Match": '"0000"'})
    assert other.status_code == 200 and other.text == CSS


def test_versioned_copies_are_cached_for_a_year_and_relative_imports_follow(web):
    paths = versioned_paths(get(web, "/").text)
    js = [p for p in paths if p.endswith("app.js")][0]
    r = get(web, js)
    assert r.status_code == 200 and r.text == APP_JS, describe(r)
    assert r.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    # The module's relative import resolves below the same versioned folder.
    hello = js.rsplit("/", 1)[0] + "/hello.js"
    r = get(web, hello)
    assert r.status_code == 200 and r.text == HELLO_JS
    assert "immutable" in r.headers["Cache-Control"]
    # Another version (a page from before a release) still gets today's file, uncached.
    old = "/assets/000000000000/" + js.split("/", 3)[3]
    r = get(web, old)
    assert r.status_code == 200 and r.headers["Cache-Control"] == "no-cache"


def test_gzip_when_the_client_takes_it(web):
    r = requests.get(web + "/app.css", headers={"Accept-Encoding": "gzip"}, stream=True,
                     timeout=10)
    body = r.raw.read()
    assert r.headers.get("Content-Encoding") == "gzip", describe(r)
    assert r.headers.get("Vary") == "Accept-Encoding"
    assert gzip.decompress(body).decode() == CSS
    assert len(body) < len(CSS) / 4
    for refusal in ("identity", "gzip;q=0", "br"):
        r = requests.get(web + "/app.css", headers={"Accept-Encoding": refusal}, stream=True,
                         timeout=10)
        assert "Content-Encoding" not in r.headers, refusal
        assert r.raw.read().decode() == CSS
    # Images are not compressed again.
    r = get(web, "/logo.png", **{"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in r.headers and r.content == PNG


@pytest.mark.parametrize("path", [
    "/../secret.txt", "/%2e%2e/secret.txt", "/js/../../secret.txt", "/js/%2e%2e/%2e%2e/secret.txt",
    "/..%2fsecret.txt", "/%2e%2e%2fsecret.txt", "/assets/x/../../secret.txt", "/link.txt",
    "//etc/passwd", "/..\\secret.txt", "/%00/secret.txt",
])
def test_no_path_leaves_the_app_folder(web, path):
    status, body = raw_get(web, path)
    assert SECRET.encode() not in body and b"root:" not in body, (path, status)
    assert status in (200, 400, 404), (path, status)
    if status == 200:
        assert body == get(web, "/").content, f"{path} gave something else than the app"


def test_only_get_and_head(web):
    r = requests.post(web + "/", data=b"x", timeout=10)
    body = assert_problem(r, 405)
    assert body["code"] == "method_not_allowed"
    assert r.headers["Allow"] == "GET, HEAD"
    head = requests.head(web + "/app.css", timeout=10)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["Content-Type"] == "text/css; charset=utf-8"


def test_api_responses_carry_the_security_headers(web, app):
    r = requests.get(web + "/api/me", timeout=10)
    assert_problem(r, 401)
    csp = assert_security_headers(r)
    assert "default-src 'none'" in csp
    officer = app.login("cb.tccb1")
    r = requests.get(web + "/api/issues?limit=1", headers=officer.headers, timeout=10)
    assert r.status_code == 200
    assert "default-src 'none'" in assert_security_headers(r)


def test_printable_report_allows_exactly_its_own_style(app):
    officer = app.login("cb.tccb1")
    r = officer.get("/api/reports/monthly", params={"month": "2026-10", "format": "html"})
    assert r.status_code == 200, describe(r)
    csp = assert_security_headers(r)
    styles = re.findall(r"<style>(.*?)</style>", r.text, re.S)
    assert len(styles) == 1
    digest = base64.b64encode(hashlib.sha256(styles[0].encode()).digest()).decode()
    assert f"style-src 'sha256-{digest}'" in csp, csp
    assert "script-src" not in csp and "default-src 'none'" in csp
    assert "<script" not in r.text and " style=" not in r.text


def test_a_web_dir_that_cannot_be_read_stops_the_start(app):
    env = child_env({"DATABASE_URL": app.db_url})
    p = subprocess.run([directline_bin(), "serve", "--listen", "127.0.0.1:1",
                        "--web-dir", "/nonexistent/web"], env=env, capture_output=True,
                       text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert p.returncode != 0
    assert "/nonexistent/web" in p.stderr
