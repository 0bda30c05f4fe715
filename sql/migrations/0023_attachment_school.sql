-- 0023: a file carries its issue's school, as an event does (0010), so that the files'
-- policy compares a column with the settings instead of looking the issue up.
--
-- Since 0020 attachments_read asked, for every file, for its issue under the school rule
-- (EXISTS in issues, itself under issues_read): with the settings each read once, the
-- read's files statement planned 20 InitPlans, every one of them set up on each
-- execution even for an issue without files. The rule is unchanged: the Department
-- (reads all), the issue's own school, or its cluster's leader (directline.schools), and
-- hidden files only with the internal notes. issues_read adds nothing to it: a
-- principal's reach is its own school and every issue's affected_schools holds the
-- issue's own school; a cluster leader's reach is directline.schools; reads all reads
-- every issue (users_binding_by_role: only a principal has a school, only a cluster leader a
-- cluster).
--
-- An issue never changes school (0010), so the copy never goes stale.

ALTER TABLE attachments ADD COLUMN school_id integer REFERENCES schools(id);
ALTER TABLE attachments DISABLE TRIGGER attachments_only_hide;
UPDATE attachments a SET school_id = i.school_id FROM issues i WHERE i.id = a.issue_id;
ALTER TABLE attachments ENABLE TRIGGER attachments_only_hide;
ALTER TABLE attachments ALTER COLUMN school_id SET NOT NULL;

-- Filled as the history's is (0010): the issue read under the actor's own policies; an
-- issue out of reach gives no school, and attachments_add refuses the row first.
CREATE FUNCTION attachments_set_school() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    NEW.school_id := (SELECT i.school_id FROM issues i WHERE i.id = NEW.issue_id);
    RETURN NEW;
END $$;

CREATE TRIGGER attachments_school
    BEFORE INSERT ON attachments
    FOR EACH ROW EXECUTE FUNCTION attachments_set_school();

-- Restated whole from 0005: the school is as fixed as the issue it copies (hiding a file
-- changes nothing else).
CREATE OR REPLACE FUNCTION attachments_guard() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'attachments' THEN
        IF OLD.hidden_at IS NULL
           AND (NEW.id, NEW.issue_id, NEW.name, NEW.media_type, NEW.size, NEW.sha256,
                NEW.uploaded_by, NEW.created_at, NEW.school_id)
               IS NOT DISTINCT FROM
               (OLD.id, OLD.issue_id, OLD.name, OLD.media_type, OLD.size, OLD.sha256,
                OLD.uploaded_by, OLD.created_at, OLD.school_id) THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION '%: % is not allowed (attachments are hidden, never changed or deleted)',
        TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;

-- Restated whole from 0020, on the file's own column.
ALTER POLICY attachments_read ON attachments USING (
    ((SELECT current_setting('directline.reads', true) = 'all')
     OR school_id = (SELECT nullif(current_setting('directline.school_id', true), '')::integer)
     OR school_id = ANY ((SELECT nullif(current_setting('directline.schools', true),
                                        '')::integer[])::integer[]))
    AND (hidden_at IS NULL OR (SELECT current_setting('directline.internal', true) = 'on')));
