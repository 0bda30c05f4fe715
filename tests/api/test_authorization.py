# test_authorization.py -- the "Who sees what" and Lifecycle tables of docs/api.md beyond
# the status matrix of authz_matrix.json (test_authz_matrix.py): eight actors against three
# issues; what lists show to whom, the lifecycle's refusals on a new issue (404 where the
# issue is not readable, 403 where readable but not theirs, 409 where the lifecycle
# refuses), comments as stored, internal notes that never reach a principal or a cluster
# leader, a whole story of actions in order, and an expired session.

import secrets

import pytest
from dlapi import (act, assert_json, assert_problem, comment, describe,
                   file_issue, refs, walk)

ACTORS = ["ht.th001", "ht.th002", "ct.cm01", "ct.cm12", "cb.tccb1", "cb.gdth1", "giamsat1",
          "admin"]
STAFF = {"cb.tccb1", "cb.gdth1", "giamsat1", "admin"}
# A at TH001 and B at TH002 (both cluster CM01), C at TH250 (CM12); all THIEU-GV -> TCCB.
READERS = {
    "A": {"ht.th001", "ct.cm01"} | STAFF,
    "B": {"ht.th002", "ct.cm01"} | STAFF,
    "C": {"ct.cm12"} | STAFF,
}
# PATCH: officers of the issue's division (TCCB) and supervisors.
MODIFIERS = {"cb.tccb1", "giamsat1"}
TOKEN = "Kỳ Anh " + secrets.token_hex(5)          # in the titles of A, B and C only
INTERNAL_MARK = "NOIBO-" + secrets.token_hex(8)   # in internal notes only


@pytest.fixture(scope="module")
def world(app):
    clients = {who: app.login(who) for who in ACTORS + ["ht.th250"]}
    issues = {}
    for key, who in (("A", "ht.th001"), ("B", "ht.th002"), ("C", "ht.th250")):
        issues[key] = file_issue(
            clients[who], title=f"Thiếu giáo viên Tin học ({key}) {TOKEN}",
            description="Trường chưa có giáo viên Tin học cho khối 3.", category="THIEU-GV")
    assert issues["A"]["school"] == "TH001" and issues["A"]["cluster"] == "CM01"
    assert issues["B"]["school"] == "TH002" and issues["B"]["cluster"] == "CM01"
    assert issues["C"]["school"] == "TH250" and issues["C"]["cluster"] == "CM12"
    assert {i["division"] for i in issues.values()} == {"TCCB"}
    return {"c": clients, "i": issues, "ref": {k: v["ref"] for k, v in issues.items()}}


def unchanged(app, before, r):
    after = app.snapshot()
    assert after == before, f"a refused request changed the database: {describe(r)}\n" \
                            f"{before} -> {after}"


MATRIX = [(who, key) for who in ACTORS for key in "ABC"]


# --------------------------------------------------------------------------- lists

@pytest.mark.parametrize("who", ACTORS)
def test_list_shows_exactly_the_readable(app, world, who):
    items = walk(world["c"][who], {"q": TOKEN})
    want = {world["ref"][k] for k in "ABC" if who in READERS[k]}
    assert set(refs(items)) == want


@pytest.mark.parametrize("who,school", [("ht.th001", "TH001"), ("ht.th002", "TH002")])
def test_principal_list_is_own_school_only(app, world, who, school):
    items = walk(world["c"][who])
    assert items, "the principal's own issues are missing"
    wrong = [(i["ref"], i["school"]) for i in items if i["school"] != school]
    assert not wrong, wrong[:10]


@pytest.mark.parametrize("who,cluster", [("ct.cm01", "CM01"), ("ct.cm12", "CM12")])
def test_cluster_leader_list_is_own_cluster_only(app, world, who, cluster):
    items = walk(world["c"][who])
    assert items
    wrong = [(i["ref"], i["cluster"]) for i in items if i["cluster"] != cluster]
    assert not wrong, wrong[:10]
    schools = {i["school"] for i in items}
    assert len(schools) >= 2 or cluster != "CM01", "CM01 has issues at TH001 and TH002"


# A filter outside what the role reads is not an error: the role's own cut is ANDed with
# the filter, so the answer is an empty list (200). The doc says lists are cut; it does
# not say a filter outside the cut is refused.
SCHOOL_FILTER = [
    ("ht.th001", {"school": "TH001"}, "A", True),
    ("ht.th001", {"school": "TH002"}, "B", False),
    ("ht.th001", {"cluster": "CM12"}, "C", False),
    ("ht.th002", {"school": "TH001"}, "A", False),
    ("ct.cm01", {"school": "TH002"}, "B", True),
    ("ct.cm01", {"school": "TH250"}, "C", False),
    ("ct.cm01", {"cluster": "CM12"}, "C", False),
    ("ct.cm12", {"school": "TH001"}, "A", False),
    ("ct.cm12", {"school": "TH250"}, "C", True),
    ("cb.gdth1", {"school": "TH250"}, "C", True),
    ("admin", {"school": "TH001"}, "A", True),
    ("giamsat1", {"cluster": "CM12"}, "C", True),
]


