# test_issue_api_extensions.py -- what the browser app reads besides the issues themselves:
# allowed_actions and "can" on every ISSUE (checked against what the actions endpoint
# really accepts, over the demo's issues and users of every role), GET /api/issues/counts
# (against walking the list with the same filters), GET /api/officers, GET /api/escalations
# and assignee=me.

import collections
import secrets

import pytest

from dlapi import (ALL_STATUSES, OPEN_STATUSES, act, act_ok, assert_json, assert_problem,
                   describe, file_issue, walk)

ACTIONS = ["triage", "start", "request_info", "answer_info", "resolve", "confirm", "reopen",
           "decline", "mark_duplicate", "escalate"]
# What an action needs besides permission; the endpoint checks it after access and the
# lifecycle, so a 400 naming it proves both had accepted the action.
REQUIRES = {"request_info": "note", "answer_info": "note", "resolve": "note",
            "reopen": "note", "decline": "note", "mark_duplicate": "duplicate_of"}
PRINCIPALS = ["ht.th001", "ht.th002"]     # and the two whose schools' issues vary most
LEADERS = ["ct.cm01", "ct.cm07"]
OFFICERS = ["cb.tccb1", "cb.gdth2", "cb.csvc1"]
SUPERVISORS = ["giamsat1", "giamsat2"]
ADMINS = ["admin"]
USERS = PRINCIPALS + LEADERS + OFFICERS + SUPERVISORS + ADMINS
STAFF = set(OFFICERS + SUPERVISORS + ADMINS)
CAN_KEYS = {"comment", "internal_note", "modify", "attach", "hide_files", "share", "unshare",
            "cosign", "link", "unlink", "unlink_from_parent"}
MARK = "Mở rộng API " + secrets.token_hex(4)


@pytest.fixture(scope="module")
def clients(app):
    return {who: app.login(who) for who in USERS}


@pytest.fixture(scope="module")
def walkers(app, clients):
    """The users whose lists the allowed_actions test walks: the fixed ones, and for each
    status only a principal acts from (awaiting_school, resolved), the principal of a
    school with such an issue whose issues are in the most different statuses."""
    extra = []
    for status in ("awaiting_school", "resolved"):
        rows = app.query("""
            SELECT u.login FROM users u JOIN issues i ON i.school_id = u.school_id
             WHERE u.role = 'principal' AND u.active AND u.login <> ALL(%s)
             GROUP BY u.login HAVING bool_or(i.status = %s)
             ORDER BY count(DISTINCT i.status) DESC, u.login LIMIT 1""",
                         (PRINCIPALS + extra, status))
        extra += [r[0] for r in rows]
    for who in extra:
        clients[who] = app.login(who)
    return USERS + extra


def principal_of(app, school):
    rows = app.query("SELECT u.login FROM users u JOIN schools s ON s.id = u.school_id"
                     " WHERE s.code = %s AND u.role = 'principal' AND u.active"
                     " ORDER BY u.login LIMIT 1", (school,))
    assert rows, f"no active principal at {school}"
    return rows[0][0]


def category_of(app, division):
    rows = app.query("SELECT c.code FROM categories c JOIN divisions d"
                     " ON d.id = c.default_division_id WHERE d.code = %s ORDER BY c.code"
                     " LIMIT 1", (division,))
    return rows[0][0] if rows else None


def detail(client, ref):
    return assert_json(client.get(f"/api/issues/{ref}"), 200)


def check_shape(issue):
    assert isinstance(issue.get("allowed_actions"), list), issue.keys()
    assert set(issue["allowed_actions"]) <= set(ACTIONS), issue["allowed_actions"]
    # In lifecycle order, each once.
    assert issue["allowed_actions"] == [a for a in ACTIONS if a in issue["allowed_actions"]]
    assert set(issue.get("can", {})) == CAN_KEYS, issue.get("can")
    assert all(isinstance(v, bool) for v in issue["can"].values())


# --------------------------------------------------------------------------- fresh issues

