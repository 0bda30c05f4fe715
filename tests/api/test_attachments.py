# test_attachments.py -- files attached to issues: every accepted type (made here, in the
# test), types judged from the bytes, the 10 MiB and 5-per-issue limits, who may add, read
# and hide, cleaned names, Content-Disposition, SHA-256, the cap on uploads in progress,
# and that a refused upload leaves nothing behind. Every client here is a bearer-token
# client: attachments work through the API for any client, not only the browser.

import hashlib
import io
import os
import socket
import tempfile
import threading
import time
import urllib.parse
import zipfile

import pytest
import requests

from conftest import Server
from dlapi import act_ok, assert_json, assert_problem, describe, file_issue

MiB = 1024 * 1024
LIMIT = 10 * MiB
ATTACHMENT_KEYS = {"id", "name", "type", "size", "sha256", "uploaded_by", "created_at",
                   "hidden", "hidden_reason"}

# --------------------------------------------------------------------------- files

def jpeg(size=2048):
    body = os.urandom(max(size - 6, 0))
    return (b"\xff\xd8\xff\xe0" + body + b"\xff\xd9")[:size]


def png():
    return b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + os.urandom(600)


def webp():
    data = b"VP8 " + os.urandom(300)
    return b"RIFF" + len(data).to_bytes(4, "little") + b"WEBP" + data


def pdf():
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n" + os.urandom(200) + b"\n%%EOF\n"


def ooxml(kind):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        z.writestr("_rels/.rels", "<Relationships/>")
        if kind == "docx":
            z.writestr("word/document.xml", "<w:document>Xin chào</w:document>")
        else:
            z.writestr("xl/workbook.xml", "<workbook/>")
            z.writestr("xl/worksheets/sheet1.xml", "<worksheet/>")
    return buf.getvalue()


def ole(stream):
    """A minimal OLE2 compound file (512-byte sectors): the directory in sector 0 with the
    root storage and one stream under it, the FAT in sector 1."""
    data = bytearray(512 * 3)
    data[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    data[30:32] = (9).to_bytes(2, "little")
    data[44:48] = (1).to_bytes(4, "little")                    # one FAT sector
    data[48:52] = (0).to_bytes(4, "little")                    # directory in sector 0
    data[68:72] = (0xFFFFFFFE).to_bytes(4, "little")           # no DIFAT sectors
    for k in range(109):
        data[76 + 4 * k:80 + 4 * k] = (1 if k == 0 else 0xFFFFFFFF).to_bytes(4, "little")
    for i, (name, kind, child) in enumerate([("Root Entry", 5, 1), (stream, 2, 0xFFFFFFFF)]):
        at = 512 + 128 * i
        encoded = name.encode("utf-16-le")
        data[at:at + len(encoded)] = encoded
        data[at + 64:at + 66] = (len(encoded) + 2).to_bytes(2, "little")
        data[at + 66] = kind
        data[at + 68:at + 80] = (b"\xff" * 8) + child.to_bytes(4, "little")
    data[1024:1536] = b"\xff" * 512
    data[1024:1032] = (0xFFFFFFFE).to_bytes(4, "little") + (0xFFFFFFFD).to_bytes(4, "little")
    return bytes(data)


TYPES = {
    "jpg": ("image/jpeg", jpeg),
    "png": ("image/png", png),
    "pdf": ("application/pdf", pdf),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             lambda: ooxml("docx")),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             lambda: ooxml("xlsx")),
    "webp": ("image/webp", webp),
    "doc": ("application/msword", lambda: ole("WordDocument")),
    "xls": ("application/vnd.ms-excel", lambda: ole("Workbook")),
}

# --------------------------------------------------------------------------- requests

BOUNDARY = "----directline-test-boundary-7d1f"


def multipart(parts, boundary=BOUNDARY):
    """A multipart/form-data body made by hand, so that names go out byte for byte:
    parts are (field name, file name bytes or None, content type, data)."""
    out = b""
    for name, filename, ctype, data in parts:
        out += f"--{boundary}\r\n".encode()
        disp = f'Content-Disposition: form-data; name="{name}"'.encode()
        if filename is not None:
            disp += b'; filename="' + filename + b'"'
        out += disp + b"\r\n"
        if ctype:
            out += f"Content-Type: {ctype}\r\n".encode()
        out += b"\r\n" + data + b"\r\n"
    return out + f"--{boundary}--\r\n".encode()


