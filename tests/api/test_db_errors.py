# test_db_errors.py -- what a client hears when a statement fails in PostgreSQL. Only
# conditions named on purpose (a taken login or code) are 4xx, in our words and with the
# field; anything else is a server bug: 500 "internal" with no PostgreSQL text in it (the
# text goes to the server's log). A deadlock or serialization failure is a retryable 503
# `transaction_conflict` with Retry-After, and a statement that runs on its own is retried
# by the server before that. The failures are provoked with traps (a constraint, a unique
# index, triggers) that the test adds to the module's database and removes afterwards.

import pytest

from dlapi import assert_problem, describe

# Words of PostgreSQL's messages and of the traps that must never reach a client.
LEAKS = ("violates", "constraint", "duplicate key", "relation", "trap", "secret", "Key (",
         "SQLSTATE", "ERROR:", "deadlock")


@pytest.fixture(scope="module")
def principal(app):
    return app.login("ht.th001")


@pytest.fixture
def trap(app):
    """Runs the SQL it is given now, and the matching clean-up SQL after the test."""
    undo = []

    def install(sql, cleanup):
        undo.append(cleanup)
        app.query(sql)
    yield install
    for sql in reversed(undo):
        app.query(sql)


def raising_trigger(table, when, sqlstate, message, timing="BEFORE INSERT"):
    """SQL for a trigger on `table` that raises `sqlstate` when `when` holds for NEW."""
    name = f"trap_{sqlstate.lower()}_{table}"
    return (f"""
        CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF {when} THEN
                RAISE EXCEPTION '{message}' USING ERRCODE = '{sqlstate}';
            END IF;
            RETURN NEW;
        END $$;
        CREATE TRIGGER {name} {timing} ON {table} FOR EACH ROW EXECUTE FUNCTION {name}();""",
            f"DROP TRIGGER {name} ON {table}; DROP FUNCTION {name}();")


def file_body(title):
    return {"title": title, "description": "Mô tả vấn đề.", "category": "THIEU-GV"}


def assert_internal(r):
    problem = assert_problem(r, 500)
    assert problem["code"] == "internal", describe(r)
    # The same words for every 500: what went wrong inside is in the server's log only.
    assert problem["detail"] == problem["title"] == "Internal error", describe(r)
    for word in LEAKS:
        assert word.lower() not in r.text.lower(), f"{word!r} leaked: {describe(r)}"
    return problem


def issue_titled(app, title):
    return app.query("SELECT count(*) FROM issues WHERE title = %s", (title,))[0][0]


def test_an_unexpected_check_violation_is_a_500_without_its_text(app, principal, trap):
    trap("ALTER TABLE issues ADD CONSTRAINT trap_title CHECK (title <> 'trap check') NOT VALID",
         "ALTER TABLE issues DROP CONSTRAINT trap_title")
    assert_internal(principal.send_json("POST", "/api/issues", file_body("trap check")))
    assert issue_titled(app, "trap check") == 0


def test_an_unexpected_unique_violation_is_a_500_without_the_key(app, principal, trap):
    trap("CREATE UNIQUE INDEX trap_unique_title ON issues (title) WHERE title = 'trap unique'",
         "DROP INDEX trap_unique_title")
    r = principal.send_json("POST", "/api/issues", file_body("trap unique"))
    assert r.status_code == 201, describe(r)
    assert_internal(principal.send_json("POST", "/api/issues", file_body("trap unique")))
    assert issue_titled(app, "trap unique") == 1


def test_a_data_exception_is_a_500_without_its_text(app, principal, trap):
    trap(*raising_trigger("issues", "NEW.title = 'trap data'", "22023", "secret detail"))
    assert_internal(principal.send_json("POST", "/api/issues", file_body("trap data")))
    assert issue_titled(app, "trap data") == 0


def test_an_unexpected_refusal_by_the_database_is_a_500_not_a_403(app, principal, trap):
    trap(*raising_trigger("issues", "NEW.title = 'trap privilege'", "42501", "secret detail"))
    assert_internal(principal.send_json("POST", "/api/issues", file_body("trap privilege")))


def test_a_taken_login_is_a_409_naming_the_field(app):
    r = app.login("admin").send_json("POST", "/api/users", {"login": "ht.th002", "name": "X",
                                               "role": "principal", "school": "TH001"})
    problem = assert_problem(r, 409)
    assert problem["code"] == "login_taken"
    assert [(e["field"], e["code"]) for e in problem["errors"]] == [("login", "taken")]
    assert "duplicate key" not in r.text and "users_login_key" not in r.text


def test_a_taken_code_is_a_409_naming_the_field(app):
    r = app.login("admin").send_json("POST", "/api/clusters", {"code": "CM02", "name": "Cụm trùng"})
    problem = assert_problem(r, 409)
    assert problem["code"] == "code_taken"
    assert [(e["field"], e["code"]) for e in problem["errors"]] == [("code", "taken")]
    assert "duplicate key" not in r.text and "clusters_code_key" not in r.text


def test_a_deadlock_in_a_transaction_is_a_retryable_503(app, principal, trap):
    trap(*raising_trigger("issues", "NEW.title = 'trap deadlock'", "40P01", "deadlock detected"))
    r = principal.send_json("POST", "/api/issues", file_body("trap deadlock"))
    problem = assert_problem(r, 503)
    assert problem["code"] == "transaction_conflict", describe(r)
    assert r.headers.get("Retry-After") == "1", describe(r)
    for word in LEAKS:
        assert word.lower() not in r.text.lower(), f"{word!r} leaked: {describe(r)}"


def test_a_statement_on_its_own_that_loses_a_conflict_runs_again(app, principal, trap):
    """The session check (one statement outside any transaction, which marks the
    session's use when the last mark is over a minute old) fails once with a serialization
    failure; the server runs it again and the client never knows."""
    user_id = app.query("SELECT id FROM users WHERE login = 'ht.th001'")[0][0]
    app.query("UPDATE sessions SET last_seen_at = now() - interval '2 minutes'"
              " WHERE user_id = %s", (user_id,))
    # (the server's role, which owns nothing, must be let to use it)
    trap("CREATE SEQUENCE trap_once; GRANT USAGE ON SEQUENCE trap_once TO PUBLIC",
         "DROP SEQUENCE trap_once")
    trap(*raising_trigger("sessions", f"NEW.user_id = {user_id} AND nextval('trap_once') = 1",
                          "40001", "could not serialize", timing="BEFORE UPDATE"))
    r = principal.get("/api/me")
    assert r.status_code == 200, describe(r)
    assert app.query("SELECT last_value FROM trap_once")[0][0] == 2


def test_an_outage_answer_says_when_to_retry(app, principal, trap):
    """Connection trouble (here: the server's session is ended by an operator) is a 503
    with Retry-After."""
    trap(*raising_trigger("issues", "NEW.title = 'trap shutdown'", "57P01", "terminating"))
    r = principal.send_json("POST", "/api/issues", file_body("trap shutdown"))
    assert_problem(r, 503)
    assert r.headers.get("Retry-After", "").isdigit(), describe(r)
