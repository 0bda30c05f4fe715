-- 0009: a duplicate points straight at the surviving issue. The API refuses a duplicate
-- of a duplicate, and an issue becoming a duplicate while others are duplicates of it,
-- with both issues locked in id order; this trigger is the database's second wall for a
-- statement that skipped those checks. Together with the CHECK (duplicate_of <> id) of
-- 0001, no chain and no loop can be stored.

-- "Which issues are duplicates of this one?" is asked at every mark_duplicate; few issues
-- are duplicates, so the index holds only them.
CREATE INDEX issues_duplicate_of_idx ON issues (duplicate_of) WHERE duplicate_of IS NOT NULL;

CREATE FUNCTION issues_refuse_duplicate_chain() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    target_duplicate_of bigint;
BEGIN
    -- The target is locked (FOR SHARE, which waits for a transaction changing it) and
    -- read as last committed, so a racing mark of the target is seen, not missed.
    SELECT duplicate_of INTO target_duplicate_of
      FROM issues WHERE id = NEW.duplicate_of FOR SHARE;
    IF target_duplicate_of IS NOT NULL THEN
        RAISE EXCEPTION 'issue % cannot be a duplicate of a duplicate (issue id %)',
            NEW.ref, NEW.duplicate_of USING ERRCODE = 'check_violation';
    END IF;
    -- Someone marking an issue onto this one holds the FOR SHARE lock above on it, so
    -- this row's update waited for that commit, and this statement sees it.
    IF EXISTS (SELECT 1 FROM issues WHERE duplicate_of = NEW.id) THEN
        RAISE EXCEPTION 'issue % cannot become a duplicate: other issues are duplicates of it',
            NEW.ref USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER issues_no_duplicate_chain
    BEFORE INSERT OR UPDATE OF duplicate_of ON issues
    FOR EACH ROW WHEN (NEW.duplicate_of IS NOT NULL)
    EXECUTE FUNCTION issues_refuse_duplicate_chain();
