/**
 * One contacts row (HubSpot export or Liaison layout). A person already in the team (matched by any of the
 * row's addresses) is completed, never duplicated and never overwritten: empty name, title, company and owner
 * are filled, new addresses added. Companies come from the company column or the business domain; free-mail
 * domains never make one (createContact / companyByName refuse them).
 */
import { addEmail, companyByName, companyForDomain, contactIdsByEmail, createContact, updateContact, type ContactUpdate } from '../repo/contacts.ts';
import { domainOf, isFreeMailDomain, normalizeEmail } from '../domain/emails.ts';
import type { ContactField } from './layouts.ts';
import { cleanText, limitText, MAX_ADDRESSES_PER_ROW, type TextField } from './limits.ts';
import { isInternal, resolveOwner, shown, splitAddressList } from './people.ts';
import type { ImportContext } from './types.ts';

export async function importContactRow(
  ctx: ImportContext,
  columns: Partial<Record<ContactField, number>>,
  cells: string[],
  line: number,
): Promise<void> {
  const cell = (f: ContactField) => (columns[f] === undefined ? '' : (cells[columns[f]!] ?? ''));

  const primaryText = cleanText(cell('email'));
  if (!primaryText) return ctx.skip(line, 'no email address');
  const primary = normalizeEmail(primaryText);
  if (!primary) return ctx.skip(line, `invalid email address ${shown(primaryText)}`);
  if (isInternal(ctx, primary)) return ctx.skip(line, `${primary} is a colleague's address (team member or team domain), not a contact`);

  const emails = [primary];
  for (const text of splitAddressList(cell('additionalEmails'))) {
    const email = normalizeEmail(text);
    if (!email) ctx.warn(line, `additional address ${shown(text)} is not a valid address; ignored`);
    else if (isInternal(ctx, email)) ctx.warn(line, `additional address ${email} is a colleague's; ignored`);
    else if (!emails.includes(email)) emails.push(email);
  }
  if (emails.length > MAX_ADDRESSES_PER_ROW) {
    ctx.warn(line, `${emails.length} addresses; only the first ${MAX_ADDRESSES_PER_ROW} are kept`);
    emails.length = MAX_ADDRESSES_PER_ROW;
  }

  for (const email of emails) {
    const earlier = ctx.seen.get(email);
    if (earlier !== undefined) return ctx.skip(line, `${email} already appears on line ${earlier} of this file`);
  }

  const existing = await contactIdsByEmail(ctx.tx, ctx.teamId, emails);
  const owners = new Set(existing.values());
  if (owners.size > 1) {
    const other = emails.find((e) => existing.get(e) !== existing.get(primary)) ?? emails[1]!;
    return ctx.skip(line, `${other} already belongs to another contact in the team`);
  }
  for (const email of emails) ctx.seen.set(email, line);

  const text = (field: TextField, value: string) => {
    const { text: t, cut } = limitText(value, field);
    if (cut) ctx.warn(line, `${field} longer than the limit; cut`);
    return t;
  };
  const joinedName = [cleanText(cell('firstName')), cleanText(cell('lastName'))].filter(Boolean).join(' ');
  const name = text('name', cleanText(cell('name')) || joinedName);
  const title = text('title', cell('title'));
  const company = text('company', cell('company'));
  const owner = resolveOwner(ctx, cell('owner'));
  if (owner.problem) ctx.warn(line, owner.problem);

  const [contactId] = [...owners];
  if (!contactId) {
    await createContact(ctx.tx, ctx.teamId, { name, title, company, emails, ownerId: owner.member?.id ?? null });
    ctx.report.contactsCreated++;
    ctx.report.imported++;
    return;
  }
  if (await completeContact(ctx, contactId, emails, emails.filter((e) => !existing.has(e)), { name, title, company, ownerId: owner.member?.id ?? null })) {
    ctx.report.contactsUpdated++;
  }
  ctx.report.imported++;
}

/** Fills what the contact lacks; true when anything changed. */
async function completeContact(
  ctx: ImportContext,
  contactId: string,
  rowEmails: string[],
  newEmails: string[],
  row: { name: string | null; title: string | null; company: string | null; ownerId: string | null },
): Promise<boolean> {
  const [current] = await ctx.tx.query<{ name: string | null; title: string | null; company_id: string | null; owner_id: string | null }>(
    'SELECT name, title, company_id, owner_id FROM contacts WHERE team_id = $1 AND id = $2',
    [ctx.teamId, contactId],
  );
  const patch: ContactUpdate = {};
  if (!current!.name && row.name) patch.name = row.name;
  if (!current!.title && row.title) patch.title = row.title;
  if (!current!.owner_id && row.ownerId) patch.ownerId = row.ownerId;
  let changed = Object.keys(patch).length > 0;
  if (changed) await updateContact(ctx.tx, ctx.teamId, contactId, patch);

  for (const email of newEmails) await addEmail(ctx.tx, ctx.teamId, contactId, email);
  changed ||= newEmails.length > 0;

  if (!current!.company_id) {
    const domains = [...new Set(rowEmails.map(domainOf))].filter((d) => !isFreeMailDomain(d));
    let companyId: string | null = null;
    if (row.company) companyId = await companyByName(ctx.tx, ctx.teamId, row.company, domains);
    else for (const d of domains) if ((companyId = await companyForDomain(ctx.tx, ctx.teamId, d))) break;
    if (companyId) {
      await ctx.tx.query('UPDATE contacts SET company_id = $3, updated_at = now() WHERE team_id = $1 AND id = $2 AND company_id IS NULL', [
        ctx.teamId,
        contactId,
        companyId,
      ]);
      changed = true;
    }
  }
  return changed;
}
