/**
 * Fetches an invitation's .ics from the mail page's own origin, from the content script, with the page's
 * cookies — the only way to read an attachment without asking for the user's Google token or a host
 * permission. Only same-origin URLs are fetched: a URL that a mail's markup points elsewhere is never
 * requested with the user's cookies. Returns null on any failure (not signed in, a redirect to another
 * origin that CORS refuses, too large): the feature then works from what the page showed, or stays silent.
 */

/** parseInvite refuses more than this; reading more would only cost memory. */
export const MAX_ICS_CHARS = 2_000_000;

export type FetchIcs = (url: string, signal?: AbortSignal) => Promise<string | null>;

export function createIcsFetcher(pageOrigin: string, fetchImpl: typeof fetch = fetch): FetchIcs {
  return async (url, signal) => {
    try {
      if (new URL(url).origin !== pageOrigin) return null;
      const res = await fetchImpl(url, { credentials: 'include', signal, headers: { accept: 'text/calendar, application/ics, */*' } });
      if (!res.ok) return null;
      if (Number(res.headers.get('content-length') ?? 0) > MAX_ICS_CHARS) return null;
      const text = await res.text();
      return text.length > MAX_ICS_CHARS ? null : text;
    } catch {
      return null;
    }
  };
}
