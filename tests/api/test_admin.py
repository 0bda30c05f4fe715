# test_admin.py -- administration through the API: users (list, create, patch, reset),
# reference data (clusters, schools, divisions, categories), the audit log that every
# admin change writes in its own transaction, and the database refusing to rewrite it.
# Every admin endpoint is 403 for every other role and 401 without a session.

import secrets

import psycopg2
import pytest
import requests

from dlapi import (DEMO_PASSWORD, TIME_RE, assert_json, assert_problem, describe, file_issue,
                   fold)
from dladmin import (admin_snapshot, assert_unchanged, audit_rows, audit_since, create_user,
                     max_audit_id, new_login, sign_in, signed_in)

NON_ADMINS = ["ht.th001", "ct.cm01", "cb.gdth1", "giamsat1"]
ITEM_KEYS = {"login", "name", "role", "email", "school", "cluster", "division", "active",
             "must_change_password", "created_at"}


@pytest.fixture(scope="module")
def admin(app):
    return app.login("admin")


def codes_of(problem, field=None):
    return [e["code"] for e in problem.get("errors", []) if field is None or e["field"] == field]


def fresh_code(prefix):
    return f"{prefix}-{secrets.token_hex(3).upper()}"


# --------------------------------------------------------------------------- who may

ADMIN_CALLS = [
    ("GET", "/api/users", None),
    ("GET", "/api/users/ht.th001", None),
    ("POST", "/api/users", {"login": "x.y.z", "name": "X", "role": "supervisor"}),
    ("PATCH", "/api/users/ht.th002", {"name": "Tên khác"}),
    ("POST", "/api/users/ht.th002/password-reset", {}),
    ("POST", "/api/clusters", {"code": "CMX", "name": "Cụm X"}),
    ("PATCH", "/api/clusters/CM01", {"name": "Cụm khác"}),
    ("POST", "/api/schools", {"code": "THX", "name": "TH X", "cluster": "CM01", "commune": "Xã X"}),
    ("PATCH", "/api/schools/TH001", {"name": "Trường khác"}),
    ("POST", "/api/divisions", {"code": "DX", "name": "Phòng X", "name_en": "X"}),
    ("PATCH", "/api/divisions/GDTH", {"name": "Phòng khác"}),
    ("POST", "/api/categories", {"code": "CX", "name": "X", "name_en": "X", "kind": "teaching",
                                 "division": "GDTH"}),
    ("PATCH", "/api/categories/THIEU-GV", {"active": False}),
    ("GET", "/api/audit", None),
    ("PUT", "/api/sla-policies", {"items": []}),
    ("PUT", "/api/calendar", {"working_hours": [], "holidays": []}),
]
CALL_IDS = [f"{m}-{p}" for m, p, _ in ADMIN_CALLS]


@pytest.mark.parametrize("who", NON_ADMINS)
def test_every_admin_endpoint_is_403_for_other_roles(app, who):
    client = app.login(who)
    before = admin_snapshot(app)
    for method, path, body in ADMIN_CALLS:
        r = client.send_json(method, path, body) if body is not None \
            else client.request(method, path)
        assert_problem(r, 403)
        assert_unchanged(app, before, r)


@pytest.mark.parametrize("method,path,body", ADMIN_CALLS, ids=CALL_IDS)
def test_every_admin_endpoint_is_401_without_a_session(app, method, path, body):
    client = app.client()
    r = client.send_json(method, path, body) if body is not None else client.request(method, path)
    assert_problem(r, 401)


def test_new_admin_endpoints_say_admins_only(app):
    client = app.login("giamsat1")
    for method, path, body in ADMIN_CALLS[:14]:
        r = client.send_json(method, path, body) if body is not None \
            else client.request(method, path)
        assert assert_problem(r, 403)["code"] == "admins_only", describe(r)


# --------------------------------------------------------------------------- users: list

def walk_users(client, params, limit):
    params = dict(params, limit=str(limit))
    items = []
    for _ in range(200):
        body = assert_json(client.get("/api/users", params=params), 200)
        assert set(body) == {"items", "next_cursor"}
        assert len(body["items"]) <= limit
        items += body["items"]
        if body["next_cursor"] is None:
            return items
        params["cursor"] = body["next_cursor"]
    raise AssertionError("too many pages")


