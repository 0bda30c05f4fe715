-- 0004: idempotency keys. A request that changed something and carried an
-- Idempotency-Key leaves its response here, written in the same transaction as the
-- change, so that a retry with the same key (a double tap, a timeout on slow mobile
-- data) gets that response again instead of changing anything twice. Kept 24 hours.

CREATE TABLE idempotency_keys (
    user_id       integer NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    key           text NOT NULL CHECK (key ~ '^[A-Za-z0-9_-]{1,64}$'),
    -- SHA-256 of the method, path and body: the same key with another request is refused.
    request_hash  bytea NOT NULL CHECK (length(request_hash) = 32),
    status        smallint NOT NULL CHECK (status BETWEEN 200 AND 299),
    location      text,
    body          text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);

-- Takes the session-level advisory lock of one user's key, waiting at most a few seconds
-- for a request with the same key that is still running; false when it did not come.
-- The two-integer form of the lock never meets the one-bigint locks of the migrations
-- and the sweep.
CREATE FUNCTION idempotency_lock(p_user integer, p_key text) RETURNS boolean
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('lock_timeout', '5s', true);
    PERFORM pg_advisory_lock(p_user, hashtext(p_key));
    RETURN true;
EXCEPTION WHEN lock_not_available THEN
    RETURN false;
END $$;
