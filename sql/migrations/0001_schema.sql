-- 0001: the directline schema: reference data, users and sessions, issues and their
-- append-only history, SLA policies. Every enum is a CHECK; every link a foreign key.

CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- unaccent() is only STABLE (its dictionary could change); an index needs an IMMUTABLE
-- wrapper that names the dictionary explicitly.
CREATE FUNCTION dl_fold(t text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, t)) $$;

-- Timestamps leave the database as RFC 3339 in the Department's zone.
CREATE FUNCTION dl_time(t timestamptz) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE STRICT
    AS $$ SELECT to_char(t AT TIME ZONE 'Asia/Ho_Chi_Minh',
                         'YYYY-MM-DD"T"HH24:MI:SS.MS"+07:00"') $$;

CREATE TABLE clusters (
    id          serial PRIMARY KEY,
    code        text NOT NULL UNIQUE CHECK (code ~ '^[A-Z0-9-]{1,32}$'),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200)
);

CREATE TABLE schools (
    id          serial PRIMARY KEY,
    code        text NOT NULL UNIQUE CHECK (code ~ '^[A-Z0-9-]{1,32}$'),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    cluster_id  integer NOT NULL REFERENCES clusters(id),
    commune     text NOT NULL CHECK (length(commune) BETWEEN 1 AND 200)
);
CREATE INDEX schools_cluster_idx ON schools (cluster_id);

CREATE TABLE divisions (
    id          serial PRIMARY KEY,
    code        text NOT NULL UNIQUE CHECK (code ~ '^[A-Z0-9-]{1,32}$'),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    name_en     text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 200)
);

CREATE TABLE categories (
    id                  serial PRIMARY KEY,
    code                text NOT NULL UNIQUE CHECK (code ~ '^[A-Z0-9-]{1,32}$'),
    name                text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    name_en             text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 200),
    kind                text NOT NULL CHECK (kind IN ('management', 'teaching')),
    default_division_id integer NOT NULL REFERENCES divisions(id),
    default_priority    text NOT NULL DEFAULT 'normal'
                        CHECK (default_priority IN ('low', 'normal', 'high', 'urgent'))
);

CREATE TABLE users (
    id            serial PRIMARY KEY,
    login         text NOT NULL UNIQUE CHECK (login ~ '^[a-z0-9._-]{2,64}$'),
    full_name     text NOT NULL CHECK (length(full_name) BETWEEN 1 AND 200),
    email         text CHECK (email IS NULL OR email ~ '^[^@[:space:]]+@[^@[:space:]]+$'),
    role          text NOT NULL
                  CHECK (role IN ('principal', 'cluster_leader', 'officer', 'supervisor', 'admin')),
    school_id     integer REFERENCES schools(id),
    cluster_id    integer REFERENCES clusters(id),
    division_id   integer REFERENCES divisions(id),
    password_hash text NOT NULL,
    active        boolean NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL DEFAULT now(),
    -- Each role is bound to exactly what it needs, and to nothing else.
    CONSTRAINT users_binding_by_role CHECK (
        (role = 'principal'      AND school_id IS NOT NULL AND cluster_id IS NULL AND division_id IS NULL) OR
        (role = 'cluster_leader' AND school_id IS NULL AND cluster_id IS NOT NULL AND division_id IS NULL) OR
        (role = 'officer'        AND school_id IS NULL AND cluster_id IS NULL AND division_id IS NOT NULL) OR
        (role IN ('supervisor', 'admin') AND school_id IS NULL AND cluster_id IS NULL AND division_id IS NULL)
    )
);