class Factory:
    """Throw-away issues in a chosen school, division, status and escalation level, so that
    an action the demo's issue allows can really be taken without consuming the demo."""

    def __init__(self, app, clients):
        self.app = app
        self.clients = clients
        self.sup = clients["giamsat1"]

    def principal(self, school):
        who = principal_of(self.app, school)
        if who not in self.clients:
            self.clients[who] = self.app.login(who)
        return self.clients[who]

    def make(self, school, division, status, level=0):
        p = self.principal(school)
        category = category_of(self.app, division) or "THIEU-GV"
        issue = file_issue(p, title=f"{MARK} {status} {level}",
                           description="Vấn đề thử nghiệm cho các nút thao tác.",
                           category=category)
        check_shape(issue)
        ref = issue["ref"]
        if issue["division"] != division:
            body = assert_json(self.sup.send_json("PATCH", f"/api/issues/{ref}",
                                                  {"division": division}), 200)
            check_shape(body)
        for _ in range(level):
            check_shape(act_ok(self.sup, ref, "escalate"))
        self.drive(p, ref, status)
        row = self.app.issue_row(ref)
        assert (row["status"], row["escalation_level"], row["division"], row["school"]) == \
            (status, level, division, school)
        return ref

    def drive(self, principal, ref, status):
        sup = self.sup
        steps = {
            "new": [],
            "triaged": [(sup, "triage", None)],
            "in_progress": [(sup, "triage", None), (sup, "start", None)],
            "awaiting_school": [(sup, "triage", None), (sup, "request_info", "Xin bổ sung.")],
            "resolved": [(sup, "triage", None), (sup, "resolve", "Đã giải quyết.")],
            "closed": [(sup, "triage", None), (sup, "resolve", "Đã giải quyết."),
                       (principal, "confirm", None)],
            "declined": [(sup, "decline", "Không thuộc thẩm quyền.")],
        }
        if status == "duplicate":
            target = file_issue(principal, title=f"{MARK} gốc", description="Vấn đề gốc.")
            check_shape(act_ok(sup, ref, "mark_duplicate", duplicate_of=target["ref"]))
            return
        for who, action, note in steps[status]:
            check_shape(act_ok(who, ref, action, note))


@pytest.fixture(scope="module")
def factory(app, clients):
    return Factory(app, clients)


# --------------------------------------------------------------------------- allowed_actions

def sample_issues(client, who):
    """One visible demo issue per situation the rules tell apart for this user: status,
    escalation level and, for an officer, whether the issue is of the own division."""
    own = client.user.get("division")
    seen = {}
    for item in walk(client):
        key = (item["status"], item["escalation_level"],
               who in OFFICERS and item["division"] == own)
        seen.setdefault(key, item)
    return list(seen.values())


def hidden_refs(app, who):
    """A few issues this principal or cluster leader cannot see (for 404 on every action)."""
    rows = app.query("""
        SELECT i.ref FROM issues i JOIN schools s ON s.id = i.school_id
         WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.login = %s
                            AND (u.school_id = i.school_id OR u.cluster_id = s.cluster_id))
         ORDER BY i.id LIMIT 3""", (who,))
    return [r[0] for r in rows]


