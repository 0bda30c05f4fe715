# soak.py -- the soak run behind tests/bench/soak.sh (read that file's header first).
# Starts a private PostgreSQL and `directline serve` (the harness of tests/api), runs mixed
# load for SOAK_MINUTES, samples the server's RSS and open descriptors, prints the figures.

import json
import os
import random
import socket
import sys
import threading
import time
from pathlib import Path
from statistics import median

import requests

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "api"))
import conftest as harness                      # noqa: E402
from dlapi import DEMO_PASSWORD                 # noqa: E402

MINUTES = float(os.environ.get("SOAK_MINUTES", "30"))
WARMUP = float(os.environ.get("SOAK_WARMUP_MINUTES", str(min(5.0, MINUTES / 5))))
CLIENTS = int(os.environ.get("SOAK_CLIENTS", "8"))
SLOW = int(os.environ.get("SOAK_SLOW_CLIENTS", "3"))
BAD = int(os.environ.get("SOAK_BAD_CLIENTS", "2"))
SAMPLE = float(os.environ.get("SOAK_SAMPLE_SECONDS", "5"))
THREADS = os.environ.get("SOAK_THREADS", "8")


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.counts = {}
        self.errors = []

    def add(self, key, error=None):
        with self.lock:
            self.counts[key] = self.counts.get(key, 0) + 1
            if error and len(self.errors) < 20:
                self.errors.append(error)


def login(base, name):
    r = requests.post(base + "/api/session", json={"login": name, "password": DEMO_PASSWORD},
                      timeout=60)
    r.raise_for_status()
    return r.json()["token"]


def good_client(base, token, stop, tally, rng):
    """A principal at work: files, reads, lists and comments on the school's issues."""
    s = requests.Session()
    s.headers["Authorization"] = f"Bearer {token}"
    refs = []
    n = 0
    while not stop.is_set():
        n += 1
        op = rng.choices(["file", "read", "list", "comment"], [2, 3, 3, 2])[0]
        if op in ("read", "comment") and not refs:
            op = "file"
        try:
            if op == "file":
                r = s.post(base + "/api/issues", timeout=30, json={
                    "title": f"soak {n} {rng.random():.6f}", "category": "THIEU-GV",
                    "description": "Tải thử lâu dài: " + "x" * rng.randint(10, 2000)})
                ok = r.status_code == 201
                if ok:
                    refs.append(r.json()["ref"])
            elif op == "read":
                r = s.get(base + "/api/issues/" + rng.choice(refs[-50:]), timeout=30)
                ok = r.status_code == 200
            elif op == "list":
                r = s.get(base + "/api/issues", params={"limit": rng.choice([10, 50])},
                          timeout=30)
                ok = r.status_code == 200
            else:
                r = s.post(base + f"/api/issues/{rng.choice(refs[-50:])}/comments", timeout=30,
                           json={"body": "Bổ sung thông tin " + str(n), "internal": False})
                ok = r.status_code == 201
            tally.add(op if ok else "good_error",
                      None if ok else f"{op} -> {r.status_code} {r.text[:200]}")
        except requests.RequestException as e:
            tally.add("good_error", f"{op} -> {type(e).__name__}")


def slow_client(port, token, stop, tally, rng):
    """Sends its request head a few bytes at a time, then reads the answer slowly."""
    head = (f"GET /api/me HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
            "Connection: close\r\n\r\n").encode()
    while not stop.is_set():
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
                for i in range(0, len(head), 16):
                    sock.sendall(head[i:i + 16])
                    time.sleep(0.1)
                while sock.recv(64):
                    time.sleep(0.05)
            tally.add("slow")
        except OSError:
            tally.add("slow_cut")
        time.sleep(rng.random())


BAD_REQUESTS = [
    ("POST", "/api/issues", b"{not json", "application/json"),
    ("POST", "/api/issues", b'{"title": 1e400}', "application/json"),
    ("POST", "/api/issues", b'{"title": "x"}', "text/plain"),
    ("GET", "/api/issues?status=nonsense", None, None),
    ("GET", "/api/issues?cursor=%%%", None, None),
    ("GET", "/api/nowhere", None, None),
    ("DELETE", "/api/issues", None, None),
    ("GET", "/api/issues/HT-0000-000000", None, None),
    ("POST", "/api/issues", b'{"title": "' + b"a" * 70000 + b'"}', "application/json"),
]


def bad_client(base, token, stop, tally, rng):
    """Malformed and refused requests, some without a session: each must get a 4xx."""
    s = requests.Session()
    while not stop.is_set():
        method, path, body, ctype = rng.choice(BAD_REQUESTS)
        headers = {"Content-Type": ctype} if ctype else {}
        if rng.random() < 0.8:
            headers["Authorization"] = f"Bearer {token}"
        try:
            r = s.request(method, base + path, data=body, headers=headers, timeout=30)
            tally.add("bad_4xx" if 400 <= r.status_code < 500 else "bad_other",
                      None if 400 <= r.status_code < 500 else f"{method} {path} -> {r.status_code}")
        except requests.RequestException as e:
            tally.add("bad_other", f"{method} {path} -> {type(e).__name__}")
        time.sleep(rng.random() * 0.2)


