# dladmin.py -- helpers shared by test_admin.py and test_accounts.py: creating users as an
# admin, signing in with any password, snapshots of what an admin request may change,
# and reading admin_events straight from the database.

import re
import secrets

import requests

from dlapi import Client, assert_json, describe

TEMP_PASSWORD_RE = re.compile(r"^[A-HJKMNP-Za-km-np-z2-9]{4}(-[A-HJKMNP-Za-km-np-z2-9]{4}){3}$")


def sign_in(app, login, password):
    """POST /api/session; the response, whatever it is."""
    return requests.post(app.url("/api/session"), json={"login": login, "password": password},
                         timeout=60)


def signed_in(app, login, password):
    """A bearer client for login/password (asserts 200)."""
    body = assert_json(sign_in(app, login, password), 200)
    c = Client(app.base_url, body["token"])
    c.user, c.login_name = body["user"], login
    return c


def new_login(prefix="t"):
    return f"{prefix}.{secrets.token_hex(4)}"


def create_user(admin, **fields):
    """POST /api/users (asserts 201); returns (USER, temporary password)."""
    body = {"login": new_login(), "name": "Nguyễn Thị Thử", "role": "principal",
            "school": "TH010"}
    body.update(fields)
    body = {k: v for k, v in body.items() if v is not ...}
    r = admin.send_json("POST", "/api/users", body)
    doc = assert_json(r, 201)
    assert TEMP_PASSWORD_RE.match(doc["temporary_password"]), doc["temporary_password"]
    return doc["user"], doc["temporary_password"]


def admin_snapshot(app):
    """What an admin request could change: rows and a digest of each table."""
    row = app.query("""
        SELECT (SELECT count(*) FROM users),
               (SELECT md5(string_agg(u::text, '|' ORDER BY id)) FROM users u),
               (SELECT count(*) FROM sessions),
               (SELECT count(*) FROM admin_events),
               (SELECT md5(string_agg(x::text, '|' ORDER BY id)) FROM clusters x),
               (SELECT md5(string_agg(x::text, '|' ORDER BY id)) FROM schools x),
               (SELECT md5(string_agg(x::text, '|' ORDER BY id)) FROM divisions x),
               (SELECT md5(string_agg(x::text, '|' ORDER BY id)) FROM categories x),
               (SELECT md5(string_agg(x::text, '|' ORDER BY priority)) FROM sla_policies x),
               (SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY weekday, starts), ''))
                  FROM working_hours x),
               (SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY day), '')) FROM holidays x)
    """)[0]
    keys = ("users", "users_md5", "sessions", "admin_events", "clusters", "schools",
            "divisions", "categories", "sla", "working_hours", "holidays")
    return dict(zip(keys, row))


def assert_unchanged(app, before, r):
    after = admin_snapshot(app)
    assert after == before, f"a refused request changed the database: {describe(r)}\n" \
                            f"{before}\n-> {after}"


def audit_rows(app, action=None, target=None):
    """admin_events rows (newest first) as dicts, from the database."""
    rows = app.query("""
        SELECT e.id, u.login, e.action, e.target, e.details, e.created_at
          FROM admin_events e LEFT JOIN users u ON u.id = e.actor_id
         WHERE (%s::text IS NULL OR e.action = %s) AND (%s::text IS NULL OR e.target = %s)
         ORDER BY e.id DESC""", (action, action, target, target))
    keys = ("id", "actor", "action", "target", "details", "created_at")
    return [dict(zip(keys, r)) for r in rows]


def max_audit_id(app):
    return app.query("SELECT coalesce(max(id), 0) FROM admin_events")[0][0]


def audit_since(app, since_id):
    return [r for r in audit_rows(app) if r["id"] > since_id]
