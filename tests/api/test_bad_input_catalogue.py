# test_bad_input_catalogue.py -- runs the hostile and malformed requests kept as data in
# bad_input_catalogue.json (its "about" says how an entry reads). Every answer must be the
# entry's status with a problem+json body and code, nothing of PostgreSQL's own text, and
# /healthz must answer after it. Three groups:
#   unchanged  sent with requests; the business tables are checksummed before and after
#   raw        written byte for byte on a socket (framing and smuggling shapes); unchanged too
#   stored     accepted and kept: what was stored, and how it comes back (JSON verbatim,
#              the printable report escaped, the CSV report neutralised against formulas)
# An entry marked "pending" names a known limit (see PENDING below); it runs
# as a strict xfail, so it fails the day the fix lands until the mark is removed.

import base64
import csv
import io
import json
import re
import socket
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import psycopg2
import pytest
import requests

from dlapi import PNG_1PX, act_ok, assert_json, assert_problem, describe, file_issue, media_type

CATALOGUE = json.loads(Path(__file__).with_name("bad_input_catalogue.json")
                       .read_text(encoding="utf-8"))
CASES = CATALOGUE["cases"]

# What a request could change that matters to the Department: each table's rows, digested.
# (sessions are left out: a signed-in request may move last_seen_at.)
BUSINESS_TABLES = ["issues", "issue_events", "issue_states", "issue_ref_counters", "issue_cosigns",
                   "attachments", "users", "clusters", "schools", "divisions", "categories",
                   "sla_policies", "working_hours", "holidays", "admin_events",
                   "idempotency_keys", "meetings", "meeting_agenda", "decisions",
                   "decision_issues", "decision_events", "practices", "practice_attachments",
                   "directives", "directive_clusters", "directive_schools"]
# A sum of row hashes needs no sort: cheap enough to take before and after every case.
CHECKSUM_SQL = "SELECT " + ", ".join(
    f"(SELECT count(*) || ':' || coalesce(sum(hashtext(t::text)::bigint), 0) FROM {t} t)"
    for t in BUSINESS_TABLES) + (
    ", (SELECT count(*) || ':' || coalesce(sum(hashtext(attachment_id || md5(content))::bigint), 0)"
    " FROM attachment_contents)")

# Words of PostgreSQL's own messages; none may reach a client. libpq's function names
# (PQexec...) match by case only: a random temporary password may hold "pQ".
POSTGRES_TEXT = re.compile(r"violates|constraint|ERROR:|DETAIL:|SQLSTATE|syntax error|"
                           r"invalid input syntax|out of range for type|relation \"|"
                           r"duplicate key value|null value in column|libpq|"
                           r"(?-i:\bPQ[a-z])", re.I)
CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
ICT = timezone(timedelta(hours=7))


# Why an entry may be marked "pending": a known limit, run as a strict expected failure so
# that the day it passes, the mark must go.
PENDING = {
    "libmicrohttpd": "libmicrohttpd 0.9.75 answers this itself before any handler runs "
                     "(its head written twice, or a header cut at a NUL it does not report); "
                     "nginx in front refuses it, see docs/deployment.md",
}


def cases_of(group):
    out = []
    for c in CASES:
        if c.get("group", "unchanged") != group:
            continue
        marks = []
        if c.get("pending"):
            marks.append(pytest.mark.xfail(strict=True, reason=PENDING[c["pending"]]))
        out.append(pytest.param(c, id=c["id"], marks=marks))
    return out


def test_the_catalogue_is_well_formed():
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids)), "case ids repeat"
    assert len(CASES) >= 100
    for c in CASES:
        assert c.get("group", "unchanged") in ("unchanged", "raw", "stored"), c["id"]
        assert isinstance(c["expect"]["status"], int), c["id"]
        if c["expect"]["status"] >= 400:
            assert "code" in c["expect"], f"{c['id']}: a refusal names its problem code"
        assert c.get("pending") in (None, *PENDING), c["id"]


# --------------------------------------------------------------------------- the world

