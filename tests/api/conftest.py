# conftest.py -- the black-box harness: a real PostgreSQL for the session, and per test
# module a fresh database owned by a role of its own, `directline migrate` + `directline
# demo` as that owner, and a running server that connects as a second role, which owns
# nothing (row-level security applies to it). The tests' own SQL uses the admin URL.
#
# Environment:
#   DIRECTLINE_BIN             the binary under test (default: <repo>/build/backend/directline)
#   DIRECTLINE_TEST_ADMIN_URL  a libpq URL with CREATEDB and CREATEROLE rights (the tests'
#                              own queries must see every row: a superuser); unset: a
#                              private PostgreSQL is initdb'ed and started for the session
#   DIRECTLINE_TEST_KEEP=1     keep the test databases and the server logs for a post-mortem
#
# A module fails (in its teardown) when the server does not stop with exit code 0 on
# SIGTERM, or when its stderr shows a sanitizer report.

import glob
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.parse
from pathlib import Path

import psycopg2
import psycopg2.extensions
import pytest
import requests

from dlapi import DEMO_PASSWORD, Client, describe

REPO = Path(__file__).resolve().parents[2]
SANITIZER_MARKERS = ("AddressSanitizer", "LeakSanitizer", "runtime error:")
CLI_TIMEOUT = 300          # demo hashes ~300 passwords; be generous
KEEP = os.environ.get("DIRECTLINE_TEST_KEEP") == "1"


def directline_bin():
    path = os.environ.get("DIRECTLINE_BIN") or str(REPO / "build" / "backend" / "directline")
    return path


def free_port():
    """A TCP port that was free a moment ago on 127.0.0.1 (callers retry on a race)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sanitizer_findings(text):
    return [m for m in SANITIZER_MARKERS if m in text]


def tail(text, n=4000):
    return text if len(text) <= n else "...\n" + text[-n:]


def child_env(extra=None):
    env = dict(os.environ)
    # Make sanitizer reports land on stderr and make leaks count (defaults, unless the
    # caller has chosen otherwise).
    env.setdefault("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=0")
    env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")
    if extra:
        env.update(extra)
    return env


# --------------------------------------------------------------------------- PostgreSQL

def with_dbname(url, dbname):
    """The same server and credentials as `url`, database `dbname` (URL or key=value)."""
    if url.startswith(("postgresql://", "postgres://")):
        parts = urllib.parse.urlsplit(url)
        return urllib.parse.urlunsplit(parts._replace(path="/" + dbname))
    return psycopg2.extensions.make_dsn(url, dbname=dbname)


def as_role(url, role, password):
    """`url` (already naming the database) with another role and password."""
    if url.startswith(("postgresql://", "postgres://")):
        parts = urllib.parse.urlsplit(url)
        host = parts.netloc.rsplit("@", 1)[-1]
        netloc = f"{role}:{password}@{host}"
        return urllib.parse.urlunsplit(parts._replace(netloc=netloc))
    return psycopg2.extensions.make_dsn(url, user=role, password=password)


def sql_rows(url, sql, params=None):
    """The rows of one statement (None for a command) on a connection of its own, in
    autocommit; for tests and benches that look at the database beside the server."""
    conn = psycopg2.connect(url, connect_timeout=10)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchall() if cur.description else None
    finally:
        conn.close()


class Database:
    """One module's database: its owner (migrations, demo), the server's role (owns
    nothing), and the admin URL the tests' own SQL uses."""

    def __init__(self, name, admin_url, owner_url, app_url, owner_role, app_role):
        self.name = name
        self.admin_url = admin_url
        self.owner_url = owner_url
        self.app_url = app_url
        self.owner_role = owner_role
        self.app_role = app_role


def find_pg_bindir():
    candidates = []
    for d in glob.glob("/usr/lib/postgresql/*/bin"):
        ver = os.path.basename(os.path.dirname(d))
        if os.path.exists(os.path.join(d, "initdb")) and os.path.exists(os.path.join(d, "pg_ctl")):
            try:
                candidates.append((tuple(int(x) for x in ver.split(".")), d))
            except ValueError:
                continue
    if not candidates:
        raise RuntimeError("no PostgreSQL server found in /usr/lib/postgresql/*/bin "
                           "(or set DIRECTLINE_TEST_ADMIN_URL)")
    return max(candidates)[1]


