# pgbench_scripts.py -- pgbench next to the server (issue #9, step 4): capture() drives
# filings and reads through the API with the statement log on and writes pgbench scripts
# that send PostgreSQL exactly the statements the server sent, plus the minimal "floor"
# scripts; run() runs one script and reads tx/s and latencies back.
#
# How a same-SQL script is made: each request is captured twice, by two users as unlike
# as the tokens allow; a parameter that differs between the two and equals a session's
# value (token hash, user, school, cluster, division) or the request's (ref, id, title)
# becomes a pgbench variable, anything else is a constant. Each transaction picks one of
# up to 64 variants (a session, and for a read an issue it may read); values that the
# flow itself creates (the new issue's ref and id) are taken from the answer with \gset.
# The server prepares its statements (db/db_pipeline.c), so the statement log shows them
# as `execute dlN` and the scripts run with -M prepared.
# What pgbench cannot do as the server did is written in the script's header
# ("-- difference:") and printed; run() passes the header's "-- define:" values as -D.
#
# By hand, against a private PostgreSQL and server of its own (demo data, small):
#     /usr/bin/python3 tests/bench/perf/pgbench_scripts.py [--seconds 5] [--clients 16]

import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import requests

from pgbench_log import log_file, log_size, query, read_statements, statement_logging
from pgbench_variants import Plan, script, session_rows

# What a principal files while the statements are captured (run.py's wrk scripts file
# the same kind of issue).
FILING = {"category": "THIEU-GV",
          "description": "Thiếu giáo viên dạy Tiếng Anh lớp 4 từ đầu học kỳ II."}
MAX_VARIANTS = 64
FLOOR_DDL = """
CREATE SCHEMA IF NOT EXISTS perf_floor;
CREATE SEQUENCE IF NOT EXISTS perf_floor.refs;
CREATE TABLE IF NOT EXISTS perf_floor.issues (
    id bigserial PRIMARY KEY,
    ref text NOT NULL UNIQUE
        DEFAULT 'HT-9999-' || lpad(nextval('perf_floor.refs')::text, 6, '0'),
    school_id integer NOT NULL, filed_by integer NOT NULL, category_id integer NOT NULL,
    division_id integer NOT NULL, priority text NOT NULL, status text NOT NULL DEFAULT 'new',
    title text NOT NULL, description text NOT NULL,
    due_first_response_at timestamptz NOT NULL, due_resolution_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE IF NOT EXISTS perf_floor.issue_events (
    id bigserial PRIMARY KEY, issue_id bigint NOT NULL REFERENCES perf_floor.issues (id),
    actor_id integer, action text NOT NULL, to_status text, details jsonb,
    created_at timestamptz NOT NULL DEFAULT now());
CREATE INDEX IF NOT EXISTS issue_events_issue_idx ON perf_floor.issue_events (issue_id);
"""


def token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


# --------------------------------------------------------------------------- capture

def _send(server_url, session, method, path, body=None):
    r = requests.request(method, server_url + path, json=body, timeout=60,
                         headers={"Authorization": "Bearer " + session["token"]})
    if r.status_code not in (200, 201):
        raise RuntimeError(f"{method} {path} as {session['login']}: {r.status_code} {r.text[:300]}")
    return r.json()


class _Busy(RuntimeError):
    """Another backend of the server's role ran statements during a captured request."""


def _one_request(server_url, log, session, method, path, body=None):
    """Sends one request and returns (its answer, the statements its backend ran)."""
    start = log_size(log)
    answer = _send(server_url, session, method, path, body)
    statements = read_statements(log, start, log_size(log))
    mine = [s for s in statements if session["tok"] in s.params]
    if not mine:
        raise RuntimeError(f"{method} {path}: its session check is not in the log {log}")
    pid, role = mine[0].pid, mine[0].user
    others = {s.pid for s in statements if s.user == role and s.pid != pid}
    if others:
        raise _Busy(f"{method} {path}: other backends of {role} ran statements meanwhile"
                    f" ({sorted(others)}): stop other load while capturing")
    # DEALLOCATE is the upkeep of the server's statement cache (full only on a long-running
    # server), not the request's work; pgbench's session has no such statement to close.
    return answer, [s for s in statements
                    if s.pid == pid and not s.sql.startswith("DEALLOCATE ")]


