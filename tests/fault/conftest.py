# conftest.py -- the fault tests' harness: the API tests' harness (tests/api/conftest.py:
# a database with migrate + demo, a running server, helpers), except that each module gets
# a PostgreSQL of its own, always a private one on 127.0.0.1, since the tests stop and
# start it. DIRECTLINE_TEST_ADMIN_URL is not used here: a shared server cannot be stopped.

import importlib.util
import sys
from pathlib import Path

import psycopg2
import pytest

API_DIR = Path(__file__).resolve().parents[1] / "api"
sys.path.insert(0, str(API_DIR))          # dlapi, and faultload beside this file

_spec = importlib.util.spec_from_file_location("api_harness", API_DIR / "conftest.py")
harness = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(harness)

app = harness.app          # per module: a database, migrate + demo, a server


class ControlledPostgres:
    """The module's private PostgreSQL, with stop and start for the faults."""

    def __init__(self):
        self.private = harness.PrivatePostgres()

    def start_cluster(self):
        self.private.start()
        # The shared harness trades durability for speed (synchronous_commit = off: a
        # commit is acknowledged before its WAL is written, so `-m immediate` loses the
        # last ones). Here an acknowledged commit must survive, as in production.
        conn = psycopg2.connect(self.private.admin_url, connect_timeout=10)
        conn.autocommit = True
        try:
            with conn.cursor() as cur:
                cur.execute("ALTER SYSTEM SET synchronous_commit = on")
                cur.execute("SELECT pg_reload_conf()")
        finally:
            conn.close()
        return self

    def stop(self, mode):
        p = self.private
        p._run(["pg_ctl", "-D", p.data, "-m", mode, "-w", "-t", "60", "stop"])

    def start(self):
        p = self.private
        p._run(["pg_ctl", "-D", p.data, "-l", p.log, "-w", "-t", "60", "start"])

    def close(self):
        self.private.stop()


@pytest.fixture(scope="module")
def controlled_pg():
    cluster = ControlledPostgres()
    try:
        yield cluster.start_cluster()
    finally:
        cluster.close()


@pytest.fixture(scope="module")
def pg(controlled_pg):
    """Overrides the session's shared PostgreSQL for `app`: this module's own one."""
    return harness.Postgres(controlled_pg.private.admin_url)