def test_allowed_actions_agree_with_the_actions_endpoint(app, clients, walkers, factory):
    """For every sampled demo issue, user and action: an action outside allowed_actions is
    refused (403, 404 or 409) and changes nothing; one inside is accepted (a 400 asking for
    its note or duplicate_of, which the endpoint checks only after access and the
    lifecycle have said yes, or, for an action that needs nothing, really taken on a fresh
    issue in the same school, division, status and level)."""
    before = app.snapshot()
    to_take = {}       # (who, school, division, status, level, action) -> demo ref
    statuses = collections.defaultdict(set)
    offered = set()
    for who in walkers:
        c = clients[who]
        for item in sample_issues(c, who):
            check_shape(item)
            ref = item["ref"]
            full = detail(c, ref)
            check_shape(full)
            assert (full["allowed_actions"], full["can"]) == \
                (item["allowed_actions"], item["can"]), f"{who} {ref}: list and detail differ"
            offered.update(item["allowed_actions"])
            statuses[clients[who].user["role"]].add(item["status"])
            for action in ACTIONS:
                if action not in item["allowed_actions"]:
                    r = act(c, ref, action)
                    assert r.status_code in (403, 404, 409), \
                        f"{who} may not {action} {ref} ({item['status']}, level " \
                        f"{item['escalation_level']}) but: {describe(r)}"
                    assert_problem(r, r.status_code)
                elif action in REQUIRES:
                    r = act(c, ref, action)
                    body = assert_problem(r, 400, [REQUIRES[action]])
                    assert {(e["field"], e["code"]) for e in body["errors"]} == \
                        {(REQUIRES[action], "required")}, describe(r)
                elif item["parent"] is None and item["child_count"] == 0:
                    # The twin below is a plain issue: one linked into a systemic
                    # problem (the demo links a few) differs from it in can.link.
                    key = (who, item["division"], item["status"],
                           item["escalation_level"], action)
                    to_take.setdefault(key, (item["school"], ref, item["allowed_actions"],
                                             item["can"]))
        if who not in STAFF:
            for ref in hidden_refs(app, who):
                for action in ACTIONS:
                    assert_problem(act(c, ref, action), 404)
    assert app.snapshot() == before, "a refused action changed the database"
    for role in ("officer", "supervisor", "admin"):
        assert statuses[role] == ALL_STATUSES, (role, statuses[role])
    for role in ("principal", "cluster_leader"):
        assert len(statuses[role]) >= 4, (role, statuses[role])
    assert offered == set(ACTIONS), f"never offered: {set(ACTIONS) - offered}"
    assert to_take, "no action without requirements was allowed anywhere: a thin sample"

    # Actions that need nothing (triage, start, confirm, escalate), on a twin issue.
    taken = collections.Counter()
    for (who, division, status, level, action), (school, ref, allowed, can) in \
            sorted(to_take.items()):
        twin = factory.make(school, division, status, level)
        mine = detail(clients[who], twin)
        assert (mine["allowed_actions"], mine["can"]) == (allowed, can), \
            f"{who}: the twin {twin} of {ref} is allowed otherwise"
        body = act_ok(clients[who], twin, action)
        check_shape(body)
        assert body["allowed_actions"] == detail(clients[who], twin)["allowed_actions"]
        taken[action] += 1
    assert set(taken) >= {"triage", "start", "confirm", "escalate"}, taken


@pytest.mark.parametrize("who", ["ht.th001", "cb.tccb1", "giamsat2"])
def test_every_allowed_action_is_taken_on_fresh_issues(app, clients, factory, who):
    """Each action with a requirement, really taken (note or duplicate_of given) on a fresh
    issue wherever allowed_actions offers it to this user."""
    c = clients[who]
    done = set()
    for status in ["new", "triaged", "in_progress", "awaiting_school", "resolved"]:
        probe = factory.make("TH001", "TCCB", status)
        for action in detail(c, probe)["allowed_actions"]:
            if action not in REQUIRES or action in done:
                continue
            ref = factory.make("TH001", "TCCB", status)
            extra = {}
            if action == "mark_duplicate":
                extra["duplicate_of"] = probe
            body = act_ok(c, ref, action, "Ghi chú " + action, **extra)
            check_shape(body)
            done.add(action)
    want = {"ht.th001": {"answer_info", "reopen"}}.get(
        who, {"request_info", "resolve", "decline", "mark_duplicate"})
    assert done == want


