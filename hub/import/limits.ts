/**
 * What an imported cell may hold. Every value is stored as plain text and only ever rendered as text, so a
 * cell like `=HYPERLINK(...)` or `<img onerror=...>` is kept verbatim and harmless; these limits only keep
 * one row from bloating the sidebar. They match the API's (hub/http/schemas.ts), so an imported contact looks
 * like one created through the API.
 */
export const MAX_FILE_BYTES = 50 * 1024 * 1024;
export const MAX_ROWS = 200_000;

/** Longer text is cut at the limit (with a warning): a long name is still better than no contact. */
export const TEXT_LIMITS = {
  name: 200,
  title: 200,
  company: 200,
  subject: 500,
  summary: 4000,
  outcome: 500,
} as const;

/** A reference is an identity: cutting it would make it match something else, so a longer one skips the row. */
export const MAX_SOURCE_REF = 500;
export const MAX_SOURCE_SITE = 40;
/** Addresses in one cell list (additional emails, history contacts): more is a data error, not a person. */
export const MAX_ADDRESSES_PER_ROW = 20;

export type TextField = keyof typeof TEXT_LIMITS;

/**
 * PostgreSQL text cannot hold NUL, and other C0 controls (except tab and newline) are never meaningful in a
 * CRM field: they are dropped so that one odd byte neither aborts the whole import nor hides in the UI.
 */
export function cleanText(value: string | undefined): string {
  // eslint-disable-next-line no-control-regex
  return (value ?? '').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').trim();
}

/** Cleans and cuts a value to its limit; `cut` is true when it was longer. Cuts between code points. */
export function limitText(value: string | undefined, field: TextField): { text: string | null; cut: boolean } {
  const text = cleanText(value);
  if (!text) return { text: null, cut: false };
  const max = TEXT_LIMITS[field];
  const chars = Array.from(text);
  if (chars.length <= max) return { text, cut: false };
  return { text: chars.slice(0, max).join('').trimEnd(), cut: true };
}