class World:
    """The objects the catalogue's ${...} names stand for, and a client per login."""

    def __init__(self, app):
        self.app = app
        self.clients = {}
        self.values = {"host": f"127.0.0.1:{app.server.port}"}
        self._db = None

    def client(self, login):
        if login is None:
            return self.app.client()
        if login not in self.clients:
            self.clients[login] = self.app.login(login)
        return self.clients[login]

    def token(self, login):
        return self.client(login).token

    def expand(self, text):
        text = re.sub(r"\$\{repeat:(\d+):(.*?)\}", lambda m: m.group(2) * int(m.group(1)), text,
                      flags=re.S)

        def value(m):
            name = m.group(1)
            if name.startswith("token:"):
                return self.token(name[len("token:"):])
            if name == "new_issue":        # a fresh issue of TH001, for what fills one up
                return file_issue(self.client("ht.th001"), title="Hồ sơ đính kèm",
                                  description="Một vấn đề mới cho tệp đính kèm.")["ref"]
            return str(self.values[name])
        return re.sub(r"\$\{([a-z_:.0-9]+)\}", value, text)

    def checksum(self):
        if self._db is None or self._db.closed:
            self._db = psycopg2.connect(self.app.db_url, connect_timeout=10)
            self._db.autocommit = True
        with self._db.cursor() as cur:
            cur.execute(CHECKSUM_SQL)
            return dict(zip(BUSINESS_TABLES + ["attachment_contents"], cur.fetchone()))

    def close(self):
        if self._db is not None:
            self._db.close()




@pytest.fixture(scope="module")
def world(app):
    w = World(app)
    principal, officer = w.client("ht.th001"), w.client("cb.tccb1")
    triaged = file_issue(principal, title="Thiếu giáo viên Mĩ thuật (danh mục lỗi)",
                         description="Vấn đề dùng cho danh mục yêu cầu hỏng.")
    act_ok(officer, triaged["ref"], "triage")
    other = file_issue(w.client("ht.th250"), title="Vấn đề của trường TH250",
                       description="Một vấn đề ở cụm khác.")
    r = principal.post(f"/api/issues/{triaged['ref']}/attachments",
                       files={"file": ("anh.png", PNG_1PX, "image/png")})
    attachment = assert_json(r, 201)
    # ${meeting}: one held on 2026-12-01 with the triaged issue on its agenda; ${decision}
    # one of its decisions, for that issue's division.
    meeting = assert_json(officer.send_json("POST", "/api/meetings", {
        "kind": "province", "held_on": "2026-12-01", "title": "Giao ban (danh mục lỗi)",
        "agenda": [triaged["ref"]]}), 201)
    decision = assert_json(officer.send_json("POST", f"/api/meetings/{meeting['id']}/decisions", {
        "body": "Bố trí giáo viên Mĩ thuật.", "division": "TCCB", "due_on": "2027-01-15",
        "issues": [triaged["ref"]]}), 201)
    # ${practice}: ht.th001's proposal, waiting for review.
    practice = assert_json(principal.send_json("POST", "/api/practices", {
        "category": "THIEU-GV", "title": "Ghép lớp (danh mục lỗi)", "problem": "Thiếu.",
        "solution": "Ghép lớp."}), 201)
    # ${month}: one with issues in it, the triaged one's, not the clock's (a run may cross
    # a month's end, 17:00 UTC). ${next_month} must not have begun when a case asks for
    # it: the month after the one two hours from now (a module's run is far shorter).
    soon = datetime.now(ICT) + timedelta(hours=2)
    next_month = (soon.replace(day=1) + timedelta(days=32)).replace(day=1)
    w.values.update({
        "ref": triaged["ref"], "ref_other": other["ref"], "attachment": attachment["id"],
        "meeting": meeting["id"], "decision": decision["id"], "practice": practice["id"],
        "month": month_of(triaged), "next_month": next_month.strftime("%Y-%m"),
    })
    yield w
    w.close()


# --------------------------------------------------------------------------- bodies