class PrivatePostgres:
    """A throw-away PostgreSQL cluster on 127.0.0.1, TCP only, trust auth."""

    def __init__(self):
        self.bindir = find_pg_bindir()
        self.as_root = os.geteuid() == 0
        self.tmp = tempfile.mkdtemp(prefix="directline-pg-", dir="/tmp")
        self.data = os.path.join(self.tmp, "data")
        self.log = os.path.join(self.tmp, "postgres.log")
        self.port = None
        self.started = False
        if self.as_root:
            pw = pwd.getpwnam("postgres")
            os.chown(self.tmp, pw.pw_uid, pw.pw_gid)
        os.chmod(self.tmp, 0o700)

    def _run(self, args, check=True, timeout=120):
        cmd = [os.path.join(self.bindir, args[0])] + list(args[1:])
        if self.as_root:
            cmd = ["runuser", "-u", "postgres", "--"] + cmd
        # cwd: a directory postgres can enter, whoever we are.
        p = subprocess.run(cmd, cwd=self.tmp, stdin=subprocess.DEVNULL, capture_output=True,
                           text=True, timeout=timeout)
        if check and p.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed ({p.returncode}):\n{p.stdout}\n{p.stderr}")
        return p

    def start(self):
        self._run(["initdb", "-D", self.data, "-E", "UTF8", "--locale=C.UTF-8",
                   "--auth=trust", "-U", "postgres", "--no-sync"])
        base_conf = Path(self.data, "postgresql.conf").read_text()
        errors = []
        for _ in range(5):
            self.port = free_port()
            conf = base_conf + (
                "\n# directline test harness\n"
                "listen_addresses = '127.0.0.1'\n"
                f"port = {self.port}\n"
                "unix_socket_directories = ''\n"
                "max_connections = 200\n"
                "fsync = off\n"
                "synchronous_commit = off\n"
                "full_page_writes = off\n"
                "timezone = 'UTC'\n"
            )
            Path(self.data, "postgresql.conf").write_text(conf)
            p = self._run(["pg_ctl", "-D", self.data, "-l", self.log, "-w", "-t", "60",
                           "start"], check=False)
            if p.returncode == 0:
                self.started = True
                return self
            errors.append(p.stdout + p.stderr + self._log_tail())
            self._run(["pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop"],
                      check=False)
        raise RuntimeError("could not start PostgreSQL:\n" + "\n----\n".join(errors))

    def _log_tail(self):
        try:
            return tail(Path(self.log).read_text(errors="replace"))
        except OSError:
            return ""

    @property
    def admin_url(self):
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def stop(self):
        if self.started:
            self._run(["pg_ctl", "-D", self.data, "-m", "fast", "-w", "-t", "60", "stop"],
                      check=False)
            self.started = False
        shutil.rmtree(self.tmp, ignore_errors=True)


class Postgres:
    """The session's PostgreSQL server: creates and drops the per-module databases."""

    def __init__(self, admin_url):
        self.admin_url = admin_url

    def _admin(self):
        conn = psycopg2.connect(self.admin_url, connect_timeout=10)
        conn.autocommit = True
        return conn

    def create_database(self, prefix):
        """Create dl_<prefix>_<random>; returns (name, url)."""
        clean = re.sub(r"[^a-z0-9_]", "_", prefix.lower())[:40]
        name = f"dl_{clean}_{secrets.token_hex(4)}"
        conn = self._admin()
        try:
            with conn.cursor() as cur:
                cur.execute(f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING \'UTF8\'')
        finally:
            conn.close()
        return name, with_dbname(self.admin_url, name)

    def create_split_database(self, prefix):
        """A database owned by a role <name>_owner, with a role <name>_app for the
        server; returns a Database. The roles go with drop_database."""
        clean = re.sub(r"[^a-z0-9_]", "_", prefix.lower())[:40]
        name = f"dl_{clean}_{secrets.token_hex(4)}"
        owner, app = f"{name}_owner", f"{name}_app"
        owner_pw, app_pw = secrets.token_hex(16), secrets.token_hex(16)
        conn = self._admin()
        try:
            with conn.cursor() as cur:
                cur.execute(f'CREATE ROLE "{owner}" LOGIN PASSWORD %s', (owner_pw,))
                cur.execute(f'CREATE ROLE "{app}" LOGIN PASSWORD %s', (app_pw,))
                cur.execute(f'CREATE DATABASE "{name}" OWNER "{owner}" TEMPLATE template0'
                            " ENCODING 'UTF8'")
        finally:
            conn.close()
        url = with_dbname(self.admin_url, name)
        return Database(name, url, as_role(url, owner, owner_pw), as_role(url, app, app_pw),
                        owner, app)

    def drop_database(self, name):
        conn = self._admin()
        try:
            with conn.cursor() as cur:
                cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                cur.execute(f'DROP ROLE IF EXISTS "{name}_owner", "{name}_app"')
        finally:
            conn.close()