@pytest.mark.parametrize("who,params,key,visible", SCHOOL_FILTER,
                         ids=[f"{w}-{list(p.values())[0]}" for w, p, _, _ in SCHOOL_FILTER])
def test_list_with_school_or_cluster_filter(app, world, who, params, key, visible):
    items = walk(world["c"][who], params)
    got = set(refs(items))
    if visible:
        assert world["ref"][key] in got
    else:
        assert items == [], f"{who} sees {sorted(got)[:5]} through {params}"


# --------------------------------------------------------------------------- actions, denied
#
# While A, B and C are all 'new'. Who may act on an issue at all is access (403 when
# readable but not theirs: cluster leaders, admins, officers of another division); what
# the lifecycle then refuses, for the role or for the status, is 409 with the reason
# (the issue: "a refused action is 409 problem+json saying why").

ACTS_ON = {key: MODIFIERS | {p for p in READERS[key] if p.startswith("ht.")} for key in "ABC"}


def expected_on_new(who, key, action):
    if who not in READERS[key]:
        return 404
    if who not in ACTS_ON[key]:
        return 403
    if action in ("triage", "decline", "escalate"):
        return 200 if who in MODIFIERS else 409
    # answer_info, confirm, reopen: principals only, and never from 'new'
    return 409


DENIED = [(who, key, action)
          for who in ACTORS for key in "ABC"
          for action in ("triage", "answer_info", "confirm", "reopen")
          if expected_on_new(who, key, action) != 200]


@pytest.mark.parametrize("who,key,action", DENIED,
                         ids=[f"{w}-{k}-{a}" for w, k, a in DENIED])
def test_action_denied_on_new(app, world, who, key, action):
    want = expected_on_new(who, key, action)
    ref = world["ref"][key]
    before = app.snapshot()
    r = act(world["c"][who], ref, action, "Ghi chú thử quyền.")
    assert_problem(r, want)
    unchanged(app, before, r)
    assert app.issue_row(ref)["status"] == "new"


# --------------------------------------------------------------------------- comments

COMMENTS = [(who, key, internal) for who, key in MATRIX for internal in (False, True)]


def comment_text(who, key, internal):
    if internal:
        return f"Ghi chú nội bộ của {who} về {key}: {INTERNAL_MARK}"
    return f"Ý kiến công khai của {who} về {key}."


@pytest.mark.parametrize("who,key,internal", COMMENTS,
                         ids=[f"{w}-{k}-{'internal' if i else 'public'}" for w, k, i in COMMENTS])
def test_comment(app, world, who, key, internal):
    ref = world["ref"][key]
    text = comment_text(who, key, internal)
    before = app.snapshot()
    r = comment(world["c"][who], ref, text, internal=internal)
    if who not in READERS[key]:
        assert_problem(r, 404)
        unchanged(app, before, r)
    elif internal and who not in STAFF:
        assert_problem(r, 403)
        unchanged(app, before, r)
    else:
        ev = assert_json(r, 201)
        assert ev["action"] == "comment"
        assert ev["internal"] is internal
        assert ev["note"] == text
        assert ev["actor"]["login"] == who
        last = app.events_of(ref)[-1]
        assert last["id"] == ev["id"] and last["action"] == "comment"
        assert last["internal"] is internal and last["body"] == text and last["actor"] == who


# --------------------------------------------------------------------------- internal notes

def test_internal_notes_exist(app, world):
    for key in "ABC":
        internal = [e for e in app.events_of(world["ref"][key]) if e["internal"]]
        assert len(internal) == len(STAFF), f"{key}: internal notes missing for the checks below"


@pytest.mark.parametrize("who", [w for w in ACTORS if w not in STAFF])
def test_internal_notes_never_reach_schools(app, world, who):
    c = world["c"][who]
    for key in "ABC":
        if who not in READERS[key]:
            continue
        r = c.get(f"/api/issues/{world['ref'][key]}")
        body = assert_json(r, 200)
        assert INTERNAL_MARK not in r.text, f"{who} reads an internal note of {key}"
        assert all(e["internal"] is False for e in body["events"])
        public = [e for e in app.events_of(world["ref"][key]) if not e["internal"]]
        assert [e["id"] for e in body["events"]] == [e["id"] for e in public]
    for params in ({"q": TOKEN}, {}, {"q": INTERNAL_MARK}):
        r = c.get("/api/issues", params=dict(params, limit="200"))
        assert_json(r, 200)
        assert INTERNAL_MARK not in r.text
    assert walk(c, {"q": INTERNAL_MARK}) == []


@pytest.mark.parametrize("who", sorted(STAFF))
def test_staff_read_internal_notes(app, world, who):
    for key in "ABC":
        body = assert_json(world["c"][who].get(f"/api/issues/{world['ref'][key]}"), 200)
        notes = [e for e in body["events"] if e["internal"]]
        assert len(notes) == len(STAFF)
        assert all(INTERNAL_MARK in e["note"] for e in notes)
        assert [e["id"] for e in body["events"]] == [e["id"] for e in app.events_of(world["ref"][key])]


# --------------------------------------------------------------------------- actions, in order