def _captured(server_url, log, session, method, path, body=None, tries=3):
    """_one_request, again when something else (the sweep) ran at the same time."""
    for attempt in range(tries):
        try:
            return _one_request(server_url, log, session, method, path, body)
        except _Busy:
            if attempt == tries - 1:
                raise
            time.sleep(0.5)


def _file_flow(server_url, log, session, n):
    body = dict(FILING, title=f"pgbench capture {n} {os.urandom(4).hex()}")
    answer, flow = _captured(server_url, log, session, "POST", "/api/issues", body)
    return {"title": body["title"], "ref": answer["ref"]}, flow


def _read_flow(server_url, log, session, ref):
    answer, flow = _captured(server_url, log, session, "GET", f"/api/issues/{ref}")
    return {"ref": ref}, flow


def _pick_two(sessions, what):
    """The first session and the one most unlike it (user, school, cluster, division): a
    value that differs between their requests is the session's, one that does not is the
    request's or a constant."""
    a = sessions[0]
    b = max(sessions[1:], default=None,
            key=lambda s: sum(a[k] != s[k] for k in ("uid", "school", "cluster", "division")))
    if b is None or b["uid"] == a["uid"]:
        raise RuntimeError(f"{what}: need sessions of two different users")
    return a, b


def _readable_refs(server_url, admin_url, readers, refs, most):
    """Up to `most` (session, ref, id) triples, each a reader and an issue it may read,
    checked through the API itself (so the access rules decide, not a copy of them)."""
    rows = query(admin_url, "SELECT i.ref, i.id::text, i.school_id::text, s.cluster_id::text"
                 " FROM issues i JOIN schools s ON s.id = i.school_id WHERE i.ref = ANY(%s)",
                 (list(refs),))
    scope = {}
    for ref, issue_id, school, cluster in rows:
        for key in (("school", school), ("cluster", cluster), ("all", "")):
            scope.setdefault(key, []).append((ref, issue_id))
    pool = []
    for n in range(max(len(readers), most) * 2):
        reader = readers[n % len(readers)]
        key = {"principal": ("school", reader["school"]),
               "cluster_leader": ("cluster", reader["cluster"])}.get(reader["role"], ("all", ""))
        if not scope.get(key):
            continue
        ref, issue_id = scope[key].pop()
        try:
            _send(server_url, reader, "GET", f"/api/issues/{ref}")
        except RuntimeError:
            continue
        pool.append(dict(reader, ref=ref, id=issue_id))
        if len(pool) >= most:
            break
    return pool


