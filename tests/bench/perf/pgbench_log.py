# pgbench_log.py -- PostgreSQL's statement log while directline serves: switch it on for a
# capture (and back as it was), find the server's log file, and read back in order what
# one backend executed, with its parameters. Used by pgbench_scripts.py.

import contextlib
import os
import re
import sys
import time
from dataclasses import dataclass, field

import psycopg2

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "api"))
import conftest as harness                      # noqa: E402

# The pid tells one backend's statements from another's; the user tells the server's role.
PREFIX = "%m [%p] %u@%d "
SETTINGS = {"log_statement": "all", "log_line_prefix": PREFIX, "log_parameter_max_length": "-1"}
LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? \S+ \[(\d+)\] (\S*)@(\S*) "
                  r"([A-Z0-9]+):  (.*)$")
EXECUTE = re.compile(r"^execute (\S+?): (.*)$", re.S)
PARAM = re.compile(r"\$(\d+) = (NULL|'((?:[^']|'')*)')(?:, |$)", re.S)


@dataclass
class Statement:
    """One statement as PostgreSQL ran it. protocol: 'simple', or 'extended' (unnamed
    statement) or 'prepared' (named); params[i] is $i+1's text, None for NULL."""
    pid: int
    user: str
    protocol: str
    sql: str
    params: list = field(default_factory=list)


def _admin(url):
    conn = psycopg2.connect(url, connect_timeout=10)
    conn.autocommit = True
    return conn


query = harness.sql_rows     # rows of one statement (None for a command), autocommit


def log_file(admin_url):
    """The file the PostgreSQL server writes its log to: pg_current_logfile() when the
    logging collector runs, else whatever the postmaster's stderr points at (pg_ctl -l,
    as tests/api/conftest.py starts it). Needs a superuser on this machine."""
    (current, data), = query(admin_url, "SELECT pg_current_logfile(),"
                             " current_setting('data_directory')")
    if current:
        return current if os.path.isabs(current) else os.path.join(data, current)
    with open(os.path.join(data, "postmaster.pid")) as f:
        pid = int(f.readline())
    path = os.readlink(f"/proc/{pid}/fd/2")
    if not os.path.isfile(path):
        raise RuntimeError(f"the PostgreSQL server logs to {path}, not a file: start it with "
                           "pg_ctl -l FILE or the logging collector")
    return path


def _auto_conf(cur):
    """What postgresql.auto.conf (ALTER SYSTEM) sets now for SETTINGS' names."""
    cur.execute("SELECT name, setting FROM pg_file_settings"
                " WHERE sourcefile LIKE '%%postgresql.auto.conf' AND name = ANY(%s)",
                (list(SETTINGS),))
    return dict(cur.fetchall())


def _reload_and_wait(admin_url, expect):
    query(admin_url, "SELECT pg_reload_conf()")
    # A new session reads the reloaded file; give the signal time to reach the others.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if query(admin_url, "SELECT current_setting('log_statement')")[0][0] == expect:
            time.sleep(0.3)
            return
        time.sleep(0.1)
    raise RuntimeError(f"log_statement did not become {expect!r} after a reload")


@contextlib.contextmanager
def statement_logging(admin_url):
    """Every statement logged with its parameters, each line naming its backend and role,
    for the duration of the block; postgresql.auto.conf is left as it was found. A backend
    applies a reload before the next command it reads, so the server's pooled connections
    need no reconnect."""
    conn = _admin(admin_url)
    try:
        with conn.cursor() as cur:
            saved = _auto_conf(cur)
            cur.execute("SELECT current_setting('log_statement')")
            before = cur.fetchone()[0]
            for name, value in SETTINGS.items():
                cur.execute(f"ALTER SYSTEM SET {name} = %s", (value,))
    finally:
        conn.close()
    try:
        _reload_and_wait(admin_url, "all")
        yield
    finally:
        conn = _admin(admin_url)
        try:
            with conn.cursor() as cur:
                for name in SETTINGS:
                    if name in saved:
                        cur.execute(f"ALTER SYSTEM SET {name} = %s", (saved[name],))
                    else:
                        cur.execute(f"ALTER SYSTEM RESET {name}")
        finally:
            conn.close()
        _reload_and_wait(admin_url, before)


def _params(text):
    return [None if m.group(2) == "NULL" else m.group(3).replace("''", "'")
            for m in PARAM.finditer(text)]


def _entries(text):
    """(pid, user, level, message) per log entry; lines without a prefix continue the one
    before (a statement with newlines)."""
    entries = []
    for line in text.split("\n"):
        m = LINE.match(line)
        if m:
            entries.append([int(m.group(1)), m.group(2), m.group(4), m.group(5)])
        elif entries and line:
            entries[-1][3] += "\n" + line
    return entries


def read_statements(path, start, end):
    """The statements logged between byte offsets start and end of the log, in order."""
    with open(path, "rb") as f:
        f.seek(start)
        text = f.read(end - start).decode("utf-8", errors="replace")
    statements, last = [], {}
    for pid, user, level, message in _entries(text):
        if level == "LOG" and message.startswith("statement: "):
            last[pid] = Statement(pid, user, "simple", message[len("statement: "):])
            statements.append(last[pid])
        elif level == "LOG" and EXECUTE.match(message):
            name, sql = EXECUTE.match(message).groups()
            protocol = "extended" if name == "<unnamed>" else "prepared"
            last[pid] = Statement(pid, user, protocol, sql)
            statements.append(last[pid])
        elif level == "DETAIL" and message.startswith("parameters: ") and pid in last:
            last[pid].params = _params(message[len("parameters: "):])
    return statements


def log_size(path):
    return os.path.getsize(path)