def upload(client, ref, data, name="tep.jpg", ctype="application/octet-stream",
           boundary=BOUNDARY, **kw):
    body = multipart([("file", name.encode("utf-8") if isinstance(name, str) else name,
                       ctype, data)], boundary)
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}",
               **kw.pop("headers", {})}
    return client.post(f"/api/issues/{ref}/attachments", data=body, headers=headers, **kw)


def upload_ok(client, ref, data, name="tep.jpg", **kw):
    r = upload(client, ref, data, name, **kw)
    body = assert_json(r, 201)
    assert set(body) == ATTACHMENT_KEYS, body
    assert r.headers.get("Location") == f"/api/attachments/{body['id']}", describe(r)
    return body


def counts(app):
    return app.query("""SELECT (SELECT count(*) FROM attachments),
                               (SELECT count(*) FROM attachment_contents),
                               (SELECT count(*) FROM issue_events WHERE action = 'attach'),
                               (SELECT max(updated_at) FROM issues)""")[0]


@pytest.fixture(scope="module")
def who(app):
    return {login: app.login(login) for login in
            ("ht.th001", "ht.th002", "ht.th250", "ct.cm01", "ct.cm12", "cb.tccb1", "cb.gdth1",
             "giamsat1", "admin")}


def new_issue(who, title="Phòng học bị dột sau mưa bão"):
    """A fresh issue of TH001 (cluster CM01), routed to TCCB."""
    return file_issue(who["ht.th001"], title=title)["ref"]


# --------------------------------------------------------------------------- types

def test_each_accepted_type_round_trips(app, who):
    principal = who["ht.th001"]
    for batch in (["jpg", "png", "pdf", "docx", "xlsx"], ["webp", "doc", "xls"]):
        ref = new_issue(who)
        for ext in batch:
            media, make = TYPES[ext]
            data = make()
            a = upload_ok(principal, ref, data, name=f"hồ sơ.{ext}", ctype="text/plain")
            assert a["type"] == media, (ext, a)
            assert a["size"] == len(data)
            assert a["sha256"] == hashlib.sha256(data).hexdigest()
            assert a["name"] == f"hồ sơ.{ext}"
            assert a["uploaded_by"] == {"login": "ht.th001", "name": a["uploaded_by"]["name"]}
            assert a["hidden"] is False and a["hidden_reason"] is None
            r = principal.get(f"/api/attachments/{a['id']}")
            assert r.status_code == 200, describe(r)
            assert r.content == data
            assert r.headers["Content-Type"] == media
            assert r.headers["X-Content-Type-Options"] == "nosniff"
            assert "no-store" in r.headers["Cache-Control"]
            assert r.headers["Content-Disposition"].startswith("attachment;")
            assert hashlib.sha256(r.content).hexdigest() == a["sha256"]
        issue = assert_json(principal.get(f"/api/issues/{ref}"), 200)
        assert [x["name"] for x in issue["attachments"]] == [f"hồ sơ.{e}" for e in batch]
        attach_events = [e for e in issue["events"] if e["action"] == "attach"]
        assert len(attach_events) == len(batch)
        assert attach_events[0]["details"]["name"] == f"hồ sơ.{batch[0]}"
        assert attach_events[0]["actor"]["login"] == "ht.th001"


def test_type_comes_from_the_bytes(app, who):
    ref = new_issue(who)
    before = counts(app)
    for data in (b"this is not a photo at all", b"MZ\x90\x00" + os.urandom(100),
                 b"PK\x03\x04" + os.urandom(200), b"<svg onload=alert(1)>", b"GIF89a....",
                 b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1600)):
        r = upload(who["ht.th001"], ref, data, name="anh.jpg", ctype="image/jpeg")
        body = assert_problem(r, 415)
        assert body["code"] == "unsupported_type", body
        assert body["errors"][0]["field"] == "file"
    # A real JPEG sent as "application/pdf" named .pdf is a JPEG, named so it opens as one.
    a = upload_ok(who["ht.th001"], ref, jpeg(), name="bao-cao.pdf", ctype="application/pdf")
    assert a["type"] == "image/jpeg" and a["name"] == "bao-cao.pdf.jpg"
    after = counts(app)
    assert after[:3] == tuple(n + 1 for n in before[:3])


