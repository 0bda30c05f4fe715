# test_sign_in_throttle.py -- sign-in throttling: 10 failures of one login from one
# address, or 50 from one address, and that address is answered 429 (with Retry-After)
# before any password check; an address with no failures is never refused; a success
# clears its own failures; the counters live in the database (and the sweep forgets old
# ones); an admin sees the locks and clears one, audited.
#
# Each test signs in from its own loopback address (127.0.0.0/8 all reach the server), so
# the tests' failures do not add up.

import time
from concurrent.futures import ThreadPoolExecutor

from dlapi import DEMO_PASSWORD, assert_json, assert_problem, describe, session_from
from dladmin import audit_rows

import pytest


def sign_in_from(app, source, login, password):
    with session_from(source) as s:
        return s.post(app.url("/api/session"), json={"login": login, "password": password},
                      timeout=60)


def fail(app, source, login, times):
    for i in range(times):
        r = sign_in_from(app, source, login, f"wrong password {i}")
        assert_problem(r, 401)


def assert_throttled(r):
    body = assert_problem(r, 429)
    assert body["code"] == "too_many_sign_ins", describe(r)
    wait = int(r.headers["Retry-After"])
    assert 1 <= wait <= 15 * 60, describe(r)
    return wait


def failures(app, address, login=None):
    return app.query("SELECT count(*) FROM sign_in_failures WHERE address = %s"
                     " AND (%s::text IS NULL OR login = %s)", (address, login, login))[0][0]


@pytest.fixture(scope="module")
def admin(app):
    return app.login("admin")


def test_ten_failures_of_a_login_close_it_from_that_address_only(app):
    fail(app, "127.0.1.1", "ht.th001", 10)
    # The right password changes nothing now: the answer comes before any check.
    wait = assert_throttled(sign_in_from(app, "127.0.1.1", "ht.th001", DEMO_PASSWORD))
    assert wait > 15 * 60 - 60
    assert failures(app, "127.0.1.1") == 10          # a refused try counts for nothing
    # Another address that has not failed signs in as ever: guessing the login cannot
    # lock its owner out.
    assert_json(sign_in_from(app, "127.0.1.2", "ht.th001", DEMO_PASSWORD), 200)
    # The same address may still sign in as someone else.
    assert_json(sign_in_from(app, "127.0.1.1", "ht.th002", DEMO_PASSWORD), 200)


def test_fifty_failures_close_the_address_for_every_login(app):
    for i in range(50):
        assert_problem(sign_in_from(app, "127.0.2.1", f"khong.co.{i}", "sai"), 401)
    assert_throttled(sign_in_from(app, "127.0.2.1", "ht.th003", DEMO_PASSWORD))
    assert_json(sign_in_from(app, "127.0.2.2", "ht.th003", DEMO_PASSWORD), 200)


def test_unknown_logins_and_letter_case_count_alike(app):
    fail(app, "127.0.3.1", "khong.co.ai", 10)
    assert_throttled(sign_in_from(app, "127.0.3.1", "khong.co.ai", "x"))
    fail(app, "127.0.3.1", "HT.TH004", 5)
    fail(app, "127.0.3.1", "ht.th004", 5)
    assert_throttled(sign_in_from(app, "127.0.3.1", "Ht.Th004", DEMO_PASSWORD))


def test_a_success_clears_that_logins_failures_from_that_address(app):
    fail(app, "127.0.4.1", "ht.th005", 9)
    fail(app, "127.0.4.2", "ht.th005", 3)
    assert_json(sign_in_from(app, "127.0.4.1", "ht.th005", DEMO_PASSWORD), 200)
    assert failures(app, "127.0.4.1") == 0
    assert failures(app, "127.0.4.2") == 3           # other addresses' failures stay
    fail(app, "127.0.4.1", "ht.th005", 9)            # 9 again, still under the limit
    assert_json(sign_in_from(app, "127.0.4.1", "ht.th005", DEMO_PASSWORD), 200)


def test_the_lock_ends_when_the_failures_leave_the_window(app):
    fail(app, "127.0.5.1", "ht.th006", 10)
    assert_throttled(sign_in_from(app, "127.0.5.1", "ht.th006", DEMO_PASSWORD))
    # Counters live in the database: age them as the clock would. 30 s short of the
    # window's end, so the oldest failure stays in it even when ten password checks under
    # ASan on a loaded machine took most of that; the wait is what is left of the 30 s.
    app.query("UPDATE sign_in_failures SET failed_at = failed_at - interval '14 minutes 30 seconds'"
              " WHERE address = '127.0.5.1'")
    wait = assert_throttled(sign_in_from(app, "127.0.5.1", "ht.th006", DEMO_PASSWORD))
    assert wait <= 31
    # Only the oldest one leaves the window: 9 remain, one more try is allowed.
    app.query("UPDATE sign_in_failures SET failed_at = failed_at - interval '1 hour'"
              " WHERE ctid = (SELECT ctid FROM sign_in_failures WHERE address = '127.0.5.1'"
              "               ORDER BY failed_at LIMIT 1)")
    assert_json(sign_in_from(app, "127.0.5.1", "ht.th006", DEMO_PASSWORD), 200)


