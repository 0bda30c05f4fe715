# test_filing_without_queues.py -- a filing waits for no other filing and reads the SLA
# settings from memory (sql/migrations/0013_filing_without_queues.sql):
# - references come from one sequence per year: unique, HT-YYYY-NNNNNN, never given out
#   twice, but a number taken by a filing that failed is skipped (a gap);
# - the SLA settings a server keeps follow a change made anywhere else: through another
#   server's admin API, or by SQL, before the next filing.

import threading
from datetime import datetime, timedelta

import psycopg2
import pytest

from conftest import Server
from dlapi import (ICT, REF_RE, Client, assert_json, describe, file_issue, parse_time,
                   wait_for_lock_waiters)

STALL_TITLE = "Hồ sơ chờ khóa"          # the trigger below holds only this filing


@pytest.fixture(scope="module")
def principal(app):
    return app.login("ht.th031")


@pytest.fixture(scope="module")
def admin(app):
    return app.login("admin")


@pytest.fixture(scope="module")
def other_server(app):
    """A second `directline serve` on the same database: another replica."""
    server = Server(app.app_url, app.logdir).start()
    yield server
    problems = server.stop()
    assert not problems, "\n".join(problems)


@pytest.fixture
def restore_settings(app, admin):
    policies = assert_json(admin.get("/api/sla-policies"), 200)
    calendar = assert_json(admin.get("/api/calendar"), 200)
    yield
    assert_json(admin.send_json("PUT", "/api/sla-policies", policies), 200)
    assert_json(admin.send_json("PUT", "/api/calendar", calendar), 200)


def this_year(app):
    return app.query("SELECT extract(year FROM now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::int")[0][0]


def number(ref):
    return int(ref.split("-")[2])


def dues_after_filing(issue):
    filed = parse_time(issue["created_at"]).replace(microsecond=0)
    return (parse_time(issue["due_first_response_at"]) - filed,
            parse_time(issue["due_resolution_at"]) - filed)


def connect(url):
    conn = psycopg2.connect(url, connect_timeout=10)
    conn.autocommit = False
    return conn


def as_owner(app, sql, params=None):
    """Runs and commits one statement as the tables' owner, as a script or psql would:
    no server hears of it."""
    owner = connect(app.owner_url)
    try:
        with owner.cursor() as cur:
            cur.execute(sql, params)
        owner.commit()
    finally:
        owner.close()


# --------------------------------------------------------------------------- references

def test_a_filing_does_not_wait_for_another_filing_to_commit(app, principal):
    """One filing is held inside its statement, after its number is taken (a trigger
    waits on an advisory lock this test holds); another filing meanwhile completes."""
    app.query("""
        CREATE FUNCTION test_stall_filing() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.title = '""" + STALL_TITLE + """' THEN
                PERFORM pg_advisory_xact_lock(4242);
            END IF;
            RETURN NEW;
        END $$;
        CREATE TRIGGER test_stall_filing BEFORE INSERT ON issues
            FOR EACH ROW EXECUTE FUNCTION test_stall_filing();""")
    holder = connect(app.db_url)
    stalled = []
    slow = threading.Thread(target=lambda: stalled.append(
        principal.send_json("POST", "/api/issues", {"title": STALL_TITLE, "description": "x",
                                                    "category": "THIEU-GV"}, timeout=120)))
    try:
        with holder.cursor() as cur:
            cur.execute("SELECT pg_advisory_lock(4242)")
        holder.commit()
        slow.start()
        wait_for_lock_waiters(app, 1)
        other = principal.send_json("POST", "/api/issues",
                                    {"title": "Thiếu bàn ghế", "description": "y",
                                     "category": "THIEU-GV"}, timeout=60)
        assert other.status_code == 201, describe(other)
        assert slow.is_alive() and not stalled, "the held filing was not held"
    finally:
        with holder.cursor() as cur:
            cur.execute("SELECT pg_advisory_unlock(4242)")
        holder.commit()
        holder.close()
        slow.join(120)
        app.query("DROP TRIGGER test_stall_filing ON issues; DROP FUNCTION test_stall_filing()")
    assert stalled and stalled[0].status_code == 201, describe(stalled[0]) if stalled else "none"
    held, quick = stalled[0].json()["ref"], other.json()["ref"]
    assert number(quick) == number(held) + 1, (held, quick)


def test_a_number_taken_by_a_failed_filing_is_never_given_again(app, principal):
    year = this_year(app)
    first = file_issue(principal)["ref"]
    assert REF_RE.match(first) and first.startswith(f"HT-{year}-"), first
    conn = connect(app.app_url)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT dl_issue_ref_next(%s)", (year,))
            lost = cur.fetchone()[0]
        conn.rollback()                 # as a filing refused after taking its number
    finally:
        conn.close()
    second = file_issue(principal)["ref"]
    assert lost == number(first) + 1
    assert number(second) == lost + 1, (first, lost, second)
    assert app.query("SELECT last FROM issue_ref_counters WHERE year = %s",
                     (year,))[0][0] == number(second)