@pytest.fixture(scope="session")
def pg():
    admin_url = os.environ.get("DIRECTLINE_TEST_ADMIN_URL")
    if admin_url:
        yield Postgres(admin_url)
        return
    private = PrivatePostgres()
    try:
        private.start()
        yield Postgres(private.admin_url)
    finally:
        private.stop()


# --------------------------------------------------------------------------- the binary

def run_cli(args, database_url=None, input=None, timeout=CLI_TIMEOUT, extra_env=None,
            owner_url=None):
    """Run `directline ARGS` with DATABASE_URL (and DATABASE_OWNER_URL when given); fails
    the calling test on a sanitizer report. Returns the CompletedProcess (text mode)
    whatever the exit code."""
    binary = directline_bin()
    if not os.path.exists(binary):
        pytest.fail(f"directline binary not found at {binary} (set DIRECTLINE_BIN)",
                    pytrace=False)
    env = child_env(extra_env)
    if database_url is not None:
        env["DATABASE_URL"] = database_url
    else:
        env.pop("DATABASE_URL", None)
    if owner_url is not None:
        env["DATABASE_OWNER_URL"] = owner_url
    else:
        env.pop("DATABASE_OWNER_URL", None)
    p = subprocess.run([binary] + list(args), input=input if input is not None else "",
                       capture_output=True, text=True, timeout=timeout, env=env,
                       errors="replace")
    found = sanitizer_findings(p.stderr)
    if found:
        pytest.fail(f"`directline {' '.join(args)}` printed a sanitizer report "
                    f"({', '.join(found)}):\n{tail(p.stderr)}", pytrace=False)
    return p


