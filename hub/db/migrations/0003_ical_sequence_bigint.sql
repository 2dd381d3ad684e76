-- An invitation's SEQUENCE as a bigint. RFC 5545 calls it an integer, but real invitations carry values above
-- 2^31-1 (some calendars write a timestamp there); an int column made such a log fail at PostgreSQL, and the
-- extension retries a 5xx forever. The hub accepts any whole number from 0 up to 2^53-1 (see hub/http/schemas.ts).
-- Changing int to bigint rewrites the interactions table once, under an exclusive lock: on a very large
-- installation, run `npm run hub -- migrate` in a quiet hour before starting the new version.
ALTER TABLE interactions ALTER COLUMN ical_sequence TYPE bigint;
