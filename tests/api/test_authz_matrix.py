# test_authz_matrix.py -- the authorization matrix kept as data in authz_matrix.json: every
# route of the route table against every actor (principal of the issue's school, of another
# school of its cluster and of another cluster; the cluster's leader and another's; an
# officer of its division and of another; a supervisor, an admin, nobody), each cell the
# status expected. One test runs the whole matrix and reports every wrong cell at once;
# another fails when the route table has a route the matrix does not cover.

import json
import re
import secrets
from datetime import datetime, timedelta, timezone
from pathlib import Path

from dladmin import create_user, signed_in
from dlapi import (PNG_1PX, act_ok, assert_json, assert_problem, comment, describe, file_issue,
                   refs, walk)

HERE = Path(__file__).resolve().parent
MATRIX = json.loads((HERE / "authz_matrix.json").read_text(encoding="utf-8"))
ACTORS = MATRIX["actors"]
ROWS = MATRIX["rows"]
ROUTER = HERE.parents[1] / "backend" / "src" / "http" / "router.c"
TOKEN = "matran" + secrets.token_hex(4)          # in the title of every issue made here
ICT = timezone(timedelta(hours=7))
# ${month}, read once: every row asks for the same month, even when a run crosses a
# month's end (17:00 UTC), which is then a past month, as valid as the current one.
MONTH = datetime.now(ICT).strftime("%Y-%m")


def route_table():
    """(METHOD, pattern) of every route in router.c's ROUTES."""
    text = ROUTER.read_text(encoding="utf-8")
    table = text[text.index("ROUTES[] = {"):text.index("};", text.index("ROUTES[] = {"))]
    return {(m, p) for m, p in re.findall(r'\{METHOD_([A-Z]+),\s*"([^"]+)"', table)}


def expected(row, actor):
    return row["expect"].get(actor, row["expect"].get("default"))


def test_the_matrix_covers_the_route_table():
    routes = route_table()
    assert len(routes) > 30, "the route table was not read"
    covered = {tuple(r["route"].split(" ", 1)) for r in ROWS}
    assert not routes - covered, f"routes the matrix does not cover: {sorted(routes - covered)}"
    assert not covered - routes, f"matrix rows for routes that do not exist: {sorted(covered - routes)}"
    for r in ROWS:
        missing = [a for a in ACTORS if expected(r, a) is None]
        assert not missing, f"{r['route']}: no expectation for {missing}"


# --------------------------------------------------------------------------- objects