def deliver_killed_on_arrival(env, arrived, what):
    """Runs the delivery worker (`directline deliver`) and kills it with SIGKILL once
    `arrived` (a threading.Event the receiving end sets) says a message came: the worker
    never learns that it went. `what` names the message in the failure."""
    worker = subprocess.Popen([directline_bin(), "deliver", "--interval", "1"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert arrived.wait(60), f"the worker sent no {what}"
        worker.send_signal(signal.SIGKILL)
        worker.wait(30)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait(30)


def run_cli_ok(args, database_url=None, **kw):
    p = run_cli(args, database_url, **kw)
    if p.returncode != 0:
        pytest.fail(f"`directline {' '.join(args)}` exited {p.returncode}:\n"
                    f"stdout:\n{tail(p.stdout)}\nstderr:\n{tail(p.stderr)}", pytrace=False)
    return p


class Server:
    """One `directline serve` process with its stdout/stderr in files."""

    def __init__(self, database_url, logdir, extra_env=None, extra_args=None, owner_url=None):
        self.database_url = database_url
        self.owner_url = owner_url
        self.extra_args = list(extra_args or [])
        # The background sweep would change issues under a test's feet; tests that want it
        # run `directline sweep --now ...` themselves, or pass DIRECTLINE_SWEEP_SECONDS.
        self.extra_env = {"DIRECTLINE_SWEEP_SECONDS": "0", **(extra_env or {})}
        self.logdir = Path(logdir)
        self.proc = None
        self.port = None
        self.stderr_path = None
        self.stdout_path = None

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, attempts=4, timeout=30.0):
        binary = directline_bin()
        failures = []
        for attempt in range(attempts):
            self.port = free_port()
            self.stdout_path = self.logdir / f"server-{attempt}.stdout"
            self.stderr_path = self.logdir / f"server-{attempt}.stderr"
            env = child_env({"DATABASE_URL": self.database_url, **self.extra_env})
            if self.owner_url:
                env["DATABASE_OWNER_URL"] = self.owner_url
            else:
                env.pop("DATABASE_OWNER_URL", None)
            with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
                self.proc = subprocess.Popen(
                    [binary, "serve", "--listen", f"127.0.0.1:{self.port}", *self.extra_args],
                    stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env)
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    break
                try:
                    r = requests.get(self.base_url + "/healthz", timeout=1)
                    if r.status_code == 200 and self.proc.poll() is None:
                        return self
                except requests.RequestException:
                    pass
                time.sleep(0.1)
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
                why = f"no 200 from /healthz within {timeout:.0f} s"
            else:
                why = f"exited with {self.proc.returncode} before answering /healthz"
            stderr = self.stderr_path.read_text(errors="replace")
            failures.append(f"attempt {attempt + 1} (port {self.port}): {why}\n{tail(stderr)}")
            if sanitizer_findings(stderr):
                break     # a crash, not a port race: no point in retrying
        self.proc = None
        raise RuntimeError("directline serve did not start:\n" + "\n----\n".join(failures))

    def stop(self, timeout=30.0):
        """SIGTERM, wait; returns a list of problems (empty when it stopped cleanly)."""
        problems = []
        if self.proc is None:
            return problems
        self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=timeout)
            if rc != 0:
                problems.append(f"directline serve exited with {rc} on SIGTERM (expected 0)")
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            problems.append(f"directline serve did not stop within {timeout:.0f} s of SIGTERM")
        self.proc = None
        stderr = self.stderr_path.read_text(errors="replace")
        found = sanitizer_findings(stderr)
        if found:
            problems.append(f"server stderr has a sanitizer report ({', '.join(found)})")
        if problems:
            problems.append(f"server stderr ({self.stderr_path}):\n{tail(stderr, 8000)}")
        return problems


# --------------------------------------------------------------------------- per module