def test_form_mistakes(app, who):
    ref = new_issue(who)
    c = who["ht.th001"]
    before = counts(app)
    ctype = {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}
    url = f"/api/issues/{ref}/attachments"
    body = assert_problem(c.post(url, data=multipart([]), headers=ctype), 400)
    assert body["code"] == "missing_file"
    body = assert_problem(upload(c, ref, b""), 400, fields=["file"])
    assert body["errors"][0]["code"] == "empty"
    body = assert_problem(c.post(url, data=multipart([("file", b"a.jpg", None, jpeg()),
                                                      ("file", b"b.jpg", None, jpeg())]),
                                 headers=ctype), 400, fields=["file"])
    assert body["errors"][0]["code"] == "repeated"
    body = assert_problem(c.post(url, data=multipart([("note", None, None, b"hello"),
                                                      ("file", b"b.jpg", None, jpeg())]),
                                 headers=ctype), 400, fields=["note"])
    assert body["errors"][0]["code"] == "unknown_field"
    body = assert_problem(c.send_json("POST", url, {"file": "abc"}), 415)
    assert body["code"] == "not_multipart"
    body = assert_problem(c.post(url, data=multipart([("file", b"a.jpg", None, jpeg())])[:-40],
                                 headers=ctype), 400)
    assert body["code"] == "invalid_multipart"
    assert counts(app) == before


# --------------------------------------------------------------------------- limits

def test_ten_mib_is_accepted_and_one_byte_more_is_413(app, who):
    ref = new_issue(who)
    c = who["ht.th001"]
    data = jpeg(LIMIT)
    started = time.monotonic()
    a = upload_ok(c, ref, data, name="ảnh lớn.jpg")
    elapsed = time.monotonic() - started
    print(f"\n10 MiB upload on loopback: {elapsed:.2f} s")
    assert a["size"] == LIMIT and a["sha256"] == hashlib.sha256(data).hexdigest()
    r = c.get(f"/api/attachments/{a['id']}")
    assert r.status_code == 200 and len(r.content) == LIMIT
    assert hashlib.sha256(r.content).hexdigest() == a["sha256"]

    before = counts(app)
    r = upload(c, ref, jpeg(LIMIT + 1), name="qua-lon.jpg")
    body = assert_problem(r, 413, fields=["file"])
    assert body["code"] == "file_too_large"
    assert body["errors"][0]["code"] == "file_too_large"
    assert body["errors"][0]["params"] == {"max": LIMIT}
    assert counts(app) == before
    # The server is still there, on a new connection, and the next request works.
    fresh = app.client(c.token)
    assert assert_json(fresh.get(f"/api/issues/{ref}"), 200)["ref"] == ref
    assert requests.get(app.url("/healthz"), timeout=10).status_code == 200


