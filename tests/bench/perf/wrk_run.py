# wrk_run.py -- runs one wrk scenario (scenarios.lua) against the server
# and returns what its done() printed: requests, latency percentiles, socket errors and
# the answers counted by status (see scenarios.lua).

import json
import os
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent
THREADS = 2          # one per core of the benchmark machine; wrk shares them with the rest


def run(scenario, base_url, connections, seconds, datadir):
    threads = min(THREADS, connections)
    cmd = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s",
           "--timeout", "30s", "-s", str(HERE / "scenarios.lua"), base_url,
           "--", str(datadir), str(threads), scenario]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 120,
                       env=dict(os.environ, LC_ALL="C"))
    lines = [ln for ln in p.stdout.splitlines() if ln.startswith("PERF_RESULT ")]
    if p.returncode != 0 or not lines:
        raise RuntimeError(f"{' '.join(cmd)} failed ({p.returncode}):\n{p.stdout}\n{p.stderr}")
    result = json.loads(lines[-1][len("PERF_RESULT "):])
    filed = [ln for ln in p.stdout.splitlines() if ln.startswith("PERF_FILED")]
    result["filed_refs"] = filed[-1].split()[1:] if filed else []
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result