def test_the_sweep_forgets_failures_too_old_to_count(app):
    fail(app, "127.0.6.1", "ht.th007", 2)
    app.query("UPDATE sign_in_failures SET failed_at = now() - interval '16 minutes'"
              " WHERE address = '127.0.6.1'")
    fail(app, "127.0.6.2", "ht.th007", 1)
    p = app.cli("sweep")
    assert p.returncode == 0, p.stderr
    assert failures(app, "127.0.6.1") == 0
    assert failures(app, "127.0.6.2") == 1


def test_an_admin_sees_the_locks_and_clears_one(app, admin):
    fail(app, "127.0.7.1", "ht.th008", 10)
    fail(app, "127.0.7.2", "ht.th008", 2)
    doc = assert_json(admin.get("/api/admin/sign-in-locks"), 200)
    assert (doc["window_seconds"], doc["max_per_login"], doc["max_per_address"]) == (900, 10, 50)
    mine = [x for x in doc["items"] if x["address"] == "127.0.7.1"]
    assert len(mine) == 1 and mine[0]["login"] == "ht.th008" and mine[0]["failures"] == 10
    assert set(mine[0]) == {"login", "address", "failures", "last_failure_at", "until"}
    assert not [x for x in doc["items"] if x["address"] == "127.0.7.2"]   # not locked

    r = admin.delete("/api/admin/sign-in-locks", params={"login": "ht.th008",
                                                          "address": "127.0.7.1"})
    assert assert_json(r, 200) == {"cleared": 10}
    assert failures(app, "127.0.7.2") == 2           # only what was named is cleared
    row = audit_rows(app, action="sign_in.unlock")[0]
    assert row["actor"] == "admin" and row["target"] == "ht.th008 from 127.0.7.1"
    assert row["details"] == {"login": "ht.th008", "address": "127.0.7.1",
                              "failures_cleared": 10}
    assert_json(sign_in_from(app, "127.0.7.1", "ht.th008", DEMO_PASSWORD), 200)

    # A whole address; nothing left to clear writes no audit row.
    fail(app, "127.0.7.3", "khong.co.ai", 3)
    r = admin.delete("/api/admin/sign-in-locks", params={"address": "127.0.7.3"})
    assert assert_json(r, 200) == {"cleared": 3}
    before = len(audit_rows(app, action="sign_in.unlock"))
    assert assert_json(admin.delete("/api/admin/sign-in-locks",
                                    params={"address": "127.0.7.3"}), 200) == {"cleared": 0}
    assert len(audit_rows(app, action="sign_in.unlock")) == before


def test_the_locks_are_for_admins_only_and_clearing_needs_a_target(app, admin):
    principal = app.login("ht.th009")
    for r in (principal.get("/api/admin/sign-in-locks"),
              principal.delete("/api/admin/sign-in-locks", params={"login": "ht.th001"})):
        assert assert_problem(r, 403)["code"] == "admins_only"
    assert_problem(app.client().get("/api/admin/sign-in-locks"), 401)
    assert_problem(admin.delete("/api/admin/sign-in-locks"), 400, fields=["login"])
    assert_problem(admin.delete("/api/admin/sign-in-locks", params={"who": "x"}), 400,
                   fields=["who"])
    assert_problem(admin.get("/api/admin/sign-in-locks", params={"limit": "5"}), 400,
                   fields=["limit"])


def test_a_burst_of_tries_is_counted_before_any_check(app):
    # 40 wrong passwords at once, then the right one: each try is counted as it arrives,
    # one after another per address, so only 10 reach a password check and the right one,
    # the 41st, is refused like the rest.
    source, login = "127.0.9.1", "ht.th010"
    with ThreadPoolExecutor(max_workers=41) as pool:
        wrong = [pool.submit(sign_in_from, app, source, login, f"sai {i}") for i in range(40)]
        deadline = time.monotonic() + 10
        while failures(app, source) < 10 and time.monotonic() < deadline:
            time.sleep(0.02)
        right = pool.submit(sign_in_from, app, source, login, DEMO_PASSWORD).result()
        statuses = sorted(f.result().status_code for f in wrong)
    assert statuses.count(401) == 10, statuses
    assert statuses.count(429) == 30, statuses
    assert_throttled(right)
    assert failures(app, source, login) == 10


def test_a_try_counts_until_it_succeeds(app):
    # The row is written before the check; a success removes it with the rest.
    source, login = "127.0.9.2", "ht.th010"
    fail(app, source, login, 3)
    assert failures(app, source, login) == 3
    assert_json(sign_in_from(app, source, login, DEMO_PASSWORD), 200)
    assert failures(app, source, login) == 0