class App:
    """What a test module gets: the running server, its database, and helpers. db_url
    is the admin's (the tests' own SQL sees every row); app_url the server's role's,
    owner_url the owner's."""

    def __init__(self, pg, database, server, logdir):
        self.pg = pg
        self.db_name = database.name
        self.db_url = database.admin_url
        self.app_url = database.app_url
        self.owner_url = database.owner_url
        self.app_role = database.app_role
        self.owner_role = database.owner_role
        self.server = server
        self.base_url = server.base_url
        self.logdir = logdir
        self._conns = []

    # -- HTTP
    def url(self, path):
        return self.base_url + path

    def client(self, token=None):
        """A client with no credentials (or the given bearer token)."""
        return Client(self.base_url, token)

    def login(self, login, password=DEMO_PASSWORD):
        """A signed-in client: `Authorization: Bearer <token>` only (no cookie)."""
        r = requests.post(self.url("/api/session"), json={"login": login, "password": password},
                          timeout=60)
        assert r.status_code == 200, f"login {login}: {describe(r)}"
        body = r.json()
        c = Client(self.base_url, body["token"])
        c.user = body.get("user")
        c.login_name = login
        return c

    # -- database
    def db(self):
        """A psycopg2 connection to the module's database (autocommit)."""
        conn = psycopg2.connect(self.db_url, connect_timeout=10)
        conn.autocommit = True
        self._conns.append(conn)
        return conn

    def query(self, sql, params=None):
        return sql_rows(self.db_url, sql, params)

    def snapshot(self):
        """Counts and max ids of what a request could change: compare before/after."""
        row = self.query("""
            SELECT (SELECT count(*) FROM issues),
                   (SELECT coalesce(max(id), 0) FROM issues),
                   (SELECT max(updated_at) FROM issues),
                   (SELECT count(*) FROM issue_events),
                   (SELECT coalesce(max(id), 0) FROM issue_events),
                   (SELECT count(*) FROM sessions),
                   (SELECT count(*) FROM users),
                   (SELECT coalesce(max(id), 0) FROM users),
                   (SELECT coalesce(sum(last), 0) FROM issue_ref_counters),
                   (SELECT count(*) FROM issue_cosigns),
                   (SELECT count(*) FROM issues WHERE shared),
                   (SELECT count(*) FROM notifications),
                   (SELECT count(*) FROM notifications WHERE read_at IS NULL),
                   (SELECT count(*) FROM webhooks),
                   (SELECT count(*) FROM meetings),
                   (SELECT count(*) FROM decisions),
                   (SELECT count(*) FROM decision_events),
                   (SELECT count(*) FROM practices),
                   (SELECT count(*) FROM directives),
                   (SELECT count(*) FROM directive_schools WHERE acknowledged_at IS NOT NULL)""")[0]
        keys = ("issues", "issues_max_id", "issues_max_updated_at", "issue_events",
                "issue_events_max_id", "sessions", "users", "users_max_id", "ref_counters",
                "issue_cosigns", "issues_shared", "notifications", "notifications_unread",
                "webhooks", "meetings", "decisions", "decision_events", "practices",
                "directives", "directives_acknowledged")
        return dict(zip(keys, row))

    def issue_row(self, ref):
        rows = self.query("""
            SELECT i.id, i.status, i.priority, i.reopen_count, i.escalation_level,
                   i.first_response_at, i.resolved_at, i.closed_at, i.created_at,
                   i.updated_at, d.code, s.code
              FROM issues i JOIN divisions d ON d.id = i.division_id
              JOIN schools s ON s.id = i.school_id
             WHERE i.ref = %s""", (ref,))
        assert rows, f"issue {ref} not in the database"
        keys = ("id", "status", "priority", "reopen_count", "escalation_level",
                "first_response_at", "resolved_at", "closed_at", "created_at", "updated_at",
                "division", "school")
        return dict(zip(keys, rows[0]))

    def events_of(self, ref):
        """The issue's history from the database, oldest first."""
        rows = self.query("""
            SELECT e.id, e.action, u.login, e.from_status, e.to_status, e.body, e.internal,
                   e.details, e.created_at
              FROM issue_events e JOIN issues i ON i.id = e.issue_id
              LEFT JOIN users u ON u.id = e.actor_id
             WHERE i.ref = %s ORDER BY e.created_at, e.id""", (ref,))
        keys = ("id", "action", "actor", "from_status", "to_status", "body", "internal",
                "details", "created_at")
        return [dict(zip(keys, r)) for r in rows]

    def actions_of(self, ref):
        """The actions of the issue's history, oldest first."""
        return [e["action"] for e in self.events_of(ref)]

    # -- the binary
    def cli(self, *args, input=None, timeout=CLI_TIMEOUT, database_url=None):
        """`directline ARGS` against this module's database as the server's role, with
        the owner's URL for what needs it (or against database_url alone)."""
        if database_url:
            return run_cli(list(args), database_url, input=input, timeout=timeout)
        return run_cli(list(args), self.app_url, input=input, timeout=timeout,
                       owner_url=self.owner_url)

    def close(self):
        for conn in self._conns:
            try:
                conn.close()
            except Exception:
                pass
        self._conns.clear()


@pytest.fixture(scope="module")
def app(request, pg):
    module = request.module.__name__.rsplit(".", 1)[-1]
    short = module[len("test_"):] if module.startswith("test_") else module
    logdir = tempfile.mkdtemp(prefix=f"directline-{short}-", dir="/tmp")
    database = pg.create_split_database(short)
    db_name, db_url = database.name, database.admin_url
    server = None
    instance = None
    try:
        run_cli_ok(["migrate"], database.app_url, owner_url=database.owner_url)
        run_cli_ok(["demo"], database.app_url, owner_url=database.owner_url)
        server = Server(database.app_url, logdir, owner_url=database.owner_url).start()
        instance = App(pg, database, server, logdir)
        yield instance
    finally:
        problems = []
        if instance is not None:
            instance.close()
        if server is not None:
            problems = server.stop()
        if KEEP or problems:
            print(f"\n[directline harness] logs kept in {logdir}")
        else:
            shutil.rmtree(logdir, ignore_errors=True)
        if KEEP:
            print(f"[directline harness] database kept: {db_url}")
        else:
            pg.drop_database(db_name)
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)