class Maker:
    """Creates, through the API, the objects the rows act on."""

    def __init__(self, app):
        self.app = app
        self.clients = {}
        self.shared = {}

    def client(self, actor):
        login = ACTORS[actor]["login"]
        if login is None:
            return self.app.client()
        if actor not in self.clients:
            self.clients[actor] = self.app.login(login)
        return self.clients[actor]

    def issue(self, status):
        """issue:<status>, or issue:new:shared (shared with all schools by its principal),
        issue:new:cosigned (shared, co-signed by principal_same_cluster, then unshared),
        issue:new:linkable (and a main issue of TH250's, same division, as {parent}),
        issue:new:linked (the same, linked under it by the officer)."""
        status, _, sharing = status.partition(":")
        principal, officer = self.client("principal"), self.client("officer")
        issue = file_issue(principal, title=f"Thiếu giáo viên Thể dục {TOKEN}",
                           description="Vấn đề cho ma trận quyền.")
        ref = issue["ref"]
        if status in ("triaged", "awaiting_school", "resolved"):
            act_ok(officer, ref, "triage")
        if status == "awaiting_school":
            act_ok(officer, ref, "request_info", "Đề nghị trường gửi quyết định.")
        if status == "resolved":
            act_ok(officer, ref, "resolve", "Đã bố trí giáo viên.")
        assert self.app.issue_row(ref)["status"] == status
        if sharing in ("shared", "cosigned"):
            assert_json(principal.send_json("PUT", f"/api/issues/{ref}/sharing",
                                            {"shared": True}), 200)
        if sharing == "cosigned":
            assert_json(self.client("principal_same_cluster").send_json(
                "POST", f"/api/issues/{ref}/cosigns", {}), 201)
            assert_json(principal.send_json("PUT", f"/api/issues/{ref}/sharing",
                                            {"shared": False}), 200)
        if sharing in ("linkable", "linked"):
            parent = file_issue(self.client("principal_other_cluster"),
                                title=f"Thiếu giáo viên Thể dục nhiều trường {TOKEN}",
                                description="Vấn đề chính cho ma trận quyền.")["ref"]
            if sharing == "linked":
                assert_json(officer.send_json("PUT", f"/api/issues/{ref}/parent",
                                              {"parent": parent}), 200)
            return {"ref": ref, "parent": parent}
        return {"ref": ref}

    def attachment(self, hidden, shared=False):
        ref = self.issue("new:shared" if shared else "new")["ref"]
        r = self.client("principal").post(f"/api/issues/{ref}/attachments",
                                          files={"file": ("anh.png", PNG_1PX, "image/png")})
        att = assert_json(r, 201)
        if hidden:
            assert_json(self.client("officer").send_json(
                "POST", f"/api/attachments/{att['id']}/hide", {"reason": "Ảnh chụp nhầm."}), 200)
        return {"ref": ref, "id": att["id"]}

    def notification(self):
        """The principal's notification of the officer's answer on the principal's issue."""
        ref = self.issue("new")["ref"]
        assert_json(comment(self.client("officer"), ref, "Sở đã nhận vấn đề."), 201)
        rows = self.app.query("SELECT n.id FROM notifications n JOIN users u ON u.id = n.user_id"
                              " JOIN issues i ON i.id = n.issue_id"
                              " WHERE u.login = %s AND i.ref = %s",
                              (ACTORS["principal"]["login"], ref))
        assert len(rows) == 1, rows
        return {"ref": ref, "id": rows[0][0]}

    def webhook(self):
        created = assert_json(self.client("admin").send_json("POST", "/api/webhooks", {
            "url": f"https://hooks.example.vn/{secrets.token_hex(4)}",
            "description": "Ma trận quyền"}), 201)
        return {"id": created["id"]}

    def meeting(self):
        """A meeting cb.gdth1 recorded, the issue under test on its agenda."""
        ref = self.issue("new")["ref"]
        created = assert_json(self.client("officer_other").send_json("POST", "/api/meetings", {
            "kind": "province", "held_on": "2026-12-01", "title": "Ma trận quyền",
            "agenda": [ref]}), 201)
        return {"id": created["id"], "ref": ref}

    def decision(self):
        """A decision the supervisor recorded on the issue under test, for its division."""
        meeting = self.meeting()
        created = assert_json(self.client("supervisor").send_json(
            "POST", f"/api/meetings/{meeting['id']}/decisions", {
                "body": "Phòng TCCB bố trí giáo viên.", "division": "TCCB",
                "due_on": "2027-01-15", "issues": [meeting["ref"]]}), 201)
        return {"id": created["id"], "ref": meeting["ref"]}

    def practice(self, kind):
        """practice (published by the officer from a resolved issue, its photo chosen),
        practice:proposed (the principal's own, waiting), practice:file (that photo)."""
        if kind == "proposed":
            created = assert_json(self.client("principal").send_json("POST", "/api/practices", {
                "category": "THIEU-GV", "title": "Ghép lớp dạy Thể dục", "problem": "Thiếu giáo viên.",
                "solution": "Ghép hai lớp."}), 201)
            return {"id": created["id"]}
        photo = self.attachment(False)
        officer = self.client("officer")
        act_ok(officer, photo["ref"], "triage")
        act_ok(officer, photo["ref"], "resolve", "Đã bố trí giáo viên.")
        created = assert_json(officer.send_json("POST", "/api/practices", {
            "issue": photo["ref"], "title": "Bố trí giáo viên Thể dục", "problem": "Thiếu.",
            "solution": "Hợp đồng.", "files": [photo["id"]]}), 201)
        return {"id": photo["id"] if kind == "file" else created["id"]}

    def directive(self):
        """A directive the officer sent to the issue's cluster (CM01)."""
        created = assert_json(self.client("officer").send_json("POST", "/api/directives", {
            "title": "Hướng dẫn (ma trận quyền)", "body": "Các trường báo cáo.",
            "clusters": ["CM01"]}), 201)
        return {"id": created["id"]}

    def user(self):
        admin = self.client("admin")
        user, _ = create_user(admin)
        return {"login": user["login"]}

    def make(self, kind):
        if kind.startswith("issue:"):
            return self.issue(kind.split(":", 1)[1])
        if kind.startswith("attachment"):
            return self.attachment(kind.endswith(":hidden"), kind.endswith(":shared"))
        if kind == "user":
            return self.user()
        if kind == "notification":
            return self.notification()
        if kind == "webhook":
            return self.webhook()
        if kind == "directive":
            return self.directive()
        if kind.startswith("practice"):
            return self.practice(kind.partition(":")[2])
        if kind == "meeting":
            return self.meeting()
        if kind == "decision":
            return self.decision()
        return {}

    def get(self, row_key, kind, fresh):
        if fresh:
            return self.make(kind)
        if row_key not in self.shared:
            self.shared[row_key] = self.make(kind)
        return self.shared[row_key]

    def fresh_user(self, actor):
        """A new user of the actor's role and binding, signed in; and its password."""
        me = assert_json(self.client(actor).get("/api/me"), 200)
        fields = {"school": ...}          # create_user's default school, dropped
        fields.update({k: me[k] for k in ("school", "cluster", "division") if me.get(k)})
        user, password = create_user(self.client("admin"), role=me["role"], **fields)
        return signed_in(self.app, user["login"], password), password


