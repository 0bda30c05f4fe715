#!/usr/bin/python3
# run.py -- the performance benchmark of issue #9 (run it through tests/bench/perf.sh,
# which builds the release binary first). NOT part of the test suite; refuses to run
# when CI is set. On a private PostgreSQL with durability on, loaded with the demo and
# --issues more, it runs the server under wrk for each scenario at 16 and 64
# connections, pgbench with the server's own SQL and with the minimal floor at the same
# client counts, a keep-alive scenario, and prints one table (also written as JSON).
# Each scenario checks its answers: every one 2xx, and as many new issues in the
# database as filings answered 201 (as many new events as actions and comments).

import argparse
import importlib.util
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import keepalive   # noqa: E402
import stack       # noqa: E402
import table       # noqa: E402
import users       # noqa: E402
import workload    # noqa: E402
import wrk_run     # noqa: E402

# Sessions must outlive a long run (a 1M load, then every scenario); how long they may
# sit unused changes nothing of what a request costs.
SERVE_ARGS = ("--session-idle-minutes", "240")
SCENARIOS = ("file", "read", "queue", "act", "mixed", "queue_filters", "keepalive")
CONNS = (16, 64)
PGBENCH_OF = {"file": "file", "read": "read"}     # scenarios with a pgbench twin


def parse_args():
    ap = argparse.ArgumentParser(description="The performance benchmark of issue #9.")
    ap.add_argument("--issues", type=int, default=100000, help="issues loaded (default 100000)")
    ap.add_argument("--seconds", type=int, default=20, help="per scenario and count (default 20)")
    ap.add_argument("--scenarios", default=",".join(SCENARIOS),
                    help="comma-separated, of: " + ", ".join(SCENARIOS))
    ap.add_argument("--conns", default=",".join(map(str, CONNS)), help="default 16,64")
    ap.add_argument("--principals", type=int, default=250, help="principals signed in")
    ap.add_argument("--officers", type=int, default=1000, help="officers signed in (all)")
    ap.add_argument("--keepalive-conns", type=int, default=2000)
    ap.add_argument("--out", help="directory for the JSON and logs (default: a new /tmp dir)")
    ap.add_argument("--keep", action="store_true",
                    help="leave PostgreSQL running afterwards (prints how to reach it)")
    args = ap.parse_args()
    args.scenarios = [s for s in args.scenarios.split(",") if s]
    args.conns = [int(c) for c in args.conns.split(",") if c]
    if min(args.principals, args.officers, args.seconds, *args.conns) < 1:
        ap.error("--principals, --officers, --seconds and --conns must be at least 1")
    unknown = set(args.scenarios) - set(SCENARIOS)
    if unknown:
        ap.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    return args


def partner_modules():
    """perf-data's load() and perf-pgbench's module, or a clear stop when absent."""
    missing = [f"tests/bench/perf/{name}.py" for name in ("load", "pgbench_scripts")
               if importlib.util.find_spec(name) is None]
    if missing:
        sys.exit("run.py: missing " + " and ".join(missing) +
                 " (the data loader and the pgbench scripts of the benchmark)")
    import load
    import pgbench_scripts
    return load, pgbench_scripts


def counts(admin_url):
    row = stack.admin_sql(admin_url, "SELECT (SELECT count(*) FROM issues),"
                                     " (SELECT count(*) FROM issue_events)")[0]
    return {"issues": row[0], "events": row[1]}


def settle(db, timeout=60.0):
    """The counts once the server has finished what it was doing: wrk stops with
    requests in flight, which the server still carries out after wrk has gone."""
    last, deadline = None, time.monotonic() + timeout
    while time.monotonic() < deadline:
        now = counts(db.admin_url)
        busy = stack.admin_sql(db.admin_url, "SELECT count(*) FROM pg_stat_activity"
                                             " WHERE usename = %s AND state <> 'idle'",
                               (db.app_role,))[0][0]
        if now == last and busy == 0:
            return now
        last = now
        time.sleep(0.5)
    raise RuntimeError(f"the server was still busy {timeout:.0f} s after wrk stopped")


