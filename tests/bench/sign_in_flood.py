# sign_in_flood.py -- the clients of sign_in_flood.sh (read it first): unknown against
# known logins one at a time, and the flood of sign-ins with GET /api/me timed meanwhile.
#
#     sign_in_flood.py BASE_URL timing TRIES
#     sign_in_flood.py BASE_URL flood CLIENTS SECONDS OUT_FILE

import multiprocessing
import queue
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))
from dlapi import DEMO_PASSWORD as PASSWORD, session_from  # noqa: E402

BASE, MODE = sys.argv[1], sys.argv[2]
ME_INTERVAL = 0.05       # seconds between two GET /api/me, answered or not
ME_CONNECTIONS = 16


def sign_in(s, login, password):
    return s.post(BASE + "/api/session", json={"login": login, "password": password}, timeout=120)


def pct(values, p):
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]


def timing(tries):
    known, unknown = [], []
    for i in range(tries):
        for login, out in (("ht.th200", known), (f"khong.co.{i}", unknown)):
            # A fresh address each time: throttling never answers instead of the check.
            with session_from(f"127.2.{i // 200}.{i % 200 + 1 + (out is unknown) * 50}") as s:
                t = time.perf_counter()
                r = sign_in(s, login, "not the password")
                out.append((time.perf_counter() - t) * 1000)
                assert r.status_code == 401, (r.status_code, r.text)
    k, u = statistics.median(known), statistics.median(unknown)
    print(f"known login, wrong password: median {k:7.1f} ms  mean {statistics.mean(known):7.1f} ms  ({tries} tries)")
    print(f"unknown login:               median {u:7.1f} ms  mean {statistics.mean(unknown):7.1f} ms  ({tries} tries)")
    print(f"unknown / known (medians):   {u / k:.3f}  ({'within' if abs(u / k - 1) <= 0.10 else 'NOT within'} 10%)")


def me_loop(token, until, out):
    """GET /api/me every ME_INTERVAL seconds whatever the answers before (a stalled server
    shows as many slow requests, not as a few), each on one of a few kept-alive
    connections; puts (latencies in ms, answers not 200) on out."""
    sessions = queue.Queue()
    for _ in range(ME_CONNECTIONS):
        s = requests.Session()
        s.headers["Authorization"] = f"Bearer {token}"
        sessions.put(s)

    def one():
        s = sessions.get()
        t = time.perf_counter()
        try:
            ok = s.get(BASE + "/api/me", timeout=60).status_code == 200
        except requests.RequestException:
            ok = False
        sessions.put(s)
        return (time.perf_counter() - t) * 1000, ok

    futures = []
    with ThreadPoolExecutor(max_workers=ME_CONNECTIONS) as pool:
        next_at = time.monotonic()
        while next_at < until:
            futures.append(pool.submit(one))
            next_at += ME_INTERVAL
            time.sleep(max(0.0, next_at - time.monotonic()))
    results = [f.result() for f in futures]
    out.put(([ms for ms, _ in results], sum(1 for _, ok in results if not ok)))


def flood(clients, seconds):
    token = sign_in(requests.Session(), "giamsat1", PASSWORD).json()["token"]
    start = time.monotonic() + 2          # the flood's threads are all up by then
    until = start + seconds
    q = multiprocessing.Queue()
    watcher = multiprocessing.Process(target=me_loop, args=(token, until, q))
    counts, lock = {}, threading.Lock()

    def client(i):
        s = session_from(f"127.1.{i // 250}.{i % 250 + 1}")
        login = f"ht.th{i % 250 + 1:03d}"
        n = 0
        while time.monotonic() < start:
            time.sleep(0.01)
        while time.monotonic() < until:
            try:
                status = sign_in(s, login, PASSWORD if n % 2 else "wrong password").status_code
            except requests.RequestException as e:
                status = type(e).__name__
            n += 1
            with lock:
                counts[status] = counts.get(status, 0) + 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    watcher.start()
    lat, errors = q.get()
    watcher.join()
    for t in threads:
        t.join()
    print(f"sign-ins answered during {seconds} s by {clients} clients: "
          + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items(), key=str)))
    print(f"GET /api/me during the flood: {len(lat)} requests, {errors} not 200; "
          f"p50 {pct(lat, 50):.1f} ms  p99 {pct(lat, 99):.1f} ms  max {max(lat):.1f} ms  "
          f"({'PASS' if pct(lat, 99) < 100 else 'FAIL'}: p99 < 100 ms)")
    with open(sys.argv[5], "w") as f:
        f.write("\n".join(f"{x:.3f}" for x in lat) + "\n")


if MODE == "timing":
    timing(int(sys.argv[3]))
else:
    flood(int(sys.argv[3]), int(sys.argv[4]))