-- Only a hash of the token is kept: a leaked table does not leak sessions.
CREATE TABLE sessions (
    token_hash    bytea PRIMARY KEY CHECK (length(token_hash) = 32),
    user_id       integer NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expiry_idx ON sessions (expires_at);

CREATE TABLE sla_policies (
    priority              text PRIMARY KEY CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    first_response_hours  integer NOT NULL CHECK (first_response_hours > 0),
    resolution_hours      integer NOT NULL CHECK (resolution_hours > 0),
    CHECK (resolution_hours >= first_response_hours)
);
INSERT INTO sla_policies VALUES
    ('urgent', 24, 72), ('high', 48, 168), ('normal', 72, 336), ('low', 120, 720);

-- One counter row per year gives gap-free references HT-YYYY-NNNNNN; the row lock taken
-- by the upsert serialises concurrent filings.
CREATE TABLE issue_ref_counters (
    year  integer PRIMARY KEY,
    last  integer NOT NULL CHECK (last >= 0)
);

CREATE TABLE issues (
    id                      bigserial PRIMARY KEY,
    ref                     text NOT NULL UNIQUE CHECK (ref ~ '^HT-[0-9]{4}-[0-9]{6,}$'),
    school_id               integer NOT NULL REFERENCES schools(id),
    filed_by                integer NOT NULL REFERENCES users(id),
    category_id             integer NOT NULL REFERENCES categories(id),
    division_id             integer NOT NULL REFERENCES divisions(id),
    assignee_id             integer REFERENCES users(id),
    priority                text NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    status                  text NOT NULL DEFAULT 'new'
                            CHECK (status IN ('new', 'triaged', 'in_progress', 'awaiting_school',
                                              'resolved', 'closed', 'declined', 'duplicate')),
    title                   text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    description             text NOT NULL CHECK (length(description) BETWEEN 1 AND 10000),
    proposed_solution       text CHECK (length(proposed_solution) <= 10000),
    escalation_level        smallint NOT NULL DEFAULT 0 CHECK (escalation_level BETWEEN 0 AND 2),
    reopen_count            integer NOT NULL DEFAULT 0 CHECK (reopen_count >= 0),
    duplicate_of            bigint REFERENCES issues(id) CHECK (duplicate_of <> id),
    due_first_response_at   timestamptz NOT NULL,
    due_resolution_at       timestamptz NOT NULL,
    first_response_at       timestamptz,
    resolved_at             timestamptz,
    closed_at               timestamptz,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    CHECK ((status = 'duplicate') = (duplicate_of IS NOT NULL))
);
-- Newest first with a tie-breaker: the keyset (created_at, id) of every list.
CREATE INDEX issues_created_idx ON issues (created_at DESC, id DESC);
CREATE INDEX issues_school_idx ON issues (school_id, created_at DESC, id DESC);
CREATE INDEX issues_division_idx ON issues (division_id, created_at DESC, id DESC);
CREATE INDEX issues_status_idx ON issues (status, created_at DESC, id DESC);
CREATE INDEX issues_assignee_idx ON issues (assignee_id) WHERE assignee_id IS NOT NULL;
CREATE INDEX issues_text_idx ON issues
    USING gin (dl_fold(title || ' ' || description) gin_trgm_ops);

CREATE TABLE issue_events (
    id           bigserial PRIMARY KEY,
    issue_id     bigint NOT NULL REFERENCES issues(id),
    actor_id     integer REFERENCES users(id),      -- NULL: the system (sweep, auto-close)
    action       text NOT NULL CHECK (action IN (
                     'filed', 'triage', 'start', 'request_info', 'answer_info', 'resolve',
                     'confirm', 'reopen', 'decline', 'mark_duplicate', 'escalate',
                     'comment', 'set_category', 'set_division', 'set_priority', 'set_assignee',
                     'escalated', 'closed')),
    from_status  text CHECK (from_status IN ('new', 'triaged', 'in_progress', 'awaiting_school',
                                             'resolved', 'closed', 'declined', 'duplicate')),
    to_status    text CHECK (to_status IN ('new', 'triaged', 'in_progress', 'awaiting_school',
                                           'resolved', 'closed', 'declined', 'duplicate')),
    body         text CHECK (length(body) <= 10000),
    internal     boolean NOT NULL DEFAULT false,
    -- What a field change or escalation changed: {"field", "from", "to"} or {"level"}.
    details      jsonb,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX issue_events_issue_idx ON issue_events (issue_id, created_at, id);

-- The history is the truth: the database itself refuses to rewrite it.
CREATE FUNCTION issue_events_refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'issue_events is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER issue_events_append_only
    BEFORE UPDATE OR DELETE ON issue_events
    FOR EACH ROW EXECUTE FUNCTION issue_events_refuse_change();
CREATE TRIGGER issue_events_no_truncate
    BEFORE TRUNCATE ON issue_events
    FOR EACH STATEMENT EXECUTE FUNCTION issue_events_refuse_change();
