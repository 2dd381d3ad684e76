import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import emailAddresses from 'email-addresses';
import { companyNameFromDomain, isFreeMailDomain, normalizeDomain, normalizeEmail } from '../../hub/domain/emails.ts';
import { conversationKey, normalizeSubject } from '../../hub/domain/conversation.ts';

/**
 * The full RFC 5322 parse. Not the hub's normalisation (that is `normalizeEmail`); used here to
 * pin `normalizeEmail` to the real grammar: everything it accepts, the parser accepts as the same address.
 */
function parseEmail(trimmed: string): string | null {
  const parsed = emailAddresses.parseOneAddress({ input: trimmed, rfc6532: true, rejectTLD: true });
  if (!parsed || parsed.type !== 'mailbox') return null;
  const mailbox = parsed as emailAddresses.ParsedMailbox;
  // A display name ("Jane <jane@x>") is not an address: callers send names separately.
  if (mailbox.name) return null;
  // Quoted local parts with spaces are legal but never real customer mail; refusing them keeps addresses
  // comparable as plain strings.
  if (/\s/.test(mailbox.address)) return null;
  return mailbox.address.toLowerCase();
}

describe('addresses', () => {
  it('normalises case and space, refuses what is not one plain address', () => {
    expect(normalizeEmail('  Jane.Doe@Acme-Corp.COM ')).toBe('jane.doe@acme-corp.com');
    for (const bad of ['', 'jane', 'jane@', '@acme.com', 'jane@acme', 'Jane <jane@acme.com>', 'a@b.com, c@d.com', 'a b@c.com', 'x'.repeat(250) + '@a.com']) {
      expect(normalizeEmail(bad), bad).toBeNull();
    }
  });

  it('accepts nothing the RFC 5322 parser would not read as the same address (shared/addresses.ts)', () => {
    const junk = fc.string({ unit: fc.constantFrom(...'ab.@-_+"<> \\,;:()[]é1'.split('')), maxLength: 30 });
    fc.assert(
      fc.property(fc.oneof(fc.emailAddress(), junk), (s) => {
        const normalized = normalizeEmail(s);
        if (normalized != null) expect(parseEmail(s.trim())).toBe(normalized);
      }),
      { numRuns: 3000 },
    );
  });

  it('reads every plain generated address as the parser does', () => {
    fc.assert(
      fc.property(fc.emailAddress(), (s) => {
        if (new TextEncoder().encode(s).length > 254 || s.indexOf('@') > 64) return;
        expect(normalizeEmail(s)).toBe(parseEmail(s));
      }),
      { numRuns: 2000 },
    );
  });

  it('reads a look-alike with invisible or bidi characters as the plain address', () => {
    expect(normalizeEmail('jane\u200B.doe@acme-corp.com')).toBe('jane.doe@acme-corp.com');
    expect(normalizeEmail('\u202Ejane.doe@acme-corp.com\u202C')).toBe('jane.doe@acme-corp.com');
    expect(normalizeDomain('acme\u00AD-corp.com')).toBe('acme-corp.com');
  });

  it('knows free-mail domains from the maintained list, and never names a company after them', () => {
    for (const d of ['gmail.com', 'outlook.com', 'yahoo.com', 'hotmail.com', 'icloud.com', 'proton.me']) {
      expect(isFreeMailDomain(d), d).toBe(true);
      expect(companyNameFromDomain(d)).toBeNull();
    }
    expect(isFreeMailDomain('acme-corp.com')).toBe(false);
    expect(companyNameFromDomain('acme-corp.com')).toBe('Acme Corp');
    expect(companyNameFromDomain('mail.globex.co.uk')).toBe('Globex');
  });

  it('normalises domains', () => {
    expect(normalizeDomain('@Acme.COM')).toBe('acme.com');
    expect(normalizeDomain('not a domain')).toBeNull();
    expect(normalizeDomain('localhost')).toBeNull();
  });
});

describe('conversation matching', () => {
  it('strips reply and forward prefixes in several languages', () => {
    for (const s of ['Re: Pilot', 'RE: Re: Pilot', 'Fwd: Pilot', 'AW: WG: Pilot', 'SV: Pilot', 'Antw: Pilot', 'Re[2]: Pilot', '  re:  pilot ']) {
      expect(normalizeSubject(s), s).toBe('pilot');
    }
    expect(normalizeSubject('Regarding pilot')).toBe('regarding pilot');
  });

  it('keys on subject and the set of external people, not their order', () => {
    expect(conversationKey('Re: Pilot', ['b@x.com', 'a@x.com'])).toBe(conversationKey('Pilot', ['a@x.com', 'b@x.com']));
    expect(conversationKey('Pilot', ['a@x.com'])).not.toBe(conversationKey('Pilot', ['a@x.com', 'b@x.com']));
    expect(conversationKey('', ['a@x.com'])).toBeNull();
    expect(conversationKey('Pilot', [])).toBeNull();
  });
});