def raw_request(port, head, body=b"", read=True, timeout=30):
    """Sends a request on a new socket; returns (status, headers, body) or the socket."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    s.sendall(head + body)
    if not read:
        return s
    try:
        return read_response(s)
    finally:
        s.close()


def read_response(s):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, v in
               (line.split(":", 1) for line in lines[1:] if ":" in line)}
    length = int(headers.get("content-length", "0"))
    while len(rest) < length:
        chunk = s.recv(65536)
        if not chunk:
            break
        rest += chunk
    return status, headers, rest


def upload_head(ref, token, length, extra=""):
    return (f"POST /api/issues/{ref}/attachments HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Authorization: Bearer {token}\r\n"
            f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n"
            f"Content-Length: {length}\r\n{extra}\r\n").encode()


def test_declared_oversize_is_refused_before_the_body(app, who):
    ref = new_issue(who)
    token = who["ht.th001"].token
    port = app.server.port
    # A client that waits for "100 Continue" gets the 413 instead, and sends nothing.
    status, headers, body = raw_request(port, upload_head(ref, token, 20 * MiB,
                                                          "Expect: 100-continue\r\n"))
    assert status == 413 and b"file_too_large" in body, body
    # One that declares more than the server would ever read is answered at once.
    status, headers, body = raw_request(port, upload_head(ref, token, 100 * MiB))
    assert status == 413 and b"file_too_large" in body
    # A refusal known from the headers (no such issue for this user) is not a 100 either.
    status, headers, body = raw_request(port, upload_head(ref, who["ht.th002"].token, 5000,
                                                          "Expect: 100-continue\r\n"))
    assert status == 404
    assert requests.get(app.url("/healthz"), timeout=10).status_code == 200


def test_other_routes_keep_the_json_limit(app, who):
    ref = new_issue(who)
    r = who["ht.th001"].send_json("POST", f"/api/issues/{ref}/comments",
                                  {"body": "x" * (70 * 1024)})
    assert_problem(r, 413)


def test_at_most_five_visible_per_issue(app, who):
    ref = new_issue(who)
    ids = [upload_ok(who["ht.th001"], ref, jpeg(), name=f"anh-{i}.jpg")["id"] for i in range(5)]
    before = counts(app)
    for client in (who["ht.th001"], who["cb.tccb1"]):
        body = assert_problem(upload(client, ref, pdf(), name="them.pdf"), 409)
        assert body["code"] == "too_many_attachments"
        assert body["errors"][0]["params"] == {"max": 5}
    assert counts(app) == before
    r = who["cb.tccb1"].send_json("POST", f"/api/attachments/{ids[0]}/hide",
                                  {"reason": "Ảnh trùng lặp"})
    assert_json(r, 200)
    upload_ok(who["ht.th001"], ref, pdf(), name="them.pdf")


# --------------------------------------------------------------------------- who may

def test_who_may_attach_and_read(app, who):
    ref = new_issue(who)   # TH001, cluster CM01, division TCCB
    a = upload_ok(who["ht.th001"], ref, jpeg(), name="lop-hoc.jpg")
    before = counts(app)
    expect_upload = {"ht.th002": 404, "ht.th250": 404, "ct.cm12": 404, "ct.cm01": 403,
                     "cb.gdth1": 403, "admin": 403}
    for login, status in expect_upload.items():
        body = assert_problem(upload(who[login], ref, jpeg()), status)
        assert body["code"] == ("not_found" if status == 404 else "role_may_not"), (login, body)
    assert counts(app) == before
    for login in ("cb.tccb1", "giamsat1"):
        upload_ok(who[login], ref, pdf(), name=f"tra-loi-{login}.pdf")
    expect_read = {"ht.th001": 200, "ct.cm01": 200, "cb.tccb1": 200, "cb.gdth1": 200,
                   "giamsat1": 200, "admin": 200, "ht.th002": 404, "ht.th250": 404,
                   "ct.cm12": 404}
    for login, status in expect_read.items():
        r = who[login].get(f"/api/attachments/{a['id']}")
        assert r.status_code == status, (login, describe(r))
        if status == 404:
            assert_problem(r, 404)
    assert_problem(who["ht.th001"].get("/api/attachments/999999999"), 404)
    assert_problem(app.client().get(f"/api/attachments/{a['id']}"), 401)
    assert_problem(upload(app.client(), ref, jpeg()), 401)


def test_a_file_is_hidden_after_the_issue_is_over(app, who):
    """A photo noticed late: on a declined issue nothing else changes, but the staff who
    handled it may still hide a file, and the issue says so (can.hide_files)."""
    ref = new_issue(who)
    a = upload_ok(who["ht.th001"], ref, jpeg(), name="anh-lop-hoc.jpg")
    act_ok(who["cb.tccb1"], ref, "decline", "Việc này thuộc thẩm quyền của Ủy ban nhân dân xã.")
    issue = assert_json(who["cb.tccb1"].get(f"/api/issues/{ref}"), 200)
    assert issue["status"] == "declined"
    assert issue["can"]["hide_files"] is True and issue["can"]["modify"] is False
    school = assert_json(who["ht.th001"].get(f"/api/issues/{ref}"), 200)
    assert school["can"]["hide_files"] is False
    url = f"/api/attachments/{a['id']}/hide"
    assert_problem(who["ht.th001"].send_json("POST", url, {"reason": "x"}), 403)
    hidden = assert_json(who["cb.tccb1"].send_json("POST", url, {"reason": "Ảnh có khuôn mặt học sinh"}), 200)
    assert hidden["hidden"] is True
    assert assert_json(who["ht.th001"].get(f"/api/issues/{ref}"), 200)["attachments"] == []


def test_hidden_attachment(app, who):
    ref = new_issue(who)
    a = upload_ok(who["ht.th001"], ref, jpeg(), name="ho-so-hoc-sinh.jpg")
    url = f"/api/attachments/{a['id']}/hide"
    assert_problem(who["ht.th001"].send_json("POST", url, {"reason": "x"}), 403)
    assert_problem(who["ht.th002"].send_json("POST", url, {"reason": "x"}), 404)
    assert_problem(who["cb.gdth1"].send_json("POST", url, {"reason": "x"}), 403)
    assert_problem(who["ct.cm01"].send_json("POST", url, {"reason": "x"}), 403)
    assert_problem(who["cb.tccb1"].send_json("POST", url, {}), 400, fields=["reason"])
    assert_problem(who["cb.tccb1"].send_json("POST", url, {"reason": "x" * 501}), 400,
                   fields=["reason"])
    reason = "Ảnh có thông tin cá nhân của học sinh"
    hidden = assert_json(who["cb.tccb1"].send_json("POST", url, {"reason": reason}), 200)
    assert hidden["hidden"] is True and hidden["hidden_reason"] == reason
    body = assert_problem(who["giamsat1"].send_json("POST", url, {"reason": "again"}), 409)
    assert body["code"] == "already_hidden"

    for login in ("ht.th001", "ct.cm01"):
        assert_problem(who[login].get(f"/api/attachments/{a['id']}"), 404)
        issue = assert_json(who[login].get(f"/api/issues/{ref}"), 200)
        assert issue["attachments"] == []
        # The school sees that something was hidden, and why.
        ev = [e for e in issue["events"] if e["action"] == "hide_attachment"]
        assert len(ev) == 1 and ev[0]["note"] == reason and ev[0]["internal"] is False
        assert ev[0]["details"]["attachment_id"] == a["id"]
    for login in ("cb.tccb1", "giamsat1", "admin"):
        assert who[login].get(f"/api/attachments/{a['id']}").status_code == 200
        issue = assert_json(who[login].get(f"/api/issues/{ref}"), 200)
        assert [(x["id"], x["hidden"], x["hidden_reason"]) for x in issue["attachments"]] == \
               [(a["id"], True, reason)]
    # Never deleted; the database itself refuses.
    assert app.query("SELECT count(*) FROM attachment_contents WHERE attachment_id = %s",
                     (a["id"],))[0][0] == 1
    with pytest.raises(Exception):
        app.query("DELETE FROM attachments WHERE id = %s", (a["id"],))
    with pytest.raises(Exception):
        app.query("UPDATE attachment_contents SET content = 'x' WHERE attachment_id = %s",
                  (a["id"],))


# --------------------------------------------------------------------------- names

def test_names_are_cleaned(app, who):
    ref = new_issue(who)
    c = who["ht.th001"]
    cases = [
        (b"../../etc/passwd.pdf", "passwd.pdf"),
        (b"C:\\Users\\Hieu truong\\Desktop\\de-xuat.pdf", "de-xuat.pdf"),
        (b"bao\x01cao\x1b\x7fthang.pdf", "bao_cao__thang.pdf"),
        ("đề xuất kinh phí \u202egpj.pdf".encode(), "đề xuất kinh phí _gpj.pdf"),
    ]
    for raw, want in cases:
        assert upload_ok(c, ref, pdf(), name=raw)["name"] == want
    ref2 = new_issue(who)
    long_name = "Biên bản họp phụ huynh " * 20 + ".pdf"
    a = upload_ok(c, ref2, pdf(), name=long_name)
    assert len(a["name"]) == 200 and a["name"].endswith(".pdf"), a["name"]
    assert a["name"].startswith("Biên bản họp phụ huynh")


def test_content_disposition_for_a_vietnamese_name(app, who):
    ref = new_issue(who)
    name = "Báo cáo tháng 10 - Trường TH Kỳ Anh \"số 1\"; bản cuối.pdf"
    a = upload_ok(who["ht.th001"], ref, pdf(), name=name.replace('"', "%22"))
    assert a["name"] == "Báo cáo tháng 10 - Trường TH Kỳ Anh _số 1_; bản cuối.pdf"
    r = who["ht.th001"].get(f"/api/attachments/{a['id']}")
    cd = r.headers["Content-Disposition"]
    assert cd == ('attachment; filename="Bao cao thang 10 - Truong TH Ky Anh _so 1_; ban cuoi.pdf"; '
                  "filename*=UTF-8''" + urllib.parse.quote(a["name"], safe="!#$&+-.^_`|~")), cd
    star = cd.split("filename*=UTF-8''", 1)[1]
    assert urllib.parse.unquote(star, encoding="utf-8") == a["name"]
    assert all(32 <= ord(ch) < 127 for ch in cd)


# --------------------------------------------------------------------------- concurrency

def hold_upload(port, head, first_part, timeout=30):
    """Starts an upload and holds it mid-body; returns the socket once the server has
    admitted it (taken a place): its "100 Continue" to `Expect: 100-continue` says so."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    s.sendall(head)
    interim = b""
    while b"\r\n\r\n" not in interim:
        chunk = s.recv(1)
        assert chunk, f"connection closed before 100 Continue: {interim!r}"
        interim += chunk
    assert interim.startswith(b"HTTP/1.1 100"), interim
    s.sendall(first_part)
    return s