def test_list_users_pages_by_login(app, admin):
    everyone = walk_users(admin, {}, 200)
    logins = [u["login"] for u in everyone]
    assert logins == sorted(logins) and len(set(logins)) == len(logins)
    total = app.query("SELECT count(*) FROM users")[0][0]
    assert len(everyone) == total
    assert [u["login"] for u in walk_users(admin, {}, 37)] == logins
    for u in everyone[:20]:
        assert set(u) == ITEM_KEYS, u
        assert TIME_RE.match(u["created_at"])
    th001 = next(u for u in everyone if u["login"] == "ht.th001")
    assert (th001["role"], th001["school"], th001["cluster"], th001["division"]) == \
        ("principal", "TH001", None, None)
    assert th001["active"] is True and th001["must_change_password"] is False


def test_list_users_filters(app, admin):
    def logins(**params):
        return {u["login"] for u in walk_users(admin, params, 200)}

    assert logins(role="principal", school="TH001") == {"ht.th001"}
    assert logins(role="supervisor") >= {"giamsat1", "giamsat2"}
    assert "admin" in logins(role="admin")
    cm01 = logins(cluster="CM01")
    schools = {r[0] for r in app.query("SELECT s.code FROM schools s JOIN clusters c"
                                       " ON c.id = s.cluster_id WHERE c.code = 'CM01'")}
    assert "ct.cm01" in cm01 and "ht.th001" in cm01 and "ct.cm02" not in cm01
    assert all(l.startswith(("ht.", "ct.")) for l in cm01)
    assert len([l for l in cm01 if l.startswith("ht.")]) >= len(schools)
    gdth = logins(division="GDTH")
    assert "cb.gdth1" in gdth and all(l.startswith("cb.gdth") for l in gdth)
    # q: part of the login, or of the name with or without its accents.
    name = app.query("SELECT full_name FROM users WHERE login = 'cb.gdth1'")[0][0]
    word = max(name.split(), key=len)
    assert "cb.gdth1" in logins(q=fold(word))
    assert "cb.gdth1" in logins(q=word.upper())
    assert logins(q="gdth1") >= {"cb.gdth1"}
    assert all(u["active"] for u in walk_users(admin, {"active": "true", "role": "officer"}, 200))


@pytest.mark.parametrize("params,field,code", [
    ({"role": "teacher"}, "role", "invalid_value"),
    ({"school": "NOPE"}, "school", "unknown_code"),
    ({"school": "bad code"}, "school", "invalid_format"),
    ({"cluster": "CM99"}, "cluster", "unknown_code"),
    ({"division": "XX"}, "division", "unknown_code"),
    ({"active": "yes"}, "active", "not_boolean"),
    ({"limit": "0"}, "limit", "out_of_range"),
    ({"limit": "201"}, "limit", "out_of_range"),
    ({"cursor": "Not A Login"}, "cursor", "invalid_cursor"),
    ({"sort": "name"}, "sort", "unknown_parameter"),
])
def test_list_users_bad_parameters(app, admin, params, field, code):
    problem = assert_problem(admin.get("/api/users", params=params), 400, fields=[field])
    assert code in codes_of(problem, field), problem


def test_list_users_repeated_parameter(app, admin):
    problem = assert_problem(admin.get("/api/users?role=admin&role=officer"), 400,
                             fields=["role"])
    assert "repeated" in codes_of(problem, "role")


def test_get_one_user(app, admin):
    u = assert_json(admin.get("/api/users/cb.gdth1"), 200)
    assert set(u) == ITEM_KEYS and u["division"] == "GDTH" and u["role"] == "officer"
    assert assert_problem(admin.get("/api/users/no.such.user"), 404)["code"] == "unknown_user"
    assert_problem(admin.get("/api/users/Not%20A%20Login"), 404)


# --------------------------------------------------------------------------- users: create

@pytest.mark.parametrize("role,binding", [
    ("principal", {"school": "TH030"}), ("cluster_leader", {"cluster": "CM03"}),
    ("officer", {"division": "KHTC"}), ("supervisor", {}), ("admin", {}),
])
def test_create_user_for_each_role(app, admin, role, binding):
    login = new_login("moi")
    before_audit = max_audit_id(app)
    r = admin.send_json("POST", "/api/users", {"login": login, "name": "Lê Văn Mới",
                                               "role": role, "email": f"{login}@hatinh.edu.vn",
                                               **binding})
    doc = assert_json(r, 201)
    assert set(doc) == {"user", "temporary_password"}
    assert r.headers["Location"] == f"/api/users/{login}"
    user = doc["user"]
    assert set(user) == ITEM_KEYS
    assert (user["login"], user["name"], user["role"]) == (login, "Lê Văn Mới", role)
    for key in ("school", "cluster", "division"):
        assert user[key] == binding.get(key)
    assert user["active"] is True and user["must_change_password"] is True
    temp = doc["temporary_password"]
    assert len(temp.replace("-", "")) >= 12
    stored = app.query("SELECT password_hash FROM users WHERE login = %s", (login,))[0][0]
    assert stored.startswith("$argon2id$") and temp not in stored
    rows = audit_since(app, before_audit)
    assert [(a["action"], a["target"], a["actor"]) for a in rows] == \
        [("user.create", login, "admin")]
    details = rows[0]["details"]
    assert details["login"] == {"from": None, "to": login}
    assert details["role"] == {"from": None, "to": role}
    for key, value in binding.items():
        assert details[key] == {"from": None, "to": value}
    assert temp not in str(details)
    client = signed_in(app, login, temp)
    assert client.user["must_change_password"] is True


