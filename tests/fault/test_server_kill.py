# test_server_kill.py -- the server is killed with SIGKILL while 12 principals file
# issues, and started again. Each request counts as the client saw it; nothing the server
# acknowledged is lost (each stored with its `filed` event), nothing stored was refused or
# never sent, and the restarted server serves every client at once.

import time

from faultload import Load, check_nothing_lost, show


def test_kill_the_server_under_load(app):
    server = app.server
    load = Load(lambda: server.base_url, "kill").start()
    try:
        time.sleep(2.0)
        server.proc.kill()
        server.proc.wait()
        killed = time.monotonic()
        server.proc = None                  # start() below makes a new one, stopped at teardown
        server.start()                      # on a new port; the clients follow base_url
        up = time.monotonic()
        time.sleep(3.0)
    finally:
        load.stop()
    counts = check_nothing_lost(app, load)
    print(f"[kill] restarted in {up - killed:.2f} s")
    settled = load.sent_after(up + 0.5)
    assert settled and all(o.kind == "acknowledged" for o in settled), \
        [show(o) for o in settled if o.kind != "acknowledged"][:3]
    # The clients saw the kill: requests in flight were cut, and new ones were refused a
    # connection until the server was back.
    assert counts["unknown"] > 0, counts