def test_can_flags_match_the_endpoints(app, clients, factory):
    """comment, internal_note and modify, tried for real on fresh issues."""
    open_ref = factory.make("TH001", "TCCB", "triaged")
    closed_ref = factory.make("TH001", "TCCB", "closed")
    for who in ["ht.th001", "ht.th002", "ct.cm01", "cb.tccb1", "cb.gdth2", "giamsat1", "admin"]:
        c = clients[who]
        for ref in (open_ref, closed_ref):
            r = c.get(f"/api/issues/{ref}")
            if r.status_code == 404:
                assert who == "ht.th002"
                continue
            can = assert_json(r, 200)["can"]
            r = c.send_json("POST", f"/api/issues/{ref}/comments", {"body": "Ý kiến."})
            assert (r.status_code == 201) == can["comment"], describe(r)
            r = c.send_json("POST", f"/api/issues/{ref}/comments",
                            {"body": "Ghi chú nội bộ.", "internal": True})
            assert (r.status_code == 201) == can["internal_note"], describe(r)
            r = c.send_json("PATCH", f"/api/issues/{ref}", {"priority": "high"})
            assert (r.status_code == 200) == can["modify"], describe(r)
            if r.status_code == 200:
                check_shape(r.json())
            expect_attach = who in ("ht.th001", "cb.tccb1", "giamsat1")
            assert can["attach"] == expect_attach, (who, can)
            assert can["hide_files"] == (who in ("cb.tccb1", "giamsat1")), (who, can)


# --------------------------------------------------------------------------- counts

def counts(client, params=None):
    body = assert_json(client.get("/api/issues/counts", params=params or {}), 200)
    assert set(body) == {"counts", "total"}
    assert set(body["counts"]) == ALL_STATUSES
    assert body["total"] == sum(body["counts"].values())
    return body


FILTERS = [
    {},
    {"division": "TCCB"},
    {"overdue": "true"},
    {"overdue": "false", "priority": "high"},
    {"escalated": "true"},
    {"escalated": "false", "cluster": "CM01"},
    {"q": "giao vien"},
    {"school": "TH001", "category": "THIEU-GV"},
    {"assignee": "me"},
    {"assignee": "cb.tccb1"},
]


@pytest.mark.parametrize("who", ["ht.th001", "ct.cm01", "cb.tccb1", "giamsat1", "admin"])
def test_counts_agree_with_the_list(app, clients, who):
    c = clients[who]
    for params in FILTERS:
        items = walk(c, params)
        got = counts(c, params)
        want = collections.Counter(i["status"] for i in items)
        assert got["counts"] == {s: want.get(s, 0) for s in ALL_STATUSES}, (who, params)
        assert got["total"] == len(items)
    # The scope cut: a principal's counts are the own school's only.
    if who == "ht.th001":
        assert counts(c)["total"] == counts(c, {"school": "TH001"})["total"]
        assert counts(c, {"school": "TH002"})["total"] == 0


def test_counts_refuse_what_the_list_refuses(app, clients):
    c = clients["cb.tccb1"]
    cases = [
        ({"status": "new"}, "status", "unknown_parameter"),
        ({"limit": "10"}, "limit", "unknown_parameter"),
        ({"cursor": "1.2"}, "cursor", "unknown_parameter"),
        ({"nonsense": "1"}, "nonsense", "unknown_parameter"),
        ({"division": "NOPE"}, "division", "unknown_code"),
        ({"school": "bad code"}, "school", None),
        ({"overdue": "yes"}, "overdue", "not_boolean"),
        ({"priority": "huge"}, "priority", "invalid_value"),
        ({"assignee": "Not A Login"}, "assignee", None),
    ]
    for params, field, code in cases:
        body = assert_problem(c.get("/api/issues/counts", params=params), 400, [field])
        if code:
            assert code in {e["code"] for e in body["errors"] if e["field"] == field}, body
        if field not in ("status", "limit", "cursor"):
            # The list says the same about the same parameter.
            listed = assert_problem(c.get("/api/issues", params=params), 400, [field])
            assert [(e["field"], e["code"]) for e in listed["errors"]] == \
                [(e["field"], e["code"]) for e in body["errors"]]
    assert_problem(app.client().get("/api/issues/counts"), 401)


# --------------------------------------------------------------------------- officers

def expected_officers(app, division=None):
    rows = app.query("""
        SELECT u.login, u.role, d.code FROM users u LEFT JOIN divisions d ON d.id = u.division_id
         WHERE u.active AND (u.role = 'supervisor' OR (u.role = 'officer'
               AND (%s::text IS NULL OR d.code = %s::text)))""", (division, division))
    return {(login, role, code) for login, role, code in rows}