def test_two_temporary_passwords_differ(app, admin):
    _, a = create_user(admin, school="TH031")
    _, b = create_user(admin, school="TH031")
    assert a != b


@pytest.mark.parametrize("body,fields,codes", [
    ({"name": "X", "role": "supervisor"}, ["login"], ["required"]),
    ({"login": "x.new1", "role": "supervisor"}, ["name"], ["required"]),
    ({"login": "x.new1", "name": "X"}, ["role"], ["required"]),
    ({"login": "X New", "name": "X", "role": "supervisor"}, ["login"], ["invalid_format"]),
    ({"login": "x.new1", "name": "X", "role": "teacher"}, ["role"], ["invalid_value"]),
    ({"login": "x.new1", "name": "X", "role": "principal"}, ["school"], ["required"]),
    ({"login": "x.new1", "name": "X", "role": "principal", "school": "TH001",
      "division": "GDTH"}, ["division"], ["not_applicable"]),
    ({"login": "x.new1", "name": "X", "role": "officer"}, ["division"], ["required"]),
    ({"login": "x.new1", "name": "X", "role": "cluster_leader", "cluster": "CM77"},
     ["cluster"], ["unknown_code"]),
    ({"login": "x.new1", "name": "X", "role": "principal", "school": "TH999"},
     ["school"], ["unknown_code"]),
    ({"login": "x.new1", "name": "X", "role": "supervisor", "school": "TH001"},
     ["school"], ["not_applicable"]),
    ({"login": "x.new1", "name": "X", "role": "supervisor", "email": "not-an-email"},
     ["email"], ["invalid_format"]),
    ({"login": "x.new1", "name": "X" * 201, "role": "supervisor"}, ["name"], ["too_long"]),
    ({"login": "x.new1", "name": "X", "role": "supervisor", "password": "chosen-by-admin"},
     ["password"], ["unknown_field"]),
    ({"login": "x.new1", "name": 5, "role": "supervisor"}, ["name"], ["not_text"]),
])
def test_create_user_refusals(app, admin, body, fields, codes):
    before = admin_snapshot(app)
    r = admin.send_json("POST", "/api/users", body)
    problem = assert_problem(r, 400, fields=fields)
    for field, code in zip(fields, codes):
        assert code in codes_of(problem, field), problem
    assert_unchanged(app, before, r)


def test_create_user_with_a_taken_login_is_409(app, admin):
    before = admin_snapshot(app)
    r = admin.send_json("POST", "/api/users", {"login": "ht.th001", "name": "X",
                                               "role": "principal", "school": "TH001"})
    assert assert_problem(r, 409)["code"] == "login_taken"
    assert_unchanged(app, before, r)


# --------------------------------------------------------------------------- users: patch

def test_patch_name_and_email_is_audited_from_to(app, admin):
    user, _ = create_user(admin, school="TH032", email="cu@hatinh.edu.vn")
    login = user["login"]
    before_audit = max_audit_id(app)
    r = admin.send_json("PATCH", f"/api/users/{login}", {"name": "Trần Thị Đổi",
                                                         "email": None})
    u = assert_json(r, 200)
    assert (u["name"], u["email"]) == ("Trần Thị Đổi", None)
    rows = audit_since(app, before_audit)
    assert [(a["action"], a["target"]) for a in rows] == [("user.update", login)]
    assert rows[0]["details"] == {"name": {"from": "Nguyễn Thị Thử", "to": "Trần Thị Đổi"},
                                  "email": {"from": "cu@hatinh.edu.vn", "to": None}}
    # The same values again change nothing and write nothing.
    before = admin_snapshot(app)
    r = admin.send_json("PATCH", f"/api/users/{login}", {"name": "Trần Thị Đổi"})
    assert assert_json(r, 200)["name"] == "Trần Thị Đổi"
    assert_unchanged(app, before, r)