def multipart(spec, world):
    """A multipart/form-data body from {"boundary", "parts": [...], "cut", "epilogue"}."""
    boundary = spec.get("boundary", "dlcatalogue")
    out = b""
    for part in spec.get("parts", []):
        disposition = f'form-data; name="{part["name"]}"'
        if "filename" in part:
            disposition += f'; filename="{part["filename"]}"'
        out += f"--{boundary}\r\nContent-Disposition: {disposition}\r\n".encode("utf-8")
        out += f"Content-Type: {part.get('type', 'application/octet-stream')}\r\n\r\n".encode()
        out += content(part["content"], world) + b"\r\n"
    if spec.get("close", True):
        out += f"--{boundary}--\r\n".encode()
    cut = spec.get("cut", 0)
    return out[:-cut] if cut else out


def content(spec, world):
    """Bytes from a body spec: json, text, base64, png, repeat, nest, multipart."""
    if spec is None:
        return None
    if "json" in spec:
        return world.expand(json.dumps(spec["json"], ensure_ascii=False)).encode("utf-8")
    if "text" in spec:
        return world.expand(spec["text"]).encode("utf-8")
    if "base64" in spec:
        return base64.b64decode(spec["base64"])
    if "png" in spec:
        return PNG_1PX
    if "repeat" in spec:
        r = spec["repeat"]
        unit = base64.b64decode(r["unit_base64"]) if "unit_base64" in r \
            else r["unit"].encode("utf-8")
        return (content(r["prefix"], world) if "prefix" in r else b"") + unit * r["times"] + \
            (content(r["suffix"], world) if "suffix" in r else b"")
    if "nest" in spec:
        n = spec["nest"]
        return (n["open"] * n["depth"] + n.get("inner", "") + n["close"] * n["depth"]).encode()
    if "multipart" in spec:
        return multipart(spec["multipart"], world)
    raise AssertionError(f"unknown body spec {spec}")


# --------------------------------------------------------------------------- checks

def check_problem(status, ctype, text, exp, what):
    """The status, a problem+json with the expected code and fields, no PostgreSQL text."""
    assert status == exp["status"], f"expected {exp['status']}, got {status}: {what}"
    if exp.get("bare"):        # answered by libmicrohttpd itself: no body of ours
        return None
    assert not POSTGRES_TEXT.search(text), f"PostgreSQL's text reaches the client: {what}"
    if status < 400:
        return None
    assert ctype == "application/problem+json", what
    body = json.loads(text)
    if exp.get("code"):
        assert body.get("code") == exp["code"], what
    named = {e.get("field"): e.get("code") for e in body.get("errors") or []}
    for field in exp.get("fields", []):
        assert field in named, f"errors[] does not name {field}: {what}"
    for field, code in (exp.get("field_codes") or {}).items():
        assert named.get(field) == code, f"{field} should be {code}: {what}"
    return body


def send(case, world):
    c = world.client(case.get("as"))
    headers = {k: world.expand(v) for k, v in (case.get("headers") or {}).items()}
    data = content(case.get("body"), world)
    if data is not None and not case.get("no_content_type"):
        headers.setdefault("Content-Type", "application/json")
    return c.request(case["method"], world.expand(case["path"]), data=data, headers=headers,
                     timeout=60, allow_redirects=False)


def assert_alive(app):
    r = requests.get(app.url("/healthz"), timeout=10)
    assert r.status_code == 200, "the server no longer answers /healthz"


@pytest.mark.parametrize("case", cases_of("unchanged"))
def test_refused_and_nothing_changes(app, world, case):
    world.client(case.get("as"))            # sign in before the snapshot
    before = world.checksum()
    r = send(case, world)
    try:
        body = check_problem(r.status_code, media_type(r), r.text, case["expect"], describe(r))
        if body is not None:
            assert_problem(r, r.status_code)        # type, title, detail, snake_case codes
        allow = case["expect"].get("allow")
        if allow:
            got = {m.strip() for m in (r.headers.get("Allow") or "").split(",") if m.strip()}
            assert got >= set(allow) and case["method"] not in got, r.headers.get("Allow")
    finally:
        assert_alive(app)
    after = world.checksum()
    changed = [t for t in before if before[t] != after[t]]
    assert not changed, f"{case['id']} changed {changed}: {describe(r)}"