def check(scenario, result, before, after, conns, admin_url):
    """'ok', or what is wrong with the answers. Every answer 2xx; every filing answered
    201 stored under the ref it was given; beyond those, at most one request per
    connection (in flight when wrk stopped) may have changed the database."""
    statuses = {k: v for k, v in result["counts"].items() if k.isdigit()}
    bad = {k: v for k, v in statuses.items() if not 200 <= int(k) < 300}
    problems = []
    if bad or sum(result["socket_errors"].values()):
        problems.append(f"non-2xx {bad} socket errors {result['socket_errors']}")
    if sum(statuses.values()) != result["requests"]:
        problems.append(f"{result['requests']} requests but {sum(statuses.values())} answers")
    refs = result["filed_refs"]
    stored = stack.admin_sql(admin_url, "SELECT count(*) FROM issues WHERE ref = ANY(%s)",
                             (refs,))[0][0]
    if (len(refs) != result["counts"].get("filed", 0) or len(set(refs)) != len(refs)
            or stored != len(refs)):
        problems.append(f"{len(refs)} filings answered 201, {stored} of their refs stored")
    extra = after["issues"] - before["issues"] - len(refs)
    if not 0 <= extra <= conns:
        problems.append(f"{after['issues'] - before['issues']} new issues, {len(refs)} "
                        f"filings answered 201")
    shape = {"read": "issue_with_events", "queue": "list"}.get(scenario)
    if shape and result["counts"].get(shape, 0) != result["requests"]:
        problems.append(f"{result['counts'].get(shape, 0)} of {result['requests']} answers "
                        f"were {shape.replace('_', ' ')}")
    if scenario == "act":
        written = sum(v for k, v in statuses.items() if 200 <= int(k) < 300)
        if not 0 <= after["events"] - before["events"] - written <= conns:
            problems.append(f"{after['events'] - before['events']} new events, "
                            f"{written} actions and comments answered")
    return "ok" if not problems else "FAIL: " + "; ".join(problems)


def samples(result):
    return [v for k, v in sorted(result["counts"].items()) if k.startswith("sample") and
            k != "samples"]


def wrk_row(name, scenario, conns, ctx):
    """Runs one wrk scenario with fresh request files; returns its table row."""
    workload.write_all(ctx.datadir, ctx.db.admin_url, ctx.tokens,
                       queue_only=ctx.queue_only)
    before = settle(ctx.db)
    with stack.RssPeak(ctx.server.proc.pid) as rss:
        result = wrk_run.run(scenario, ctx.server.url, conns, ctx.args.seconds, ctx.datadir)
        after = settle(ctx.db)
    verdict = check(scenario, result, before, after, conns, ctx.db.admin_url)
    errors = (sum(result["socket_errors"].values()) +
              sum(v for k, v in result["counts"].items() if k.isdigit() and int(k) >= 300))
    print(f"  {name:<22} {conns:>3} conns  {result['rps']:8.0f} req/s  "
          f"p99 {result['p99_us'] / 1000:7.1f} ms  {verdict}", flush=True)
    for s in samples(result):
        print(f"      answer: {s}")
    return {"scenario": name, "conns": conns, "rps": result["rps"],
            "p50_ms": result["p50_us"] / 1000, "p99_ms": result["p99_us"] / 1000,
            "max_ms": result["max_us"] / 1000, "errors": errors,
            "rss_mib": rss.peak_kib / 1024, "cores": os.cpu_count(), "check": verdict,
            "requests": result["requests"], "answers": result["counts"]}


def pgbench_figures(row, scenario, ctx):
    """Adds pgbench's tx/s for the same SQL and for the floor at the row's client count."""
    for kind, key in (("same_sql", "same_tps"), ("floor", "floor_tps")):
        script = ctx.scripts.get(f"{PGBENCH_OF[scenario]}_{kind}")
        if script is None:
            continue
        settle(ctx.db)
        # the module connects the same-SQL scripts as the server's role, the floor as admin
        got = ctx.pgbench.run(script, ctx.db.admin_url, row["conns"], ctx.args.seconds,
                              ctx.db.app_url)
        row[key] = got["tps"]
        row[f"pgbench_{kind}"] = got
        print(f"  {'pgbench ' + PGBENCH_OF[scenario] + ' ' + kind:<22} {row['conns']:>3} "
              f"clients {got['tps']:8.0f} tx/s  errors {got.get('errors')}", flush=True)