def test_patch_role_moves_the_binding(app, admin):
    user, _ = create_user(admin, school="TH033")
    login = user["login"]
    u = assert_json(admin.send_json("PATCH", f"/api/users/{login}",
                                    {"role": "officer", "division": "TCCB"}), 200)
    assert (u["role"], u["school"], u["division"]) == ("officer", None, "TCCB")
    row = app.query("SELECT school_id, cluster_id, division_id IS NOT NULL FROM users"
                    " WHERE login = %s", (login,))[0]
    assert row == (None, None, True)
    u = assert_json(admin.send_json("PATCH", f"/api/users/{login}", {"division": "CSVC"}), 200)
    assert u["division"] == "CSVC"
    u = assert_json(admin.send_json("PATCH", f"/api/users/{login}",
                                    {"role": "supervisor", "division": None}), 200)
    assert (u["role"], u["division"]) == ("supervisor", None)
    u = assert_json(admin.send_json("PATCH", f"/api/users/{login}", {"role": "admin"}), 200)
    assert u["role"] == "admin"
    rows = audit_rows(app, action="user.update", target=login)
    assert rows[-1]["details"] == {"role": {"from": "principal", "to": "officer"},
                                   "school": {"from": "TH033", "to": None},
                                   "division": {"from": None, "to": "TCCB"}}
    assert len(rows) == 4


@pytest.mark.parametrize("body,field,code", [
    ({"role": "officer"}, "division", "required"),
    ({"role": "cluster_leader", "cluster": "CM88"}, "cluster", "unknown_code"),
    ({"division": "GDTH"}, "division", "not_applicable"),
    ({"school": None}, "school", "required"),
    ({"school": "TH999"}, "school", "unknown_code"),
    ({"role": "boss"}, "role", "invalid_value"),
    ({"active": "no"}, "active", "not_boolean"),
    ({"login": "other.login"}, "login", "unknown_field"),
    ({}, "body", "nothing_to_change"),
    ({"name": ""}, "name", "empty"),
])
def test_patch_user_refusals(app, admin, body, field, code):
    before = admin_snapshot(app)
    r = admin.send_json("PATCH", "/api/users/ht.th040", body)
    problem = assert_problem(r, 400, fields=[field])
    assert code in codes_of(problem, field), problem
    assert_unchanged(app, before, r)


def test_patch_unknown_user_is_404(app, admin):
    before = admin_snapshot(app)
    r = admin.send_json("PATCH", "/api/users/no.such.user", {"name": "X"})
    assert assert_problem(r, 404)["code"] == "unknown_user"
    assert_unchanged(app, before, r)


def test_admin_cannot_lock_themself_out(app, admin):
    before = admin_snapshot(app)
    for body in ({"active": False}, {"role": "supervisor"},
                 {"role": "officer", "division": "GDTH"}):
        r = admin.send_json("PATCH", "/api/users/admin", body)
        assert assert_problem(r, 409)["code"] == "self_lockout", describe(r)
        assert_unchanged(app, before, r)
    assert_json(admin.get("/api/me"), 200)
    # Other changes to oneself are fine.
    name = assert_json(admin.get("/api/me"), 200)["name"]
    assert assert_json(admin.send_json("PATCH", "/api/users/admin",
                                       {"name": name + " (QTHT)"}), 200)["name"].endswith("(QTHT)")
    assert_json(admin.send_json("PATCH", "/api/users/admin", {"name": name}), 200)


def test_another_admin_may_be_demoted(app, admin):
    other, temp = create_user(admin, role="admin", school=...)
    u = assert_json(admin.send_json("PATCH", f"/api/users/{other['login']}",
                                    {"role": "supervisor"}), 200)
    assert u["role"] == "supervisor"


def test_deactivation_is_audited_with_the_sessions_it_ended(app, admin):
    login = "ht.th041"
    app.login(login)
    app.login(login)
    before_audit = max_audit_id(app)
    u = assert_json(admin.send_json("PATCH", f"/api/users/{login}", {"active": False}), 200)
    assert u["active"] is False
    rows = audit_since(app, before_audit)
    assert [(a["action"], a["target"]) for a in rows] == [("user.deactivate", login)]
    assert rows[0]["details"] == {"active": {"from": True, "to": False}, "sessions_ended": 2}
    assert_problem(sign_in(app, login, DEMO_PASSWORD), 401)
    assert {x["login"] for x in walk_users(admin, {"active": "false"}, 200)} >= {login}


# --------------------------------------------------------------------------- users: reset

