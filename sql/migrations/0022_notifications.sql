-- 0022: notifications (issue #10, step 3; docs/notifications.md has who hears what). Each
-- event someone should hear of writes one row per person to hear it, in the transaction
-- that writes the event: the trigger below is the outbox's only writer, so no code path
-- that adds an event can forget to tell anyone, and a rolled-back event tells no one.
-- The app lists a person's rows (unread first) and marks them read; the email worker
-- (`directline deliver`) sends each row that is due, at least once, and says when it went.

-- A person may take one email a day (the digest) instead of one per notification.
ALTER TABLE users ADD COLUMN email_digest boolean NOT NULL DEFAULT false;

-- No foreign keys, on purpose: the rows they would name are never deleted (users are
-- deactivated, issues and their history kept for good), and each key would take a share
-- lock on its row for every notification: every filing would lock the same few officers'
-- rows in users, and concurrent filings would queue on them (multixacts).
CREATE TABLE notifications (
    id          bigserial PRIMARY KEY,
    user_id     integer NOT NULL,       -- users(id)
    event_id    bigint NOT NULL,        -- issue_events(id)
    issue_id    bigint NOT NULL,        -- issues(id)
    -- Why this person hears of the event: the app's words for it come from the reason.
    reason      text NOT NULL CHECK (reason IN (
                    'new_issue', 'assigned', 'answered', 'info_requested', 'resolved',
                    'declined', 'duplicate', 'school_replied', 'reopened', 'confirmed',
                    'escalated', 'internal_note', 'cosigned', 'linked', 'followed')),
    created_at  timestamptz NOT NULL,
    read_at     timestamptz,
    -- Email: when it is next due (NULL: nothing to send, sent, or given up), the tries so
    -- far, when it went, and why the last try failed. A try claims the row by moving
    -- email_due_at a lease ahead, so a worker killed mid-send leaves it due again.
    email_due_at    timestamptz,
    email_attempts  smallint NOT NULL DEFAULT 0,
    email_sent_at   timestamptz,
    email_error     text CHECK (length(email_error) <= 500)
);
-- A person's list, newest first, and the unread count the app's header polls.
CREATE INDEX notifications_user_idx ON notifications (user_id, id DESC);
CREATE INDEX notifications_unread_idx ON notifications (user_id, id DESC) WHERE read_at IS NULL;
-- What the email worker has to do, oldest first.
CREATE INDEX notifications_email_due_idx ON notifications (email_due_at)
    WHERE email_due_at IS NOT NULL;

-- A person reads and marks only their own. The owner's trigger writes every row: RLS is
-- enabled, not forced, so that it needs no policy of its own.
ALTER TABLE notifications ENABLE ROW LEVEL SECURITY;
CREATE POLICY notifications_own ON notifications FOR SELECT USING (
    user_id = (SELECT nullif(current_setting('directline.user_id', true), '')::integer));
CREATE POLICY notifications_mark ON notifications FOR UPDATE
    USING (user_id = (SELECT nullif(current_setting('directline.user_id', true), '')::integer))
    WITH CHECK (user_id = (SELECT nullif(current_setting('directline.user_id', true), '')::integer));
-- The email worker's context reads and records the delivery of everyone's.
CREATE POLICY notifications_deliver ON notifications FOR ALL
    USING ((SELECT current_setting('directline.context', true) = 'deliver'))
    WITH CHECK ((SELECT current_setting('directline.context', true) = 'deliver'));

-- When a digest reader's email of an instant goes: the next 16:30 in Ha Tinh, the end of
-- the school day (one message a day gathers what came since the last).
CREATE FUNCTION dl_next_digest(t timestamptz) RETURNS timestamptz
    LANGUAGE sql STABLE PARALLEL SAFE STRICT
    AS $$
    SELECT (d + time '16:30'
              + CASE WHEN t >= (d + time '16:30') AT TIME ZONE 'Asia/Ho_Chi_Minh'
                     THEN interval '1 day' ELSE interval '0' END)
           AT TIME ZONE 'Asia/Ho_Chi_Minh'
      FROM (SELECT date_trunc('day', t AT TIME ZONE 'Asia/Ho_Chi_Minh') AS d) AS day
$$;

-- Who hears of an event, by its action (docs/notifications.md, "Who hears what"). The
-- issue's school hears the Department's public answers and decisions; whoever handles the
-- issue (its assignee, or else its division's officers) hears the school; co-signing
-- schools, and the schools of a parent's children, follow the issue's public changes. An
-- internal event reaches Department staff only. The actor is never told of their own
-- act, nor is an inactive user.
--
-- The audiences are gathered (the main one with its reason, then the followers) and
-- written by one INSERT at the end. An event's audiences never overlap (a school's own principals are no
-- followers, staff are no principals), so nobody hears of one event twice, without a
-- unique index to check it on every row. Everything is written out in this one function:
-- a call from PL/pgSQL to another function (with the row as an argument, or a SQL
-- function planned afresh on each call) cost a filing half a millisecond more.
-- A person with an email address gets it by email too: now, or with the day's digest.
CREATE FUNCTION issue_events_notify() RETURNS trigger
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
                         'cosign', 'link') THEN
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
                                     ELSE 'linked' END;
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
       AND (NEW.action IN ('resolve', 'decline', 'mark_duplicate', 'reopen')
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
-- Only the actions someone hears of call the function: a priority or category change, a
-- triage, a share or an automatic close costs the event nothing more.
CREATE TRIGGER issue_events_notify
    AFTER INSERT ON issue_events
    FOR EACH ROW WHEN (NEW.action IN (
        'filed', 'set_division', 'set_assignee', 'comment', 'request_info', 'answer_info',
        'resolve', 'decline', 'mark_duplicate', 'reopen', 'confirm', 'escalate', 'escalated',
        'cosign', 'link'))
    EXECUTE FUNCTION issue_events_notify();

-- --- webhooks ----------------------------------------------------------------------------
-- The Department's own systems may hear of every event of the history: an admin registers
-- an endpoint (HTTPS; plain HTTP only on this machine, for trying out), and each event
-- becomes a delivery for each active endpoint, in the event's transaction, which the
-- worker (`directline deliver`) posts as signed JSON until the endpoint takes it. The
-- deliveries are the log: tries, the last answer, when it arrived.
CREATE TABLE webhooks (
    id          serial PRIMARY KEY,
    url         text NOT NULL CHECK (length(url) <= 500 AND position('#' in url) = 0 AND (
                    url ~ '^https://[^/?#@[:space:]]+([/?][^[:space:]]*)?$'
                    OR url ~ '^http://(127\.0\.0\.1|localhost|\[::1\])(:[0-9]{1,5})?([/?][^[:space:]]*)?$')),
    description text NOT NULL CHECK (length(description) BETWEEN 1 AND 200),
    -- The key the deliveries are signed with (HMAC-SHA256): shown once, when it is made.
    secret      bytea NOT NULL CHECK (length(secret) = 32),
    active      boolean NOT NULL DEFAULT true,
    created_by  integer NOT NULL REFERENCES users(id),
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- No foreign keys, as for notifications: every event would otherwise share-lock the one
-- endpoint's row and its own.
CREATE TABLE webhook_deliveries (
    id            bigserial PRIMARY KEY,
    webhook_id    integer NOT NULL,       -- webhooks(id), never deleted
    event_id      bigint NOT NULL,        -- issue_events(id)
    created_at    timestamptz NOT NULL,
    due_at        timestamptz,            -- NULL: delivered, or given up
    attempts      smallint NOT NULL DEFAULT 0,
    delivered_at  timestamptz,
    last_status   smallint,               -- the HTTP status of the last try; NULL: none came
    last_error    text CHECK (length(last_error) <= 500),
    UNIQUE (webhook_id, event_id)
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (due_at) WHERE due_at IS NOT NULL;
CREATE INDEX webhook_deliveries_log_idx ON webhook_deliveries (webhook_id, id DESC);

-- Admins manage the endpoints and read the log; the worker reads both and records its
-- tries. Nobody deletes: an endpoint is switched off, and its log stays. Not forced: the
-- owner's trigger below reads the endpoints without a context of its own.
ALTER TABLE webhooks ENABLE ROW LEVEL SECURITY;
CREATE POLICY webhooks_admin ON webhooks FOR ALL
    USING ((SELECT current_setting('directline.context', true) IN ('admin', 'deliver')))
    WITH CHECK ((SELECT current_setting('directline.context', true) = 'admin'));
ALTER TABLE webhook_deliveries ENABLE ROW LEVEL SECURITY;
CREATE POLICY webhook_deliveries_read ON webhook_deliveries FOR SELECT
    USING ((SELECT current_setting('directline.context', true) IN ('admin', 'deliver')));
CREATE POLICY webhook_deliveries_record ON webhook_deliveries FOR UPDATE
    USING ((SELECT current_setting('directline.context', true) = 'deliver'))
    WITH CHECK ((SELECT current_setting('directline.context', true) = 'deliver'));

-- Every event goes to every active endpoint (a cheap no-op while none is registered).
CREATE FUNCTION issue_events_to_webhooks() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
BEGIN
    INSERT INTO webhook_deliveries (webhook_id, event_id, created_at, due_at)
    SELECT w.id, NEW.id, NEW.created_at, NEW.created_at FROM webhooks w WHERE w.active;
    RETURN NULL;
END $$;
REVOKE EXECUTE ON FUNCTION issue_events_to_webhooks() FROM PUBLIC;
CREATE TRIGGER issue_events_to_webhooks
    AFTER INSERT ON issue_events
    FOR EACH ROW EXECUTE FUNCTION issue_events_to_webhooks();

-- Restated whole from 0021: notifications and webhook deliveries are written by the
-- owner's triggers alone; what changes is when one was read and how it was delivered; an
-- endpoint is never deleted.
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
    -- A filing takes its reference number through the owner's function (0013, 0018).
    EXECUTE format('GRANT EXECUTE ON FUNCTION dl_issue_ref_next(integer) TO %I', app);
END $$;
