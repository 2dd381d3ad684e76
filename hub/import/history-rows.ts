/**
 * One history row → one interaction, logged through logInteraction (so merge rules, departments and
 * participants behave exactly as when a member logs from the extension). The idempotency key is a hash of the
 * row's values, so importing the same file again finds every row already there and writes nothing.
 */
import { createHash } from 'node:crypto';
import type { Principal } from '../auth.ts';
import { normalizeEmail } from '../domain/emails.ts';
import { contactIdsByEmail, createContact } from '../repo/contacts.ts';
import { logInteraction } from '../repo/interactions.ts';
import { INTERACTION_KINDS, type InteractionKind } from '../../shared/wire-types.ts';
import { parseImportDate } from './dates.ts';
import type { HistoryField } from './layouts.ts';
import { cleanText, limitText, MAX_ADDRESSES_PER_ROW, MAX_SOURCE_REF, MAX_SOURCE_SITE, type TextField } from './limits.ts';
import { isInternal, memberByEmail, shown, splitAddressList } from './people.ts';
import type { ImportContext } from './types.ts';

/** Recorded as the source site of imported rows, so the timeline says where an entry came from. */
export const IMPORT_SOURCE_SITE = 'csv-import';

export async function importHistoryRow(
  ctx: ImportContext,
  columns: Partial<Record<HistoryField, number>>,
  cells: string[],
  line: number,
): Promise<void> {
  const cell = (f: HistoryField) => (columns[f] === undefined ? '' : (cells[columns[f]!] ?? ''));

  const whenText = cleanText(cell('occurredAt'));
  const occurredAt = parseImportDate(whenText);
  if (!occurredAt) {
    return ctx.skip(line, whenText ? `occurred_at ${shown(whenText)} is not a date (ISO 8601 or YYYY-MM-DD HH:MM, UTC)` : 'occurred_at is empty');
  }
  const kindText = cleanText(cell('kind')).toLowerCase();
  if (!(INTERACTION_KINDS as readonly string[]).includes(kindText)) {
    return ctx.skip(line, `unknown kind ${shown(kindText)} (expected ${INTERACTION_KINDS.join(', ')})`);
  }
  const kind = kindText as InteractionKind;

  const addresses: string[] = [];
  for (const text of splitAddressList(cell('contactEmail'))) {
    const email = normalizeEmail(text);
    if (!email) return ctx.skip(line, `contact_email ${shown(text)} is not a valid address`);
    if (!addresses.includes(email)) addresses.push(email);
  }
  if (addresses.length === 0) return ctx.skip(line, 'contact_email is empty');
  if (addresses.length > MAX_ADDRESSES_PER_ROW) return ctx.skip(line, `contact_email lists more than ${MAX_ADDRESSES_PER_ROW} addresses`);
  const external = addresses.filter((e) => !isInternal(ctx, e));
  if (external.length === 0) return ctx.skip(line, 'contact_email lists only colleagues; history needs at least one customer');

  const loggedByText = cleanText(cell('loggedBy'));
  const logger = loggedByText ? memberByEmail(ctx, loggedByText) : ctx.actingMember;
  if (!logger) return ctx.skip(line, `logged_by_email ${shown(loggedByText)} is not a member of this team`);

  const givenRef = cleanText(cell('sourceRef'));
  if (givenRef.length > MAX_SOURCE_REF) return ctx.skip(line, `source_ref longer than ${MAX_SOURCE_REF} characters`);
  const sourceSite = cleanText(cell('sourceSite')) || IMPORT_SOURCE_SITE;
  if (sourceSite.length > MAX_SOURCE_SITE) return ctx.skip(line, `source_site longer than ${MAX_SOURCE_SITE} characters`);

  const text = (field: TextField) => {
    const { text: t, cut } = limitText(cell(field as HistoryField), field);
    if (cut) ctx.warn(line, `${field} longer than the limit; cut`);
    return t;
  };
  const subject = text('subject');
  const summary = text('summary');
  const outcome = text('outcome');

  // The row's meaning, not its bytes: re-saving the file in a spreadsheet (quoting, spacing, address case,
  // date format) must not make old rows look new.
  const key = `import:${createHash('sha256')
    .update(JSON.stringify(['v1', occurredAt, kind, [...addresses].sort(), subject, summary, outcome, logger.email, givenRef, sourceSite]))
    .digest('base64url')}`;
  const earlier = ctx.seen.get(key);
  if (earlier !== undefined) return ctx.skip(line, `same as line ${earlier} of this file`);
  ctx.seen.set(key, line);
  const done = await ctx.tx.query('SELECT 1 FROM idempotency_keys WHERE team_id = $1 AND key = $2', [ctx.teamId, key]);
  if (done.length > 0) return ctx.skip(line, 'already imported');

  // History is about people: an address nobody has a contact for yet gets one, so the sidebar shows it.
  const known = await contactIdsByEmail(ctx.tx, ctx.teamId, external);
  for (const email of external) {
    if (known.has(email)) continue;
    await createContact(ctx.tx, ctx.teamId, { emails: [email] });
    ctx.report.contactsCreated++;
  }

  const principal: Principal = {
    tokenId: '',
    teamId: ctx.teamId,
    memberId: logger.id,
    name: logger.name,
    email: logger.email,
    department: logger.department,
    role: logger.role,
  };
  const result = await logInteraction(ctx.db, principal, key, {
    kind,
    occurredAt,
    subject,
    summary,
    outcome,
    sourceSite,
    // Without a reference, two rows with the same subject and person by the same member would be taken for
    // one conversation (the merge rule for copies of one thread); the row's own key keeps them apart.
    sourceRef: givenRef || key,
    participants: addresses.map((email) => ({ email })),
  });
  const id = result.body.interaction.id;
  if (result.body.outcome === 'created') {
    ctx.report.interactionsCreated++;
  } else if (result.body.outcome === 'merged') {
    ctx.warn(line, `same conversation as interaction ${id} (logged by a teammate); ${logger.email} added as a logger`);
  } else {
    return ctx.skip(line, `already logged by ${logger.email} as interaction ${id}`);
  }
  ctx.report.imported++;
}
