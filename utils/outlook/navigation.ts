/**
 * What an Outlook on the web URL says about the page. Outlook is a single-page app that moves with
 * `history.pushState`: selecting a conversation writes `/mail/<folder>/id/<id>` (also `/mail/0/…` on
 * outlook.live.com and with several accounts, `/mail/id/<id>` for a search result); pop-out windows open
 * `/mail/deeplink/read/<id>` or `/mail/deeplink/compose…`; the calendar lives under `/calendar/`.
 */

/** The hosts of utils/manifest.ts's OUTLOOK_HOST_PATTERNS (a unit test keeps the two lists the same). */
export const OUTLOOK_HOSTS = ['outlook.office.com', 'outlook.office365.com', 'outlook.live.com', 'outlook.cloud.microsoft'] as const;

export interface OutlookLocation {
  kind: 'thread' | 'list' | 'compose' | 'calendar' | 'other';
  /** The id in the URL (decoded): a conversation id, or an item id in deeplinks. */
  id: string | null;
  /** The folder before `/id/` (`inbox`, `sentitems`, `archive`…), or null. */
  folder: string | null;
}

const OTHER: OutlookLocation = { kind: 'other', id: null, folder: null };

/** Exchange ids are base64 (`AAQkAD…=`), URL-encoded; short words ("inbox", "0") are never ids. */
function decodeId(segment: string | undefined): string | null {
  if (!segment) return null;
  let id: string;
  try {
    id = decodeURIComponent(segment);
  } catch {
    return null;
  }
  return /^[A-Za-z0-9+/_=-]{16,}$/.test(id) ? id : null;
}

export function parseOutlookUrl(href: string): OutlookLocation {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return OTHER;
  }
  if (!(OUTLOOK_HOSTS as readonly string[]).includes(url.hostname)) return OTHER;
  const segments = url.pathname.split('/').filter((s) => s !== '');
  const app = segments[0];
  // `/mail/0/…`, `/calendar/1/…`: the account index is not part of the route.
  const rest = segments.slice(1).filter((s, i) => !(i === 0 && /^\d+$/.test(s)));
  if (app === 'calendar') {
    const itemAt = rest.findIndex((s) => s === 'item' || s === 'read');
    return { kind: 'calendar', id: itemAt >= 0 ? decodeId(rest[itemAt + 1]) : null, folder: null };
  }
  if (app !== 'mail') return OTHER;
  if (rest[0] === 'deeplink') {
    if (rest[1] === 'compose') return { kind: 'compose', id: null, folder: null };
    if (rest[1] === 'read') {
      const id = decodeId(rest[2]);
      return id ? { kind: 'thread', id, folder: null } : OTHER;
    }
    return OTHER;
  }
  if (rest[0] === 'options') return OTHER;
  const idAt = rest.indexOf('id');
  if (idAt >= 0) {
    const id = decodeId(rest[idAt + 1]);
    const folder = idAt > 0 ? rest.slice(0, idAt).join('/') : null;
    return id ? { kind: 'thread', id, folder } : { kind: 'list', id: null, folder };
  }
  return { kind: 'list', id: null, folder: rest.join('/') || 'inbox' };
}
