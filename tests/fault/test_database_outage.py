# test_database_outage.py -- PostgreSQL goes away and comes back under the server's feet.
# While the server is idle: the first requests after the restart all succeed (no pooled
# connection the restart closed may fail a request) and /readyz is ready at once. Under
# load (12 principals filing issues): stopped with `-m immediate` and started again, or
# with `-m fast` for 5 s; during the outage every request is answered promptly with a 503
# problem+json carrying Retry-After, /readyz is not ready while /healthz is up; once
# PostgreSQL is back, requests succeed without a server restart and without a 503 from a
# stale connection; nothing acknowledged is lost and nothing refused is stored.

import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from faultload import (Load, check_nothing_lost, check_outage_answers, probe, show,
                       wait_until)

# Warning and error lines the server may write in one outage scenario: a few kinds of
# message (connection failed, connection lost, stale connection), each at most once per
# 10 s window plus its summary. Without the limit it is one or two per request.
LOG_WARNINGS_BOUND = 40


def warnings_in_log(server, since_bytes):
    text = server.stderr_path.read_text(errors="replace")[since_bytes:]
    return [line for line in text.splitlines() if " warn " in line or " error " in line]


def log_size(server):
    return len(server.stderr_path.read_text(errors="replace"))


@pytest.mark.parametrize("mode", ["fast", "immediate"])
def test_idle_pooled_connections_survive_a_restart(app, controlled_pg, mode):
    principal = app.login("ht.th020")
    # Open several pooled connections with concurrent requests.
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda _: principal.twin().get("/api/me").status_code,
                                 range(32)))
    assert set(statuses) == {200}, statuses
    pid = app.server.proc.pid
    controlled_pg.stop(mode)
    controlled_pg.start()
    statuses = [principal.get("/api/me").status_code for _ in range(12)]
    assert statuses == [200] * 12, f"after a {mode} restart: {statuses}"
    assert probe(app.server.base_url, "/readyz") == 200
    assert app.server.proc.pid == pid and app.server.proc.poll() is None


@pytest.mark.parametrize("mode,down_seconds", [("immediate", 2.0), ("fast", 5.0)])
def test_outage_under_load(app, controlled_pg, mode, down_seconds):
    server = app.server
    pid = server.proc.pid
    log_start = log_size(server)
    load = Load(lambda: server.base_url, f"outage-{mode}").start()
    try:
        time.sleep(2.0)                     # every worker has its connection by now
        controlled_pg.stop(mode)
        down = time.monotonic()
        time.sleep(0.5)
        ready_during = probe(server.base_url, "/readyz")
        health_during = probe(server.base_url, "/healthz")
        time.sleep(max(0.0, down_seconds - (time.monotonic() - down)))
        restarting = time.monotonic()
        controlled_pg.start()
        up = time.monotonic()
        ready_after = wait_until(lambda: probe(server.base_url, "/readyz") == 200, 2.0)
        time.sleep(4.0)
    finally:
        load.stop()

    check_nothing_lost(app, load)
    during = load.between(down, restarting)
    after_up = load.sent_after(up)
    settled = load.sent_after(up + 2.0)
    print(f"[outage-{mode}] answered during the outage: {len(during)}, max "
          f"{max(o.ended - o.started for o in during):.3f} s; sent after it: {len(after_up)}")
    check_outage_answers(during)
    assert ready_during == 503, f"/readyz during the outage: {ready_during}"
    assert health_during == 200, f"/healthz during the outage: {health_during}"
    assert ready_after, "/readyz not ready within 2 s of PostgreSQL being back"
    stale = [show(o) for o in after_up if o.status == 503]
    assert not stale, f"503 after PostgreSQL was back: {stale[:3]}"
    assert settled and all(o.kind == "acknowledged" for o in settled), \
        [show(o) for o in settled if o.kind != "acknowledged"][:3]
    assert server.proc.pid == pid and server.proc.poll() is None, "the server restarted"
    warnings = warnings_in_log(server, log_start)
    print(f"[outage-{mode}] {len(warnings)} warning/error lines in the server log")
    assert len(warnings) <= LOG_WARNINGS_BOUND, "\n".join(warnings[:60])
