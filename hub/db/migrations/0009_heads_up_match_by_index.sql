-- Raising, moving or closing a heads-up matches it against the history of its contact, or of every contact of its
-- company (0006). 0006 asked for "the contact, OR anyone in a sub-select of the company's contacts": PostgreSQL
-- cannot use an index for that OR, so every heads-up read all of interaction_participants — half a second per
-- heads-up at 5M interactions, holding the raiser's request, and hours for a bulk load. Here the people come first
-- (the contact, and the company's contacts through contacts_company), and each person's history is an index range
-- of interaction_participants_contact: a millisecond or two. Same rows as before.
CREATE OR REPLACE FUNCTION liaison_heads_up_contacts_of_flag() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('liaison.restoring', true) = 'on' THEN RETURN NULL; END IF;
  DELETE FROM heads_up_contacts WHERE flag_id = NEW.id;
  IF NEW.kind IN ('open-service-issue', 'do-not-contact') THEN
    INSERT INTO heads_up_contacts (team_id, flag_id, interaction_id, contact_id, occurred_at, department)
    SELECT DISTINCT ON (ip.interaction_id) NEW.team_id, NEW.id, ip.interaction_id, ip.contact_id, ip.occurred_at, ip.department
      FROM (SELECT NEW.contact_id AS id WHERE NEW.contact_id IS NOT NULL
            UNION
            SELECT c.id FROM contacts c
             WHERE NEW.company_id IS NOT NULL AND c.company_id = NEW.company_id AND c.team_id = NEW.team_id) AS people
      JOIN interaction_participants ip ON ip.contact_id = people.id
     WHERE liaison_heads_up_stood(NEW, ip.occurred_at)
    ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END $$;