def upload_when_a_place_is_free(port, head, body, seconds=30):
    """Sends the upload again while it is told to come back (503 with Retry-After): a
    place comes back once the server has seen its upload finish or its client go."""
    deadline = time.monotonic() + seconds
    while True:
        status, headers, answer = raw_request(port, head, body)
        if status != 503 or "retry-after" not in headers or time.monotonic() > deadline:
            return status, headers, answer
        time.sleep(0.1)


def test_uploads_in_progress_are_capped(app, who, tmp_path):
    """A second server on the same database, allowed two uploads at once: two held open
    mid-body take both places; a third gets 503 with Retry-After (after its body), and
    goes through once a place is free."""
    server = Server(app.app_url, tmp_path, extra_args=["--max-uploads", "2"]).start()
    try:
        ref = new_issue(who)
        token = who["ht.th001"].token
        bodies = [multipart([("file", f"anh-{i}.jpg".encode(), "image/jpeg", jpeg(200_000))])
                  for i in range(3)]
        held = [hold_upload(server.port, upload_head(ref, token, len(b), "Expect: 100-continue\r\n"),
                            b[:50_000]) for b in bodies[:2]]
        status, headers, body = raw_request(server.port, upload_head(ref, token, len(bodies[2])),
                                            bodies[2])
        assert status == 503, body
        assert headers.get("retry-after", "").isdigit(), headers
        assert b"too_many_uploads" in body
        # One held upload finishes, the other is abandoned: both places come back.
        held[0].sendall(bodies[0][50_000:])
        status, _, body = read_response(held[0])
        assert status == 201, body
        held[1].close()
        held[0].close()
        status, _, body = upload_when_a_place_is_free(
            server.port, upload_head(ref, token, len(bodies[2])), bodies[2])
        assert status == 201, body

        # Many at once: some go through, the rest are told to come back; none is lost.
        ref2 = new_issue(who)
        results = []

        def send(i):
            b = multipart([("file", b"x.jpg", "image/jpeg", jpeg(3 * MiB))])
            results.append(raw_request(server.port, upload_head(ref2, token, len(b)), b)[0])

        threads = [threading.Thread(target=send, args=(i,)) for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert set(results) <= {201, 503, 409}, results
        assert 201 in results
        stored = app.query("SELECT count(*) FROM attachments a JOIN issues i ON i.id = a.issue_id"
                           " WHERE i.ref = %s", (ref2,))[0][0]
        assert stored == results.count(201)
    finally:
        problems = server.stop()
    assert not problems, "\n".join(problems)


def test_nothing_half_written(app, who):
    """Every attachment has its bytes and its one event; nothing else is there."""
    rows = app.query("""
        SELECT a.id, (SELECT count(*) FROM attachment_contents c WHERE c.attachment_id = a.id),
               (SELECT count(*) FROM issue_events e WHERE e.action = 'attach'
                   AND e.issue_id = a.issue_id AND (e.details->>'attachment_id')::bigint = a.id),
               (SELECT length(c.content) FROM attachment_contents c WHERE c.attachment_id = a.id),
               a.size
          FROM attachments a""")
    assert rows, "no attachments at all: the other tests did not run?"
    bad = [r for r in rows if r[1] != 1 or r[2] != 1 or r[3] != r[4]]
    assert not bad, bad
    orphans = app.query("""SELECT count(*) FROM issue_events e WHERE e.action = 'attach'
                           AND NOT EXISTS (SELECT 1 FROM attachments a
                                           WHERE a.id = (e.details->>'attachment_id')::bigint)""")
    assert orphans[0][0] == 0


def test_cookie_uploads_need_the_csrf_proof(app, who):
    """A browser's upload (cookie session) proves it came from the app, like every other
    state change; a bearer client (every other test here) needs nothing more."""
    from dlapi import DEMO_PASSWORD
    ref = new_issue(who)
    s = requests.Session()
    r = s.post(app.url("/api/session"), json={"login": "ht.th001", "password": DEMO_PASSWORD},
               timeout=60)
    token = assert_json(r, 200)["csrf_token"]
    body = multipart([("file", b"anh.jpg", "image/jpeg", jpeg())])
    headers = {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
               "Origin": app.base_url}
    before = counts(app)
    r = s.post(app.url(f"/api/issues/{ref}/attachments"), data=body, headers=headers, timeout=30)
    assert assert_problem(r, 403)["code"].startswith("csrf_"), describe(r)
    r = s.post(app.url(f"/api/issues/{ref}/attachments"), data=body,
               headers={**headers, "Origin": "https://evil.example", "X-CSRF-Token": token},
               timeout=30)
    assert_problem(r, 403)
    assert counts(app) == before
    r = s.post(app.url(f"/api/issues/{ref}/attachments"), data=body,
               headers={**headers, "X-CSRF-Token": token}, timeout=30)
    assert_json(r, 201)
    r = s.get(app.url(f"/api/attachments/{r.json()['id']}"), timeout=30)
    assert r.status_code == 200 and r.content.startswith(b"\xff\xd8\xff")


def test_idempotent_uploads(app, who):
    """Idempotency-Key on uploads, as on the other POSTs: a retry (even one that finds the
    issue full because the first took the last place) gets the first 201 again and stores
    nothing; another file under the same key is 422; two at once store one."""
    import uuid
    ref = new_issue(who)
    c = who["ht.th001"]
    for i in range(4):
        upload_ok(c, ref, jpeg(), name=f"anh-{i}.jpg")
    k = str(uuid.uuid4())
    data = pdf()
    first = upload(c, ref, data, name="bien-ban.pdf", headers={"Idempotency-Key": k})
    assert_json(first, 201)
    before = counts(app)
    again = upload(c, ref, data, name="bien-ban.pdf", headers={"Idempotency-Key": k})
    assert again.status_code == 201, describe(again)
    assert again.content == first.content
    assert again.headers["Location"] == first.headers["Location"]
    # A browser draws a new multipart boundary for every send: still the same request.
    redrawn = upload(c, ref, data, name="bien-ban.pdf", boundary="----another-draw-42",
                     headers={"Idempotency-Key": k})
    assert redrawn.status_code == 201 and redrawn.content == first.content, describe(redrawn)
    assert counts(app) == before
    # The same bytes under another name are another request.
    r = upload(c, ref, data, name="bien-ban-2.pdf", headers={"Idempotency-Key": k})
    assert assert_problem(r, 422)["code"] == "idempotency_key_reused"
    r = upload(c, ref, pdf(), name="bien-ban.pdf", headers={"Idempotency-Key": k})
    assert assert_problem(r, 422)["code"] == "idempotency_key_reused"
    # Without a key, the sixth file is refused.
    assert assert_problem(upload(c, ref, pdf()), 409)["code"] == "too_many_attachments"

    ref2 = new_issue(who)
    k2 = str(uuid.uuid4())
    data2 = jpeg(500_000)
    results = [None] * 5

    def send(i):
        results[i] = upload(c.twin(), ref2, data2, name="cung-luc.jpg",
                            headers={"Idempotency-Key": k2})

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(results))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stored = app.query("SELECT count(*) FROM attachments a JOIN issues i ON i.id = a.issue_id"
                       " WHERE i.ref = %s", (ref2,))[0][0]
    assert stored == 1, [describe(r) for r in results]
    ok = [r for r in results if r.status_code == 201]
    assert ok and len({r.content for r in ok}) == 1
    for r in results:
        if r.status_code != 201:
            assert assert_problem(r, 409)["code"] == "idempotency_in_flight"