def _read_pools(server_url, admin_url, sessions, refs):
    """Per role among the sessions: (role, its sessions, its (session, issue) pairs); a
    role with fewer than two users or two readable pairs is left out, and said so."""
    roles = list(dict.fromkeys(s["role"] for s in sessions))
    pools = []
    for role in roles:
        readers = [s for s in sessions if s["role"] == role]
        pairs = _readable_refs(server_url, admin_url, readers, refs, MAX_VARIANTS // len(roles))
        if len({s["uid"] for s in readers}) < 2 or len(pairs) < 2:
            print(f"  [read_same_sql] {role}: left out (needs two users, each with an issue"
                  " among the refs that it may read)")
            continue
        pools.append((role, readers, pairs))
    if not pools:
        raise RuntimeError("read: no role has two users with issues they may read among refs")
    return pools


def _plan(what, pair, captured, variants, **kinds):
    requests_ = [dict(session, **request) for session, (request, _) in zip(pair, captured)]
    return Plan(what, [flow for _, flow in captured], requests_, variants, **kinds)


def capture(server_url, admin_url, tokens, refs, outdir, log_path=None):
    """Captures what the server sends for a filing and for a read and writes
    file_same_sql, read_same_sql, file_floor and read_floor (.pgbench) into outdir;
    returns name -> path. tokens: signed-in sessions (principals file; every role among
    them reads, weighted by its number of sessions); refs: loaded issues to read. Each
    request is captured twice, by two users, to tell per-user values from constants."""
    os.makedirs(outdir, exist_ok=True)
    sessions = session_rows(admin_url, [(t, token_hash(t)) for t in tokens])
    filers = [s for s in sessions if s["role"] == "principal"][:MAX_VARIANTS]
    pools = _read_pools(server_url, admin_url, sessions, refs)
    log = log_path or log_file(admin_url)
    file_pair = _pick_two(filers, "file")
    read_pairs = [_pick_two(pairs, f"read ({role})") for role, _, pairs in pools]
    # A server's first filing reads the SLA settings it then keeps (api/sla_cache.c):
    # one filing before the capture, so that both captured ones show the steady state.
    _send(server_url, file_pair[0], "POST", "/api/issues", dict(FILING, title="pgbench warm-up"))
    with statement_logging(admin_url):
        files = [_file_flow(server_url, log, s, n) for n, s in enumerate(file_pair)]
        reads = [[_read_flow(server_url, log, s, s["ref"]) for s in pair] for pair in read_pairs]
    new = dict(query(admin_url, "SELECT ref, id::text FROM issues WHERE ref = ANY(%s)",
                     ([request["ref"] for request, _ in files],)))
    for request, _ in files:
        request["id"] = new[request["ref"]]
    filing = _plan("POST /api/issues", file_pair, files, filers, produced=("ref", "id"),
                   generated=("title",))
    prefix = len(pools) > 1
    readings = [_plan("GET /api/issues/{ref}", pair, captured, pairs,
                      prefix=f"{role}_" if prefix else "")
                for (role, _, pairs), pair, captured in zip(pools, read_pairs, reads)]
    paths = {"file_same_sql": _write(outdir, "file_same_sql", filing.script("file_same_sql")),
             "read_same_sql": _write(outdir, "read_same_sql", script(
                 "read_same_sql", "GET /api/issues/{ref}", readings,
                 [len(readers) for _, readers, _ in pools]))}
    for name, plans in (("file_same_sql", [filing]), ("read_same_sql", readings)):
        for plan in plans:
            for line in plan.differences:
                print(f"  [{name}] {plan.p}{line}")
    paths.update(floor_scripts(admin_url, outdir))
    return paths


def _write(outdir, name, text):
    path = os.path.join(outdir, name + ".pgbench")
    Path(path).write_text(text)
    return path


# --------------------------------------------------------------------------- the floor

def floor_scripts(admin_url, outdir):
    """The least PostgreSQL must do for the same jobs, prepared, run as the admin (no
    row-level security): a filing is one statement inserting an issue and its `filed`
    event into lean copies of the tables (primary keys, a unique ref, the events' issue
    index and foreign key; no triggers, search index or history states); a read is the
    issue's row and its events from the loaded tables, in one pipeline."""
    query(admin_url, FLOOR_DDL)
    (lo, hi), = query(admin_url, "SELECT min(id), max(id) FROM issues")
    (s_lo, s_hi, filer, category, division), = query(
        admin_url, "SELECT (SELECT min(id) FROM schools), (SELECT max(id) FROM schools),"
        " (SELECT min(id) FROM users WHERE role = 'principal'), c.id, c.default_division_id"
        " FROM categories c WHERE c.code = %s", (FILING["category"],))
    head = ["-- mode: prepared", "-- as: admin"]
    file_floor = head + [
        f"\\set school random({s_lo}, {s_hi})", "\\set title random(1, 2000000000)",
        "WITH ins AS (INSERT INTO perf_floor.issues (school_id, filed_by, category_id,"
        " division_id, priority, title, description, due_first_response_at, due_resolution_at)"
        f" VALUES (:school, {filer}, {category}, {division}, 'normal', :title, 'floor',"
        " now() + interval '3 days', now() + interval '14 days') RETURNING id, status)"
        " INSERT INTO perf_floor.issue_events (issue_id, actor_id, action, to_status)"
        f" SELECT id, {filer}, 'filed', status FROM ins;"]
    read_floor = head + [
        f"\\set id random({lo}, {hi})", "\\startpipeline",
        "SELECT id, ref, school_id, filed_by, category_id, division_id, assignee_id, priority,"
        " status, title, description, proposed_solution, escalation_level, reopen_count,"
        " duplicate_of, due_first_response_at, due_resolution_at, first_response_at,"
        " resolved_at, closed_at, created_at, updated_at FROM issues WHERE id = :id;",
        "SELECT id, action, actor_id, from_status, to_status, body, internal, details,"
        " created_at FROM issue_events WHERE issue_id = :id ORDER BY created_at, id;",
        "\\endpipeline"]
    return {"file_floor": _write(outdir, "file_floor", "\n".join(file_floor) + "\n"),
            "read_floor": _write(outdir, "read_floor", "\n".join(read_floor) + "\n")}


# --------------------------------------------------------------------------- running

def header(script):
    """The script's header: mode, as (app or admin), defines {name: value}, differences."""
    info = {"mode": "prepared", "as": "admin", "defines": {}, "differences": []}
    for line in Path(script).read_text().splitlines():
        if not line.startswith("-- "):
            break
        key, _, value = line[3:].partition(": ")
        if key == "define":
            name, _, text = value.partition(" ")
            info["defines"][name] = json.loads(text)
        elif key == "difference":
            info["differences"].append(value)
        elif key in ("mode", "as"):
            info[key] = value
    return info


def undefined_variables(script, defines):
    """Variables the script uses but nothing defines: pgbench would send them as NULL
    without a word (extended and prepared modes), which makes a fast wrong run."""
    text = Path(script).read_text()
    known = set(defines) | {"client_id", "random_seed", "scale"}
    known |= set(re.findall(r"^\\set (\w+)", text, re.M))
    prefixes = re.findall(r"\\gset (\w+)", text)
    used = set()
    for line in text.splitlines():
        if not line.startswith(("--", "\\")):
            used |= set(re.findall(r"(?<!:):([A-Za-z_]\w*)", line))
    return sorted(n for n in used - known if not any(n.startswith(p) for p in prefixes))


def differences(script):
    return header(script)["differences"]


def _percentile(sorted_values, q):
    if not sorted_values:
        return None
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))]