def keepalive_row(ctx):
    tokens = [t for t, _ in ctx.tokens["principal"] + ctx.tokens["officer"]]
    with stack.RssPeak(ctx.server.proc.pid) as rss:
        got = keepalive.run(ctx.server.port, tokens, ctx.args.keepalive_conns)
    ok = got["answered_200"] == got["requests"] and not got["closed"]
    verdict = "ok" if ok else (
        f"FAIL: {got['answered_200']} of {got['requests']} answered 200, {got['other']} "
        f"other; {got['closed']} connections closed by the server, "
        f"{got['closed_unanswered']} of them before any answer")
    print(f"  {'keepalive':<22} {got['connections']:>4} conns  {got['requests']} requests in "
          f"{got['seconds']:.1f} s  peak RSS {rss.peak_kib / 1024:.1f} MiB  {verdict}")
    return {"scenario": "keepalive", "conns": got["connections"],
            "rps": got["requests"] / got["seconds"],
            "errors": got["requests"] - got["answered_200"], "rss_mib": rss.peak_kib / 1024,
            "cores": os.cpu_count(), "check": verdict, "keepalive": got}


def scenario_rows(scenario, ctx):
    if scenario == "keepalive":
        return [keepalive_row(ctx)]
    if scenario == "queue_filters":
        return queue_filter_rows(ctx)
    rows = []
    for conns in ctx.args.conns:
        row = wrk_row(scenario, scenario, conns, ctx)
        if scenario in PGBENCH_OF:
            pgbench_figures(row, scenario, ctx)
        rows.append(table.add_ratios(row))
    return rows


def run_scenarios(ctx):
    """Every scenario's rows; one that breaks down is a failed row, and the rest go on."""
    rows = []
    for scenario in ctx.args.scenarios:
        try:
            rows += scenario_rows(scenario, ctx)
        except Exception as e:     # noqa: BLE001 -- reported in the table, run goes on
            print(f"  {scenario}: {e}", flush=True)
            rows.append({"scenario": scenario, "cores": os.cpu_count(),
                         "check": f"FAIL: {str(e).splitlines()[0][:200]}"})
    return rows


def queue_filter_rows(ctx):
    """The queue's filters and the search one at a time, at the first connection count:
    each has its own p99 target."""
    rows = []
    for name in workload.QUEUE_FILTER_NAMES:
        ctx.queue_only = name
        try:
            rows.append(table.add_ratios(wrk_row(f"queue:{name}", "queue",
                                                 ctx.args.conns[0], ctx)))
        finally:
            ctx.queue_only = None
    return rows


class Context:
    def __init__(self, args, db, server, tokens, datadir, pgbench, scripts):
        self.args, self.db, self.server, self.tokens = args, db, server, tokens
        self.datadir, self.pgbench, self.scripts = datadir, pgbench, scripts
        self.queue_only = None


def machine():
    model = next((ln.split(":", 1)[1].strip() for ln in
                  Path("/proc/cpuinfo").read_text().splitlines()
                  if ln.startswith("model name")), platform.machine())
    mem = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
    return {"cores": os.cpu_count(), "cpu": model, "mem_mib": int(mem) // 1024,
            "load_at_start": os.getloadavg()}