def test_officers_list(app, clients, factory):
    for who in ["cb.tccb1", "giamsat1", "admin"]:
        c = clients[who]
        for division in ["TCCB", "GDTH", None]:
            params = {"division": division} if division else {}
            body = assert_json(c.get("/api/officers", params=params), 200)
            assert set(body) == {"items"}
            items = body["items"]
            for i in items:
                assert set(i) == {"login", "name", "role", "division"}, i
                assert i["name"]
            got = {(i["login"], i["role"], i["division"]) for i in items}
            assert len(got) == len(items)
            assert got == expected_officers(app, division)
            # Officers first, the supervisors after them.
            roles = [i["role"] for i in items]
            assert roles == sorted(roles, key=lambda r: r == "supervisor")
    # Every name offered is accepted by PATCH as the assignee; an officer of another
    # division is not offered, and not accepted.
    ref = factory.make("TH001", "TCCB", "triaged")
    sup = clients["giamsat1"]
    offered = assert_json(sup.get("/api/officers", params={"division": "TCCB"}), 200)["items"]
    for person in offered:
        r = sup.send_json("PATCH", f"/api/issues/{ref}", {"assignee": person["login"]})
        assert assert_json(r, 200)["assignee"]["login"] == person["login"]
    r = sup.send_json("PATCH", f"/api/issues/{ref}", {"assignee": "cb.gdth2"})
    assert_problem(r, 400, ["assignee"])


def test_officers_list_leaves_out_the_inactive(app, clients):
    app.query("UPDATE users SET active = false WHERE login = 'cb.tccb3'")
    try:
        items = assert_json(clients["giamsat1"].get("/api/officers",
                                                    params={"division": "TCCB"}), 200)["items"]
        assert "cb.tccb3" not in {i["login"] for i in items}
        assert "cb.tccb1" in {i["login"] for i in items}
    finally:
        app.query("UPDATE users SET active = true WHERE login = 'cb.tccb3'")


def test_officers_list_refusals(app, clients):
    for who in ["ht.th001", "ct.cm01"]:
        body = assert_problem(clients[who].get("/api/officers", params={"division": "TCCB"}),
                              403)
        assert body["code"] == "staff_only"
    c = clients["cb.tccb1"]
    body = assert_problem(c.get("/api/officers", params={"division": "NOPE"}), 400, ["division"])
    assert body["errors"][0]["code"] == "unknown_code"
    body = assert_problem(c.get("/api/officers", params={"role": "officer"}), 400, ["role"])
    assert body["errors"][0]["code"] == "unknown_parameter"
    assert_problem(c.get("/api/officers?division=TCCB&division=GDTH"), 400, ["division"])
    assert_problem(app.client().get("/api/officers"), 401)


# --------------------------------------------------------------------------- escalations

def walk_escalations(client, params=None, limit=200):
    params = dict(params or {}, limit=str(limit))
    items = []
    for _ in range(200):
        body = assert_json(client.get("/api/escalations", params=params), 200)
        assert set(body) == {"items", "next_cursor"}
        assert len(body["items"]) <= limit
        items.extend(body["items"])
        if body["next_cursor"] is None:
            return items
        params["cursor"] = body["next_cursor"]
    raise AssertionError("too many pages")


def breach_time(client, item):
    """When the issue reached its present level, from its history."""
    events = detail(client, item["ref"])["events"]
    raising = [e for e in events if e["action"] in ("escalated", "escalate")
               and (e["details"] or {}).get("level") == item["escalation_level"]]
    if raising:
        return raising[-1]["created_at"]
    return item["due_first_response_at"] if item["escalation_level"] == 1 \
        else item["due_resolution_at"]


