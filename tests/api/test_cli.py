# test_cli.py -- the command line: help texts, `user add` (refusals change nothing, a valid
# user can sign in over the API), `demo` refusing a loaded database, `migrate` idempotent
# and safe to run twice at once.

import re
import subprocess

import pytest
import requests

from conftest import (REPO, Server, child_env, directline_bin, run_cli, sanitizer_findings,
                      tail)
from dlapi import assert_json, assert_problem

MIGRATIONS = sorted((REPO / "sql" / "migrations").glob("*.sql"))


# --------------------------------------------------------------------------- help

# The commands every build has; there are more (report, sweep): whatever the
# top-level help lists must answer --help too (test_every_listed_command_has_help).
REQUIRED = ["serve", "migrate", "demo", "user"]
HELP = [["--help"]] + [[c, "--help"] for c in REQUIRED] + [["user", "add", "--help"]]


@pytest.mark.parametrize("args", HELP, ids=[" ".join(a) for a in HELP])
def test_help(args):
    p = run_cli(args)
    assert p.returncode == 0, f"exit {p.returncode}\n{p.stderr}"
    # --help is an answer, not an error: it goes to stdout (GNU convention).
    assert "usage" in p.stdout.lower(), p.stdout
    if len(args) > 1:
        assert args[-2] in p.stdout, f"help of {args[-2]} does not name it:\n{p.stdout}"
    else:
        for sub in REQUIRED:
            assert sub in p.stdout, f"top-level help does not list {sub}:\n{p.stdout}"
    if args[:2] == ["user", "add"]:
        for opt in ("--login", "--name", "--role", "--school", "--cluster", "--division",
                    "--email"):
            assert opt in p.stdout, f"user add --help does not mention {opt}"


def listed_commands(help_text):
    """Command names of the top-level help: the words after 'commands:' on its line, or
    the first word of each indented line below it."""
    names, inside = [], False
    for line in help_text.splitlines():
        if line.lower().startswith("commands"):
            inside = True
            names += re.findall(r"[a-z][a-z-]*", line.partition(":")[2])
            continue
        if inside:
            m = re.match(r"^\s+([a-z][a-z-]*)\b", line)
            if m:
                names.append(m.group(1))
            elif not line.strip():
                if names:
                    break
            else:
                break
    return names


def test_every_listed_command_has_help():
    top = run_cli(["--help"])
    assert top.returncode == 0
    names = listed_commands(top.stdout)
    assert set(REQUIRED) <= set(names), f"commands found in --help: {names}"
    for name in names:
        p = run_cli([name, "--help"])
        assert p.returncode == 0, f"{name} --help exits {p.returncode}: {p.stderr}"
        assert "usage" in p.stdout.lower() and name in p.stdout, p.stdout


@pytest.mark.parametrize("args", [[], ["frobnicate"], ["migrate", "--no-such-option"],
                                  ["user", "remove-everyone"]],
                         ids=["no-args", "unknown-command", "unknown-option", "unknown-user-cmd"])
def test_wrong_usage_fails_with_a_message(args):
    p = run_cli(args)
    assert p.returncode != 0
    assert p.stderr.strip(), "no message on stderr"


def test_migrate_without_database_url_fails(app):
    p = run_cli(["migrate"], None)
    assert p.returncode != 0
    assert p.stderr.strip()


# --------------------------------------------------------------------------- user add

def users_snapshot(app):
    return app.query("SELECT id, login, full_name, role, school_id, cluster_id, division_id, "
                     "password_hash, active, email FROM users ORDER BY id")


