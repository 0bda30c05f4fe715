# test_sign_in_queue.py -- password checks run off the server's worker threads: while
# many sign-ins wait for their check, other requests are answered; past the queue's
# bound a sign-in is answered 503 with Retry-After. (How fast: tests/bench/sign_in_flood.sh.)

import http.client
import json
import threading
import time

import requests

from conftest import Server
from dlapi import DEMO_PASSWORD, assert_json, assert_problem, session_from
from server_sockets import read_connections

SIGN_INS = 100


class Flood:
    """n sign-ins at once with the right password, each on its own connection from its
    own address in `network` (a try counts as a failure until its check succeeds, so
    more than 10 at once from one address would be throttled); each result is (status,
    Retry-After, the moment it came, Content-Type, code) or the exception's name. `sent`
    counts the requests sent in full."""

    def __init__(self, server, n, login, network):
        self.server, self.results, self.sent = server, [], 0
        self.lock = threading.Lock()
        body = json.dumps({"login": login, "password": DEMO_PASSWORD})
        self.threads = [threading.Thread(target=self._one, args=(body, f"{network}.{i + 1}"))
                        for i in range(n)]
        for t in self.threads:
            t.start()

    def _one(self, body, source):
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=300,
                                          source_address=(source, 0))
        try:
            conn.request("POST", "/api/session", body=body,
                         headers={"Content-Type": "application/json"})
            with self.lock:
                self.sent += 1
            r = conn.getresponse()
            answer = json.loads(r.read() or b"{}")
            result = (r.status, r.getheader("Retry-After"), time.monotonic(),
                      r.getheader("Content-Type"), answer.get("code"))
        except (OSError, http.client.HTTPException, ValueError) as e:
            result = type(e).__name__
        with self.lock:
            self.results.append(result)
        conn.close()

    def wait_until_read(self, seconds=120):
        """Until every request is sent and the server has read them all (the kernel's
        count of its connections with nothing left to read; those answered may be gone),
        or fails."""
        n = len(self.threads)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            with self.lock:
                sent = self.sent + sum(1 for r in self.results if isinstance(r, str))
            read = read_connections(self.server.proc.pid, self.server.port)
            if sent == n and read >= n - len(self.results):
                return
            time.sleep(0.05)
        raise AssertionError(f"after {seconds} s, {self.sent} of {n} sign-ins sent and "
                             f"{read} read by the server")

    def join(self):
        for t in self.threads:
            t.join()
        return self.results


def test_requests_are_answered_while_sign_ins_wait_for_their_check(app):
    me = app.login("ht.th022")
    flood = Flood(app.server, SIGN_INS, "ht.th021", "127.0.30")
    flood.wait_until_read()               # every sign-in is at the server, most queued
    answers = []
    for _ in range(5):
        assert_json(me.get("/api/me"), 200)
        answers.append(time.monotonic())
    results = flood.join()
    assert sorted(r[0] for r in results) == [200] * SIGN_INS, results
    # The five answers came while most of the sign-ins were still waiting.
    done_before = sum(1 for r in results if r[2] < answers[-1])
    assert done_before < SIGN_INS // 2, f"{done_before} of {SIGN_INS} sign-ins came first"


def test_a_full_queue_is_answered_503_with_retry_after(app):
    server = Server(app.app_url, app.logdir, extra_args=["--sign-in-queue", "2"]).start()
    try:
        results = Flood(server, 24, "ht.th021", "127.0.31").join()
        statuses = [r[0] for r in results]
        assert set(statuses) == {200, 503}, statuses
        assert statuses.count(200) >= 4          # 2 being checked, 2 waiting, at least
        for status, retry_after, _, content_type, code in results:
            if status == 503:
                assert content_type == "application/problem+json"
                assert code == "busy" and int(retry_after) >= 1
        # The server goes on: a sign-in on its own is answered.
        r = requests.post(server.base_url + "/api/session",
                          json={"login": "ht.th023", "password": DEMO_PASSWORD}, timeout=60)
        assert_json(r, 200)
    finally:
        problems = server.stop()
    assert not problems, "\n".join(problems)
    r = requests.post(app.url("/api/session"), json={"login": "ht.th023", "password": "sai"},
                      timeout=60)
    assert_problem(r, 401)


