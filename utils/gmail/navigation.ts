/**
 * What a Gmail URL says about the page. Gmail navigates by changing the hash, so the URL is the cheapest and
 * earliest signal of "thread or list"; the DOM then confirms it and supplies the stable thread id.
 */

export interface GmailLocation {
  /** `/mail/u/<n>/`: which signed-in account this tab shows (several can be signed in at once). */
  accountIndex: number | null;
  /** The view before the thread id: `inbox`, `label/Clients`, `search/acme`, `category/updates`… */
  view: string | null;
  /** The thread id in the URL: legacy hex (`18f3…`) or the newer opaque form (`FMfcgz…`). */
  threadId: string | null;
  kind: 'thread' | 'list' | 'other';
}

/** Views that take an argument (`#label/<name>/<id>`), so the thread id is the third segment, not the second. */
const VIEWS_WITH_ARGUMENT = new Set(['label', 'search', 'category', 'advanced-search', 'section_query']);
/** Views that are lists of threads; anything else (settings, contacts, chat) is neither list nor thread. */
const LIST_VIEWS = new Set([
  'inbox', 'starred', 'snoozed', 'sent', 'scheduled', 'drafts', 'imp', 'all', 'spam', 'trash', 'chats',
  'label', 'search', 'category', 'advanced-search', 'section_query',
]);

/**
 * Thread ids: legacy ids are 16 hex digits; new ones are long opaque letter strings. Page numbers (`p2`) and
 * short label names are not ids.
 */
export function isThreadId(segment: string): boolean {
  if (/^p\d+$/.test(segment)) return false;
  return /^[0-9a-f]{16}$/i.test(segment) || /^[A-Za-z0-9_-]{20,}$/.test(segment);
}

export function parseGmailUrl(href: string): GmailLocation {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return { accountIndex: null, view: null, threadId: null, kind: 'other' };
  }
  const account = /^\/mail\/u\/(\d+)(?:\/|$)/.exec(url.pathname);
  const accountIndex = account?.[1] != null ? Number(account[1]) : url.pathname.startsWith('/mail') ? 0 : null;
  if (accountIndex == null) return { accountIndex, view: null, threadId: null, kind: 'other' };

  // Pop-out and print windows carry the thread in the query (`?view=pt&th=<id>`), not the hash.
  const th = url.searchParams.get('th');
  if (th && isThreadId(th)) return { accountIndex, view: url.searchParams.get('view'), threadId: th, kind: 'thread' };

  const hash = url.hash.replace(/^#/, '');
  // A bare `/mail/u/0/` shows the inbox before Gmail writes `#inbox`.
  if (hash === '') return { accountIndex, view: 'inbox', threadId: null, kind: 'list' };
  const segments = hash.split('?')[0]!.split('/').filter((s) => s !== '');
  const root = segments[0] ?? '';
  const idIndex = VIEWS_WITH_ARGUMENT.has(root) ? 2 : 1;
  const candidate = segments[idIndex];
  const view = segments.slice(0, idIndex).map(decodeSegment).join('/');
  if (candidate != null && isThreadId(candidate) && segments.length === idIndex + 1) {
    return { accountIndex, view, threadId: candidate, kind: 'thread' };
  }
  return { accountIndex, view, threadId: null, kind: LIST_VIEWS.has(root) ? 'list' : 'other' };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment.replace(/\+/g, ' '));
  } catch {
    return segment;
  }
}