GOOD_PASSWORD = "mat-khau-dai-2026"
REFUSALS = [
    ("principal-without-school",
     ["--login", "ht.moi91", "--name", "Hiệu trưởng Mới", "--role", "principal"], GOOD_PASSWORD),
    ("officer-without-division",
     ["--login", "cb.moi91", "--name", "Cán bộ Mới", "--role", "officer"], GOOD_PASSWORD),
    ("cluster-leader-without-cluster",
     ["--login", "ct.moi91", "--name", "Cụm trưởng Mới", "--role", "cluster_leader"],
     GOOD_PASSWORD),
    ("duplicate-login",
     ["--login", "ht.th001", "--name", "Trùng tên", "--role", "principal", "--school", "TH001"],
     GOOD_PASSWORD),
    ("password-9-chars",
     ["--login", "ht.moi92", "--name", "Mật khẩu ngắn", "--role", "principal", "--school", "TH001"],
     "ngan12345"),
    ("password-empty",
     ["--login", "ht.moi93", "--name", "Không mật khẩu", "--role", "principal", "--school", "TH001"],
     ""),
    ("unknown-school",
     ["--login", "ht.moi94", "--name", "Trường lạ", "--role", "principal", "--school", "TH999"],
     GOOD_PASSWORD),
    ("unknown-division",
     ["--login", "cb.moi94", "--name", "Phòng lạ", "--role", "officer", "--division", "XYZ"],
     GOOD_PASSWORD),
    ("unknown-role",
     ["--login", "vua.moi", "--name", "Vua", "--role", "king"], GOOD_PASSWORD),
    ("principal-with-division",
     ["--login", "ht.moi95", "--name", "Hai nơi", "--role", "principal", "--school", "TH001",
      "--division", "GDTH"], GOOD_PASSWORD),
    ("admin-with-school",
     ["--login", "qt.moi95", "--name", "Quản trị", "--role", "admin", "--school", "TH001"],
     GOOD_PASSWORD),
    ("bad-login",
     ["--login", "Hiệu Trưởng", "--name", "Tên đăng nhập sai", "--role", "principal",
      "--school", "TH001"], GOOD_PASSWORD),
    ("bad-email",
     ["--login", "ht.moi96", "--name", "Thư sai", "--role", "principal", "--school", "TH001",
      "--email", "khong co email"], GOOD_PASSWORD),
    ("missing-name",
     ["--login", "ht.moi97", "--role", "principal", "--school", "TH001"], GOOD_PASSWORD),
    ("missing-login",
     ["--name", "Không tên đăng nhập", "--role", "principal", "--school", "TH001"], GOOD_PASSWORD),
]


@pytest.mark.parametrize("args,password", [(r[1], r[2]) for r in REFUSALS],
                         ids=[r[0] for r in REFUSALS])
def test_user_add_refuses(app, args, password):
    before = users_snapshot(app)
    snap = app.snapshot()
    p = app.cli("user", "add", *args, input=password + "\n")
    assert p.returncode != 0, f"accepted: {p.stdout}{p.stderr}"
    assert p.stderr.strip(), "refused without a message on stderr"
    assert users_snapshot(app) == before
    assert app.snapshot() == snap


def test_user_add_principal_then_sign_in(app):
    name = "Nguyễn Thị Hồng Nhung"
    p = app.cli("user", "add", "--login", "ht.moi01", "--name", name, "--role", "principal",
                "--school", "TH005", "--email", "nhung.th005@hatinh.edu.vn",
                input=GOOD_PASSWORD + "\n")
    assert p.returncode == 0, p.stderr
    rows = app.query("""SELECT u.full_name, u.role, s.code, u.password_hash, u.active
                          FROM users u LEFT JOIN schools s ON s.id = u.school_id
                         WHERE u.login = 'ht.moi01'""")
    assert len(rows) == 1
    full_name, role, school, pw_hash, active = rows[0]
    assert (full_name, role, school, active) == (name, "principal", "TH005", True)
    assert GOOD_PASSWORD not in pw_hash, "the password is stored in clear"

    r = requests.post(app.url("/api/session"),
                      json={"login": "ht.moi01", "password": GOOD_PASSWORD}, timeout=60)
    body = assert_json(r, 200)
    assert body["user"] == {"login": "ht.moi01", "name": name, "role": "principal",
                            "email": "nhung.th005@hatinh.edu.vn", "school": "TH005",
                            "cluster": None, "division": None,
                            "must_change_password": False}
    # The newline that ends the line on stdin is not part of the password.
    assert_problem(requests.post(app.url("/api/session"), timeout=60,
                                 json={"login": "ht.moi01", "password": GOOD_PASSWORD + "\n"}),
                   401)
    assert_problem(requests.post(app.url("/api/session"), timeout=60,
                                 json={"login": "ht.moi01", "password": "hatinh-demo-2026"}),
                   401)