def test_chunked_bodies(app, who):
    """Without a Content-Length the limits hold as the body streams: a file is stored, one
    over 10 MiB is 413 after the body, and a body past 64 MiB has its connection closed;
    the server goes on."""
    ref = new_issue(who)
    c = who["ht.th001"]
    headers = {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}

    def pieces(body, size=256 * 1024):
        for at in range(0, len(body), size):
            yield body[at:at + size]

    data = jpeg(300_000)
    r = c.post(f"/api/issues/{ref}/attachments", headers=headers,
               data=pieces(multipart([("file", b"chunked.jpg", None, data)])))
    a = assert_json(r, 201)
    assert a["sha256"] == hashlib.sha256(data).hexdigest()
    assert "chunked" in (r.request.headers.get("Transfer-Encoding") or "")

    before = counts(app)
    r = c.post(f"/api/issues/{ref}/attachments", headers=headers,
               data=pieces(multipart([("file", b"big.jpg", None, jpeg(LIMIT + 100))])))
    assert assert_problem(r, 413)["code"] == "file_too_large"

    s = socket.create_connection(("127.0.0.1", app.server.port), timeout=30)
    s.sendall((f"POST /api/issues/{ref}/attachments HTTP/1.1\r\nHost: 127.0.0.1\r\n"
               f"Authorization: Bearer {c.token}\r\n"
               f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n"
               "Transfer-Encoding: chunked\r\n\r\n").encode())
    piece = os.urandom(1024 * 1024)
    chunk = f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
    closed = False
    try:
        for _ in range(80):
            s.sendall(chunk)
    except OSError:
        closed = True
    if not closed:   # the server may close only after our last write was buffered
        s.settimeout(10)
        try:
            closed = s.recv(1) == b""
        except OSError:
            closed = True
    s.close()
    assert closed, "a body past 64 MiB was read on"
    assert counts(app) == before
    assert requests.get(app.url("/healthz"), timeout=10).status_code == 200