def test_reset_password_answers_once_and_is_audited(app, admin):
    before_audit = max_audit_id(app)
    r = admin.send_json("POST", "/api/users/ht.th042/password-reset", {})
    doc = assert_json(r, 200)
    assert set(doc) == {"temporary_password"}
    rows = audit_since(app, before_audit)
    assert [(a["action"], a["target"]) for a in rows] == [("user.password_reset", "ht.th042")]
    assert rows[0]["details"] == {"must_change_password": {"from": False, "to": True},
                                  "sessions_ended": 0}
    assert_json(admin.get("/api/users/ht.th042"), 200)["must_change_password"] is True
    # No body at all is fine too.
    assert_json(admin.post("/api/users/ht.th042/password-reset"), 200)


def test_reset_refusals(app, admin):
    before = admin_snapshot(app)
    r = admin.send_json("POST", "/api/users/no.such.user/password-reset", {})
    assert assert_problem(r, 404)["code"] == "unknown_user"
    r = admin.send_json("POST", "/api/users/ht.th043/password-reset", {"password": "mine-mine-1"})
    assert_problem(r, 400, fields=["password"])
    assert_unchanged(app, before, r)


# --------------------------------------------------------------------------- reference data

def test_create_and_patch_a_cluster(app, admin):
    code = fresh_code("CM")
    r = admin.send_json("POST", "/api/clusters", {"code": code, "name": "Cụm thử nghiệm"})
    assert assert_json(r, 201) == {"code": code, "name": "Cụm thử nghiệm"}
    assert r.headers["Location"] == f"/api/clusters/{code}"
    listed = assert_json(app.login("ht.th001").get("/api/clusters"), 200)["items"]
    assert {"code": code, "name": "Cụm thử nghiệm"} in listed
    r = admin.send_json("PATCH", f"/api/clusters/{code}", {"name": "Cụm đổi tên"})
    assert assert_json(r, 200)["name"] == "Cụm đổi tên"
    rows = audit_rows(app, target=code)
    assert [a["action"] for a in rows] == ["cluster.update", "cluster.create"]
    assert rows[0]["details"] == {"name": {"from": "Cụm thử nghiệm", "to": "Cụm đổi tên"}}
    assert rows[1]["details"] == {"name": {"from": None, "to": "Cụm thử nghiệm"}}


def test_create_and_move_a_school(app, admin):
    code = fresh_code("TH")
    body = {"code": code, "name": "Trường Tiểu học Thử", "cluster": "CM02",
            "commune": "Xã Thử Nghiệm"}
    assert assert_json(admin.send_json("POST", "/api/schools", body), 201) == body
    r = admin.send_json("PATCH", f"/api/schools/{code}", {"cluster": "CM03", "code": code})
    assert assert_json(r, 200)["cluster"] == "CM03"
    assert audit_rows(app, action="school.update", target=code)[0]["details"] == \
        {"cluster": {"from": "CM02", "to": "CM03"}}
    # A principal can be bound to the new school at once.
    create_user(admin, school=code)


def test_create_a_division_and_route_a_category_to_it(app, admin):
    div = fresh_code("PB")
    assert_json(admin.send_json("POST", "/api/divisions",
                                {"code": div, "name": "Phòng Thử", "name_en": "Test office"}),
                201)
    cat = fresh_code("CAT")
    body = {"code": cat, "name": "Danh mục thử", "name_en": "Test category",
            "kind": "teaching", "division": div, "default_priority": "high",
            "description": "Giải thích một dòng cho hiệu trưởng.",
            "description_en": "A one-line explanation for principals."}
    created = assert_json(admin.send_json("POST", "/api/categories", body), 201)
    assert created == {**body, "active": True, "sensitive": False}
    listed = {c["code"]: c for c in
              assert_json(app.login("ht.th001").get("/api/categories"), 200)["items"]}
    assert listed[cat]["description"] == body["description"]
    assert listed[cat]["description_en"] == body["description_en"]
    assert listed[cat]["active"] is True and listed[cat]["division"] == div
    issue = file_issue(app.login("ht.th050"), category=cat)
    assert issue["division"] == div and issue["priority"] == "high"
    # Routing moves to another division; issues already filed stay where they are.
    r = admin.send_json("PATCH", f"/api/categories/{cat}", {"division": "GDTH"})
    assert assert_json(r, 200)["division"] == "GDTH"
    assert file_issue(app.login("ht.th050"), category=cat)["division"] == "GDTH"
    assert app.issue_row(issue["ref"])["division"] == div
    assert audit_rows(app, action="category.update", target=cat)[0]["details"] == \
        {"division": {"from": div, "to": "GDTH"}}


def test_every_category_has_the_new_fields(app):
    items = assert_json(app.login("ht.th001").get("/api/categories"), 200)["items"]
    for c in items:
        assert isinstance(c["description"], str) and isinstance(c["description_en"], str)
        assert len(c["description"]) <= 300 and "\n" not in c["description"]
        assert isinstance(c["active"], bool)


