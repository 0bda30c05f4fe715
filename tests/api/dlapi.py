# dlapi.py -- small helpers shared by the API test modules: an HTTP client bound to the
# server, problem+json checks, time parsing, Vietnamese accent folding, list walking.

import json
import re
import threading
import time
import unicodedata
from datetime import datetime, timedelta

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

DEMO_PASSWORD = "hatinh-demo-2026"
REF_RE = re.compile(r"^HT-\d{4}-\d{6}$")
TIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?\+07:00$")
HEX64_RE = re.compile(r"^[0-9a-f]{64}$")
CODE_RE = re.compile(r"^[a-z][a-z0-9_]*$")
OPEN_STATUSES = {"new", "triaged", "in_progress", "awaiting_school"}
ALL_STATUSES = OPEN_STATUSES | {"resolved", "closed", "declined", "duplicate"}
ISSUE_KEYS = {
    "ref", "title", "description", "proposed_solution", "status", "priority", "category",
    "category_kind", "division", "school", "school_name", "cluster", "filed_by", "assignee",
    "escalation_level", "reopen_count", "duplicate_of", "overdue", "due_first_response_at",
    "due_resolution_at", "first_response_at", "resolved_at", "closed_at", "created_at",
    "updated_at", "category_sensitive", "shared", "schools_affected", "cosigned", "parent",
    "child_count",
}
EVENT_KEYS = {"id", "action", "actor", "from_status", "to_status", "note", "internal",
              "details", "created_at"}


class FromAddress(HTTPAdapter):
    """Connections bound to one local source address (any of 127.0.0.0/8 reaches the
    server), so that a test or a benchmark can act as many clients."""

    def __init__(self, source):
        self.source = source
        super().__init__()

    def init_poolmanager(self, connections, maxsize, block=False, **kw):
        kw["source_address"] = (self.source, 0)
        super().init_poolmanager(connections, maxsize, block, **kw)


def session_from(address):
    """A plain requests.Session whose connections come from `address`."""
    s = requests.Session()
    s.mount("http://", FromAddress(address))
    return s


class Client(requests.Session):
    """requests.Session bound to the server: paths start with '/', 30 s timeout."""

    def __init__(self, base_url, token=None):
        super().__init__()
        # The server closes a connection idle for 15 s; on a busy machine a test can
        # pause that long, and a browser would then retry a GET on a new connection.
        retry = Retry(total=2, connect=2, read=1, status=0, other=0,
                      allowed_methods=frozenset({"GET", "HEAD"}), raise_on_status=False)
        self.mount("http://", HTTPAdapter(max_retries=retry))
        self.base_url = base_url
        self.token = token
        self.user = None
        self.login_name = None
        if token:
            self.headers["Authorization"] = f"Bearer {token}"

    def request(self, method, url, *args, **kwargs):
        if url.startswith("/"):
            url = self.base_url + url
        kwargs.setdefault("timeout", 30)
        return super().request(method, url, *args, **kwargs)

    def send_json(self, method, path, obj, **kwargs):
        """Send obj as raw UTF-8 JSON (not \\u-escaped), Content-Type application/json."""
        data = json.dumps(obj, ensure_ascii=False).encode("utf-8")
        return self.send_raw(method, path, data, **kwargs)

    def send_raw(self, method, path, data, content_type="application/json", **kwargs):
        headers = dict(kwargs.pop("headers", {}) or {})
        if content_type is not None:
            headers["Content-Type"] = content_type
        return self.request(method, path, data=data, headers=headers, **kwargs)

    def twin(self):
        """Another client with the same credentials (requests.Session is not thread-safe)."""
        c = Client(self.base_url, self.token)
        c.user, c.login_name = self.user, self.login_name
        return c


def describe(r):
    """One line per fact about a response, for assertion messages."""
    body = r.content[:3000].decode("utf-8", errors="replace")
    return f"{r.request.method} {r.request.url} -> {r.status_code} {r.headers.get('Content-Type')}\n{body}"


def media_type(r):
    return (r.headers.get("Content-Type") or "").split(";")[0].strip().lower()


def assert_json(r, status):
    assert r.status_code == status, describe(r)
    assert media_type(r) == "application/json", describe(r)
    return r.json()


def assert_problem(r, status, fields=(), require_errors=None):
    """An RFC 9457 problem with this status; for 400s, `errors` names each of `fields`
    (an entry may be a tuple of acceptable names: ("title", "body"))."""
    assert r.status_code == status, describe(r)
    assert media_type(r) == "application/problem+json", describe(r)
    body = r.json()
    assert isinstance(body, dict), describe(r)
    for key in ("type", "title", "detail"):
        assert isinstance(body.get(key), str) and body[key].strip(), \
            f"problem without a '{key}': {describe(r)}"
    assert body.get("status") == status, describe(r)
    # A stable machine code for the problem and for each field error, so that a client
    # can say it in the reader's language.
    assert isinstance(body.get("code"), str) and CODE_RE.match(body["code"]), \
        f"problem without a snake_case 'code': {describe(r)}"
    for e in body.get("errors") or []:
        assert isinstance(e.get("code"), str) and CODE_RE.match(e["code"]), \
            f"field error without a snake_case 'code': {describe(r)}"
        assert isinstance(e.get("params"), dict) and all(
            isinstance(v, (int, float)) for v in e["params"].values()), describe(r)
    if fields or require_errors:
        errors = body.get("errors")
        assert isinstance(errors, list) and errors, f"no errors[]: {describe(r)}"
        for e in errors:
            assert isinstance(e, dict) and isinstance(e.get("field"), str) \
                and isinstance(e.get("message"), str) and e["message"].strip(), describe(r)
        named = {e["field"] for e in errors}
        missing = [f for f in fields
                   if not (named & (set(f) if isinstance(f, tuple) else {f}))]
        assert not missing, f"errors[] does not name {missing}: {describe(r)}"
    return body