def fill(text, obj, values):
    text = text.replace("{ref}", str(obj.get("ref", "{ref}")))
    text = text.replace("{id}", str(obj.get("id", "{id}")))
    text = text.replace("{login}", str(obj.get("login", "{login}")))
    text = text.replace("{parent}", str(obj.get("parent", "{parent}")))
    for k, v in values.items():
        text = text.replace("${" + k + "}", v)
    return text


def run_cell(app, maker, index, row, actor):
    """Sends the row's request as the actor; returns a complaint, or None when as expected."""
    want = expected(row, actor)
    method, pattern = row["route"].split(" ", 1)
    obj = maker.get(index, row.get("object", "none"), fresh=200 <= want < 300)
    uniq = secrets.token_hex(3)
    values = {"uniq": uniq, "UNIQ": uniq.upper(), "token": TOKEN,
              "month": MONTH}
    client = maker.client(actor)
    if ACTORS[actor]["login"] is not None:
        if row.get("session") == "fresh":
            client = app.login(ACTORS[actor]["login"])
        if row.get("actor") == "fresh_user":
            client, values["password"] = maker.fresh_user(actor)
    path = fill(row.get("path", pattern), obj, values)
    kwargs = {}
    if row.get("body") == {"png": True}:
        kwargs["files"] = {"file": ("anh.png", PNG_1PX, "image/png")}
    elif "body_from" in row:
        kwargs["data"] = maker.client("admin").get(row["body_from"]).content
        kwargs["headers"] = {"Content-Type": "application/json"}
    elif "body" in row:
        kwargs["data"] = fill(json.dumps(row["body"], ensure_ascii=False), obj, values).encode()
        kwargs["headers"] = {"Content-Type": "application/json"}
    r = client.request(method, path, **kwargs)
    what = f"{row.get('id', row['route'])} as {actor}: expected {want}, got {describe(r)}"
    if r.status_code != want:
        return what
    if want >= 400:
        try:
            assert_problem(r, want)
        except AssertionError as e:
            return f"{what}\n{e}"
    if "listed" in row and want == 200:
        seen = obj["ref"] in refs(walk(client, {"q": TOKEN}))
        if seen != row["listed"].get(actor, row["listed"].get("default")):
            return f"{row['route']} as {actor}: the issue is {'' if seen else 'not '}listed"
    return None


def test_the_matrix(app):
    maker = Maker(app)
    wrong = []
    for index, row in enumerate(ROWS):
        for actor in ACTORS:
            complaint = run_cell(app, maker, index, row, actor)
            if complaint:
                wrong.append(complaint)
    cells = len(ROWS) * len(ACTORS)
    assert not wrong, f"{len(wrong)} of {cells} cells wrong:\n" + "\n\n".join(wrong)
