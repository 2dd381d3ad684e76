import { useEffect, useState } from 'preact/hooks';
import type { InviteContext, MeetingInvite } from '../../utils/adapters/types';
import type { FetchIcs } from '../../utils/fetch-ics';
import { combine, currentMeeting } from '../../utils/meetings';
import type { Send } from '../sidebar/api';

export interface ResolvedMeeting {
  meeting: MeetingInvite;
  /** The invitation the current version came from (its message or event): the fallback log reference. */
  source: InviteContext;
}

/**
 * Parsed .ics files by URL, for this page's life: Gmail re-renders a thread on every mutation batch, and the
 * same attachment must not be fetched again each time. Small and bounded.
 */
const parsedByUrl = new Map<string, MeetingInvite[]>();
const MAX_CACHED = 20;

/**
 * The MV3 service worker may be starting (or just killed) when the page asks: one failed message is not an
 * answer about the invitation, so try twice more before settling for what the page showed.
 */
async function parseWithRetry(icsText: string, send: Send, signal: AbortSignal) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await send({ type: 'invites:parse', icsText });
    } catch (error) {
      if (attempt >= 2 || signal.aborted) throw error;
      await new Promise((r) => setTimeout(r, 500 * (attempt + 1)));
    }
  }
}

async function loadIcs(url: string, send: Send, fetchIcs: FetchIcs, signal: AbortSignal): Promise<MeetingInvite[]> {
  const cached = parsedByUrl.get(url);
  if (cached) return cached;
  const text = await fetchIcs(url, signal);
  if (text == null) return [];
  const answer = await parseWithRetry(text, send, signal);
  if (parsedByUrl.size >= MAX_CACHED) parsedByUrl.delete(parsedByUrl.keys().next().value!);
  parsedByUrl.set(url, answer.invites);
  return answer.invites;
}

/** For tests: forget parsed attachments. */
export function forgetParsedInvites(): void {
  parsedByUrl.clear();
}

/** The .ics event that is the card's meeting (a calendar may carry a series and its exceptions). */
function matching(fromIcs: MeetingInvite[], card: MeetingInvite | null): MeetingInvite | null {
  if (fromIcs.length === 0) return null;
  return (card?.uid ? fromIcs.find((e) => e.uid === card.uid && e.recurrenceId == null) : null) ?? fromIcs[0] ?? null;
}

export function resolveMeeting(invites: InviteContext[], parsed: Map<string, MeetingInvite[]>): ResolvedMeeting | null {
  const versions: { meeting: MeetingInvite; source: InviteContext }[] = [];
  for (const context of invites) {
    const fromIcs = context.icsUrl ? matching(parsed.get(context.icsUrl) ?? [], context.invite) : null;
    const meeting = combine(context.invite, fromIcs);
    if (meeting) versions.push({ meeting, source: context });
  }
  const current = currentMeeting(versions.map((v) => v.meeting));
  if (!current) return null;
  const last = versions.at(-1)!;
  return { meeting: current, source: last.source };
}

/**
 * The meeting the page's invitations describe: what the page shows at once, then what the .ics adds (RSVPs,
 * SEQUENCE, METHOD) when it has been fetched and parsed. Failures are silent: the card alone, or nothing.
 */
export function useMeeting(invites: InviteContext[], send: Send, fetchIcs: FetchIcs): ResolvedMeeting | null {
  const [parsed, setParsed] = useState<Map<string, MeetingInvite[]>>(() => new Map());
  const urls = [...new Set(invites.map((i) => i.icsUrl).filter((u): u is string => u != null))];
  const urlsKey = urls.join('\n');

  useEffect(() => {
    const controller = new AbortController();
    if (urls.length === 0) return;
    Promise.all(urls.map((url) => loadIcs(url, send, fetchIcs, controller.signal).then((list) => [url, list] as const)))
      .then((entries) => {
        if (!controller.signal.aborted) setParsed(new Map(entries));
      })
      .catch((e: unknown) => console.debug('[liaison] invitation not read', e));
    return () => controller.abort();
    // urlsKey stands for urls: the array is rebuilt on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [urlsKey, send, fetchIcs]);

  return resolveMeeting(invites, parsed);
}