def test_an_inactive_category_is_refused_for_new_issues(app, admin):
    cat = "BOI-DUONG-GV"
    before_audit = max_audit_id(app)
    r = admin.send_json("PATCH", f"/api/categories/{cat}", {"active": False})
    assert assert_json(r, 200)["active"] is False
    assert [a["details"] for a in audit_since(app, before_audit)] == \
        [{"active": {"from": True, "to": False}}]
    principal = app.login("ht.th051")
    listed = {c["code"]: c for c in assert_json(principal.get("/api/categories"), 200)["items"]}
    assert listed[cat]["active"] is False
    before = app.snapshot()
    r = principal.send_json("POST", "/api/issues", {"title": "Bồi dưỡng", "description": "X",
                                                    "category": cat})
    problem = assert_problem(r, 400, fields=["category"])
    assert codes_of(problem, "category") == ["inactive_category"]
    assert app.snapshot() == before
    assert_json(admin.send_json("PATCH", f"/api/categories/{cat}", {"active": True}), 200)
    file_issue(principal, category=cat)


REF_REFUSALS = [
    ("POST", "/api/clusters", {"code": "CM01", "name": "Trùng"}, 409, None, "code_taken"),
    ("POST", "/api/clusters", {"code": "cm lower", "name": "X"}, 400, "code", "invalid_format"),
    ("POST", "/api/clusters", {"name": "X"}, 400, "code", "required"),
    ("POST", "/api/clusters", {"code": "CMQ", "name": "X", "extra": 1}, 400, "extra",
     "unknown_field"),
    ("POST", "/api/schools", {"code": "THQ", "name": "X", "cluster": "CM99", "commune": "X"},
     400, "cluster", "unknown_code"),
    ("POST", "/api/schools", {"code": "THQ", "name": "X", "cluster": "CM01"}, 400, "commune",
     "required"),
    ("POST", "/api/divisions", {"code": "GDTH", "name": "X", "name_en": "X"}, 409, None,
     "code_taken"),
    ("POST", "/api/divisions", {"code": "PQ", "name": "X"}, 400, "name_en", "required"),
    ("POST", "/api/categories", {"code": "CQ", "name": "X", "name_en": "X", "kind": "other",
                                 "division": "GDTH"}, 400, "kind", "invalid_value"),
    ("POST", "/api/categories", {"code": "CQ", "name": "X", "name_en": "X", "kind": "teaching",
                                 "division": "NOPE"}, 400, "division", "unknown_code"),
    ("POST", "/api/categories", {"code": "CQ", "name": "X", "name_en": "X", "kind": "teaching",
                                 "division": "GDTH", "description": "x" * 301}, 400,
     "description", "too_long"),
    ("POST", "/api/categories", {"code": "CQ", "name": "X", "name_en": "X", "kind": "teaching",
                                 "division": "GDTH", "description_en": "two\nlines"}, 400,
     "description_en", "not_one_line"),
    ("POST", "/api/categories", {"code": "CQ", "name": "X", "name_en": "X", "kind": "teaching",
                                 "division": "GDTH", "default_priority": "asap"}, 400,
     "default_priority", "invalid_value"),
    ("POST", "/api/categories", {"code": "CQ", "name": "X", "name_en": "X", "kind": "teaching",
                                 "division": "GDTH", "active": "yes"}, 400, "active",
     "not_boolean"),
    ("PATCH", "/api/clusters/CM01", {"code": "CM13"}, 400, "code", "immutable"),
    ("PATCH", "/api/categories/THIEU-GV", {"code": "THIEU-GV2", "name": "X"}, 400, "code",
     "immutable"),
    ("PATCH", "/api/clusters/CM01", {}, 400, "body", "nothing_to_change"),
    ("PATCH", "/api/schools/TH001", {"cluster": "CM99"}, 400, "cluster", "unknown_code"),
    ("PATCH", "/api/schools/TH001", {"name": ""}, 400, "name", "empty"),
    ("PATCH", "/api/clusters/CM77", {"name": "X"}, 404, None, "unknown_code"),
    ("PATCH", "/api/categories/NO-SUCH", {"active": False}, 404, None, "unknown_code"),
    ("PATCH", "/api/divisions/GDTH", {"name_en": None}, 400, "name_en", "not_text"),
]


@pytest.mark.parametrize("method,path,body,status,field,code", REF_REFUSALS,
                         ids=[f"{m}-{p}-{c}" for m, p, _, _, _, c in REF_REFUSALS])
