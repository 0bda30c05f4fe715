-- 0014: the officer's queue and the search fast under row-level security, and "overdue"
-- written once.
--
-- Why the queue was slow: the planner cannot know a policy's settings, so it guessed that
-- issues_read let through about 5% of the rows, even for staff, who see them all. Thinking
-- a filter matched a few dozen rows, it joined and formatted every match before sorting
-- and cutting the page of 50 (seconds at 100,000 issues). The policy below is the same
-- rule with each setting read once per statement, in a sub-select: the planner then
-- guesses half the rows, and a page walks an index in the queue's order and stops.
-- (The list itself also picks its page's ids first and joins only those; see
-- db/issue_store.c.)
-- A page by category or by assignee walks the index of that column in the queue's order
-- (created_at, id newest first) instead of sorting all of the category's or the
-- officer's issues; the assignee index replaces 0001's unordered one.
CREATE INDEX issues_category_idx ON issues (category_id, created_at DESC, id DESC);
CREATE INDEX issues_assignee_order_idx ON issues (assignee_id, created_at DESC, id DESC)
    WHERE assignee_id IS NOT NULL;
-- The overdue page walks only the issues whose clocks run, newest first, past the recent
-- ones that are not late yet.
CREATE INDEX issues_open_idx ON issues (created_at DESC, id DESC)
    WHERE status IN ('new', 'triaged', 'in_progress');

-- The search. A condition that is not leakproof (unaccent, LIKE) may not use an index
-- ahead of a table's policy, so the trigram index on issues could never serve the
-- server's role: every search read the whole table. The folded text therefore lives in
-- a table of its own, issue_search, whose row-level security (like issue_states') is
-- without FORCE: the owner's view issue_search_visible reads it with the issues' policy
-- written as a plain condition, which the planner may combine with the trigram index.
-- The list keeps reading issues under their own policy; the view only says which ids
-- match. The owner's trigger fills the table; the server's role can neither read it
-- directly nor write it.
CREATE TABLE issue_search (
    issue_id   bigint PRIMARY KEY REFERENCES issues(id),
    school_id  integer NOT NULL,
    folded     text NOT NULL
);

-- No policy: read directly, by anyone but its owner, the table shows and takes nothing.
ALTER TABLE issue_search ENABLE ROW LEVEL SECURITY;

CREATE VIEW issue_search_visible AS
    SELECT s.issue_id, s.folded FROM issue_search s
     WHERE (SELECT current_setting('directline.reads', true) = 'all')
        OR s.school_id = (SELECT nullif(current_setting('directline.school_id', true), '')::integer)
        OR s.school_id = ANY ((SELECT nullif(current_setting('directline.schools', true),
                                             '')::integer[])::integer[]);

-- A view on one table would take writes as its owner, past row-level security: refused.
CREATE FUNCTION issue_search_visible_read_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'issue_search_visible is read-only' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER issue_search_visible_read_only
    INSTEAD OF INSERT OR UPDATE OR DELETE ON issue_search_visible
    FOR EACH ROW EXECUTE FUNCTION issue_search_visible_read_only();

-- Filing adds an issue's row (one statement for all rows of an INSERT, so a bulk load
-- costs one pass). Nothing changes a title or a description today; should anything start
-- to, the row follows.
CREATE FUNCTION issue_search_follow() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO issue_search (issue_id, school_id, folded)
        SELECT n.id, n.school_id, dl_fold(n.title || ' ' || n.description) FROM added n;
    ELSE
        UPDATE issue_search SET folded = dl_fold(NEW.title || ' ' || NEW.description)
         WHERE issue_id = NEW.id;
    END IF;
    RETURN NULL;
END $$;
REVOKE EXECUTE ON FUNCTION issue_search_follow() FROM PUBLIC;
CREATE TRIGGER issue_search_follows_filing
    AFTER INSERT ON issues REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION issue_search_follow();
CREATE TRIGGER issue_search_follows_text
    AFTER UPDATE OF title, description ON issues
    FOR EACH ROW EXECUTE FUNCTION issue_search_follow();

-- The issues already filed (the migration runs in a context that reads them all: a file
-- run by hand without it would see none, and leave every old issue unfindable), then the
-- index, built once over them rather than row by row.
DO $$
BEGIN
    IF current_setting('directline.reads', true) IS DISTINCT FROM 'all' THEN
        RAISE EXCEPTION '0014 must run in a context that reads every issue (directline migrate)';
    END IF;
END $$;
INSERT INTO issue_search (issue_id, school_id, folded)
SELECT id, school_id, dl_fold(title || ' ' || description) FROM issues;
CREATE INDEX issue_search_folded_idx ON issue_search USING gin (folded gin_trgm_ops);

-- "Overdue", once. The SLA clocks run while an issue is new, triaged or in progress (they
-- pause while it waits on the school); the first-answer clock is late when the issue had
-- no answer by `at` and its due time is past, the resolution clock when its due time is
-- past; an issue is overdue when either is late. `answered`: whether the first answer
-- came before `at` (NULL counts as no answer); the caller says so because "before" differs:
-- the API asks about now, after its own statement, the report about an instant, before
-- the events at that instant. Plain SQL, so the planner inlines them into each query
-- (the list, the sweep, the report) and plans them as if written there.
CREATE FUNCTION dl_first_answer_late(status text, answered boolean,
                                     due_first_response_at timestamptz, at timestamptz)
    RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT status IN ('new', 'triaged', 'in_progress')
                 AND answered IS NOT TRUE AND due_first_response_at < at $$;

CREATE FUNCTION dl_resolution_late(status text, due_resolution_at timestamptz, at timestamptz)
    RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT status IN ('new', 'triaged', 'in_progress') AND due_resolution_at < at $$;

CREATE FUNCTION dl_overdue(status text, answered boolean, due_first_response_at timestamptz,
                           due_resolution_at timestamptz, at timestamptz)
    RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT dl_first_answer_late(status, answered, due_first_response_at, at)
                 OR dl_resolution_late(status, due_resolution_at, at) $$;

-- Last, what locks out every reader of issues until the migration commits: the policy
-- (see the top of this file) and the indexes it replaces (the trigram index that could
-- not serve the server's role; the unordered assignee index).
ALTER POLICY issues_read ON issues USING (
    (SELECT current_setting('directline.reads', true) = 'all')
    OR school_id = (SELECT nullif(current_setting('directline.school_id', true), '')::integer)
    OR school_id = ANY ((SELECT nullif(current_setting('directline.schools', true),
                                       '')::integer[])::integer[]));

DROP INDEX issues_text_idx;
DROP INDEX issues_assignee_idx;
ALTER INDEX issues_assignee_order_idx RENAME TO issues_assignee_idx;
