# workload.py -- writes the files the wrk scripts read (DATADIR/*.tsv, tab-separated,
# one request's worth per line), drawn from the database just before each scenario so
# that they hold the issues as they are then: who reads which issue (a principal only
# their own school's, officers any), which queue pages officers ask for, which open
# issues officers act on (those of their own division).

import random
import unicodedata
from urllib.parse import urlencode

from stack import admin_sql

SAMPLE = 20000          # rows per file: enough to spread the load, small at 1M issues
OPEN_FOR_ACTS = ("new", "triaged", "in_progress")
QUEUE_FILTER_NAMES = ("newest", "status", "division", "school", "cluster", "category",
                      "priority", "assignee", "overdue", "escalated", "search", "search_plain")


def write_rows(datadir, name, rows):
    with open(f"{datadir}/{name}.tsv", "w", encoding="utf-8") as f:
        for row in rows:
            f.write("\t".join(str(x) for x in row) + "\n")
    if not rows:
        raise RuntimeError(f"no rows for {name}.tsv: the data set lacks what it needs")


def sample_issues(admin_url, statuses=None, limit=SAMPLE):
    """[(ref, status, school, division)] in random order."""
    where = "WHERE i.status = ANY(%s)" if statuses else ""
    params = (list(statuses), limit) if statuses else (limit,)
    return admin_sql(admin_url, f"""
        SELECT i.ref, i.status, s.code, d.code
          FROM issues i JOIN schools s ON s.id = i.school_id
          JOIN divisions d ON d.id = i.division_id
          {where} ORDER BY random() LIMIT %s""", params)


def by_code(pairs):
    grouped = {}
    for token, code in pairs:
        grouped.setdefault(code, []).append(token)
    return grouped


def write_filing(datadir, admin_url, tokens):
    """Principals, categories, and the texts filings send: titles and descriptions of
    loaded issues, so that new issues read like the old ones (one fixed text made every
    search for another word walk past all of the run's filings)."""
    write_rows(datadir, "principals", tokens["principal"])
    write_rows(datadir, "categories",
               admin_sql(admin_url, "SELECT code FROM categories WHERE active ORDER BY code"))
    texts = admin_sql(admin_url, "SELECT title, description FROM issues"
                      " ORDER BY random() LIMIT 1000")
    # The wrk script escapes only \\ and " in JSON; a TSV row cannot hold tabs or newlines.
    plain = [t for t in texts if not any(ord(c) < 0x20 for c in t[0] + t[1])]
    write_rows(datadir, "texts", plain)


def write_reads(datadir, admin_url, tokens, rng):
    """Half the reads by the filing school's principal, half by an officer."""
    schools = by_code(tokens["principal"])
    officers = [t for t, _ in tokens["officer"]]
    rows = []
    for ref, _, school, _ in sample_issues(admin_url):
        mine = schools.get(school)
        token = rng.choice(mine) if mine and rng.random() < 0.5 else rng.choice(officers)
        rows.append((token, ref))
    write_rows(datadir, "reads", rows)


def fold(text):
    """Vietnamese without its accents (đ too), lower case: what a hurried search types."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def search_words(admin_url, rng, n=20):
    titles = admin_sql(admin_url, "SELECT title FROM issues ORDER BY random() LIMIT 500")
    words = sorted({w for (t,) in titles for w in t.split() if len(w) >= 4 and w.isalpha()})
    return rng.sample(words, min(n, len(words)))


def queue_filters(admin_url, rng):
    """[(name, params)]: the list's filters one at a time, a page of 50, and the search
    as typed with accents and without."""
    def codes(table):
        return [c for (c,) in admin_sql(admin_url, f"SELECT code FROM {table} ORDER BY code")]
    schools, clusters = codes("schools"), codes("clusters")
    categories, divisions = codes("categories"), codes("divisions")
    out = [("newest", {})]
    out += [("status", {"status": s}) for s in ("new", "triaged", "in_progress", "resolved")]
    out += [("division", {"division": d, "status": "triaged"}) for d in divisions]
    out += [("school", {"school": s}) for s in rng.sample(schools, min(20, len(schools)))]
    out += [("cluster", {"cluster": c}) for c in clusters]
    out += [("category", {"category": c}) for c in categories]
    out += [("priority", {"priority": p}) for p in ("urgent", "high")]
    out += [("assignee", {"assignee": "me"})]
    out += [("overdue", {"overdue": "true"}), ("escalated", {"escalated": "true"})]
    for word in search_words(admin_url, rng):
        out += [("search", {"q": word.lower()}), ("search_plain", {"q": fold(word)})]
    for _, params in out:
        params["limit"] = 50
    return out


def write_queue(datadir, admin_url, tokens, rng, only=None):
    """Each filter asked by every officer in turn; `only`: that filter's name alone."""
    officers = [t for t, _ in tokens["officer"]]
    rows = []
    for name, params in queue_filters(admin_url, rng):
        if only and name != only:
            continue
        for token in officers:
            rows.append((token, name, "/api/issues?" + urlencode(params)))
    rng.shuffle(rows)
    write_rows(datadir, "queue", rows)


def write_acts(datadir, admin_url, tokens, rng):
    """Open issues an officer of their division can move on, with that officer."""
    divisions = by_code(tokens["officer"])
    rows = [(rng.choice(divisions[division]), ref, status)
            for ref, status, _, division in sample_issues(admin_url, OPEN_FOR_ACTS)
            if division in divisions]
    write_rows(datadir, "act", rows)


def write_all(datadir, admin_url, tokens, queue_only=None, seed=2026):
    rng = random.Random(seed)
    write_filing(datadir, admin_url, tokens)
    write_reads(datadir, admin_url, tokens, rng)
    write_queue(datadir, admin_url, tokens, rng, queue_only)
    write_acts(datadir, admin_url, tokens, rng)
