# stack.py -- the perf benchmark's running parts: a private PostgreSQL with durability
# on (fsync, synchronous_commit, full_page_writes as shipped), a database split between
# an owner and the server's role (row-level security applies to the server), and one
# `directline serve` timed from exec to its first answered /healthz, with its RSS.
# Built on the black-box harness of tests/api/conftest.py.

import http.client
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO / "tests" / "api"))
import conftest as harness                      # noqa: E402

DURABLE = {"fsync": "on", "synchronous_commit": "on", "full_page_writes": "on"}
SHOWN = ("server_version", "fsync", "synchronous_commit", "full_page_writes",
         "wal_sync_method", "wal_level", "shared_buffers", "work_mem", "max_connections",
         "jit", "max_parallel_workers_per_gather", "autovacuum")


admin_sql = harness.sql_rows


def make_durable(admin_url):
    """The harness's cluster runs without fsync for speed: switch durability back on
    (all three take a reload) and flush what was written without it."""
    for name, value in DURABLE.items():
        admin_sql(admin_url, f"ALTER SYSTEM SET {name} = {value}")
    admin_sql(admin_url, "SELECT pg_reload_conf()")
    admin_sql(admin_url, "CHECKPOINT")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if all(settings(admin_url)[k] == v for k, v in DURABLE.items()):
            return
        time.sleep(0.1)
    raise RuntimeError(f"durability settings did not take: {settings(admin_url)}")


def settings(admin_url):
    rows = admin_sql(admin_url, "SELECT name, setting, unit FROM pg_settings"
                                " WHERE name = ANY(%s)", (list(SHOWN),))
    found = {n: f"{s}{'' if not u else ' x ' + u}" for n, s, u in rows}
    return {n: found.get(n, "?") for n in SHOWN}


def start_database():
    """(PrivatePostgres, harness.Database) with the demo loaded. Durability is still off
    (the harness's setting, for a fast load): make_durable() before timing anything."""
    pg = harness.PrivatePostgres().start()
    try:
        db = harness.Postgres(pg.admin_url).create_split_database("perf")
        for cmd in (["migrate"], ["demo"]):
            p = harness.run_cli(cmd, db.app_url, owner_url=db.owner_url)
            if p.returncode != 0:
                raise RuntimeError(f"directline {cmd[0]} failed:\n{p.stderr}")
        return pg, db
    except BaseException:
        pg.stop()
        raise


def rss_kib(pid, field="VmRSS"):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def healthz_ok(port):
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
        conn.request("GET", "/healthz")
        ok = conn.getresponse().status == 200
        conn.close()
        return ok
    except OSError:
        return False


class Server:
    """`directline serve` as the app role; start() records the time from exec to the
    first 200 from /healthz (polled every millisecond) and the idle RSS a second later."""

    def __init__(self, db, logdir, args=()):
        self.db, self.logdir, self.args = db, Path(logdir), list(args)
        self.proc = self.port = None
        self.start_ms = self.idle_rss_kib = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, attempts=3, timeout=30.0):
        env = harness.child_env({"DATABASE_URL": self.db.app_url,
                                 "DIRECTLINE_SWEEP_SECONDS": "0"})
        env.pop("DATABASE_OWNER_URL", None)
        for attempt in range(attempts):
            self.port = harness.free_port()
            self.stderr = self.logdir / f"server-{attempt}.stderr"
            with open(self.stderr, "wb") as err:
                began = time.monotonic()
                self.proc = subprocess.Popen(
                    [harness.directline_bin(), "serve", "--listen", f"127.0.0.1:{self.port}",
                     *self.args], stdin=subprocess.DEVNULL, stdout=err, stderr=err, env=env)
            while time.monotonic() - began < timeout and self.proc.poll() is None:
                if healthz_ok(self.port):
                    self.start_ms = (time.monotonic() - began) * 1000
                    time.sleep(1.0)
                    self.idle_rss_kib = rss_kib(self.proc.pid)
                    return self
                time.sleep(0.001)
            self.stop()
        raise RuntimeError(f"directline serve did not start; see {self.stderr}")

    def stop(self):
        if self.proc is None:
            return None
        self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = self.proc.wait()
        self.proc = None
        return rc


class RssPeak:
    """The highest RSS of a process while the `with` block runs (sampled every 50 ms)."""

    def __init__(self, pid):
        self.pid, self.peak_kib = pid, 0
        self._stop = threading.Event()

    def _sample(self):
        while not self._stop.is_set():
            try:
                self.peak_kib = max(self.peak_kib, rss_kib(self.pid))
            except OSError:
                return
            self._stop.wait(0.05)

    def __enter__(self):
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak_kib = max(self.peak_kib, rss_kib(self.pid))
