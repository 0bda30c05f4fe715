-- 0026: ratings and directives (issue #10, step 6; docs/ratings-and-directives.md).
-- A school confirming a resolution rates it (1-5: was the problem really solved?), in its
-- `confirm` event; a 1 or 2 is told to the supervisors. The Department sends directives
-- to all schools or chosen clusters; each school acknowledges it; the sweep reminds the
-- schools that have not, once, after the directive's own delay.

-- A rating is a whole number from 1 to 5, and only a confirmation carries one.
ALTER TABLE issue_events ADD CONSTRAINT issue_events_rating CHECK (
    details IS NULL OR NOT details ? 'rating'
    OR (action = 'confirm' AND jsonb_typeof(details->'rating') = 'number'
        AND (details->>'rating') IN ('1', '2', '3', '4', '5')));
-- The rated confirmations: a few per school a year, found without reading the history.
CREATE INDEX issue_events_rated_idx ON issue_events (id)
    WHERE action = 'confirm' AND details ? 'rating';

CREATE TABLE directives (
    id                 serial PRIMARY KEY,
    title              text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    body               text NOT NULL CHECK (length(body) BETWEEN 1 AND 10000),
    audience           text NOT NULL CHECK (audience IN ('all', 'clusters')),
    remind_after_days  smallint NOT NULL CHECK (remind_after_days BETWEEN 1 AND 60),
    sent_by            integer NOT NULL REFERENCES users(id),
    sent_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX directives_sent_idx ON directives (sent_at DESC, id DESC);

-- The clusters a directive was sent to (none: all schools).
CREATE TABLE directive_clusters (
    directive_id integer NOT NULL REFERENCES directives(id),
    cluster_id   integer NOT NULL REFERENCES clusters(id),
    PRIMARY KEY (directive_id, cluster_id)
);

-- One row per school it reached when sent: whether, when and by whom it was acknowledged,
-- and when the school was reminded.
CREATE TABLE directive_schools (
    directive_id     integer NOT NULL REFERENCES directives(id),
    school_id        integer NOT NULL REFERENCES schools(id),
    acknowledged_by  integer REFERENCES users(id),
    acknowledged_at  timestamptz,
    reminded_at      timestamptz,
    PRIMARY KEY (directive_id, school_id),
    CONSTRAINT directive_schools_ack CHECK ((acknowledged_by IS NULL) = (acknowledged_at IS NULL))
);
CREATE INDEX directive_schools_school_idx ON directive_schools (school_id, directive_id);
-- What the sweep looks for every minute: schools neither acknowledged nor reminded.
CREATE INDEX directive_schools_to_remind_idx ON directive_schools (directive_id)
    WHERE acknowledged_at IS NULL AND reminded_at IS NULL;

-- --- row-level security --------------------------------------------------------------
-- Staff read all and send (writes = 'all'); a school reads the directives that reached it
-- and acknowledges them in its own principal's name; a cluster leader reads those that
-- reached the cluster's schools, and which of them acknowledged (directline.reach, 0021).
ALTER TABLE directives ENABLE ROW LEVEL SECURITY;
ALTER TABLE directives FORCE ROW LEVEL SECURITY;
CREATE POLICY directives_read ON directives FOR SELECT USING (
    (SELECT current_setting('directline.reads', true) = 'all')
    OR EXISTS (SELECT 1 FROM directive_schools ds WHERE ds.directive_id = directives.id));
CREATE POLICY directives_send ON directives FOR INSERT
    WITH CHECK ((SELECT current_setting('directline.writes', true) = 'all'));

ALTER TABLE directive_clusters ENABLE ROW LEVEL SECURITY;
ALTER TABLE directive_clusters FORCE ROW LEVEL SECURITY;
CREATE POLICY directive_clusters_read ON directive_clusters FOR SELECT USING (
    EXISTS (SELECT 1 FROM directives d WHERE d.id = directive_clusters.directive_id));
CREATE POLICY directive_clusters_send ON directive_clusters FOR INSERT
    WITH CHECK ((SELECT current_setting('directline.writes', true) = 'all'));

ALTER TABLE directive_schools ENABLE ROW LEVEL SECURITY;
ALTER TABLE directive_schools FORCE ROW LEVEL SECURITY;
CREATE POLICY directive_schools_read ON directive_schools FOR SELECT USING (
    (SELECT current_setting('directline.reads', true) = 'all')
    OR school_id = ANY ((SELECT nullif(current_setting('directline.reach', true),
                                       '')::integer[])::integer[]));
CREATE POLICY directive_schools_send ON directive_schools FOR INSERT
    WITH CHECK ((SELECT current_setting('directline.writes', true) = 'all'));
CREATE POLICY directive_schools_acknowledge ON directive_schools FOR UPDATE
    USING (school_id = (SELECT nullif(current_setting('directline.school_id', true),
                                      '')::integer))
    WITH CHECK (school_id = (SELECT nullif(current_setting('directline.school_id', true),
                                           '')::integer)
                AND acknowledged_by = (SELECT nullif(current_setting('directline.user_id',
                                                                     true), '')::integer));
-- The sweep's reminder (dl_directives_remind) records when it reminded; the demo's
-- loader replays it.
CREATE POLICY directive_schools_remind ON directive_schools FOR UPDATE
    USING ((SELECT current_setting('directline.context', true) IN ('sweep', 'demo')))
    WITH CHECK ((SELECT current_setting('directline.context', true) IN ('sweep', 'demo')));

-- --- notifications ---------------------------------------------------------------------
ALTER TABLE notifications ADD COLUMN directive_id integer,     -- directives(id)
    DROP CONSTRAINT notifications_names_something,
    ADD CONSTRAINT notifications_names_something
        CHECK ((event_id IS NOT NULL AND issue_id IS NOT NULL)
               OR decision_id IS NOT NULL OR directive_id IS NOT NULL);
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
         || replace(def, 'ARRAY[', 'ARRAY[''directive''::text, ''directive_reminder''::text, '
                   '''low_rating''::text, ');
END $$;

-- Tells the principals of the given schools of a directive, now or with their digest.
CREATE FUNCTION dl_notify_directive(p_directive integer, p_schools integer[], p_reason text,
                                    p_at timestamptz)
    RETURNS void
    LANGUAGE sql SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
    INSERT INTO notifications (user_id, directive_id, reason, created_at, email_due_at)
    SELECT u.id, p_directive, p_reason, p_at,
           CASE WHEN u.email IS NULL THEN NULL
                WHEN u.email_digest THEN dl_next_digest(p_at)
                ELSE p_at END
      FROM users u
     WHERE u.role = 'principal' AND u.active AND u.school_id = ANY (p_schools)
$$;
REVOKE EXECUTE ON FUNCTION dl_notify_directive(integer, integer[], text, timestamptz)
    FROM PUBLIC;

-- A directive's schools, added in one statement when it is sent, are told in one INSERT.
CREATE FUNCTION directive_schools_notify() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
    d record;
BEGIN
    FOR d IN SELECT r.directive_id, array_agg(r.school_id) AS schools, x.sent_at
               FROM reached r JOIN directives x ON x.id = r.directive_id
              GROUP BY r.directive_id, x.sent_at LOOP
        PERFORM dl_notify_directive(d.directive_id, d.schools, 'directive', d.sent_at);
    END LOOP;
    RETURN NULL;
END $$;
REVOKE EXECUTE ON FUNCTION directive_schools_notify() FROM PUBLIC;
CREATE TRIGGER directive_schools_notify
    AFTER INSERT ON directive_schools
    REFERENCING NEW TABLE AS reached
    FOR EACH STATEMENT EXECUTE FUNCTION directive_schools_notify();

-- The sweep's call: each school that has not acknowledged a directive within its delay is
-- reminded, once. Returns how many schools were reminded.
CREATE FUNCTION dl_directives_remind(p_now timestamptz) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
    d record;
    reminded integer := 0;
BEGIN
    FOR d IN SELECT ds.directive_id, array_agg(ds.school_id) AS schools
               FROM directive_schools ds JOIN directives x ON x.id = ds.directive_id
              WHERE ds.acknowledged_at IS NULL AND ds.reminded_at IS NULL
                AND x.sent_at + make_interval(days => x.remind_after_days) <= p_now
              GROUP BY ds.directive_id LOOP
        PERFORM dl_notify_directive(d.directive_id, d.schools, 'directive_reminder', p_now);
        UPDATE directive_schools SET reminded_at = p_now
         WHERE directive_id = d.directive_id AND school_id = ANY (d.schools);
        reminded := reminded + cardinality(d.schools);
    END LOOP;
    RETURN reminded;
END $$;
REVOKE EXECUTE ON FUNCTION dl_directives_remind(timestamptz) FROM PUBLIC;

-- Restated whole from 0024: a confirmation rated 1 or 2 is told to the supervisors too.
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
    flagging     integer[];     -- supervisors, of a confirmation rated 1 or 2
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
        IF (NEW.details->>'rating')::integer <= 2 THEN
            flagging := ARRAY(SELECT id FROM users WHERE role = 'supervisor'
                                 AND id IS DISTINCT FROM iss.assignee_id);
        END IF;
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
            SELECT unnest(following), 'followed'
            UNION ALL
            SELECT unnest(flagging), 'low_rating') AS a
      JOIN users u ON u.id = a.uid
     WHERE u.active AND u.id IS DISTINCT FROM NEW.actor_id;
    PERFORM set_config('directline.reads', saved_reads, true);
    RETURN NULL;
END $$;
REVOKE EXECUTE ON FUNCTION issue_events_notify() FROM PUBLIC;

-- Restated whole from 0025 with the directives' tables.
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
    -- A practice is never deleted (withdrawn instead); which files travel with it is
    -- chosen once, when it is published.
    EXECUTE format('REVOKE DELETE, TRUNCATE ON practices FROM %I', app);
    EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON practice_attachments FROM %I', app);
    -- A directive, its clusters and its schools are never deleted; of a school's row only
    -- the acknowledgement changes (the reminder is the sweep's function's).
    EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON directives, directive_clusters'
                   ' FROM %I', app);
    EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON directive_schools FROM %I', app);
    EXECUTE format('GRANT UPDATE (acknowledged_by, acknowledged_at) ON directive_schools TO %I',
                   app);
    EXECUTE format('GRANT EXECUTE ON FUNCTION dl_directives_remind(timestamptz) TO %I', app);
    EXECUTE format('GRANT EXECUTE ON FUNCTION dl_practice_files(integer),'
                   ' dl_practice_file(bigint), dl_practice_file_slice(bigint, integer, integer)'
                   ' TO %I', app);
    -- A filing takes its reference number through the owner's function (0013, 0018).
    EXECUTE format('GRANT EXECUTE ON FUNCTION dl_issue_ref_next(integer) TO %I', app);
END $$;

-- The report gains the month's ratings: kept documents of the old shape go.
TRUNCATE report_cache;
