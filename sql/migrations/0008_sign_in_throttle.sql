-- 0008: sign-in throttling. One row per failed sign-in, kept in the database so that
-- every replica counts the same failures and a restart forgets none. A try is refused
-- before its password is checked when, in the last 15 minutes, its address has failed
-- 10 times for that login or 50 times in all; rows older than that window count for
-- nothing and are deleted (by the next failure from the address, and by the sweep).
--
-- login: as typed, lower-cased (an unknown login is counted like a known one).
-- address: the client's address as the server saw it; an IPv6 address as its /64, the
-- smallest block one subscriber usually holds.

CREATE TABLE sign_in_failures (
    login      text NOT NULL CHECK (length(login) <= 64),
    address    text NOT NULL CHECK (length(address) BETWEEN 1 AND 64),
    failed_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sign_in_failures_address_idx ON sign_in_failures (address, failed_at DESC);
CREATE INDEX sign_in_failures_login_idx ON sign_in_failures (login, address, failed_at DESC);
CREATE INDEX sign_in_failures_time_idx ON sign_in_failures (failed_at);

-- Sessions: expires_at is from now on the end of the session's whole life (sign-in plus
-- the configured maximum), no longer slid by each use; idleness is judged from
-- last_seen_at. The sweep deletes sessions past expires_at.
COMMENT ON COLUMN sessions.expires_at IS 'the latest the session may last, whatever its use';
