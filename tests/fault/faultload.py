# faultload.py -- the load that runs while a fault is injected, and the checks made after
# it. Clients (principals) file issues in a loop; each request is classified as the client
# saw it: 201 acknowledged, 4xx refused, anything else (timeout, reset, refused connection,
# 5xx) unknown. Afterwards: every acknowledged issue is in the database with its `filed`
# event, and every issue in the database was acknowledged or unknown (never refused, never
# made up).

import json
import threading
import time
from dataclasses import dataclass, field

import requests

from dlapi import DEMO_PASSWORD

CLIENTS = 12
# The client gives up on an answer after this long (the server answers far sooner; a
# request still waiting this long counts as unknown).
REQUEST_TIMEOUT = (2.0, 10.0)
# The issue asks for an answer within 2 s during an outage. The server answers a request
# it cannot serve in milliseconds; the 0.5 s margin is for a loaded 2-core machine running
# the server under AddressSanitizer, so the check stays about the server, not the host.
OUTAGE_ANSWER_BOUND = 2.0 + 0.5


@dataclass
class Outcome:
    title: str
    started: float
    ended: float
    kind: str                  # acknowledged / refused / unknown
    status: int = 0            # 0: no HTTP answer
    ref: str = ""
    problem: dict = field(default_factory=dict)
    retry_after: str = ""
    content_type: str = ""
    error: str = ""


def classify(status):
    if status == 201:
        return "acknowledged"
    if 400 <= status < 500:
        return "refused"
    return "unknown"


class Load:
    """CLIENTS principals filing issues until stopped; `base_url()` is asked before each
    request, so the server may move (a restart on a new port)."""

    def __init__(self, base_url, tag, clients=CLIENTS):
        self.base_url = base_url
        self.tag = tag
        self.outcomes = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._tokens = [self._login(f"ht.th{n:03d}") for n in range(1, clients + 1)]
        self._threads = []

    def _login(self, login):
        r = requests.post(self.base_url() + "/api/session",
                          json={"login": login, "password": DEMO_PASSWORD}, timeout=60)
        assert r.status_code == 200, (login, r.status_code, r.text)
        return r.json()["token"]

    def start(self):
        for i, token in enumerate(self._tokens):
            t = threading.Thread(target=self._client, args=(i, token), daemon=True)
            t.start()
            self._threads.append(t)
        return self

    def stop(self):
        self._stop.set()
        for t in self._threads:
            t.join(timeout=30)
        assert not any(t.is_alive() for t in self._threads), "a load client did not stop"

    def _client(self, i, token):
        session = requests.Session()     # no retries: each request is seen once
        session.headers["Authorization"] = f"Bearer {token}"
        seq = 0
        while not self._stop.is_set():
            seq += 1
            title = f"{self.tag} c{i:02d} n{seq:05d}"
            outcome = self._file(session, title)
            with self._lock:
                self.outcomes.append(outcome)
            if outcome.kind != "acknowledged":
                time.sleep(0.05)          # as a polite client would, not a hot loop
        session.close()

    def _file(self, session, title):
        body = {"title": title, "description": "Sự cố thử nghiệm khi có lỗi.",
                "category": "THIEU-GV"}
        started = time.monotonic()
        try:
            r = session.post(self.base_url() + "/api/issues", json=body,
                             timeout=REQUEST_TIMEOUT)
        except requests.RequestException as e:
            return Outcome(title, started, time.monotonic(), "unknown", error=type(e).__name__)
        ended = time.monotonic()
        o = Outcome(title, started, ended, classify(r.status_code), r.status_code,
                    retry_after=r.headers.get("Retry-After", ""),
                    content_type=r.headers.get("Content-Type", ""))
        try:
            doc = r.json()
        except ValueError:
            doc = {}
        if o.kind == "acknowledged":
            o.ref = doc.get("ref", "")
        elif isinstance(doc, dict):
            o.problem = doc
        return o

    # -- what happened

    def between(self, start, end):
        """Requests sent and answered within [start, end]."""
        return [o for o in self.outcomes if o.started >= start and o.ended <= end]

    def sent_after(self, t):
        return [o for o in self.outcomes if o.started >= t]

    def counts(self):
        c = {"acknowledged": 0, "refused": 0, "unknown": 0}
        for o in self.outcomes:
            c[o.kind] += 1
        return c


def show(o):
    return json.dumps({"title": o.title, "status": o.status, "kind": o.kind,
                       "seconds": round(o.ended - o.started, 3), "error": o.error,
                       "retry_after": o.retry_after, "problem": o.problem},
                      ensure_ascii=False)


def check_nothing_lost(app, load):
    """Acknowledged issues are stored with their `filed` event; stored issues were
    acknowledged or unknown. Prints the counts and returns them."""
    rows = app.query("""
        SELECT i.title, i.ref, EXISTS (SELECT 1 FROM issue_events e
                                        WHERE e.issue_id = i.id AND e.action = 'filed')
          FROM issues i WHERE i.title LIKE %s""", (load.tag + " %",))
    stored = {title: (ref, filed) for title, ref, filed in rows}
    by_title = {o.title: o for o in load.outcomes}
    lost = [o for o in load.outcomes if o.kind == "acknowledged" and
            (o.title not in stored or stored[o.title][0] != o.ref)]
    unfiled = [t for t, (_, filed) in stored.items() if not filed]
    phantom = [t for t in stored if t not in by_title or by_title[t].kind == "refused"]
    counts = load.counts()
    counts["stored"] = len(stored)
    counts["unknown_stored"] = sum(1 for t in stored
                                   if t in by_title and by_title[t].kind == "unknown")
    print(f"\n[{load.tag}] {json.dumps(counts)}")
    assert not lost, f"acknowledged but not stored: {[show(o) for o in lost[:5]]}"
    assert not unfiled, f"stored without a filed event: {unfiled[:5]}"
    assert not phantom, f"stored but refused or never sent: {phantom[:5]}"
    assert counts["acknowledged"] > 0, counts
    return counts


def check_outage_answers(outcomes):
    """Each request sent and answered during the outage: a prompt 503 problem+json with
    Retry-After."""
    assert outcomes, "no request was answered during the outage"
    for o in outcomes:
        assert o.status == 503, f"during the outage: {show(o)}"
        assert o.content_type.startswith("application/problem+json"), show(o)
        assert o.retry_after.isdigit(), f"no Retry-After: {show(o)}"
        assert o.ended - o.started <= OUTAGE_ANSWER_BOUND, f"slow answer: {show(o)}"


def probe(base_url, path):
    try:
        return requests.get(base_url + path, timeout=REQUEST_TIMEOUT).status_code
    except requests.RequestException as e:
        return type(e).__name__


def wait_until(predicate, seconds, step=0.05):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()