def test_escalations_board(app, clients, factory):
    sup = clients["giamsat1"]
    # A fresh issue raised to level 2 by hand: its breached_at is its second escalation.
    fresh = factory.make("TH002", "CSVC", "in_progress", level=2)
    items = walk_escalations(sup)
    assert items, "the demo has no escalated open issue"
    want = {r[0] for r in app.query(
        "SELECT ref FROM issues WHERE escalation_level > 0"
        " AND status IN ('new', 'triaged', 'in_progress', 'awaiting_school')")}
    assert {i["ref"] for i in items} == want
    assert len(items) == len(want)
    assert fresh in want
    for i in items:
        check_shape(i)
        assert i["status"] in OPEN_STATUSES and i["escalation_level"] in (1, 2)
    keys = [(i["breached_at"], app.issue_row(i["ref"])["id"]) for i in items]
    assert keys == sorted(keys), "not oldest breach first"
    for i in items[:40] + [i for i in items if i["ref"] == fresh]:
        assert i["breached_at"] == breach_time(sup, i), i["ref"]

    # Levels and divisions cut the same list; paging by small pages gives the same list.
    for level in (1, 2):
        cut = walk_escalations(sup, {"level": str(level)})
        assert [i["ref"] for i in cut] == \
            [i["ref"] for i in items if i["escalation_level"] == level]
    for division in ("CSVC", "TCCB"):
        cut = walk_escalations(sup, {"division": division, "level": "2"})
        assert [i["ref"] for i in cut] == \
            [i["ref"] for i in items if i["division"] == division and i["escalation_level"] == 2]
    assert [i["ref"] for i in walk_escalations(sup, limit=3)] == [i["ref"] for i in items]
    # Every member of the Department sees the same board; officers act on their own only.
    for who in ["cb.csvc1", "admin"]:
        theirs = walk_escalations(clients[who])
        assert [i["ref"] for i in theirs] == [i["ref"] for i in items]
    for i in walk_escalations(clients["cb.csvc1"]):
        if i["division"] != "CSVC":
            assert i["allowed_actions"] == [] and not i["can"]["modify"]


def test_escalations_refusals(app, clients):
    for who in ["ht.th001", "ct.cm01"]:
        body = assert_problem(clients[who].get("/api/escalations"), 403)
        assert body["code"] == "staff_only"
    c = clients["giamsat1"]
    cases = [
        ({"level": "3"}, "level", "out_of_range"),
        ({"level": "0"}, "level", "out_of_range"),
        ({"level": "x"}, "level", "out_of_range"),
        ({"division": "NOPE"}, "division", "unknown_code"),
        ({"limit": "0"}, "limit", "out_of_range"),
        ({"limit": "201"}, "limit", "out_of_range"),
        ({"cursor": "abc"}, "cursor", "invalid_cursor"),
        ({"status": "new"}, "status", "unknown_parameter"),
    ]
    for params, field, code in cases:
        body = assert_problem(c.get("/api/escalations", params=params), 400, [field])
        assert code in {e["code"] for e in body["errors"] if e["field"] == field}, body
    assert_problem(app.client().get("/api/escalations"), 401)


# --------------------------------------------------------------------------- assignee=me

def test_assignee_me(app, clients, factory):
    for who in ["cb.tccb1", "giamsat2"]:
        c = clients[who]
        mine = walk(c, {"assignee": "me"})
        assert [i["ref"] for i in mine] == [i["ref"] for i in walk(c, {"assignee": who})]
        assert all(i["assignee"]["login"] == who for i in mine)
        assert counts(c, {"assignee": "me"})["total"] == len(mine)
        open_mine = walk(c, {"assignee": "me", "status": "in_progress"})
        assert {i["ref"] for i in open_mine} == \
            {i["ref"] for i in mine if i["status"] == "in_progress"}
    # A newly assigned issue joins the list of its assignee.
    ref = factory.make("TH001", "TCCB", "triaged")
    assert_json(clients["giamsat1"].send_json("PATCH", f"/api/issues/{ref}",
                                              {"assignee": "cb.tccb1"}), 200)
    assert ref in {i["ref"] for i in walk(clients["cb.tccb1"], {"assignee": "me"})}
    assert ref not in {i["ref"] for i in walk(clients["giamsat1"], {"assignee": "me"})}
    # Nobody assigns an issue to a principal: their list is empty, not an error.
    assert walk(clients["ht.th001"], {"assignee": "me"}) == []
