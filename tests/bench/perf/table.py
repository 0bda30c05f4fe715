# table.py -- the perf benchmark's one table: a row per scenario and connection count,
# the server's figures beside pgbench's for the same SQL and for the floor, printed as
# text and written as JSON for comparison with a later run.

import json

COLUMNS = [  # (heading, key, format)
    ("scenario", "scenario", "{}"), ("conns", "conns", "{}"),
    ("server req/s", "rps", "{:.0f}"), ("pgbench same tx/s", "same_tps", "{:.0f}"),
    ("floor tx/s", "floor_tps", "{:.0f}"), ("srv/same", "srv_same", "{:.3f}"),
    ("same/floor", "same_floor", "{:.3f}"), ("srv/floor", "srv_floor", "{:.3f}"),
    ("p50 ms", "p50_ms", "{:.1f}"), ("p99 ms", "p99_ms", "{:.1f}"),
    ("max ms", "max_ms", "{:.1f}"), ("errors", "errors", "{}"),
    ("peak RSS MiB", "rss_mib", "{:.1f}"), ("cores", "cores", "{}"), ("check", "check", "{}"),
]


def ratio(a, b):
    return a / b if a is not None and b else None


def add_ratios(row):
    row["srv_same"] = ratio(row.get("rps"), row.get("same_tps"))
    row["same_floor"] = ratio(row.get("same_tps"), row.get("floor_tps"))
    row["srv_floor"] = ratio(row.get("rps"), row.get("floor_tps"))
    return row


def cell(row, key, fmt):
    value = row.get(key)
    return "-" if value is None else fmt.format(value)


def render(rows):
    cells = [[h for h, _, _ in COLUMNS]] + [[cell(r, k, f) for _, k, f in COLUMNS] for r in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(len(COLUMNS))]
    lines = ["  ".join(c[i].rjust(widths[i]) if i else c[i].ljust(widths[i])
                       for i in range(len(COLUMNS))) for c in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def write_json(path, meta, rows):
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"meta": meta, "rows": rows}, f, indent=2, ensure_ascii=False, default=str)
