-- 0005_attachments.sql -- files attached to an issue. The bytes live in their own table,
-- so that listing an issue's attachments never reads them. An attachment is never
-- deleted: staff may hide one, with a reason, once; both steps are events on the issue.

CREATE TABLE attachments (
    id             bigserial PRIMARY KEY,
    issue_id       bigint NOT NULL REFERENCES issues(id),
    name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    media_type     text NOT NULL CHECK (media_type IN (
                       'image/jpeg', 'image/png', 'image/webp', 'application/pdf',
                       'application/msword', 'application/vnd.ms-excel',
                       'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
                       'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')),
    size           integer NOT NULL CHECK (size BETWEEN 1 AND 10485760),
    sha256         bytea NOT NULL CHECK (length(sha256) = 32),
    uploaded_by    integer NOT NULL REFERENCES users(id),
    created_at     timestamptz NOT NULL DEFAULT now(),
    hidden_at      timestamptz,
    hidden_by      integer REFERENCES users(id),
    hidden_reason  text CHECK (length(hidden_reason) BETWEEN 1 AND 500),
    CHECK ((hidden_at IS NULL) = (hidden_by IS NULL)
           AND (hidden_at IS NULL) = (hidden_reason IS NULL))
);
CREATE INDEX attachments_issue_idx ON attachments (issue_id, id);

CREATE TABLE attachment_contents (
    attachment_id  bigint PRIMARY KEY REFERENCES attachments(id),
    content        bytea NOT NULL
);
-- Photos, PDFs and Office Open XML files are compressed already: store them out of line
-- without trying to compress them again.
ALTER TABLE attachment_contents ALTER COLUMN content SET STORAGE EXTERNAL;

-- Nothing is deleted and the bytes never change; the only change an attachment takes is
-- being hidden, once.
CREATE FUNCTION attachments_guard() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'attachments' THEN
        IF OLD.hidden_at IS NULL
           AND (NEW.id, NEW.issue_id, NEW.name, NEW.media_type, NEW.size, NEW.sha256,
                NEW.uploaded_by, NEW.created_at)
               IS NOT DISTINCT FROM
               (OLD.id, OLD.issue_id, OLD.name, OLD.media_type, OLD.size, OLD.sha256,
                OLD.uploaded_by, OLD.created_at) THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION '%: % is not allowed (attachments are hidden, never changed or deleted)',
        TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER attachments_only_hide
    BEFORE UPDATE OR DELETE ON attachments
    FOR EACH ROW EXECUTE FUNCTION attachments_guard();
CREATE TRIGGER attachment_contents_fixed
    BEFORE UPDATE OR DELETE ON attachment_contents
    FOR EACH ROW EXECUTE FUNCTION attachments_guard();
CREATE TRIGGER attachments_no_truncate
    BEFORE TRUNCATE ON attachments
    FOR EACH STATEMENT EXECUTE FUNCTION attachments_guard();
CREATE TRIGGER attachment_contents_no_truncate
    BEFORE TRUNCATE ON attachment_contents
    FOR EACH STATEMENT EXECUTE FUNCTION attachments_guard();

-- The history learns two actions. Other migrations may extend the same list, so the new
-- names are added to whatever the constraint allows now instead of restating it.
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
         || replace(def, 'ARRAY[', 'ARRAY[''attach''::text, ''hide_attachment''::text, ');
END $$;