@pytest.mark.parametrize("first_ends", ["commit", "rollback"])
def test_the_first_filings_of_a_year_share_its_sequence(app, first_ends):
    """Two filings at once are the first of a year: the second waits for the first's
    transaction, then takes the next number of the sequence the first made, or makes it
    anew if the first rolled back (with it)."""
    year = 2090 if first_ends == "commit" else 2091
    first, second = connect(app.app_url), connect(app.app_url)
    got = []
    try:
        with first.cursor() as cur:
            cur.execute("SELECT dl_issue_ref_next(%s)", (year,))
            assert cur.fetchone()[0] == 1

        def take():
            with second.cursor() as cur:
                cur.execute("SELECT dl_issue_ref_next(%s)", (year,))
                got.append(cur.fetchone()[0])
            second.commit()

        taker = threading.Thread(target=take)
        taker.start()
        wait_for_lock_waiters(app, 1)
        getattr(first, first_ends)()
        taker.join(60)
        assert got == [2 if first_ends == "commit" else 1]
    finally:
        first.close()
        second.close()
        app.query(f"DROP SEQUENCE IF EXISTS issue_ref_{year}")


def test_loaders_move_a_year_past_their_references_and_never_back(app, principal):
    year = this_year(app)
    as_owner(app, "SELECT dl_issue_ref_at_least(%s, 654321)", (year,))
    as_owner(app, "SELECT dl_issue_ref_at_least(%s, 7)", (year,))
    assert file_issue(principal)["ref"] == f"HT-{year}-654322"


@pytest.mark.parametrize("call", ["dl_issue_ref_at_least(2026, 1000)", "dl_issue_ref_reset()",
                                  "dl_issue_ref_sequence(2026)"])
def test_the_servers_role_may_only_take_numbers(app, call):
    conn = connect(app.app_url)
    try:
        with conn.cursor() as cur, pytest.raises(psycopg2.errors.InsufficientPrivilege):
            cur.execute(f"SELECT {call}")
    finally:
        conn.close()


# --------------------------------------------------------------------------- SLA settings

def test_a_policy_changed_through_another_server_applies_to_the_next_filing(
        app, principal, admin, other_server, restore_settings):
    assert dues_after_filing(file_issue(principal, priority="urgent")) == \
        (timedelta(hours=24), timedelta(hours=72))     # this server now holds the settings
    elsewhere = Client(other_server.base_url, admin.token)
    policies = assert_json(elsewhere.get("/api/sla-policies"), 200)
    for item in policies["items"]:
        if item["priority"] == "urgent":
            item.update(first_response_hours=6, resolution_hours=30)
    assert_json(elsewhere.send_json("PUT", "/api/sla-policies", policies), 200)
    assert dues_after_filing(file_issue(principal, priority="urgent")) == \
        (timedelta(hours=6), timedelta(hours=30))


def test_holidays_added_through_another_server_apply_to_the_next_filing(
        app, principal, admin, other_server, restore_settings):
    as_owner(app, "UPDATE sla_policies SET first_response_hours = 1, resolution_hours = 2,"
                  " clock = 'working' WHERE priority = 'low'")
    first, _ = dues_after_filing(file_issue(principal, priority="low"))
    assert first < timedelta(days=21)                  # 1 working hour: within days
    elsewhere = Client(other_server.base_url, admin.token)
    calendar = assert_json(elsewhere.get("/api/calendar"), 200)
    today = datetime.now(ICT).date()
    taken = {h["date"] for h in calendar["holidays"]}
    for k in range(22):
        day = (today + timedelta(days=k)).isoformat()
        if day not in taken:
            calendar["holidays"].append({"date": day, "name": "Nghỉ thử nghiệm"})
    assert_json(elsewhere.send_json("PUT", "/api/calendar", calendar), 200)
    first, _ = dues_after_filing(file_issue(principal, priority="low"))
    assert first >= timedelta(days=21), first


def test_a_policy_changed_by_sql_applies_to_the_next_filing(app, principal, restore_settings):
    file_issue(principal, priority="high")
    as_owner(app, "UPDATE sla_policies SET first_response_hours = 5, resolution_hours = 9"
                  " WHERE priority = 'high'")
    assert dues_after_filing(file_issue(principal, priority="high")) == \
        (timedelta(hours=5), timedelta(hours=9))


@pytest.mark.parametrize("statement", [
    "UPDATE sla_policies SET first_response_hours = first_response_hours",
    "INSERT INTO holidays (day, name) VALUES (date '1999-01-01', 'x')",
    "DELETE FROM holidays WHERE day = date '1999-01-01'",
    "UPDATE working_hours SET ends = ends",
])
def test_every_change_to_the_settings_moves_their_version(app, statement):
    before = app.query("SELECT version FROM sla_settings_version")[0][0]
    app.query(statement)
    assert app.query("SELECT version FROM sla_settings_version")[0][0] > before


def test_the_servers_role_cannot_move_the_version(app):
    conn = connect(app.app_url)
    try:
        with conn.cursor() as cur:
            cur.execute("UPDATE sla_settings_version SET version = 0")
            assert cur.rowcount == 0
            with pytest.raises(psycopg2.errors.InsufficientPrivilege):
                cur.execute("INSERT INTO sla_settings_version VALUES (false, 0)")
    finally:
        conn.rollback()
        conn.close()
