import { useEffect, useState } from 'preact/hooks';
import type { InviteContext } from '../../utils/adapters/types';
import { createIcsFetcher, type FetchIcs } from '../../utils/fetch-ics';
import { colleagueDomains } from '../../utils/company';
import { meetingRef } from '../../utils/meetings';
import type { RefStatus, Request, SettingsView } from '../../utils/messaging/protocol';
import type { Send } from '../sidebar/api';
import { AttendanceCapture } from './AttendanceCapture';
import './attendance.css';
import { useMeeting } from './use-meeting';

export interface MeetingPanelProps {
  invites: InviteContext[];
  send: Send;
  /** Bumped when the outbox moves, so "Queued" becomes "Logged by you" by itself. */
  refreshKey: number;
  /** The sidebar already has the settings; the calendar page asks for them here. */
  settings?: SettingsView | null;
  /** How the .ics is fetched; by default from the page's own origin with its cookies. */
  fetchIcs?: FetchIcs;
  /** The clock capture is judged against; tests pin it. */
  clock?: () => Date;
}

const quiet = (e: unknown) => console.debug('[liaison] meeting request failed', e);
const systemClock = () => new Date();
let defaultFetcher: FetchIcs | null = null;
const pageFetcher = (): FetchIcs => (defaultFetcher ??= createIcsFetcher(location.origin));

/**
 * The attendance feature for the invitations a site adapter read. Resolves the meeting (page data, then the
 * .ics), asks the background whether it is logged, and renders the capture — or nothing at all when the
 * invitations describe no meeting it can show.
 */
export function MeetingPanel({ invites, send, refreshKey, settings, fetchIcs, clock = systemClock }: MeetingPanelProps) {
  const resolved = useMeeting(invites, send, fetchIcs ?? pageFetcher());
  const [ownSettings, setOwnSettings] = useState<SettingsView | null>(null);
  const [status, setStatus] = useState<RefStatus | undefined>(undefined);
  const [localRefresh, setLocalRefresh] = useState(0);
  const [now, setNow] = useState(clock);
  const ref = resolved ? meetingRef(resolved.meeting, resolved.source) : null;

  useEffect(() => {
    if (settings !== undefined) return;
    let live = true;
    send({ type: 'settings:get' } as unknown as Request<'settings:get'>)
      .then((view) => live && setOwnSettings(view))
      .catch(quiet);
    return () => {
      live = false;
    };
  }, [send, settings, refreshKey]);

  // Capture opens at the meeting's start: a panel left open across it notices within a minute.
  useEffect(() => {
    const timer = setInterval(() => setNow(clock()), 60_000);
    return () => clearInterval(timer);
  }, [clock]);

  useEffect(() => {
    if (!ref) return;
    let live = true;
    let freshArrived = false;
    const apply = (fresh: boolean) => (r: { results: RefStatus[] }) => {
      if (!live || (!fresh && freshArrived)) return;
      if (fresh) freshArrived = true;
      setStatus(r.results.find((s) => s.ref === ref));
    };
    send({ type: 'interactions:status', refs: [ref], mode: 'cache' }).then(apply(false)).catch(quiet);
    send({ type: 'interactions:status', refs: [ref], mode: 'fresh' }).then(apply(true)).catch(quiet);
    return () => {
      live = false;
    };
  }, [send, ref, refreshKey, localRefresh]);

  if (!resolved || !ref) return null;
  const view = settings ?? ownSettings;
  const mine = new Set((view?.myAddresses ?? []).map((a) => a.toLowerCase()));
  const teamDomains = new Set(colleagueDomains(view?.teamDomains ?? [], view?.me != null, view?.detectedAccounts ?? []));
  const { meeting, source } = resolved;
  return (
    <AttendanceCapture
      // A newer version of the invitation (or another meeting) starts again from its own RSVPs.
      key={`${ref}#${meeting.sequence ?? ''}#${meeting.cancelled}`}
      meeting={meeting}
      source={source}
      send={send}
      status={status}
      now={now}
      isMe={(email) => mine.has(email)}
      isColleague={(email) => teamDomains.has(email.slice(email.lastIndexOf('@') + 1))}
      onLogged={() => setLocalRefresh((n) => n + 1)}
    />
  );
}