def _latencies(logdir):
    """Per-transaction latencies (ms) from pgbench --log files, and failed ones."""
    values, failed = [], 0
    for name in os.listdir(logdir):
        with open(os.path.join(logdir, name)) as f:
            for line in f:
                fields = line.split()
                if len(fields) >= 3 and fields[2].isdigit():
                    values.append(int(fields[2]) / 1000.0)
                elif len(fields) >= 3:
                    failed += 1
    return sorted(values), failed


def pgbench_binary():
    found = shutil.which("pgbench")
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/pgbench"))
    if not candidates:
        raise RuntimeError("pgbench not found (Debian package postgresql-client)")
    return str(candidates[-1])


def run(script, db_url, clients, seconds, role_url=None, mode=None):
    """pgbench -n -M <mode> -f script -c clients -j 2 -T seconds. The same-SQL scripts
    connect as the server's role (role_url, so row-level security applies as for the
    server), the floor ones as db_url's. mode: the script's own (the protocol the server
    used; prepared for the floor) unless given. Returns tps, p50/p99/max latency (ms),
    transactions, errors (failed transactions + aborted clients), a sample error."""
    info = header(script)
    if info["as"] == "app" and not role_url:
        raise ValueError(f"{script} runs as the server's role: pass role_url")
    url = role_url if info["as"] == "app" else db_url
    missing = undefined_variables(script, info["defines"])
    if missing:
        raise ValueError(f"{script} uses undefined variables: {', '.join(missing)}")
    mode = mode or info["mode"]
    logdir = tempfile.mkdtemp(prefix="pgbench-log-")
    cmd = [pgbench_binary(), "-n", "-M", mode, "-f", os.path.abspath(script), "-c", str(clients),
           "-j", str(min(2, clients)), "-T", str(seconds), "--log"]
    for name, value in info["defines"].items():
        cmd += ["-D", f"{name}={value}"]
    try:
        p = subprocess.run(cmd + [url], cwd=logdir, capture_output=True, text=True,
                           timeout=seconds * 3 + 120)
        latencies, failed = _latencies(logdir)
    finally:
        shutil.rmtree(logdir, ignore_errors=True)
    tps = re.search(r"^tps = ([0-9.]+)", p.stdout, re.M)
    failures = re.search(r"number of failed transactions: (\d+)", p.stdout)
    aborted = set(re.findall(r"client (\d+) (?:script \d+ )?aborted", p.stderr))
    errors = [line for line in p.stderr.splitlines() if "error" in line.lower()]
    if not tps:
        raise RuntimeError(f"pgbench {script} failed ({p.returncode}):\n{p.stdout}\n{p.stderr}")
    return {"tps": float(tps.group(1)), "mode": mode, "clients": clients, "seconds": seconds,
            "transactions": len(latencies), "p50_ms": _percentile(latencies, 0.50),
            "p99_ms": _percentile(latencies, 0.99), "max_ms": latencies[-1] if latencies else None,
            "errors": max(failed, int(failures.group(1)) if failures else 0) + len(aborted),
            "error_sample": errors[0] if errors else None}


# --------------------------------------------------------------------------- by hand

def main():
    from pgbench_demo import main as demo
    demo(capture, run, differences)


if __name__ == "__main__":
    main()