def bench(args, out, loader, pgbench):
    meta = {"issues_requested": args.issues, "seconds": args.seconds, "machine": machine(),
            "binary": os.environ.get("DIRECTLINE_BIN")}
    print(f"perf: {meta['machine']}; output in {out}", flush=True)
    pg, db = stack.start_database()
    server = None
    try:
        began = time.monotonic()
        meta["load"] = loader.load(db.owner_url, db.admin_url, args.issues)
        meta["load_seconds"] = time.monotonic() - began
        stack.make_durable(pg.admin_url)
        meta["postgres"] = stack.settings(pg.admin_url)
        meta["data"] = counts(db.admin_url)
        shown = " ".join(f"{k}={v}" for k, v in meta["postgres"].items())
        print(f"perf: loaded {meta['data']} in {meta['load_seconds']:.0f} s\n"
              f"perf: PostgreSQL {shown}", flush=True)
        meta["serve_args"] = list(SERVE_ARGS)
        server = stack.Server(db, out, SERVE_ARGS).start()
        meta["start_ms"], meta["idle_rss_mib"] = server.start_ms, server.idle_rss_kib / 1024
        print(f"perf: serving {server.start_ms:.0f} ms after exec, idle RSS "
              f"{meta['idle_rss_mib']:.1f} MiB", flush=True)
        t = time.monotonic()
        tokens = users.sign_in_all(server.url, db.admin_url, args.principals, args.officers)
        meta["signed_in"] = {role: len(v) for role, v in tokens.items()}
        print(f"perf: signed in {meta['signed_in']} in {time.monotonic() - t:.0f} s", flush=True)
        datadir = Path(out) / "data"
        datadir.mkdir(exist_ok=True)
        scripts = {}
        if PGBENCH_OF.keys() & set(args.scenarios):
            refs = [r for (r,) in stack.admin_sql(
                db.admin_url, "SELECT ref FROM issues ORDER BY random() LIMIT 20000")]
            # principals first: they file, and the read is replayed for the first's role
            captured = pgbench.capture(server.url, db.admin_url,
                                       [t for t, _ in tokens["principal"] + tokens["officer"]],
                                       refs, str(datadir))
            scripts = {Path(k).name.removesuffix(".pgbench"): v for k, v in captured.items()}
            print(f"perf: pgbench scripts {scripts}", flush=True)
        ctx = Context(args, db, server, tokens, datadir, pgbench, scripts)
        rows = run_scenarios(ctx)
    finally:
        for tsv in (Path(out) / "data").glob("*.tsv"):
            tsv.unlink()        # session tokens: of no use once the run is over
        rc = server.stop() if server else None
        if args.keep:
            as_postgres = "runuser -u postgres -- " if pg.as_root else ""
            print(f"perf: PostgreSQL left running: {db.admin_url}\nperf: stop it with "
                  f"{as_postgres}{pg.bindir}/pg_ctl -D {pg.data} stop; rm -r {pg.tmp}")
        else:
            pg.stop()
    meta["server_exit"] = rc
    return meta, rows


def main():
    if os.environ.get("CI"):
        sys.exit("run.py: not in CI (a benchmark prints figures; it is no test)")
    args = parse_args()
    # perf.sh's release build, unless told otherwise
    os.environ.setdefault("DIRECTLINE_BIN", str(HERE.parents[2] / "build-bench" / "backend" /
                                                "directline"))
    loader, pgbench = partner_modules()
    out = Path(args.out or tempfile.mkdtemp(prefix="directline-perf-", dir="/tmp"))
    out.mkdir(parents=True, exist_ok=True)
    meta, rows = bench(args, out, loader, pgbench)
    print()
    print(f"directline perf: {meta['data']['issues']} issues, {args.seconds} s per run, "
          f"{meta['machine']['cores']} cores ({meta['machine']['cpu']}); serving "
          f"{meta['start_ms']:.0f} ms after exec; idle RSS {meta['idle_rss_mib']:.1f} MiB")
    print(table.render(rows))
    table.write_json(out / "perf.json", meta, rows)
    print(f"\nJSON: {out / 'perf.json'}")
    failed = [r["scenario"] for r in rows if r["check"] != "ok"]
    if failed or meta["server_exit"] != 0:
        sys.exit(f"run.py: checks failed for {', '.join(failed) or 'none'}; "
                 f"server exit {meta['server_exit']}")


if __name__ == "__main__":
    main()
