# users.py -- signs in the people the perf scenarios act as: every principal and every
# officer of the demo (or the first N of each), so that the load is spread over many
# sessions the way a province's would be. Tokens stay in memory and in the scenario
# files run.py writes; nothing here is kept after the run.

from concurrent.futures import ThreadPoolExecutor

import requests

from stack import admin_sql

DEMO_PASSWORD = "hatinh-demo-2026"


def people(admin_url, role, limit):
    """[(login, school or division code)] of the active users of a role, by login."""
    bound = {"principal": "(SELECT code FROM schools WHERE id = u.school_id)",
             "officer": "(SELECT code FROM divisions WHERE id = u.division_id)"}[role]
    return admin_sql(admin_url, f"SELECT login, {bound} FROM users u"
                                " WHERE role = %s AND active ORDER BY login LIMIT %s",
                     (role, limit))


def sign_in(base_url, login):
    r = requests.post(base_url + "/api/session",
                      json={"login": login, "password": DEMO_PASSWORD}, timeout=120)
    if r.status_code != 200:
        raise RuntimeError(f"sign-in of {login}: {r.status_code} {r.text[:300]}")
    return r.json()["token"]


def sign_in_all(base_url, admin_url, principals, officers):
    """{"principal": [(token, school)], "officer": [(token, division)]}. Sign-ins run a
    few at a time: the server checks two passwords at once anyway."""
    out = {}
    with ThreadPoolExecutor(max_workers=4) as pool:
        for role, limit in (("principal", principals), ("officer", officers)):
            found = people(admin_url, role, limit)
            tokens = pool.map(lambda row: sign_in(base_url, row[0]), found)
            out[role] = [(token, bound) for token, (_, bound) in zip(tokens, found)]
    return out