def test_reference_refusals(app, admin, method, path, body, status, field, code):
    before = admin_snapshot(app)
    r = admin.send_json(method, path, body)
    problem = assert_problem(r, status, fields=[field] if field else [])
    if field:
        assert code in codes_of(problem, field), problem
    else:
        assert problem["code"] == code, problem
    assert_unchanged(app, before, r)


def test_patching_the_same_value_writes_nothing(app, admin):
    name = app.query("SELECT name FROM divisions WHERE code = 'VP'")[0][0]
    before = admin_snapshot(app)
    r = admin.send_json("PATCH", "/api/divisions/VP", {"name": name})
    assert assert_json(r, 200)["name"] == name
    assert_unchanged(app, before, r)


# --------------------------------------------------------------------------- SLA, calendar

def test_sla_and_calendar_changes_are_audited(app, admin):
    policies = assert_json(admin.get("/api/sla-policies"), 200)["items"]
    changed = [dict(p) for p in policies]
    urgent = next(p for p in changed if p["priority"] == "urgent")
    old_first = urgent["first_response_hours"]
    urgent["first_response_hours"] = old_first - 1
    before_audit = max_audit_id(app)
    assert_json(admin.send_json("PUT", "/api/sla-policies", {"items": changed}), 200)
    rows = audit_since(app, before_audit)
    assert [(a["action"], a["target"]) for a in rows] == [("sla.update", "sla_policies")]
    assert rows[0]["details"] == {"urgent.first_response_hours": {"from": old_first,
                                                                   "to": old_first - 1}}
    # The same policies again: nothing changed, nothing written.
    before = admin_snapshot(app)
    assert_json(admin.send_json("PUT", "/api/sla-policies", {"items": changed}), 200)
    assert admin_snapshot(app) == before

    cal = assert_json(admin.get("/api/calendar"), 200)
    new_cal = {"working_hours": cal["working_hours"],
               "holidays": cal["holidays"] + [{"date": "2027-12-24", "name": "Ngày thử"}]}
    before_audit = max_audit_id(app)
    assert_json(admin.send_json("PUT", "/api/calendar", new_cal), 200)
    rows = audit_since(app, before_audit)
    assert [(a["action"], a["target"]) for a in rows] == [("calendar.update", "calendar")]
    assert rows[0]["details"] == {"holidays": {"added": ["2027-12-24 Ngày thử"],
                                               "removed": []}}
    before = admin_snapshot(app)
    assert_json(admin.send_json("PUT", "/api/calendar", new_cal), 200)
    assert admin_snapshot(app) == before
    # A refused PUT writes no audit row either.
    r = admin.send_json("PUT", "/api/calendar", {"working_hours": "x", "holidays": []})
    assert_problem(r, 400)
    assert_unchanged(app, before, r)


# --------------------------------------------------------------------------- the audit log

def test_audit_list_newest_first_with_filters_and_paging(app, admin):
    create_user(admin, school="TH060")
    body = assert_json(admin.get("/api/audit"), 200)
    assert set(body) == {"items", "next_cursor"}
    items = body["items"]
    assert items, body
    ids = [e["id"] for e in items]
    assert ids == sorted(ids, reverse=True)
    for e in items:
        assert set(e) == {"id", "actor", "action", "target", "details", "created_at"}
        assert TIME_RE.match(e["created_at"])
        assert isinstance(e["details"], dict)
    assert items[0]["action"] == "user.create"
    assert items[0]["actor"]["login"] == "admin" and items[0]["actor"]["name"]
    # Every page, following the cursor, is the whole log once.
    seen, params = [], {"limit": "3"}
    for _ in range(500):
        page = assert_json(admin.get("/api/audit", params=params), 200)
        seen += [e["id"] for e in page["items"]]
        if not page["next_cursor"]:
            break
        params["cursor"] = page["next_cursor"]
    total = app.query("SELECT count(*) FROM admin_events")[0][0]
    assert len(seen) == total and seen == sorted(set(seen), reverse=True)
    only = assert_json(admin.get("/api/audit", params={"action": "user.create",
                                                       "actor": "admin"}), 200)["items"]
    assert only and all(e["action"] == "user.create" for e in only)
    target = items[0]["target"]
    by_target = assert_json(admin.get("/api/audit", params={"target": target}), 200)["items"]
    assert [e["target"] for e in by_target] == [target]
    assert assert_json(admin.get("/api/audit", params={"actor": "giamsat1"}), 200)["items"] == []


