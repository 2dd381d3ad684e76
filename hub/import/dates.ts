/**
 * Dates in the history layout: ISO 8601 (`2026-03-04T09:30:00Z`, with an offset, or without a zone = UTC)
 * or the spreadsheet form `YYYY-MM-DD HH:MM` in UTC, or a bare date (midnight UTC). JavaScript's Date parser
 * silently rolls 2026-02-30 over to March, so the parsed fields are checked against the text.
 */
const PATTERN = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

export function parseImportDate(input: string): string | null {
  const m = PATTERN.exec(input.trim());
  if (!m) return null;
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone = 'Z'] = m;
  const year = Number(y);
  if (year < 1900 || year > 2999) return null;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return null;
  const check = new Date(Date.UTC(year, Number(mo) - 1, Number(d)));
  if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d)) return null;
  const offset = zone.toUpperCase() === 'Z' ? 'Z' : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone;
  const ms = frac ? `.${frac.padEnd(3, '0').slice(0, 3)}` : '';
  const parsed = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${ms}${offset}`);
  if (Number.isNaN(parsed.getTime())) return null;
  return parsed.toISOString();
}