def test_actions_follow_roles_and_lifecycle(app, world):
    c, ref = world["c"], world["ref"]
    wrong = []       # refusals with the wrong status: collected, reported at the end

    def expect(who, key, action, status, note="Ghi chú.", **extra):
        before = app.snapshot()
        r = act(c[who], ref[key], action, note, **extra)
        if status == 200:       # the steps that move the story on must succeed
            body = assert_json(r, 200)
            assert INTERNAL_MARK not in r.text or who in STAFF, \
                f"{who}'s action response carries an internal note"
            return body
        try:
            assert_problem(r, status)
        except AssertionError as e:
            wrong.append(f"{who} {action} {key}: expected {status}: {e}")
        unchanged(app, before, r)
        return None

    assert expect("cb.tccb1", "A", "triage", 200)["status"] == "triaged"
    assert expect("giamsat1", "C", "triage", 200)["status"] == "triaged"   # supervisor: any

    for who, status in (("cb.gdth1", 403), ("admin", 403), ("ct.cm01", 403),
                        ("ht.th002", 409), ("ct.cm12", 404), ("ht.th001", 404)):
        expect(who, "B", "triage", status)

    expect("cb.gdth1", "A", "request_info", 403)
    expect("ht.th001", "A", "request_info", 409)
    assert expect("cb.tccb1", "A", "request_info", 200)["status"] == "awaiting_school"

    for who, status in (("ht.th002", 404), ("ct.cm12", 404), ("ct.cm01", 403),
                        ("cb.tccb1", 409), ("giamsat1", 409), ("admin", 403)):
        expect(who, "A", "answer_info", status)
    assert expect("ht.th001", "A", "answer_info", 200)["status"] == "in_progress"

    expect("cb.gdth1", "A", "resolve", 403)
    assert expect("giamsat1", "A", "resolve", 200)["status"] == "resolved"
    for who, status in (("ht.th002", 404), ("ct.cm01", 403), ("cb.tccb1", 409),
                        ("giamsat1", 409), ("admin", 403)):
        expect(who, "A", "confirm", status)
        expect(who, "A", "reopen", status)
    body = expect("ht.th001", "A", "reopen", 200)
    assert body["status"] == "in_progress" and body["reopen_count"] == 1

    for who, status in (("ct.cm12", 403), ("cb.gdth1", 403), ("admin", 403),
                        ("ht.th001", 404), ("ct.cm01", 404)):
        expect(who, "C", "escalate", status)
    body = expect("cb.tccb1", "C", "escalate", 200)
    assert body["escalation_level"] == 1 and body["status"] == "triaged"
    body = expect("giamsat1", "C", "escalate", 200)
    assert body["escalation_level"] == 2 and body["status"] == "triaged"
    expect("giamsat1", "C", "escalate", 409)          # at most 2

    for who, status in (("admin", 403), ("ct.cm01", 403), ("ht.th002", 409),
                        ("cb.gdth1", 403), ("ct.cm12", 404)):
        expect(who, "B", "decline", status)
    body = expect("cb.tccb1", "B", "decline", 200, note="Đã có văn bản hướng dẫn số 12.")
    assert body["status"] == "declined" and body["first_response_at"] is not None
    expect("ht.th002", "B", "answer_info", 409)
    expect("ht.th002", "B", "reopen", 409)
    expect("cb.tccb1", "B", "triage", 409)

    expect("cb.gdth1", "C", "mark_duplicate", 403, duplicate_of=ref["A"])
    expect("admin", "C", "mark_duplicate", 403, duplicate_of=ref["A"])
    body = expect("giamsat1", "C", "mark_duplicate", 200, note=None, duplicate_of=ref["A"])
    assert body["status"] == "duplicate" and body["duplicate_of"] == ref["A"]
    assert app.issue_row(ref["C"])["status"] == "duplicate"
    # PATCH on a closed-for-work issue: 409 for those who may PATCH, as before for others.
    for who, status in (("giamsat1", 409), ("cb.tccb1", 409), ("admin", 403),
                        ("ht.th001", 404)):
        before = app.snapshot()
        r = c[who].send_json("PATCH", f"/api/issues/{ref['C']}", {"priority": "low"})
        try:
            assert_problem(r, status)
        except AssertionError as e:
            wrong.append(f"{who} PATCH C: expected {status}: {e}")
        unchanged(app, before, r)
    assert app.issue_row(ref["A"])["status"] == "in_progress"
    assert app.issue_row(ref["B"])["status"] == "declined"
    assert not wrong, f"{len(wrong)} refusals with the wrong status:\n" + "\n".join(wrong)


def test_expired_session_is_401(app, world):
    c = app.login("ht.th003")
    assert_json(c.get("/api/me"), 200)
    app.query("""UPDATE sessions SET created_at = now() - interval '14 hours',
                                     last_seen_at = now() - interval '13 hours',
                                     expires_at = now() - interval '1 hour'
                  WHERE user_id = (SELECT id FROM users WHERE login = 'ht.th003')""")
    assert_problem(c.get("/api/me"), 401)
    assert_problem(c.get("/api/issues"), 401)
