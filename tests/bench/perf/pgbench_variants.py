# pgbench_variants.py -- turns one request's captured statements into a pgbench script:
# which parameter is the session's, the request's or a constant (told apart by capturing
# the request twice, by two users), how each is set in pgbench, and what pgbench forces
# to differ from what the server sent. Used by pgbench_scripts.py.

import json
import re
import time

from pgbench_log import query

# Per-session values, as they appear among the server's parameters.
SESSION_NAMES = ("tok", "uid", "school", "cluster", "division")
# BEGIN and the access context ride in one pipeline with the statement after them: that
# is how db/db.c sends them (exec_pipelined); the log itself does not show the syncs.
CONTEXT_SQL = "SELECT set_config('directline.context',"
# A statement that db_query_many sent in the same pipeline as the one before it starts
# with this comment (DB_PIPELINED in backend/src/db/db.h).
PIPELINED = "/* pipelined */"
PARAM = re.compile(r"\$(\d+)\b")


def session_rows(admin_url, tokens):
    """[{token, tok (its sha256 hex, as stored), uid, role, login, school, cluster,
    division}] for (token, hash) pairs; ids as text, '' for none."""
    rows = query(admin_url, "SELECT encode(s.token_hash, 'hex'), u.id::text, u.role, u.login,"
                 " coalesce(u.school_id::text, ''), coalesce(u.cluster_id::text, ''),"
                 " coalesce(u.division_id::text, '') FROM sessions s"
                 " JOIN users u ON u.id = s.user_id"
                 " WHERE s.token_hash = ANY(%s::bytea[]) AND s.expires_at > now()",
                 ([bytes.fromhex(h) for _, h in tokens],))
    found = {r[0]: r for r in rows}
    missing = [t for t, h in tokens if h not in found]
    if missing:
        raise RuntimeError(f"{len(missing)} of the tokens have no live session")
    keys = ("tok", "uid", "role", "login", "school", "cluster", "division")
    return [dict(zip(keys, found[h]), token=t) for t, h in tokens]


def _leading(statement):
    return ((statement.protocol != "simple" and statement.sql == "BEGIN") or
            statement.sql.startswith(CONTEXT_SQL))


def _split_at(group, sources):
    """The group cut so that each statement in `sources` stands alone."""
    parts, current = [], []
    for i in group:
        if i in sources:
            parts += [current] if current else []
            parts.append([i])
            current = []
        else:
            current.append(i)
    return parts + ([current] if current else [])


def _integer(value):
    return bool(re.fullmatch(r"-?[0-9]+", value or ""))