# --------------------------------------------------------------------------- raw sockets

def first_answer_complete(data):
    """Whether `data` holds a whole first answer: its head and Content-Length bytes."""
    head, sep, rest = data.partition(b"\r\n\r\n")
    if not sep:
        return False
    m = re.search(rb"(?im)^content-length:\s*(\d+)\s*$", head)
    return len(rest) >= (int(m.group(1)) if m else 0)


def read_answer(sock, until_closed, limit=10.0, quiet=1.0):
    """What the server sends; returns (bytes, closed). Reads until the connection closes,
    at most `limit` seconds: a loaded machine may be slow to answer or to close. Unless
    `until_closed`, stops once the first answer is complete and nothing more (a second
    answer: a smuggled request) came for `quiet` seconds."""
    deadline = time.monotonic() + limit
    data = b""
    while True:
        left = deadline - time.monotonic()
        if first_answer_complete(data) and not until_closed:
            left = min(left, quiet)
        if left <= 0:
            return data, False
        sock.settimeout(left)
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            return data, False
        except ConnectionResetError:
            return data, True
        if not chunk:
            return data, True
        data += chunk


def parse_first_response(data):
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    m = re.match(r"HTTP/1\.[01] (\d{3})", lines[0])
    assert m, f"no status line in {data[:300]!r}"
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    length = int(headers.get("content-length", "0"))
    return int(m.group(1)), headers, rest[:length], rest[length:]


@pytest.mark.parametrize("case", cases_of("raw"))
def test_raw_request(app, world, case):
    payload = content(case["raw"], world)
    exp = case["expect"]
    before = world.checksum()
    with socket.create_connection(("127.0.0.1", app.server.port), timeout=10) as sock:
        sock.sendall(payload)
        data, closed = read_answer(sock, until_closed=exp.get("answer") is False
                                   or bool(exp.get("closed")))
    try:
        what = f"{case['id']}: {data[:1500]!r}"
        if exp.get("answer") is False:
            assert data == b"" and closed, f"expected the connection closed unanswered: {what}"
            return
        status, headers, body, after = parse_first_response(data)
        for text in exp.get("absent", []):
            assert text.encode() not in body, f"{text!r} in the answer: {what}"
        ctype = headers.get("content-type", "").split(";")[0].strip().lower()
        check_problem(status, ctype, body.decode("utf-8", "replace"), exp, what)
        assert after == b"", f"more than one answer (a smuggled request ran?): {what}"
        if exp.get("closed"):
            assert closed, f"the connection stays open: {what}"
    finally:
        assert_alive(app)
    after = world.checksum()
    changed = [t for t in before if before[t] != after[t]]
    assert not changed, f"{case['id']} changed {changed}"


# --------------------------------------------------------------------------- stored

def server_html_escape(s):
    """The printable report's escaping (api/report_html.c)."""
    for a, b in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"),
                 ("'", "&#39;")):
        s = s.replace(a, b)
    return s


def csv_neutralised(s):
    """A cell as the report writes it (domain/csv_cell.c): a quote in front of a formula,
    and after each `;` or line break that a formula or a double quote follows (a reader
    splitting on those, ignoring quotes, would start a cell or a row there)."""
    guarded = re.sub(r'([;\r\n])(?=["=+\-@\t\r＝＋－＠])', r"\1'", s)
    return "'" + guarded if s.startswith(CSV_FORMULA_STARTS) else guarded


def month_of(issue):
    """The report month an issue is counted in: its filing time's, in ICT."""
    return datetime.fromisoformat(issue["created_at"]).astimezone(ICT).strftime("%Y-%m")


def report(world, fmt, month, **extra):
    c = world.client("cb.tccb1")
    r = c.get("/api/reports/monthly", params={"month": month, "format": fmt, **extra})
    assert r.status_code == 200, describe(r)
    return r.content.decode("utf-8-sig")