@pytest.mark.parametrize("params,field,code", [
    ({"action": "DROP TABLE"}, "action", "invalid_format"),
    ({"actor": "Not Login"}, "actor", "invalid_format"),
    ({"cursor": "abc"}, "cursor", "invalid_cursor"),
    ({"cursor": "0"}, "cursor", "invalid_cursor"),
    ({"limit": "1000"}, "limit", "out_of_range"),
    ({"who": "admin"}, "who", "unknown_parameter"),
])
def test_audit_bad_parameters(app, admin, params, field, code):
    problem = assert_problem(admin.get("/api/audit", params=params), 400, fields=[field])
    assert code in codes_of(problem, field)


def test_no_audit_row_holds_a_password(app, admin):
    _, temp = create_user(admin, school="TH061")
    reset = assert_json(admin.post("/api/users/ht.th062/password-reset"), 200)
    text = " ".join(str(r[0]) for r in app.query("SELECT details::text FROM admin_events"))
    assert temp not in text and reset["temporary_password"] not in text
    assert "password_hash" not in text and "argon2" not in text
    for e in assert_json(admin.get("/api/audit", params={"limit": "200"}), 200)["items"]:
        assert "temporary_password" not in e["details"]


@pytest.mark.parametrize("statement", [
    "UPDATE admin_events SET target = 'rewritten'",
    "DELETE FROM admin_events",
    "TRUNCATE admin_events",
    "INSERT INTO admin_events (action, target, details)"
    " VALUES ('user.create', 'x', '{\"temporary_password\": \"x\"}')",
])
def test_the_database_refuses_to_rewrite_the_audit_log(app, admin, statement):
    create_user(admin, school="TH063")
    count = app.query("SELECT count(*) FROM admin_events")[0][0]
    conn = app.db()
    with pytest.raises(psycopg2.Error):
        with conn.cursor() as cur:
            cur.execute(statement)
    assert app.query("SELECT count(*) FROM admin_events")[0][0] == count
    assert app.query("SELECT count(*) FROM admin_events WHERE target = 'rewritten'")[0][0] == 0


# --------------------------------------------------------------------------- cookie sessions

def cookie_session(app, login, password=DEMO_PASSWORD):
    s = requests.Session()
    body = assert_json(s.post(app.url("/api/session"),
                              json={"login": login, "password": password}, timeout=60), 200)
    return s, body["csrf_token"]


def test_cookie_sessions_get_the_same_answers(app):
    s, token = cookie_session(app, "cb.gdth1")
    r = s.get(app.url("/api/users"), timeout=30)
    assert assert_problem(r, 403)["code"] == "admins_only"
    r = s.post(app.url("/api/clusters"), json={"code": "CMZ", "name": "X"}, timeout=30,
               headers={"Origin": app.base_url, "X-CSRF-Token": token})
    assert assert_problem(r, 403)["code"] == "admins_only"

    s, token = cookie_session(app, "admin")
    assert_json(s.get(app.url("/api/users?limit=1"), timeout=30), 200)
    code = fresh_code("CM")
    before = admin_snapshot(app)
    r = s.post(app.url("/api/clusters"), json={"code": code, "name": "Cụm cookie"}, timeout=30,
               headers={"Origin": app.base_url})
    assert assert_problem(r, 403)["code"] == "csrf_token_missing"
    assert_unchanged(app, before, r)
    r = s.post(app.url("/api/clusters"), json={"code": code, "name": "Cụm cookie"}, timeout=30,
               headers={"Origin": app.base_url, "X-CSRF-Token": token})
    assert_json(r, 201)


# --------------------------------------------------------------------------- the CLI

def test_cli_user_add_is_audited_without_an_actor(app, admin):
    before_audit = max_audit_id(app)
    p = app.cli("user", "add", "--login", "cb.cli01", "--name", "Phan Văn Dòng Lệnh",
                "--role", "officer", "--division", "VP", input="mat-khau-dong-lenh\n")
    assert p.returncode == 0, p.stderr
    rows = audit_since(app, before_audit)
    assert [(a["action"], a["target"], a["actor"]) for a in rows] == \
        [("user.create", "cb.cli01", None)]
    assert rows[0]["details"] == {"login": {"from": None, "to": "cb.cli01"},
                                  "name": {"from": None, "to": "Phan Văn Dòng Lệnh"},
                                  "role": {"from": None, "to": "officer"},
                                  "division": {"from": None, "to": "VP"}}
    listed = assert_json(admin.get("/api/audit", params={"target": "cb.cli01"}), 200)["items"]
    assert listed[0]["actor"] is None
    # A refused add writes neither the user nor a row.
    before = admin_snapshot(app)
    p = app.cli("user", "add", "--login", "cb.cli01", "--name", "X", "--role", "supervisor",
                input="mat-khau-dong-lenh\n")
    assert p.returncode != 0
    assert admin_snapshot(app) == before
