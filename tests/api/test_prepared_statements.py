# test_prepared_statements.py -- the server prepares each statement once per database
# connection, by its text, on first use (db/db_pipeline.c, db/statement_cache.c). What
# can stand between a prepared statement and its next run must cost the client nothing:
# DDL that changes the statement's result type (PostgreSQL then refuses the old plan,
# 0A000), and a session the database ended (the new one has nothing prepared). A server
# with one worker and no spare connection makes every request reuse what the one before
# it prepared.

import time

import pytest
import requests

from conftest import Server
from dlapi import DEMO_PASSWORD, Client, assert_json


@pytest.fixture
def server(app):
    server = Server(app.app_url, app.logdir,
                    extra_args=["--threads", "1", "--spare-connections", "0"]).start()
    yield server
    problems = server.stop()
    assert not problems, "\n".join(problems)


def sign_in(server, login):
    r = requests.post(server.base_url + "/api/session",
                      json={"login": login, "password": DEMO_PASSWORD}, timeout=60)
    return Client(server.base_url, assert_json(r, 200)["token"])


def an_issue_of(app, school):
    (ref, name), = app.query("SELECT i.ref, s.name FROM issues i JOIN schools s"
                             " ON s.id = i.school_id WHERE s.code = %s ORDER BY i.id LIMIT 1",
                             (school,))
    return ref, name


def read(client, ref):
    return assert_json(client.get(f"/api/issues/{ref}"), 200)


def test_a_result_type_changed_by_ddl_is_prepared_afresh(app, server):
    principal = sign_in(server, "ht.th001")
    ref, school_name = an_issue_of(app, "TH001")
    for _ in range(3):                  # prepared, and run again by its name
        read(principal, ref)
    app.query("ALTER TABLE schools ALTER COLUMN name TYPE varchar(200)")
    try:
        issue = read(principal, ref)
        assert issue["school_name"] == school_name
        assert issue["events"], "the history came with the issue"
        assert_json(principal.get("/api/issues?limit=5"), 200)
    finally:
        app.query("ALTER TABLE schools ALTER COLUMN name TYPE text")
    assert read(principal, ref)["school_name"] == school_name


def server_backends(app):
    return [pid for pid, in app.query("SELECT pid FROM pg_stat_activity WHERE usename = %s",
                                      (app.app_role,))]


def test_a_session_the_database_ended_prepares_its_statements_again(app, server):
    principal = sign_in(server, "ht.th001")
    ref, _ = an_issue_of(app, "TH001")
    read(principal, ref)
    ended = server_backends(app)
    app.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s",
              (app.app_role,))
    # Wait until they are gone, so that each pooled connection sees its end when lent out.
    deadline = time.monotonic() + 30
    while set(ended) & set(server_backends(app)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not set(ended) & set(server_backends(app)), "the backends did not end"
    issue = read(principal, ref)
    assert issue["ref"] == ref and issue["events"]
    filed = assert_json(principal.post("/api/issues", json={
        "title": "Sau khi kết nối lại", "description": "Mô tả vấn đề.",
        "category": "THIEU-GV"}), 201)
    assert read(principal, filed["ref"])["events"][0]["action"] == "filed"