def test_hostile_multipart_bodies(app, who):
    """Malformed or hostile bodies are refused with a problem, never stored, and the
    server goes on: a wrong boundary, a header line longer than the parser's buffer, no
    boundary parameter, random bytes, a urlencoded form."""
    ref = new_issue(who)
    c = who["ht.th001"]
    url = f"/api/issues/{ref}/attachments"
    before = counts(app)
    good = multipart([("file", b"a.jpg", None, jpeg())])
    cases = [
        (good, "multipart/form-data; boundary=not-the-one", 400),
        (multipart([("file", b"x" * 20000 + b".jpg", None, jpeg())]),
         f"multipart/form-data; boundary={BOUNDARY}", 400),
        (good, "multipart/form-data", 400),
        (os.urandom(100_000), f"multipart/form-data; boundary={BOUNDARY}", 400),
        (b"file=abc", "application/x-www-form-urlencoded", 415),
    ]
    for body, ctype, status in cases:
        r = c.post(url, data=body, headers={"Content-Type": ctype})
        assert_problem(r, status)
    assert counts(app) == before
    assert requests.get(app.url("/healthz"), timeout=10).status_code == 200


def test_demo_force_wipes_attachments_too(app, who):
    """`directline demo --force` empties everything, attachments included, although their
    tables refuse TRUNCATE and DELETE otherwise. (Last: it wipes this module's data.)"""
    assert app.query("SELECT count(*) FROM attachments")[0][0] > 0
    p = app.cli("demo", "--force")
    assert p.returncode == 0, p.stderr
    assert app.query("SELECT (SELECT count(*) FROM attachments),"
                     " (SELECT count(*) FROM attachment_contents)")[0] == (0, 0)
    with pytest.raises(Exception):
        app.query("TRUNCATE attachments CASCADE")
