/** Addresses and team members as the import reads them from cells. */
import { domainOf, normalizeEmail } from '../domain/emails.ts';
import { cleanText } from './limits.ts';
import type { ImportContext, TeamMember } from './types.ts';

/** A cell listing several addresses: HubSpot separates them with `;`, people also type `,`. */
export function splitAddressList(cell: string | undefined): string[] {
  return cleanText(cell)
    .split(/[;,]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Quote a cell value inside a reason, short enough to read and without control characters. */
export function shown(value: string): string {
  const v = cleanText(value).replace(/\s+/g, ' ');
  return `"${v.length > 60 ? `${v.slice(0, 57)}…` : v}"`;
}

/** Colleagues' addresses (members, or any address at the team's own domains) are never contacts. */
export function isInternal(ctx: ImportContext, email: string): boolean {
  return ctx.teamDomains.has(domainOf(email)) || ctx.members.some((m) => m.email === email);
}

export function memberByEmail(ctx: ImportContext, value: string): TeamMember | null {
  const email = normalizeEmail(value);
  return (email && ctx.members.find((m) => m.email === email)) || null;
}

/**
 * A HubSpot "Contact owner" is exported as the owner's name ("Sam Lee"), sometimes as an address or as
 * "Sam Lee (sam@x.com)"; match by address first, then by name, case-insensitively.
 */
export function resolveOwner(ctx: ImportContext, value: string): { member: TeamMember | null; problem?: string } {
  const text = cleanText(value);
  if (!text) return { member: null };
  const address = /[^\s<>()"',;]+@[^\s<>()"',;]+/.exec(text)?.[0];
  if (address) {
    const m = memberByEmail(ctx, address);
    if (m) return { member: m };
  }
  const name = text.replace(/[<(].*$/, '').replace(/\s+/g, ' ').trim().toLowerCase();
  const byName = ctx.members.filter((m) => m.name.replace(/\s+/g, ' ').trim().toLowerCase() === name);
  if (byName.length === 1) return { member: byName[0]! };
  if (byName.length > 1) return { member: null, problem: `owner ${shown(text)} matches several members; imported without owner` };
  return { member: null, problem: `owner ${shown(text)} is not a member of this team; imported without owner` };
}
