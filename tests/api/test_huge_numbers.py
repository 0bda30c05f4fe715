# test_huge_numbers.py -- numbers too large for any integer (1e400 parses as infinity,
# 1e19 is past a 64-bit integer) where a whole number is wanted: a clean 400 naming the
# field with out_of_range and its bounds, nothing stored, and no undefined behaviour
# (the server runs under UBSan with float-cast-overflow; a "runtime error:" in its
# stderr fails this module when the server stops).

import pytest

from dlapi import assert_json, assert_problem

HUGE = ["1e400", "-1e400", "1e19", "-1e19", "2147483648", "1e308", "4.5e15"]


@pytest.fixture(scope="module")
def admin(app):
    return app.login("admin")


def policies_with(first_response_hours):
    items = ", ".join(
        '{"priority": "%s", "first_response_hours": %s, "resolution_hours": 336,'
        ' "clock": "calendar"}' % (p, first_response_hours if p == "normal" else "48")
        for p in ("urgent", "high", "normal", "low"))
    return ('{"items": [%s]}' % items).encode()


@pytest.mark.parametrize("number", HUGE)
def test_sla_hours(app, admin, number):
    before = assert_json(admin.get("/api/sla-policies"), 200)
    r = admin.send_raw("PUT", "/api/sla-policies", policies_with(number))
    body = assert_problem(r, 400, fields=["items[2].first_response_hours"])
    err = next(e for e in body["errors"] if e["field"] == "items[2].first_response_hours")
    assert err["code"] == "out_of_range" and err["params"] == {"min": 1, "max": 8784}, body
    assert assert_json(admin.get("/api/sla-policies"), 200) == before


@pytest.mark.parametrize("number", HUGE)
def test_calendar_weekday(app, admin, number):
    before = assert_json(admin.get("/api/calendar"), 200)
    body = ('{"working_hours": [{"weekday": %s, "start": "07:00", "end": "11:30"}],'
            ' "holidays": []}' % number).encode()
    r = admin.send_raw("PUT", "/api/calendar", body)
    problem = assert_problem(r, 400, fields=["working_hours[0].weekday"])
    assert problem["errors"][0]["code"] == "out_of_range", problem
    assert assert_json(admin.get("/api/calendar"), 200) == before


def test_ordinary_numbers_still_work(app, admin):
    """The same body with an ordinary number goes through (and 72.0 is a whole 72)."""
    r = admin.send_raw("PUT", "/api/sla-policies", policies_with("72.0"))
    assert_json(r, 200)
    normal = [p for p in assert_json(admin.get("/api/sla-policies"), 200)["items"]
              if p["priority"] == "normal"]
    assert normal[0]["first_response_hours"] == 72
