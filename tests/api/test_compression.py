# test_compression.py -- API answers go gzip-compressed to a client that takes it (every
# browser does; principals read on phones over slow mobile data): a text answer from 1 KiB
# up, with Vary: Accept-Encoding; the same bytes, inflated, as a client that takes no gzip
# gets; never for a short answer, never for an attachment (its bytes go as they were filed).

import gzip

import pytest

from dlapi import assert_problem, file_issue
from test_attachments import pdf, upload_ok


@pytest.fixture(scope="module")
def officer(app):
    return app.login("cb.tccb1")


def raw_get(client, path, accept, **params):
    """(response, the body's bytes as sent) for a GET with this Accept-Encoding."""
    r = client.get(path, params=params, headers={"Accept-Encoding": accept}, stream=True)
    return r, r.raw.read(decode_content=False)


def test_a_queue_page_goes_gzip_to_a_client_that_takes_it(officer):
    plain_r, plain = raw_get(officer, "/api/issues", "identity", limit=50)
    assert plain_r.status_code == 200 and len(plain) > 1024
    assert "Content-Encoding" not in plain_r.headers
    for accept in ("gzip", "gzip, deflate, br, zstd", "br;q=1, gzip;q=0.5", "*"):
        r, sent = raw_get(officer, "/api/issues", accept, limit=50)
        assert r.status_code == 200, accept
        assert r.headers["Content-Encoding"] == "gzip", accept
        assert "Accept-Encoding" in r.headers["Vary"], accept
        assert int(r.headers["Content-Length"]) == len(sent) < len(plain) / 4, accept
        assert gzip.decompress(sent) == plain, accept


def test_no_gzip_for_a_client_that_refuses_it(officer):
    for accept in ("gzip;q=0", "deflate, br", "*;q=0", "*, gzip;q=0"):
        r, sent = raw_get(officer, "/api/issues", accept, limit=50)
        assert r.status_code == 200 and "Content-Encoding" not in r.headers, accept
        assert sent.startswith(b"{"), accept
    r = officer.get("/api/issues", params={"limit": 50}, headers={"Accept-Encoding": None})
    assert r.status_code == 200 and "Content-Encoding" not in r.headers


def test_short_answers_and_problems_go_as_they_are(officer):
    r, sent = raw_get(officer, "/api/me", "gzip")
    assert r.status_code == 200 and len(sent) < 1024
    assert "Content-Encoding" not in r.headers and sent.startswith(b"{")
    r, sent = raw_get(officer, "/api/issues", "gzip", limit="many")
    assert "Content-Encoding" not in r.headers
    assert_problem(officer.get("/api/issues", params={"limit": "many"}), 400, ["limit"])


def test_an_attachment_goes_as_it_was_filed(app):
    principal = app.login("ht.th001")
    ref = file_issue(principal, title="Biên bản họp tổ chuyên môn")["ref"]
    data = pdf() + b"% padding that compresses well\n" * 200
    body = upload_ok(principal, ref, data, name="bien-ban.pdf")
    r, sent = raw_get(principal, f"/api/attachments/{body['id']}", "gzip")
    assert r.status_code == 200 and "Content-Encoding" not in r.headers
    assert sent == data
