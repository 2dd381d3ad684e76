import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_ADDRESS_OCTETS,
  MAX_INPUT_LENGTH,
  normalizeDomain,
  normalizeEmail,
  stripInvisible,
} from '../../shared/addresses';

/** Characters a sender can hide inside an address: zero-width, joiners, soft hyphen, BOM, bidi controls. */
const INVISIBLES = [
  '\u200B', '\u200C', '\u200D', '\u200E', '\u200F', '\u00AD', '\u2060', '\uFEFF', '\u061C',
  '\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u034F', '\uFE0F',
];
const octets = (s: string) => new TextEncoder().encode(s).length;

/** Anything, weighted towards what an address looks like. */
const anything = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.emailAddress(),
  fc.string({ unit: fc.constantFrom(...'aZ9.@-_+"<> \\,;:()[]éß\u0301İ'.split(''), ...INVISIBLES), maxLength: 40 }),
);

/** An address with invisible characters inserted anywhere. */
const lookAlike = fc
  .tuple(fc.emailAddress(), fc.array(fc.tuple(fc.nat(), fc.constantFrom(...INVISIBLES)), { minLength: 1, maxLength: 6 }))
  .map(([address, inserts]) => {
    let text = address;
    for (const [at, ch] of inserts) {
      const i = at % (text.length + 1);
      text = text.slice(0, i) + ch + text.slice(i);
    }
    return { address, text };
  });

describe('normalizeEmail (shared by the hub and the extension)', () => {
  it('lower-cases, trims, composes to NFC and refuses what is not one plain address', () => {
    expect(normalizeEmail('  Jane.Doe@Acme-Corp.COM ')).toBe('jane.doe@acme-corp.com');
    expect(normalizeEmail('jose\u0301@acme.example')).toBe('jos\u00e9@acme.example');
    expect(normalizeEmail('JOS\u00c9@acme.example')).toBe('jos\u00e9@acme.example');
    for (const bad of [
      '', 'jane', 'jane@', '@acme.com', 'jane@acme', 'Jane <jane@acme.com>', 'a@b.com, c@d.com', 'a b@c.com',
      '"jane"@acme.com', 'jane@[10.0.0.1]', 'jane..doe@acme.com', '.jane@acme.com', 'jane.@acme.com', 'jane@-acme.com',
      'jane@acme-.com', 'jane@acme..com', 'jane@acme.123', 'jane@@acme.com', 'jane\u2028@acme.com', 'jane\u00a0doe@acme.com',
    ]) {
      expect(normalizeEmail(bad), JSON.stringify(bad)).toBeNull();
    }
    for (const notText of [null, undefined, 42, {}, ['a@b.com']]) expect(normalizeEmail(notText)).toBeNull();
  });

  it('keeps RFC 5321 lengths: 64 octets of local part, 254 of address, 63 per label', () => {
    const domain = `${'d'.repeat(63)}.${'e'.repeat(63)}.${'f'.repeat(50)}.com`;
    expect(normalizeEmail(`${'l'.repeat(64)}@acme.com`)).not.toBeNull();
    expect(normalizeEmail(`${'l'.repeat(65)}@acme.com`)).toBeNull();
    // Octets, not characters: 32 two-octet letters are 64 octets, 33 are too many.
    expect(normalizeEmail(`${'é'.repeat(32)}@acme.com`)).not.toBeNull();
    expect(normalizeEmail(`${'é'.repeat(33)}@acme.com`)).toBeNull();
    expect(normalizeEmail(`jane@${'d'.repeat(64)}.com`)).toBeNull();
    const longest = `${'l'.repeat(60)}@${domain}`;
    expect(octets(longest)).toBeLessThanOrEqual(MAX_ADDRESS_OCTETS);
    expect(normalizeEmail(longest)).toBe(longest);
    expect(normalizeEmail(`${'l'.repeat(64)}@${'d'.repeat(63)}.${'e'.repeat(63)}.${'f'.repeat(63)}.com`)).toBeNull();
  });

  it('reads a look-alike with invisible or bidi characters inside as the plain address', () => {
    expect(normalizeEmail('jane\u200B.doe@acme-corp.com')).toBe('jane.doe@acme-corp.com');
    expect(normalizeEmail('\u202Ejane.doe@acme-corp.com')).toBe('jane.doe@acme-corp.com');
    expect(normalizeEmail('jane.doe@acme\u00AD-corp.com\u200F')).toBe('jane.doe@acme-corp.com');
    fc.assert(
      fc.property(lookAlike, ({ address, text }) => {
        expect(normalizeEmail(text)).toBe(normalizeEmail(address));
      }),
      { numRuns: 2000 },
    );
  });

  it('is idempotent, never throws, and never answers more than a legal address', () => {
    fc.assert(
      fc.property(anything, (input) => {
        const once = normalizeEmail(input);
        if (once == null) return;
        expect(normalizeEmail(once)).toBe(once);
        expect(octets(once)).toBeLessThanOrEqual(MAX_ADDRESS_OCTETS);
        expect(once).toBe(once.toLowerCase());
        expect(once).toBe(once.normalize('NFC'));
        expect(stripInvisible(once)).toBe(once);
        expect(once.split('@')).toHaveLength(2);
      }),
      { numRuns: 5000 },
    );
  });

  it('refuses oversized input before doing any other work, and finishes on inputs built to make a regex backtrack', () => {
    expect(normalizeEmail(' '.repeat(MAX_INPUT_LENGTH) + 'a@b.com')).toBeNull();
    // Classic catastrophic-backtracking shapes, each far longer than any address: they must simply be refused.
    const hostile = [
      'a'.repeat(100_000) + '!',
      `${'a.'.repeat(50_000)}@`,
      `a@${'a-'.repeat(50_000)}`,
      `a@${'a.'.repeat(50_000)}-`,
      '\u200B'.repeat(1_000_000),
      `${'a'.repeat(64)}@${'a-a.'.repeat(60)}`,
    ];
    for (const input of hostile) expect(normalizeEmail(input)).toBeNull();
    // Within the input limit, the worst shapes are still answered (and correctly).
    expect(normalizeEmail(`${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.ee`)).toBeNull();
    expect(normalizeEmail(`${'\u200B'.repeat(900)}jane@acme.com`)).toBe('jane@acme.com');
  });
});

describe('normalizeDomain', () => {
  it('normalises like an address’s domain part', () => {
    expect(normalizeDomain('@Acme.COM')).toBe('acme.com');
    expect(normalizeDomain(' .acme-corp.com. ')).toBe('acme-corp.com');
    expect(normalizeDomain('acme\u200B-corp.com')).toBe('acme-corp.com');
    expect(normalizeDomain('xn--p1ai.xn--p1ai')).toBe('xn--p1ai.xn--p1ai');
    for (const bad of ['', 'not a domain', 'localhost', 'acme..com', '-acme.com', 'acme.1', 'a'.repeat(64) + '.com', null]) {
      expect(normalizeDomain(bad), String(bad)).toBeNull();
    }
  });

  it('agrees with normalizeEmail on the domain part, and is idempotent', () => {
    fc.assert(
      fc.property(fc.oneof(fc.emailAddress(), lookAlike.map((l) => l.text)), (input) => {
        const email = normalizeEmail(input);
        if (email == null) return;
        const domain = email.slice(email.indexOf('@') + 1);
        expect(normalizeDomain(domain)).toBe(domain);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(anything, (input) => {
        const once = normalizeDomain(input);
        if (once != null) expect(normalizeDomain(once)).toBe(once);
      }),
      { numRuns: 3000 },
    );
  });
});