class Plan:
    """flows: the two captures' statements; requests: each capture's session values and
    request values (ref, id, title) by name; variants: the sessions (and, for a read,
    their issues) pgbench chooses from per transaction; produced: names the flow itself
    creates (taken from an answer with \\gset); generated: names pgbench makes up."""

    def __init__(self, what, flows, requests, variants, produced=(), generated=(), prefix=""):
        self.what, self.flows, self.requests = what, flows, requests
        self.produced, self.generated, self.p = produced, generated, prefix
        self.defines, self.differences, self.gset, self.alias = {}, [], {}, {}
        self.constants = {}
        self.variants = self._alike(variants)
        self._check_same_shape()
        self.kinds = [[self._kind(i, j) for j in range(len(s.params))]
                      for i, s in enumerate(flows[0])]
        self._find_sources()
        self.groups = self._groups()

    def _alike(self, variants):
        """A value both captured users share is taken for a constant, so only sessions
        that share it too may stand in for them."""
        a, b = self.requests
        same = [k for k in SESSION_NAMES if a.get(k) == b.get(k)]
        kept = [v for v in variants if all(v[k] == a[k] for k in same)]
        if len(kept) < len(variants):
            self.differences.append(
                f"{len(variants) - len(kept)} of {len(variants)} variants left out: their "
                f"{'/'.join(same)} differ from the two captured users', who share it")
        return kept

    def _check_same_shape(self):
        a, b = self.flows
        shape = [(s.protocol, s.sql, len(s.params)) for s in a]
        if shape != [(s.protocol, s.sql, len(s.params)) for s in b]:
            raise RuntimeError(f"{self.what}: the two captured requests sent different "
                               f"statements ({len(a)} and {len(b)})")

    def _name_of(self, a, b):
        names = (*SESSION_NAMES, "ref", "id", "title")
        for name in names:
            if self.requests[0].get(name) == a and self.requests[1].get(name) == b:
                return name
        return None

    def _kind(self, i, j):
        a, b = self.flows[0][i].params[j], self.flows[1][i].params[j]
        if a is None and b is None:
            return ("literal", "NULL")
        name = self._name_of(a, b) if a != b else None
        if name in self.produced:
            return ("produced", name)
        if name in self.generated:
            return ("generated", name)
        if name:
            return self._variant_kind(name)
        if a != b:
            self.differences.append(
                f"${j + 1} of statement {i + 1} differed between the two captures ({a!r},"
                f" {b!r}): replayed as the first")
        return self._constant(a)

    def _variant_kind(self, name):
        values = [v[name] for v in self.variants]
        if len(set(values)) == 1:
            return self._constant(values[0])
        if all(_integer(v) for v in values):
            return ("set", name)
        if "" in values:
            raise RuntimeError(f"{self.what}: {name} is empty for some sessions only")
        first = {}
        for n, value in enumerate(values, 1):
            if value not in first:
                first[value] = n
                self.defines[f"{self.p}{name}_{n}"] = value
            self.alias[(name, n)] = first[value]
        return ("variant", name)

    def _constant(self, value):
        if value is None:
            return ("literal", "NULL")
        if value == "":
            return ("literal", "''")
        if value not in self.constants:
            self.constants[value] = f"c{len(self.constants) + 1}"
            self.defines[self.p + self.constants[value]] = value
        return ("const", self.constants[value])

    def _find_sources(self):
        """A produced value comes from the answer of the last statement before its first
        use that is not BEGIN or the context; pgbench keeps it with \\gset, as the server
        keeps it from the rows."""
        for name in self.produced:
            first = next((i for i, ks in enumerate(self.kinds) if ("produced", name) in ks), None)
            if first is None:
                continue
            source = max(i for i in range(first) if not _leading(self.flows[0][i]))
            self.gset.setdefault(source, set()).add(name)
            self.differences.append(f"the new issue's {name} is read from statement "
                                    f"{source + 1}'s answer with \\gset")

    def _groups(self):
        groups, current = [], []
        for i, statement in enumerate(self.flows[0]):
            if statement.sql.startswith(PIPELINED) and groups and not current:
                groups[-1].append(i)
                continue
            current.append(i)
            if not _leading(statement):
                groups.append(current)
                current = []
        if current:
            groups.append(current)
        out = []
        for group in groups:
            sources = [i for i in group if i in self.gset]
            if sources and len(group) > 1:
                for i in sources:
                    self.differences.append(
                        f"statement {i + 1} leaves its pipeline (pgbench cannot \\gset in"
                        " a pipeline): one more round trip than the server")
                out += _split_at(group, sources)
            else:
                out.append(group)
        return out

    # ----------------------------------------------------------------------- the script

    def mode(self):
        protocols = {s.protocol for s in self.flows[0]} - {"simple"}
        return "prepared" if "prepared" in protocols else "extended"

    def _names(self, kind):
        return sorted({n for ks in self.kinds for k, n in ks if k == kind})

    def _source(self, name):
        return next(i for i, names in self.gset.items() if name in names)

    def _sql(self, i, variant):
        statement, kinds = self.flows[0][i], self.kinds[i]
        if re.search(r"(?<!:):[A-Za-z_]", statement.sql):
            raise RuntimeError(f"statement {i + 1} holds ':name', which pgbench would take "
                               f"for a variable: {statement.sql[:200]}")

        def value(m):
            kind, name = kinds[int(m.group(1)) - 1]
            if kind == "literal":
                return name
            if kind == "produced":
                return f":{self.p}g{self._source(name) + 1}_{name}"
            if kind == "variant":
                return f":{self.p}{name}_{self.alias[(name, variant)]}"
            return f":{self.p}{name}"

        sql = PARAM.sub(value, statement.sql)
        return sql + (f" \\gset {self.p}g{i + 1}_" if i in self.gset else ";")

    def _statement(self, i):
        if not any(k == "variant" for k, _ in self.kinds[i]):
            return [self._sql(i, None)]
        # Variants that send the same text share a branch.
        branches = {}
        for n in range(1, len(self.variants) + 1):
            branches.setdefault(self._sql(i, n), []).append(n)
        lines = []
        for k, (sql, ns) in enumerate(branches.items()):
            test = " or ".join(f":{self.p}v = {n}" for n in ns)
            lines += [("\\if " if k == 0 else "\\elif ") + test, sql]
        return lines + ["\\endif"]

    def _choice(self):
        sets = self._names("set")
        if not sets and not self._names("variant"):
            return []
        # One variant per client for the whole run: each client then prepares and reuses
        # one statement text, as the server does (random variants per transaction made
        # pgbench plan afresh nearly every time: its plan cache is per statement).
        lines = [f"\\set {self.p}v :client_id % {len(self.variants)} + 1"]
        for n, variant in enumerate(self.variants, 1) if sets else ():
            lines.append(("\\if" if n == 1 else "\\elif") + f" :{self.p}v = {n}")
            lines += [f"\\set {self.p}{name} {variant[name]}" for name in sets]
        return lines + (["\\endif"] if sets else [])

    def notes(self):
        simple = [s.sql for s in self.flows[0] if s.protocol == "simple"]
        unnamed = sum(s.protocol == "extended" for s in self.flows[0])
        notes = [f"pgbench sends every statement by the {self.mode()} protocol (-M "
                 f"{self.mode()})" + (f"; the server sent {', '.join(simple)} by the simple one"
                                      if simple else ", as the server did"),
                 "pipelines are grouped as db/db.c sends them (BEGIN and the context go with"
                 " the next statement, a statement starting with /* pipelined */ with the one"
                 " before it): the statement log does not show where syncs fall"]
        if self.mode() == "prepared" and unnamed:
            notes.append(f"{unnamed} of the statements the server sent unprepared (its"
                         " statement cache had no room): pgbench prepares them too")
        if self.mode() == "prepared" and len(self.variants) > 1:
            notes.append("each variant's branch is a statement of its own to pgbench, prepared"
                         " by each client on first use (every branch of a pipeline when the"
                         " pipeline is first entered), within the timed run; the server"
                         " prepares a statement once per connection for every user")
        used = {k for ks in self.kinds for k, _ in ks}
        if {"set", "variant"} & used:
            sessions = len({v["tok"] for v in self.variants})
            notes.append(f"each client keeps one of {len(self.variants)} variants for the whole"
                         f" run, chosen by its client number ({sessions} real sessions" +
                         (", each with an issue it may read, so a client reads one issue"
                          if "ref" in self.variants[0] else "") +
                         "); wrk's scripts pick a session (and issue) per request")
        literals = {n for ks in self.kinds for k, n in ks if k == "literal"}
        if "NULL" in literals:
            notes.append("NULL parameters are written as the literal NULL (a pgbench"
                         " variable cannot be NULL)")
        if "''" in literals:
            notes.append("empty-string parameters are written as the literal '' (pgbench -D"
                         " cannot define an empty variable)")
        notes += [f"{name} is a random number (pgbench makes no text)"
                  for name in self._names("generated")]
        notes.append("every other parameter (category, description, due-time offsets, idle"
                     " limit, ...) is replayed as captured")
        return notes + self.differences

    def body(self):
        lines = self._choice()
        lines += [f"\\set {self.p}{g} random(1, 2000000000)" for g in self._names("generated")]
        for group in self.groups:
            pipeline = len(group) > 1
            lines += ["\\startpipeline"] if pipeline else []
            for i in group:
                lines += self._statement(i)
            lines += ["\\endpipeline"] if pipeline else []
        return lines

    def script(self, name):
        return script(name, self.what, [self], [1])


