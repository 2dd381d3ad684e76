/**
 * Reading a list of mailboxes as mail sites show it — `"Doe, Jane" <jane.doe@acme-corp.com>, sam@x.com`,
 * `Team: a@x.com, b@x.com;`, `jane@x.com (Jane Doe)` — into display names and addresses.
 *
 * Why not a full RFC 5322 parser: the content scripts carry this (a 40 KB budget, of which a parser of the whole
 * grammar took 9 KB), and what mail pages show is the list syntax only: display names that may be quoted and hold
 * commas, angle brackets, comments, groups. That is what this reads, in one pass over the characters, so no input
 * can make it slow. The addresses it returns are raw: callers normalise them (shared/addresses.ts), which refuses
 * anything that is not one plain address. A property test pins it to a full RFC 5322 parser on the lists both
 * accept (test/unit/address-list.test.ts).
 */

export interface ListedMailbox {
  /** The display name as a person reads it (quotes and escapes removed), or null. */
  name: string | null;
  /** The address as written (angle brackets and comments removed), not yet normalised. */
  address: string;
}

/** Longer text is not a list of addresses a page shows; reading stops there rather than costing more. */
export const MAX_LIST_LENGTH = 100_000;

export function parseMailboxList(input: string): ListedMailbox[] {
  const text = input.length > MAX_LIST_LENGTH ? input.slice(0, MAX_LIST_LENGTH) : input;
  const out: ListedMailbox[] = [];
  let phrase = ''; // display name, or the bare address when there are no angle brackets
  let angle: string | null = null; // what stood between < and >
  let comment = ''; // the last comment's text: an old-style name "jane@x.com (Jane Doe)"
  let quotedName = false;

  const finish = (atComma: boolean) => {
    const bare = phrase.replace(/\s+/g, ' ').trim();
    // "Doe, Jane <jane@x.com>": Outlook and others write a surname-first name unquoted. A piece before a comma that
    // is neither an address nor followed by one is the start of the next display name, not a mailbox.
    if (atComma && angle === null && bare !== '' && !bare.includes('@')) {
      phrase = `${bare}, `;
      comment = '';
      return;
    }
    if (angle !== null) {
      const address = angle.trim();
      if (address) out.push({ name: bare || comment.trim() || null, address });
    } else if (bare) {
      out.push({ name: comment.trim() || null, address: quotedName ? bare : bare.replace(/\s+/g, '') });
    }
    phrase = '';
    angle = null;
    comment = '';
    quotedName = false;
  };

  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"') {
      // A quoted string: its commas, colons and brackets are text. A backslash escapes the next character.
      quotedName = true;
      for (i++; i < text.length && text[i] !== '"'; i++) phrase += text[i] === '\\' && i + 1 < text.length ? text[++i] : text[i];
    } else if (ch === '(') {
      // A comment, possibly nested; kept only as a name of last resort.
      let depth = 1;
      let inner = '';
      for (i++; i < text.length && depth > 0; i++) {
        const c = text[i]!;
        if (c === '\\' && i + 1 < text.length) inner += text[++i];
        else if (c === '(') depth++;
        else if (c === ')') depth--;
        if (depth > 0 && c !== '\\' && c !== '(') inner += c;
      }
      i--;
      comment = inner;
    } else if (ch === '<') {
      let inner = '';
      for (i++; i < text.length && text[i] !== '>'; i++) inner += text[i];
      angle = inner;
    } else if (ch === ',' || ch === ';') {
      finish(ch === ',');
    } else if (ch === ':' && angle === null && !phrase.includes('@')) {
      // "Group name: a@x, b@y;" — the group's name is not a person's.
      phrase = '';
      quotedName = false;
    } else if (angle === null) {
      phrase += ch;
    }
  }
  finish(false);
  return out;
}