def client_socket_inodes(pid, port):
    """Inodes of the TCP connections accepted on the server's port (not the listener)."""
    inodes = set()
    for line in Path(f"/proc/{pid}/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local_port, state = int(fields[1].rsplit(":", 1)[1], 16), fields[3]
        if local_port == port and state != "0A":          # 0A: LISTEN
            inodes.add(fields[9])
    return inodes


def sample(pid, port):
    """(RSS KiB, open descriptors, descriptors other than clients' connections)."""
    rss = 0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            rss = int(line.split()[1])
    # The connections are read before and after the descriptors: one accepted or closed
    # in between is in one of the two readings, not taken for the server's own.
    clients = client_socket_inodes(pid, port)
    targets = []
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            targets.append(os.readlink(f"/proc/{pid}/fd/{fd}"))
        except OSError:
            continue                     # closed between the listing and the look
    clients |= client_socket_inodes(pid, port)
    own = sum(not (t.startswith("socket:[") and t[8:-1] in clients) for t in targets)
    return rss, len(targets), own


def main():
    logdir = Path(os.environ.get("SOAK_OUT_DIR") or
                  __import__("tempfile").mkdtemp(prefix="directline-soak-", dir="/tmp"))
    logdir.mkdir(parents=True, exist_ok=True)
    pg = harness.PrivatePostgres()
    server = None
    threads = []
    stop = threading.Event()
    try:
        pg.start()
        pgs = harness.Postgres(pg.admin_url)
        # as deployed: the server's role owns nothing and is held to row-level security
        db = pgs.create_split_database("soak")
        for cmd in (["migrate"], ["demo"]):
            p = harness.run_cli(cmd, db.app_url, owner_url=db.owner_url)
            assert p.returncode == 0, p.stderr
        server = harness.Server(db.app_url, logdir, extra_args=["--threads", THREADS]).start()
        base, port, pid = server.base_url, server.port, server.proc.pid
        print(f"soak: {MINUTES} min ({WARMUP} min warm-up), {CLIENTS} good, {SLOW} slow, "
              f"{BAD} bad clients; server pid {pid} on {base}; logs in {logdir}", flush=True)
        tally = Tally()
        tokens = [login(base, f"ht.th{n:03d}") for n in range(1, CLIENTS + SLOW + BAD + 1)]
        rng = random.Random(2026)
        for i in range(CLIENTS):
            threads.append(threading.Thread(target=good_client, daemon=True, args=(
                base, tokens[i], stop, tally, random.Random(rng.random()))))
        for i in range(SLOW):
            threads.append(threading.Thread(target=slow_client, daemon=True, args=(
                port, tokens[CLIENTS + i], stop, tally, random.Random(rng.random()))))
        for i in range(BAD):
            threads.append(threading.Thread(target=bad_client, daemon=True, args=(
                base, tokens[CLIENTS + SLOW + i], stop, tally, random.Random(rng.random()))))
        for t in threads:
            t.start()
        began = time.monotonic()
        samples = []
        while time.monotonic() - began < MINUTES * 60:
            time.sleep(SAMPLE)
            if server.proc.poll() is not None:
                raise RuntimeError(f"the server exited with {server.proc.returncode}")
            rss, fds, own = sample(pid, port)
            t = time.monotonic() - began
            samples.append((t, rss, fds, own))
            done = sum(tally.counts.values())
            print(f"  t={t:7.1f}s rss={rss} KiB fds={fds} (own {own}) requests={done}",
                  flush=True)
        stop.set()
        for t in threads:
            t.join(timeout=60)
        report(samples, tally, MINUTES * 60)
    finally:
        stop.set()
        if server is not None:
            problems = server.stop()
            if problems:
                print("\n".join(problems))
        pg.stop()


def report(samples, tally, seconds):
    warm = [s for s in samples if s[0] >= WARMUP * 60] or samples
    # RSS moves with the requests in flight: compare the first and the last minute after
    # the warm-up by median, not two single samples. Descriptors: the server's own (all but
    # its clients' connections, which come and go with the slow clients), by the most open
    # in each minute: a leaked descriptor raises it.
    first = [s for s in warm if s[0] < warm[0][0] + 60]
    last = [s for s in warm if s[0] > warm[-1][0] - 60]
    rss0, rss1 = median(s[1] for s in first), median(s[1] for s in last)
    growth = 100.0 * (rss1 - rss0) / rss0
    fds0, fds1 = max(s[3] for s in first), max(s[3] for s in last)
    good = sum(tally.counts.get(k, 0) for k in ("file", "read", "list", "comment"))
    errors = tally.counts.get("good_error", 0)
    print("\nsoak figures")
    print(f"  requests: {json.dumps(tally.counts, sort_keys=True)}")
    print(f"  good requests: {good} ({good / seconds:.1f}/s), errors for good clients: {errors}"
          f"  [{'PASS' if errors == 0 else 'FAIL'}: target 0]")
    print(f"  RSS (median) in the first minute after warm-up {rss0:.0f} KiB, in the last "
          f"{rss1:.0f} KiB (max {max(s[1] for s in warm)}):"
          f" {growth:+.2f}%  [{'PASS' if growth < 5 else 'FAIL'}: target < 5%]")
    print(f"  the server's own descriptors (clients' connections aside), most in the first "
          f"minute after warm-up {fds0}, in the last minute {fds1}; all descriptors at most "
          f"{max(s[2] for s in warm)}  [{'PASS' if fds1 <= fds0 else 'FAIL'}: target no growth]")
    print(f"  bad requests not answered 4xx: {tally.counts.get('bad_other', 0)}")
    for e in tally.errors:
        print(f"    {e}")


if __name__ == "__main__":
    main()
