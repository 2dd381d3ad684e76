-- Issue 12: heads-ups (the UI's word for flags) on a whole company as well as on one contact, with an optional end
-- date and a closing note; and a per-team change counter that browsers poll to learn, cheaply, that something a
-- sidebar shows has changed.

-- A flag is on exactly one contact or on exactly one company (then it shows on every contact of that company).
ALTER TABLE flags ALTER COLUMN contact_id DROP NOT NULL;
ALTER TABLE flags ADD COLUMN company_id bigint;
-- The heads-up lapses at this moment (it no longer shows as open); null: it stays until someone closes it.
ALTER TABLE flags ADD COLUMN until timestamptz;
-- What the person who closed it wrote ("fixed in release 4.2, credits paid").
ALTER TABLE flags ADD COLUMN resolution text;
ALTER TABLE flags ADD CONSTRAINT flags_company FOREIGN KEY (team_id, company_id) REFERENCES companies (team_id, id) ON DELETE CASCADE;
ALTER TABLE flags ADD CONSTRAINT flags_on_one CHECK ((contact_id IS NULL) <> (company_id IS NULL));
-- Open company flags are read by every lookup (beside flags_open for contacts); all of a contact's or company's
-- flags, closed ones included, by its timeline.
CREATE INDEX flags_company_open ON flags (company_id) WHERE closed_at IS NULL;
CREATE INDEX flags_contact ON flags (contact_id);
CREATE INDEX flags_company ON flags (company_id);

-- Follow-up tasks listed per contact (the sidebar) and per assignee (the popup's "my open tasks", overdue first).
CREATE INDEX tasks_contact ON tasks (contact_id) WHERE contact_id IS NOT NULL;
CREATE INDEX tasks_assignee_open ON tasks (assignee_id, due_at) WHERE done_at IS NULL;

-- One row per team whose data the sidebar shows has changed at least once: `version` goes up by one with every
-- committed transaction that changed the team's flags, tasks, contacts, their addresses or companies. Browsers
-- ask GET /v1/changes every 30 s and revalidate what they show only when it moved.
CREATE TABLE team_versions (
  team_id     bigint PRIMARY KEY REFERENCES teams(id) ON DELETE CASCADE,
  version     bigint NOT NULL,
  changed_at  timestamptz NOT NULL DEFAULT now()
);

-- Bumps the team's version once per transaction, at commit (the triggers below are deferred): the row lock on the
-- team's counter is held only while committing, so writers queue on it for moments, never across a whole
-- transaction, and never in an order that could deadlock with the hub's other locks (all taken earlier). Because
-- the bump commits with the change, a browser that saw version N has seen every change that N counts.
CREATE FUNCTION liaison_team_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  team bigint := CASE WHEN TG_OP = 'DELETE' THEN OLD.team_id ELSE NEW.team_id END;
  seen text := 'liaison.team_changed_' || team;
BEGIN
  -- Once per team and transaction: an import of ten thousand contacts bumps the counter once.
  IF coalesce(current_setting(seen, true), '') = '1' THEN
    RETURN NULL;
  END IF;
  PERFORM set_config(seen, '1', true);
  -- A team being deleted takes its counter with it: nothing to bump then.
  INSERT INTO team_versions AS v (team_id, version)
    SELECT team, 1 WHERE EXISTS (SELECT 1 FROM teams WHERE id = team)
    ON CONFLICT (team_id) DO UPDATE SET version = v.version + 1, changed_at = now();
  RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER flags_team_changed AFTER INSERT OR UPDATE OR DELETE ON flags
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION liaison_team_changed();
CREATE CONSTRAINT TRIGGER tasks_team_changed AFTER INSERT OR UPDATE OR DELETE ON tasks
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION liaison_team_changed();
CREATE CONSTRAINT TRIGGER contacts_team_changed AFTER INSERT OR UPDATE OR DELETE ON contacts
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION liaison_team_changed();
CREATE CONSTRAINT TRIGGER contact_emails_team_changed AFTER INSERT OR UPDATE OR DELETE ON contact_emails
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION liaison_team_changed();
CREATE CONSTRAINT TRIGGER companies_team_changed AFTER INSERT OR UPDATE OR DELETE ON companies
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION liaison_team_changed();