def test_admin_temporary_passwords_are_hashed_on_the_password_pool(app):
    # Creating a user or resetting a password hashes a temporary password (argon2id,
    # 64 MiB): that runs on the bounded password pool too, never on a worker, so past the
    # queue it is answered 503 like a sign-in, and nothing is half made.
    server = Server(app.app_url, app.logdir, extra_args=["--sign-in-queue", "2"]).start()
    try:
        r = requests.post(server.base_url + "/api/session",
                          json={"login": "admin", "password": DEMO_PASSWORD}, timeout=60)
        auth = {"Authorization": "Bearer " + assert_json(r, 200)["token"]}
        results = []

        def one(i):
            body = {"login": f"thu.hangdoi{i:02d}", "name": "Thử Hàng Đợi", "role": "principal",
                    "school": "TH010"}
            r = requests.post(server.base_url + "/api/users", json=body, headers=auth,
                              timeout=300)
            results.append((r.status_code, r.headers.get("Retry-After"), r.json().get("code"),
                            body["login"]))
        threads = [threading.Thread(target=one, args=(i,)) for i in range(24)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        statuses = [r[0] for r in results]
        assert set(statuses) == {201, 503}, statuses
        for status, retry_after, code, _ in results:
            if status == 503:
                assert code == "busy" and int(retry_after) >= 1
        made = {r[3] for r in results if r[0] == 201}
        stored = app.query("SELECT login FROM users WHERE login LIKE 'thu.hangdoi%%'")
        assert {row[0] for row in stored} == made
        # A reset goes the same way, and is answered once the pool is free.
        r = requests.post(server.base_url + f"/api/users/{sorted(made)[0]}/password-reset",
                          json={}, headers=auth, timeout=60)
        assert len(assert_json(r, 200)["temporary_password"]) > 10
    finally:
        problems = server.stop()
    assert not problems, "\n".join(problems)


def test_the_server_stops_cleanly_with_sign_ins_waiting(app):
    server = Server(app.app_url, app.logdir).start()
    flood = Flood(server, 30, "ht.th024", "127.0.32")
    flood.wait_until_read()
    # Those waiting for their check are finished and answered before the server exits
    # (libmicrohttpd would abort on a connection left suspended).
    problems = server.stop()
    results = [r if isinstance(r, str) else r[0] for r in flood.join()]
    assert not problems, "\n".join(problems)
    assert 200 in results, results


def test_sign_ins_still_queued_at_the_stop_are_answered_503(app):
    """A stop with a long queue of password checks: the checks under way finish, the
    queued ones are answered 503 (busy, Retry-After) without being run, so the stop does
    not wait for dozens of checks. How long it took is printed, not asserted."""
    server = Server(app.app_url, app.logdir).start()
    results = []

    def one(i):
        try:
            with session_from(f"127.0.33.{i + 1}") as s:
                r = s.post(server.base_url + "/api/session",
                           json={"login": "ht.th025", "password": DEMO_PASSWORD}, timeout=120)
            results.append((r.status_code, r.headers.get("Retry-After"),
                            r.headers.get("Content-Type"), r.json().get("code")))
        except requests.RequestException as e:
            results.append((type(e).__name__, None, None, None))
    threads = [threading.Thread(target=one, args=(i,)) for i in range(60)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 60
    while not any(r[0] == 200 for r in results):   # checks are running, the rest queued
        assert time.monotonic() < deadline, results
        time.sleep(0.05)
    t0 = time.monotonic()
    problems = server.stop()
    stop_seconds = time.monotonic() - t0
    for t in threads:
        t.join()
    assert not problems, "\n".join(problems)
    statuses = [r[0] for r in results]
    print(f"\n[sign-in queue] stop with a queue: {stop_seconds:.2f} s; answers: "
          f"{statuses.count(200)} x 200, {statuses.count(503)} x 503, "
          f"{len(statuses) - statuses.count(200) - statuses.count(503)} refused or reset")
    assert statuses.count(503) > 0, statuses
    # Only the checks already under way (and those that were done) ran.
    assert statuses.count(200) < len(statuses) // 2, statuses
    for status, retry_after, content_type, code in results:
        if status == 503:
            assert content_type == "application/problem+json"
            assert code == "busy" and int(retry_after) >= 1
        else:
            assert status == 200 or isinstance(status, str), status