def test_user_add_officer_with_10_char_password(app):
    password = "0123456789"          # exactly the minimum
    p = app.cli("user", "add", "--login", "cb.moi02", "--name", "Trần Văn Bình",
                "--role", "officer", "--division", "GDTH", input=password + "\n")
    assert p.returncode == 0, p.stderr
    r = requests.post(app.url("/api/session"), json={"login": "cb.moi02", "password": password},
                      timeout=60)
    user = assert_json(r, 200)["user"]
    assert user["role"] == "officer" and user["division"] == "GDTH"
    assert user["school"] is None and user["cluster"] is None and user["email"] is None


def test_user_add_cluster_leader(app):
    p = app.cli("user", "add", "--login", "ct.moi03", "--name", "Lê Thị Cúc",
                "--role", "cluster_leader", "--cluster", "CM03", input=GOOD_PASSWORD + "\n")
    assert p.returncode == 0, p.stderr
    r = requests.post(app.url("/api/session"),
                      json={"login": "ct.moi03", "password": GOOD_PASSWORD}, timeout=60)
    user = assert_json(r, 200)["user"]
    assert user["role"] == "cluster_leader" and user["cluster"] == "CM03"


# --------------------------------------------------------------------------- demo, migrate

def test_demo_refuses_a_loaded_database(app):
    before = app.snapshot()
    p = app.cli("demo")
    assert p.returncode != 0, "demo reloaded over existing data without --force"
    assert p.stderr.strip()
    assert app.snapshot() == before


def migrations_applied(app, url=None):
    if url is None:
        return app.query("SELECT count(*) FROM schema_migrations")[0][0]
    import psycopg2
    conn = psycopg2.connect(url)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM schema_migrations")
            n = cur.fetchone()[0]
            cur.execute("SELECT to_regclass('public.issue_events') IS NOT NULL")
            assert cur.fetchone()[0], "migrate did not create the schema"
            return n
    finally:
        conn.close()


def test_migrate_again_is_a_no_op(app):
    assert MIGRATIONS, "no migrations in sql/migrations"
    before = migrations_applied(app)
    assert before == len(MIGRATIONS)
    snap = app.snapshot()
    for _ in range(2):
        p = app.cli("migrate")
        assert p.returncode == 0, p.stderr
    assert migrations_applied(app) == before
    assert app.snapshot() == snap


def test_two_migrates_at_once_on_a_fresh_database(app):
    for round_ in range(3):
        name, url = app.pg.create_database(f"cli_race_{round_}")
        try:
            env = child_env({"DATABASE_URL": url})
            procs = [subprocess.Popen([directline_bin(), "migrate"], env=env,
                                      stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, text=True, errors="replace")
                     for _ in range(2)]
            outs = [p.communicate(timeout=300) for p in procs]
            for p, (out, err) in zip(procs, outs):
                assert not sanitizer_findings(err), tail(err)
                assert p.returncode == 0, f"round {round_}: exit {p.returncode}\n{tail(err)}"
            assert migrations_applied(app, url) == len(MIGRATIONS)
        finally:
            app.pg.drop_database(name)


# --------------------------------------------------------------------------- serve's memory

def test_serve_restarts_itself_with_a_small_thread_cache(app):
    """serve_memory.c: the server runs with glibc's per-thread cache limited to blocks of
    256 bytes, set by starting itself again (same process id) when the environment did not
    say; an operator's own GLIBC_TUNABLES would be kept and extended."""
    environ = open(f"/proc/{app.server.proc.pid}/environ", "rb").read().split(b"\0")
    tunables = [v for v in environ if v.startswith(b"GLIBC_TUNABLES=")]
    assert tunables == [b"GLIBC_TUNABLES=glibc.malloc.tcache_max=256"], tunables
    assert requests.get(app.url("/healthz"), timeout=10).status_code == 200


def test_an_operators_tunables_are_kept(app, tmp_path):
    server = Server(app.app_url, tmp_path,
                    extra_env={"GLIBC_TUNABLES": "glibc.malloc.check=0"}).start()
    try:
        # glibc cuts the variable at its colons in place as it reads it: a NUL or a colon
        environ = open(f"/proc/{server.proc.pid}/environ", "rb").read()
        assert re.search(rb"(^|\0)GLIBC_TUNABLES=glibc\.malloc\.check=0[:\0]"
                         rb"glibc\.malloc\.tcache_max=256\0", environ), environ[:2000]
    finally:
        assert server.stop() == []
