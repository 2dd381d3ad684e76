/**
 * The mailbox-list reader the content scripts use (shared/address-list.ts), pinned to a full RFC 5322 parser
 * (email-addresses) on the lists both accept, plus the shapes mail pages really show and hostile text.
 */
import emailAddresses from 'email-addresses';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_LIST_LENGTH, parseMailboxList } from '../../shared/address-list';
import { parseAddressText } from '../../utils/adapters/person';

const rfc = (text: string) => {
  const parsed = emailAddresses.parseAddressList({ input: text, rfc6532: true, atInDisplayName: true });
  if (!parsed) return null;
  return parsed.flatMap((e) => (e.type === 'group' ? e.addresses : [e])).map((m) => ({ name: m.name || null, address: m.address }));
};

describe('parseMailboxList', () => {
  it('reads what mail pages show: quoted names with commas, angle addresses, bare addresses, groups, comments', () => {
    expect(parseMailboxList('"Doe, Jane" <jane.doe@acme-corp.com>, sam@x.com')).toEqual([
      { name: 'Doe, Jane', address: 'jane.doe@acme-corp.com' },
      { name: null, address: 'sam@x.com' },
    ]);
    expect(parseMailboxList('Jane Doe <jane@acme.com>')).toEqual([{ name: 'Jane Doe', address: 'jane@acme.com' }]);
    expect(parseMailboxList('Team: a@x.com, "B \\"the\\" Boss" <b@x.com>;, c@y.org')).toEqual([
      { name: null, address: 'a@x.com' },
      { name: 'B "the" Boss', address: 'b@x.com' },
      { name: null, address: 'c@y.org' },
    ]);
    expect(parseMailboxList('jane@x.com (Jane Doe)')).toEqual([{ name: 'Jane Doe', address: 'jane@x.com' }]);
    // Surname first and unquoted, as Outlook writes it: one person, not "Doe" and "Jane".
    expect(parseMailboxList('Doe, Jane <jane.doe@acme-corp.com>, Lee, Sam <sam@x.com>')).toEqual([
      { name: 'Doe, Jane', address: 'jane.doe@acme-corp.com' },
      { name: 'Lee, Sam', address: 'sam@x.com' },
    ]);
    expect(parseMailboxList('')).toEqual([]);
    expect(parseMailboxList(' , ;; ')).toEqual([]);
  });

  it('agrees with a full RFC 5322 parser on generated lists', () => {
    const atom = fc.stringMatching(/^[a-z0-9]{1,8}$/);
    const address = fc.tuple(atom, atom, fc.constantFrom('com', 'org', 'nl')).map(([l, d, t]) => `${l}@${d}.${t}`);
    const name = fc.stringMatching(/^[A-Za-z ,.'<>@:;()-]{1,20}$/).filter((n) => n.trim().length > 0);
    const mailbox = fc.oneof(
      address.map((a) => ({ text: a, name: null as string | null, address: a })),
      fc.tuple(name, address).map(([n, a]) => ({ text: `"${n.replace(/["\\]/g, '')}" <${a}>`, name: n.replace(/["\\]/g, '').replace(/\s+/g, ' ').trim() || null, address: a })),
      fc.tuple(atom, address).map(([n, a]) => ({ text: `${n} <${a}>`, name: n, address: a })),
    );
    fc.assert(
      fc.property(fc.array(mailbox, { minLength: 1, maxLength: 6 }), (boxes) => {
        const text = boxes.map((b) => b.text).join(', ');
        const ours = parseMailboxList(text);
        expect(ours.map((m) => m.address)).toEqual(boxes.map((b) => b.address));
        const theirs = rfc(text);
        if (theirs) expect(ours.map((m) => m.address)).toEqual(theirs.map((m) => m.address));
      }),
    );
  });

  it('never throws and stays cheap on hostile text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (s) => void parseMailboxList(s)));
    const nasty = `${'"'.repeat(5000)}${'('.repeat(20000)}${'<'.repeat(20000)}${',a@b.co'.repeat(5000)}`;
    const started = performance.now();
    parseMailboxList(nasty);
    expect(performance.now() - started).toBeLessThan(500);
    expect(parseMailboxList('x'.repeat(MAX_LIST_LENGTH * 2)).length).toBeLessThanOrEqual(1);
  });
});

describe('parseAddressText', () => {
  it('keeps only plain addresses, normalised, with their names', () => {
    expect(parseAddressText('"Doe, Jane" <Jane.Doe@Acme-Corp.com>, not an address, <bad@@x.com>, sam@x.com')).toEqual([
      { email: 'jane.doe@acme-corp.com', name: 'Doe, Jane' },
      { email: 'sam@x.com', name: null },
    ]);
    // A look-alike with a zero-width space is the same person.
    expect(parseAddressText('Jane <jane\u200B@acme.com>')).toEqual([{ email: 'jane@acme.com', name: 'Jane' }]);
  });
});