def check_stored_issue(app, world, case, created):
    sent = json.loads(content(case["body"], world))
    ref = created["ref"]
    stored = app.query("SELECT title, description, proposed_solution FROM issues WHERE ref = %s",
                       (ref,))
    got = assert_json(world.client(case["as"]).get(f"/api/issues/{ref}"), 200)
    for field in ("title", "description", "proposed_solution"):
        if field in sent:
            assert created[field] == sent[field], f"{field} not returned verbatim"
            assert got[field] == sent[field], f"{field} not read back verbatim"
    assert stored == [(sent["title"], sent["description"], sent.get("proposed_solution"))], \
        "not stored verbatim"
    html = report(world, "html", month_of(created))
    assert server_html_escape(sent["title"]) in html, "the title is not in the report, escaped"
    if server_html_escape(sent["title"]) != sent["title"]:
        assert sent["title"] not in html, "the title is in the report unescaped"
    rows = [r for r in csv.reader(io.StringIO(report(world, "csv", month_of(created), part="issues"),
                                              newline="")) if r and r[0] == ref]
    assert len(rows) == 1, f"{ref} is not in the CSV report once"
    assert rows[0][-1] == csv_neutralised(sent["title"]), \
        f"CSV title cell {rows[0][-1]!r} is not neutralised"
    # The tables the injections name are all still there, and still full.
    assert app.query("SELECT (SELECT count(*) > 600 FROM issues), (SELECT count(*) > 250 FROM users),"
                     " (SELECT count(*) > 1000 FROM issue_events)") == [(True, True, True)]


def check_stored_comment(app, world, case, created):
    sent = json.loads(content(case["body"], world))
    assert created["note"] == sent["body"]
    got = assert_json(world.client(case["as"]).get(f"/api/issues/{world.values['ref']}"), 200)
    notes = [e["note"] for e in got["events"] if e["id"] == created["id"]]
    assert notes == [sent["body"]], "the comment is not read back verbatim"
    stored = app.query("SELECT body FROM issue_events WHERE id = %s", (created["id"],))
    assert stored == [(sent["body"],)]


def check_stored_user(app, world, case, created):
    sent = json.loads(content(case["body"], world))
    login = created["user"]["login"]
    got = assert_json(world.client(case["as"]).get(f"/api/users/{login}"), 200)
    assert created["user"]["name"] == got["name"] == sent["name"]
    assert app.query("SELECT full_name FROM users WHERE login = %s", (login,)) == \
        [(sent["name"],)]


def check_stored_attachment(app, world, case, created):
    want = case["check"].get("name") or created["name"]
    assert created["name"] == want, f"stored name {created['name']!r}, expected {want!r}"
    assert not re.search(r"[\x00-\x1f\x7f/\\<>:\"|?*\u202a-\u202e\u2066-\u2069]", want), want
    r = world.client(case["as"]).get(f"/api/attachments/{created['id']}")
    assert r.status_code == 200, describe(r)
    assert r.content == PNG_1PX
    disposition = r.headers.get("Content-Disposition", "")
    assert disposition.startswith("attachment;"), disposition
    assert "\r" not in disposition and "\n" not in disposition, disposition
    assert app.query("SELECT name FROM attachments WHERE id = %s", (created["id"],)) == \
        [(want,)]


STORED_CHECKS = {"issue": check_stored_issue, "comment": check_stored_comment,
                 "user": check_stored_user, "attachment": check_stored_attachment}


@pytest.mark.parametrize("case", cases_of("stored"))
def test_stored_verbatim_and_returned_safely(app, world, case):
    r = send(case, world)
    try:
        check_problem(r.status_code, media_type(r), r.text, case["expect"], describe(r))
    finally:
        assert_alive(app)
    STORED_CHECKS[case["check"]["kind"]](app, world, case, r.json())


def test_server_still_ready(app, world):
    assert requests.get(app.url("/readyz"), timeout=10).status_code == 200
    assert_json(world.client("ht.th001").get("/api/me"), 200)
