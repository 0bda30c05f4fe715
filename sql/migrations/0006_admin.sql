-- 0006: administration. Users an admin creates or resets must change their password at
-- the next sign-in; categories explain themselves to a principal in one line and can be
-- retired; and every admin change leaves a row in admin_events, which, like the issue
-- history, the database itself keeps from being rewritten.

ALTER TABLE users ADD COLUMN must_change_password boolean NOT NULL DEFAULT false;

ALTER TABLE categories
    ADD COLUMN description    text NOT NULL DEFAULT ''
        CHECK (length(description) <= 300 AND description !~ '[\r\n]'),
    ADD COLUMN description_en text NOT NULL DEFAULT ''
        CHECK (length(description_en) <= 300 AND description_en !~ '[\r\n]'),
    ADD COLUMN active         boolean NOT NULL DEFAULT true;

-- Who changed what, when. actor_id NULL: a change made outside the API (the CLI).
-- details: the fields changed, {"field": {"from": ..., "to": ...}}, and a few counts;
-- never a password, which the CHECK enforces for the obvious keys as a last guard.
CREATE TABLE admin_events (
    id          bigserial PRIMARY KEY,
    actor_id    integer REFERENCES users(id),
    action      text NOT NULL CHECK (action ~ '^[a-z_]{1,32}\.[a-z_]{1,32}$'),
    target      text NOT NULL CHECK (length(target) BETWEEN 1 AND 200),
    details     jsonb NOT NULL DEFAULT '{}'::jsonb
                CHECK (jsonb_typeof(details) = 'object'
                       AND NOT details ?| ARRAY['password', 'password_hash',
                                                'temporary_password', 'new_password',
                                                'current_password']),
    created_at  timestamptz NOT NULL DEFAULT now()
);
-- Newest first (keyset on id), and the two filters the audit page offers.
CREATE INDEX admin_events_actor_idx ON admin_events (actor_id, id DESC);
CREATE INDEX admin_events_action_idx ON admin_events (action, id DESC);
CREATE INDEX admin_events_target_idx ON admin_events (target, id DESC);

CREATE FUNCTION admin_events_refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'admin_events is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER admin_events_append_only
    BEFORE UPDATE OR DELETE ON admin_events
    FOR EACH ROW EXECUTE FUNCTION admin_events_refuse_change();
CREATE TRIGGER admin_events_no_truncate
    BEFORE TRUNCATE ON admin_events
    FOR EACH STATEMENT EXECUTE FUNCTION admin_events_refuse_change();