def parse_time(s):
    assert isinstance(s, str) and TIME_RE.match(s), f"not an RFC 3339 +07:00 time: {s!r}"
    return datetime.fromisoformat(s)


def close_to(a, b, seconds=1.0):
    return abs((a - b).total_seconds()) <= seconds


def hours(n):
    return timedelta(hours=n)


def fold(s):
    """Lower case without Vietnamese accents ('Đ' -> 'd'), like dl_fold in the schema."""
    s = s.replace("Đ", "D").replace("đ", "d")
    s = unicodedata.normalize("NFD", s)
    return "".join(c for c in s if not unicodedata.combining(c)).lower()


def walk(client, params=None, limit=200, max_pages=100):
    """Every item of GET /api/issues with these filters, following next_cursor."""
    params = dict(params or {})
    params["limit"] = str(limit)
    items = []
    for _ in range(max_pages):
        body = assert_json(client.get("/api/issues", params=params), 200)
        assert set(body) >= {"items", "next_cursor"}, body.keys()
        assert len(body["items"]) <= limit
        items.extend(body["items"])
        if body["next_cursor"] is None:
            return items
        assert isinstance(body["next_cursor"], str) and body["next_cursor"]
        params["cursor"] = body["next_cursor"]
    raise AssertionError(f"more than {max_pages} pages for {params}")


def refs(items):
    return [i["ref"] for i in items]


def file_issue(client, title="Thiếu giáo viên dạy Tiếng Anh khối 3",
               description="Trường thiếu 1 giáo viên Tiếng Anh từ đầu năm học.",
               category="THIEU-GV", **extra):
    """POST /api/issues as this (principal) client; asserts 201, returns the ISSUE."""
    body = {"title": title, "description": description, "category": category}
    body.update(extra)
    r = client.send_json("POST", "/api/issues", body)
    assert r.status_code == 201, describe(r)
    return r.json()


def signed_in_with_nothing_unread(app, logins):
    """A client per login, each with every notification read: the demo's history told
    everyone of its events, and a test counts only what it causes."""
    clients = {who: app.login(who) for who in logins}
    for client in clients.values():
        assert_json(client.post("/api/notifications/read-all"), 200)
    return clients


def lock_waiters(app):
    """How many sessions of the module's database wait on a lock (a row, an advisory lock,
    another transaction)."""
    return app.query("SELECT count(*) FROM pg_stat_activity WHERE datname = %s"
                     " AND wait_event_type = 'Lock'", (app.db_name,))[0][0]


def wait_for_lock_waiters(app, n, timeout=30):
    deadline = time.monotonic() + timeout
    while lock_waiters(app) < n:
        assert time.monotonic() < deadline, f"fewer than {n} sessions waited on a lock"
        time.sleep(0.05)


def race(jobs, timeout=120):
    """Run the callables at once (a barrier releases them together); returns their
    results, or the exception each raised."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def run(i, job):
        try:
            barrier.wait(timeout=60)
            results[i] = job()
        except Exception as e:          # reported by the caller
            results[i] = e

    threads = [threading.Thread(target=run, args=(i, j)) for i, j in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    assert not any(t.is_alive() for t in threads), "a request hung"
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, f"requests failed: {errors[:3]}"
    return results


def act(client, ref, action, note=None, **extra):
    body = {"action": action}
    if note is not None:
        body["note"] = note
    body.update(extra)
    return client.send_json("POST", f"/api/issues/{ref}/actions", body)


def act_ok(client, ref, action, note=None, **extra):
    return assert_json(act(client, ref, action, note, **extra), 200)


def comment(client, ref, text, internal=False):
    return client.send_json("POST", f"/api/issues/{ref}/comments",
                            {"body": text, "internal": internal})


# --------------------------------------------------------------------------- added for the
# report, SLA and sweep modules (test_report.py, test_sla.py, test_sweep.py)

from datetime import timezone as _timezone

ICT = _timezone(timedelta(hours=7))     # Asia/Ho_Chi_Minh: UTC+7, no daylight saving


def dl_time(dt):
    """A datetime as the server writes it: RFC 3339 with milliseconds in +07:00."""
    dt = dt.astimezone(ICT)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}+07:00"


def assert_problem_naming(r, status, *names):
    """A problem with this status whose errors[] names each of `names`: an entry whose
    `field` contains the name (e.g. "priority" in "items[2].priority"), or, for a name
    given as a tuple, any of its alternatives. Returns the problem body."""
    body = assert_problem(r, status, require_errors=True)
    fields = [e["field"] for e in body["errors"]]
    for name in names:
        options = name if isinstance(name, tuple) else (name,)
        assert any(o in f for o in options for f in fields), \
            f"errors[] does not name {name!r} (fields: {fields}): {describe(r)}"
    return body


# --------------------------------------------------------------------------- added for the
# bad input catalogue and the authorization matrix

PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d4944415478da63fccfc0500f000485018084a98c210000000049454e44ae426082")