def script(name, what, plans, weights):
    """The script file: its header (mode, role, defines, differences), then one plan's
    body, or a choice between plans by weight (reads by sessions of several roles)."""
    head = [f"-- {name}: the statements directline sent PostgreSQL for one {what},"
            f" captured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} from its"
            " statement log.",
            "-- Written by tests/bench/perf/pgbench_scripts.py; run it with run() there,"
            " or pgbench -n -M MODE -f THIS -D name=value (the defines) SERVER-ROLE-URL.",
            f"-- mode: {plans[0].mode()}", "-- as: app"]
    for plan in plans:
        head += [f"-- define: {k} {json.dumps(v, ensure_ascii=False)}"
                 for k, v in plan.defines.items()]
    notes = [plan.notes() for plan in plans]
    shared = [n for n in notes[0] if all(n in other for other in notes)]
    head += [f"-- difference: {note}" for note in shared]
    for plan, own in zip(plans, notes) if len(plans) > 1 else ():
        head += [f"-- difference: ({plan.p.rstrip('_')}) {n}" for n in own if n not in shared]
    if len(plans) > 1:
        head.append("-- difference: a transaction reads as " + " or ".join(
            plan.p.rstrip("_") for plan in plans) + " in proportion to their sessions among the"
            " tokens given (" + ":".join(str(w) for w in weights) + "), not as wrk's scripts mix them")
    if len(plans) == 1:
        return "\n".join(head + plans[0].body()) + "\n"
    body, total = [f"\\set plan random(1, {sum(weights)})"], 0
    for k, (plan, weight) in enumerate(zip(plans, weights)):
        total += weight
        body += [("\\if" if k == 0 else "\\elif") + f" :plan <= {total}"] + plan.body()
    return "\n".join(head + body + ["\\endif"]) + "\n"
