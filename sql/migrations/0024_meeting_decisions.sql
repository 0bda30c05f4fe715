-- 0024: meetings and their decisions (issue #10, step 4; docs/meetings.md). The
-- Department records what a province or cluster meeting decided, on which issues, who is
-- responsible and by when; each decision's changes are timed events carrying the decision
-- as it then stood, so a past month's report shows it as it was at that month's end. The
-- issues' history says what was decided on each issue, and the people concerned are told.

CREATE TABLE meetings (
    id          serial PRIMARY KEY,
    kind        text NOT NULL CHECK (kind IN ('province', 'cluster')),
    cluster_id  integer REFERENCES clusters(id),
    held_on     date NOT NULL,
    title       text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    created_by  integer NOT NULL REFERENCES users(id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT meetings_cluster_by_kind CHECK ((kind = 'cluster') = (cluster_id IS NOT NULL))
);
CREATE INDEX meetings_held_idx ON meetings (held_on DESC, id DESC);

-- The issues the meeting is to discuss, in order: a plan, replaced whole when it changes.
CREATE TABLE meeting_agenda (
    meeting_id  integer NOT NULL REFERENCES meetings(id),
    position    smallint NOT NULL CHECK (position BETWEEN 1 AND 50),
    issue_id    bigint NOT NULL REFERENCES issues(id),
    PRIMARY KEY (meeting_id, issue_id),
    UNIQUE (meeting_id, position)
);

-- A decision as it stands now; decision_events says how it came to be.
CREATE TABLE decisions (
    id              serial PRIMARY KEY,
    meeting_id      integer NOT NULL REFERENCES meetings(id),
    body            text NOT NULL CHECK (length(body) BETWEEN 1 AND 2000),
    division_id     integer NOT NULL REFERENCES divisions(id),   -- responsible
    responsible_id  integer REFERENCES users(id),                -- and, if named, who
    due_on          date NOT NULL,
    done_at         timestamptz,
    done_by         integer REFERENCES users(id),
    done_note       text CHECK (length(done_note) <= 2000),
    recorded_by     integer NOT NULL REFERENCES users(id),
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    -- When the responsible were told it falls due (the sweep); cleared by a new due day.
    due_told_at     timestamptz
);
CREATE INDEX decisions_meeting_idx ON decisions (meeting_id, id);
CREATE INDEX decisions_open_idx ON decisions (due_on, id) WHERE done_at IS NULL;

CREATE TABLE decision_issues (
    decision_id integer NOT NULL REFERENCES decisions(id),
    issue_id    bigint NOT NULL REFERENCES issues(id),
    PRIMARY KEY (decision_id, issue_id)
);
CREATE INDEX decision_issues_issue_idx ON decision_issues (issue_id);

-- Each event carries the decision as it stood after it: the report reads the last event
-- before its instant and has everything, as it was then.
CREATE TABLE decision_events (
    id              bigserial PRIMARY KEY,
    decision_id     integer NOT NULL REFERENCES decisions(id),
    action          text NOT NULL CHECK (action IN ('record', 'change', 'done', 'reopen')),
    actor_id        integer REFERENCES users(id),
    note            text CHECK (length(note) <= 2000),
    created_at      timestamptz NOT NULL DEFAULT now(),
    body            text NOT NULL,
    division_id     integer NOT NULL,
    responsible_id  integer,
    due_on          date NOT NULL,
    done            boolean NOT NULL
);
CREATE INDEX decision_events_decision_idx ON decision_events (decision_id, created_at, id);

-- Append-only, like the issues' history.
CREATE FUNCTION decision_events_refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'decision_events is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER decision_events_append_only
    BEFORE UPDATE OR DELETE ON decision_events
    FOR EACH ROW EXECUTE FUNCTION decision_events_refuse_change();

-- An event stamped before the current month changes a finished month's report (tests and
-- imports do this): kept reports of it must go, as for the issues' history (0015).
CREATE TRIGGER decision_history_backdated
    AFTER INSERT ON decision_events
    FOR EACH ROW
    WHEN (NEW.created_at < (date_trunc('month', clock_timestamp() AT TIME ZONE 'Asia/Ho_Chi_Minh')
                            AT TIME ZONE 'Asia/Ho_Chi_Minh'))
    EXECUTE FUNCTION report_history_backdated();

-- The issues' history says what the meeting decided on each issue, and when it was done.
DO $$
DECLARE
    def text;
BEGIN
    SELECT pg_get_constraintdef(oid) INTO STRICT def FROM pg_constraint
     WHERE conrelid = 'issue_events'::regclass AND conname = 'issue_events_action_check';
    IF def NOT LIKE '%ARRAY[%' THEN
        RAISE EXCEPTION 'unexpected form of issue_events_action_check: %', def;
    END IF;
    ALTER TABLE issue_events DROP CONSTRAINT issue_events_action_check;
    EXECUTE 'ALTER TABLE issue_events ADD CONSTRAINT issue_events_action_check '
         || replace(def, 'ARRAY[', 'ARRAY[''decision''::text, ''decision_done''::text, '
                                   '''decision_reopened''::text, ');
END $$;

-- --- row-level security --------------------------------------------------------------
-- Staff read everything and write (directline.writes = 'all'); a principal or cluster
-- leader reads a decision through an issue they read, and its meeting's name with it.
-- Which staff may change which decision is the domain layer's (decision_rules.c).
ALTER TABLE meetings ENABLE ROW LEVEL SECURITY;
ALTER TABLE meetings FORCE ROW LEVEL SECURITY;
CREATE POLICY meetings_read ON meetings FOR SELECT USING (
    (SELECT current_setting('directline.reads', true) = 'all')
    OR EXISTS (SELECT 1 FROM decisions d WHERE d.meeting_id = meetings.id));
CREATE POLICY meetings_write ON meetings FOR INSERT
    WITH CHECK ((SELECT current_setting('directline.writes', true) = 'all'));

ALTER TABLE meeting_agenda ENABLE ROW LEVEL SECURITY;
ALTER TABLE meeting_agenda FORCE ROW LEVEL SECURITY;
CREATE POLICY meeting_agenda_staff ON meeting_agenda FOR ALL
    USING ((SELECT current_setting('directline.reads', true) = 'all'))
    WITH CHECK ((SELECT current_setting('directline.writes', true) = 'all'));

ALTER TABLE decisions ENABLE ROW LEVEL SECURITY;
ALTER TABLE decisions FORCE ROW LEVEL SECURITY;
CREATE POLICY decisions_read ON decisions FOR SELECT USING (
    (SELECT current_setting('directline.reads', true) = 'all')
    OR EXISTS (SELECT 1 FROM decision_issues di JOIN issues i ON i.id = di.issue_id
                WHERE di.decision_id = decisions.id));
CREATE POLICY decisions_add ON decisions FOR INSERT
    WITH CHECK ((SELECT current_setting('directline.writes', true) = 'all'));
CREATE POLICY decisions_change ON decisions FOR UPDATE
    USING ((SELECT current_setting('directline.writes', true) = 'all'))
    WITH CHECK ((SELECT current_setting('directline.writes', true) = 'all'));

ALTER TABLE decision_issues ENABLE ROW LEVEL SECURITY;
ALTER TABLE decision_issues FORCE ROW LEVEL SECURITY;
CREATE POLICY decision_issues_read ON decision_issues FOR SELECT USING (
    (SELECT current_setting('directline.reads', true) = 'all')
    OR EXISTS (SELECT 1 FROM issues i WHERE i.id = decision_issues.issue_id));
CREATE POLICY decision_issues_add ON decision_issues FOR INSERT
    WITH CHECK ((SELECT current_setting('directline.writes', true) = 'all'));

ALTER TABLE decision_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE decision_events FORCE ROW LEVEL SECURITY;
CREATE POLICY decision_events_read ON decision_events FOR SELECT USING (
    (SELECT current_setting('directline.reads', true) = 'all')
    OR EXISTS (SELECT 1 FROM decisions d WHERE d.id = decision_events.decision_id));
-- An event in the acting user's name only; the demo's loader writes a past in others'.
CREATE POLICY decision_events_add ON decision_events FOR INSERT WITH CHECK (
    (SELECT current_setting('directline.writes', true) = 'all')
    AND (actor_id = (SELECT nullif(current_setting('directline.user_id', true), '')::integer)
         OR (SELECT current_setting('directline.context', true) IN ('demo', 'migrate'))));

-- --- notifications ---------------------------------------------------------------------
-- A decision's responsible hear of it without an issue event: such a row names the
-- decision instead of an event and an issue.
ALTER TABLE notifications ALTER COLUMN event_id DROP NOT NULL,
                          ALTER COLUMN issue_id DROP NOT NULL,
                          ADD COLUMN decision_id integer,     -- decisions(id)
                          ADD CONSTRAINT notifications_names_something
                              CHECK ((event_id IS NOT NULL AND issue_id IS NOT NULL)
                                     OR decision_id IS NOT NULL);
DO $$
DECLARE
    def text;
BEGIN
    SELECT pg_get_constraintdef(oid) INTO STRICT def FROM pg_constraint
     WHERE conrelid = 'notifications'::regclass AND conname = 'notifications_reason_check';
    IF def NOT LIKE '%ARRAY[%' THEN
        RAISE EXCEPTION 'unexpected form of notifications_reason_check: %', def;
    END IF;
    ALTER TABLE notifications DROP CONSTRAINT notifications_reason_check;
    EXECUTE 'ALTER TABLE notifications ADD CONSTRAINT notifications_reason_check '
         || replace(def, 'ARRAY[', 'ARRAY[''decision''::text, ''decision_done''::text, '
                   '''decision_reopened''::text, ''decision_assigned''::text, '
                   '''decision_due''::text, ');
END $$;

-- Who answers for a decision: its officer, or else its division's officers.
CREATE FUNCTION dl_decision_audience(p_division integer, p_responsible integer)
    RETURNS SETOF integer
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
    SELECT id FROM users WHERE active AND id = p_responsible
    UNION ALL
    SELECT id FROM users WHERE active AND p_responsible IS NULL
                           AND role = 'officer' AND division_id = p_division
$$;
REVOKE EXECUTE ON FUNCTION dl_decision_audience(integer, integer) FROM PUBLIC;

CREATE FUNCTION dl_notify_decision(p_decision integer, p_users integer[], p_reason text,
                                   p_at timestamptz)
    RETURNS void
    LANGUAGE sql SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
    INSERT INTO notifications (user_id, decision_id, reason, created_at, email_due_at)
    SELECT u.id, p_decision, p_reason, p_at,
           CASE WHEN u.email IS NULL THEN NULL
                WHEN u.email_digest THEN dl_next_digest(p_at)
                ELSE p_at END
      FROM users u WHERE u.id = ANY (p_users) AND u.active
$$;
REVOKE EXECUTE ON FUNCTION dl_notify_decision(integer, integer[], text, timestamptz) FROM PUBLIC;

-- Recording a decision, or giving it to another division or officer, tells those who now
-- answer for it (never the actor).
CREATE FUNCTION decision_events_notify() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
    before record;
BEGIN
    IF NEW.action = 'change' THEN
        SELECT division_id, responsible_id INTO before FROM decision_events
         WHERE decision_id = NEW.decision_id AND id < NEW.id ORDER BY id DESC LIMIT 1;
        IF FOUND AND before.division_id = NEW.division_id
           AND before.responsible_id IS NOT DISTINCT FROM NEW.responsible_id THEN
            RETURN NULL;
        END IF;
    END IF;
    PERFORM dl_notify_decision(NEW.decision_id,
        ARRAY(SELECT a FROM dl_decision_audience(NEW.division_id, NEW.responsible_id) a
               WHERE a IS DISTINCT FROM NEW.actor_id),
        'decision_assigned', NEW.created_at);
    RETURN NULL;
END $$;
REVOKE EXECUTE ON FUNCTION decision_events_notify() FROM PUBLIC;
CREATE TRIGGER decision_events_notify
    AFTER INSERT ON decision_events
    FOR EACH ROW WHEN (NEW.action IN ('record', 'change'))
    EXECUTE FUNCTION decision_events_notify();

-- The sweep's call: each open decision due by tomorrow (Ha Tinh's day) whose responsible
-- have not been told is told now, once. Returns how many decisions were told of.
CREATE FUNCTION dl_decisions_falling_due(p_now timestamptz) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
    d record;
    told integer := 0;
BEGIN
    FOR d IN SELECT id, division_id, responsible_id FROM decisions
              WHERE done_at IS NULL AND due_told_at IS NULL
                AND due_on <= (p_now AT TIME ZONE 'Asia/Ho_Chi_Minh')::date + 1
              ORDER BY due_on, id FOR UPDATE SKIP LOCKED LOOP
        PERFORM dl_notify_decision(d.id,
            ARRAY(SELECT dl_decision_audience(d.division_id, d.responsible_id)),
            'decision_due', p_now);
        UPDATE decisions SET due_told_at = p_now WHERE id = d.id;
        told := told + 1;
    END LOOP;
    RETURN told;
END $$;
REVOKE EXECUTE ON FUNCTION dl_decisions_falling_due(timestamptz) FROM PUBLIC;

-- Restated whole from 0022: a decision recorded on an issue, done or reopened is told to
-- the issue's school like the Department's answers, and to those who follow the issue.
CREATE OR REPLACE FUNCTION issue_events_notify() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
    saved_reads  text := coalesce(current_setting('directline.reads', true), '');
    iss          record;
    first        integer[];     -- the main audience
    first_why    text;
    following    integer[];     -- the principals of the schools that follow the issue
    schools      integer[];
BEGIN
    PERFORM set_config('directline.reads', 'all', true);
    SELECT i.school_id, i.division_id, i.assignee_id, i.affected_schools, i.child_count
      INTO STRICT iss FROM issues i WHERE i.id = NEW.issue_id;

    IF NEW.internal THEN
        first := CASE WHEN NEW.action = 'comment' THEN ARRAY[iss.assignee_id] END;
        first_why := 'internal_note';
    ELSIF NEW.action IN ('filed', 'reopen', 'escalate', 'escalated')
          OR (NEW.action IN ('comment', 'answer_info') AND NEW.actor_id IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM users WHERE id = NEW.actor_id
                                AND role IN ('officer', 'supervisor', 'admin'))) THEN
        -- Whoever handles the issue hears of it.
        first := CASE WHEN iss.assignee_id IS NOT NULL THEN ARRAY[iss.assignee_id]
                      ELSE ARRAY(SELECT id FROM users
                                  WHERE role = 'officer' AND division_id = iss.division_id) END;
        first_why := CASE NEW.action WHEN 'filed' THEN 'new_issue'
                                     WHEN 'reopen' THEN 'reopened'
                                     WHEN 'escalate' THEN 'escalated'
                                     WHEN 'escalated' THEN 'escalated'
                                     ELSE 'school_replied' END;
        IF NEW.action IN ('escalate', 'escalated') THEN
            first := first || ARRAY(SELECT id FROM users WHERE role = 'supervisor'
                                       AND NOT id = ANY (first));
        END IF;
    ELSIF NEW.action IN ('comment', 'request_info', 'resolve', 'decline', 'mark_duplicate',
                         'cosign', 'link', 'decision', 'decision_done', 'decision_reopened') THEN
        -- The filing school hears of it (a link: only the child's own event says so).
        IF NEW.action <> 'link' OR NEW.details ? 'parent_id' THEN
            first := ARRAY(SELECT id FROM users
                            WHERE role = 'principal' AND school_id = iss.school_id);
        END IF;
        first_why := CASE NEW.action WHEN 'comment' THEN 'answered'
                                     WHEN 'request_info' THEN 'info_requested'
                                     WHEN 'resolve' THEN 'resolved'
                                     WHEN 'decline' THEN 'declined'
                                     WHEN 'mark_duplicate' THEN 'duplicate'
                                     WHEN 'cosign' THEN 'cosigned'
                                     WHEN 'link' THEN 'linked'
                                     ELSE NEW.action END;    -- the decisions' own
    ELSIF NEW.action = 'set_division' THEN
        first := ARRAY(SELECT u.id FROM users u JOIN divisions d ON d.id = u.division_id
                        WHERE u.role = 'officer' AND d.code = NEW.details->>'to');
        first_why := 'new_issue';
    ELSIF NEW.action = 'set_assignee' THEN
        first := ARRAY(SELECT id FROM users WHERE login = NEW.details->>'to');
        first_why := 'assigned';
    ELSIF NEW.action = 'confirm' THEN
        first := ARRAY[iss.assignee_id];
        first_why := 'confirmed';
    END IF;

    -- The schools that follow the issue hear of its public changes. A parent's resolution
    -- reaches each child's school through the child's own resolve event (written in the
    -- same transaction): only the parent's co-signers follow that one.
    IF NOT NEW.internal AND cardinality(iss.affected_schools) > 1
       AND (NEW.action IN ('resolve', 'decline', 'mark_duplicate', 'reopen', 'decision',
                            'decision_done', 'decision_reopened')
            OR (NEW.action = 'comment' AND first_why = 'answered')) THEN
        schools := CASE WHEN NEW.action = 'resolve' AND iss.child_count > 0
                        THEN ARRAY(SELECT school_id FROM issue_cosigns
                                    WHERE issue_id = NEW.issue_id)
                        ELSE array_remove(iss.affected_schools, iss.school_id) END;
        following := ARRAY(SELECT id FROM users
                            WHERE role = 'principal' AND school_id = ANY (schools));
    END IF;

    INSERT INTO notifications (user_id, event_id, issue_id, reason, created_at, email_due_at)
    SELECT u.id, NEW.id, NEW.issue_id, a.why, NEW.created_at,
           CASE WHEN u.email IS NULL THEN NULL
                WHEN u.email_digest THEN dl_next_digest(NEW.created_at)
                ELSE NEW.created_at END
      FROM (SELECT unnest(first) AS uid, first_why AS why
            UNION ALL
            SELECT unnest(following), 'followed') AS a
      JOIN users u ON u.id = a.uid
     WHERE u.active AND u.id IS DISTINCT FROM NEW.actor_id;
    PERFORM set_config('directline.reads', saved_reads, true);
    RETURN NULL;
END $$;
REVOKE EXECUTE ON FUNCTION issue_events_notify() FROM PUBLIC;

DROP TRIGGER issue_events_notify ON issue_events;
CREATE TRIGGER issue_events_notify
    AFTER INSERT ON issue_events
    FOR EACH ROW WHEN (NEW.action IN (
        'filed', 'set_division', 'set_assignee', 'comment', 'request_info', 'answer_info',
        'resolve', 'decline', 'mark_duplicate', 'reopen', 'confirm', 'escalate', 'escalated',
        'cosign', 'link', 'decision', 'decision_done', 'decision_reopened'))
    EXECUTE FUNCTION issue_events_notify();

-- Restated whole from 0022 with the meetings' and decisions' tables.
CREATE OR REPLACE FUNCTION dl_grant_server_role(app text) RETURNS void
    LANGUAGE plpgsql AS $$
BEGIN
    IF app IS NULL OR app = '' OR app = current_user THEN
        RETURN;                    -- one role does everything: nothing to grant
    END IF;
    -- The migrations' own lock (db/migrate.c): two GRANTs on one object at once fail.
    PERFORM pg_advisory_xact_lock(7310093817);
    EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', app);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %I',
                   app);
    EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO %I', app);
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA public'
                   ' GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I', app);
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA public'
                   ' GRANT USAGE, SELECT ON SEQUENCES TO %I', app);
    -- The history, its co-signatures and the audit log are written once, by INSERT;
    -- issue_states and issue_links only by the owner's triggers (issue_states read
    -- through issue_states_visible); attachment bytes are only added (read through
    -- attachment_content_slice); an issue or an attachment is never deleted; only
    -- migrate writes the list of migrations.
    EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON issue_events, admin_events,'
                   ' issue_cosigns FROM %I', app);
    EXECUTE format('REVOKE ALL ON issue_states FROM %I', app);
    EXECUTE format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON issue_links FROM %I', app);
    EXECUTE format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON issue_states_visible FROM %I',
                   app);
    EXECUTE format('REVOKE SELECT, UPDATE, DELETE, TRUNCATE ON attachment_contents FROM %I',
                   app);
    EXECUTE format('REVOKE DELETE, TRUNCATE ON issues, attachments FROM %I', app);
    EXECUTE format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schema_migrations FROM %I',
                   app);
    EXECUTE format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON notifications FROM %I', app);
    EXECUTE format('GRANT UPDATE (read_at, email_due_at, email_attempts, email_sent_at,'
                   ' email_error) ON notifications TO %I', app);
    EXECUTE format('REVOKE DELETE, TRUNCATE ON webhooks FROM %I', app);
    EXECUTE format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON webhook_deliveries FROM %I',
                   app);
    EXECUTE format('GRANT UPDATE (due_at, attempts, delivered_at, last_status, last_error)'
                   ' ON webhook_deliveries TO %I', app);
    -- A decision's history is written once; a decision, its issues and a meeting are never
    -- deleted (an agenda is a plan, replaced whole); a meeting is not changed.
    EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON decision_events, decision_issues'
                   ' FROM %I', app);
    EXECUTE format('REVOKE DELETE, TRUNCATE ON meetings, decisions FROM %I', app);
    EXECUTE format('REVOKE UPDATE ON meetings FROM %I', app);
    EXECUTE format('GRANT EXECUTE ON FUNCTION dl_decisions_falling_due(timestamptz) TO %I', app);
    -- A filing takes its reference number through the owner's function (0013, 0018).
    EXECUTE format('GRANT EXECUTE ON FUNCTION dl_issue_ref_next(integer) TO %I', app);
END $$;

-- The report gains its decisions: kept documents of the old shape go.
TRUNCATE report_cache;
