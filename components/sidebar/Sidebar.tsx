import { useCallback, useState } from 'preact/hooks';
import type { ComposeContext, PageContext } from '../../utils/adapters/types';
import type { OfflineReason, PromptVerdict } from '../../utils/messaging/protocol';
import { PromptReason } from './PromptReason';
import type { Send } from './api';
import { LogCompose } from './LogCompose';
import { LogThread } from './LogThread';
import { composeRef, externalPeople } from './people';
import { PersonCard } from './PersonCard';
import { tx } from './isolate';
import { t, type MessageKey } from './t';
import { useSidebarData } from './use-sidebar-data';
// Issue 5: meeting invitations and attendance capture.
import { MeetingPanel } from '../attendance/MeetingPanel';
import type { FetchIcs } from '../../utils/fetch-ics';

export interface SidebarProps {
  context: PageContext;
  send: Send;
  /** Bumped by the content script when the outbox moves (storage key `liaison:outboxVersion`). */
  refreshKey: number;
  /** Reads the page again now (the adapter's `read`), for logging a compose form as it is at click time. */
  readNow?: () => PageContext;
  /** What the leave prompt decided for this thread: when it will not ask, the sidebar says why. */
  promptVerdict?: PromptVerdict;
  /** Issue 5: how an invitation's .ics is fetched (tests pass a fake; default: the page's own origin). */
  fetchIcs?: FetchIcs;
  /**
   * The mail account signed in on the page (the adapter reads it): never a customer, and before Liaison is
   * connected to a hub, its domain is taken for the team's.
   */
  account?: string | null;
}

const offlineKeys: Record<OfflineReason['code'], MessageKey> = {
  'not-configured': 'sidebar_offline_not_configured',
  unreachable: 'sidebar_offline_unreachable',
  unauthorized: 'sidebar_offline_unauthorized',
  'server-error': 'sidebar_offline_server_error',
  timeout: 'sidebar_offline_timeout',
};

const quiet = (e: unknown) => console.debug('[liaison] background request failed', e);

/**
 * Liaison has no hub yet: one line that says so, and a button to the options page (opened by the background:
 * a content script cannot open it itself). Nothing else waits on a hub that is not there.
 */
function NotConnected({ send }: { send: Send }) {
  return (
    <div class="not-connected" data-liaison="not-connected">
      <span role="status">{t('sidebar_not_connected')}</span>
      <button type="button" class="button button--quiet" data-liaison="connect" onClick={() => void send({ type: 'options:open' }).catch(quiet)}>
        {t('sidebar_connect')}
      </button>
    </div>
  );
}

function OfflineNotice({ reason }: { reason: OfflineReason }) {
  const key = offlineKeys[reason.code];
  return (
    <p class="offline" role="status" data-liaison="offline">
      {tx('sidebar_offline', key ? t(key) : reason.message)}
    </p>
  );
}

/**
 * The Liaison landmark docked at Gmail's right edge. It renders only what the adapter read and the background
 * answered; it never looks at the page's DOM itself.
 */
export function Sidebar({ context, send, refreshKey, readNow, fetchIcs, promptVerdict, account = null }: SidebarProps) {
  const [expanded, setExpanded] = useState(true);
  const [localRefresh, setLocalRefresh] = useState(0);
  const key = refreshKey * 1000 + localRefresh;
  const data = useSidebarData(send, context, key);
  const refresh = useCallback(() => setLocalRefresh((n) => n + 1), []);

  if (context.kind === 'none') return null;
  if (context.kind === 'list' && context.composes.length === 0) return null;

  const { settings, lookup, statuses } = data;
  const results = lookup?.results ?? [];
  const thread = context.kind === 'thread' ? context.thread : null;
  const externals = settings && thread ? externalPeople(thread.participants, settings, results, account) : [];
  const contactOf = (email: string) => {
    const result = results.find((r) => r.email === email);
    return result ? result.contact : undefined;
  };
  // People with open flags first: the warning is what must not be missed.
  const ordered = [...externals].sort(
    (a, b) => Number((contactOf(b.email)?.openFlags.length ?? 0) > 0) - Number((contactOf(a.email)?.openFlags.length ?? 0) > 0),
  );
  const composes = settings ? context.composes.filter((c) => externalPeople(c.recipients, settings, results, account).length > 0) : [];
  // Over a list, only a compose form to a customer is worth the panel's space.
  if (context.kind === 'list' && composes.length === 0) return null;
  const offline = lookup?.offline ?? data.statusOffline;
  // Not connected (nothing to connect with, or the background says so): one line, instead of an offline notice.
  const notConnected = (settings != null && (!settings.hubUrl || !settings.hasToken)) || offline?.code === 'not-configured';
  const latestCompose = (composeId: string): ComposeContext | null => {
    const now = readNow?.();
    if (!now || now.kind === 'none') return null;
    return now.composes.find((c) => c.composeId === composeId) ?? null;
  };

  return (
    <aside
      class={expanded ? 'sidebar' : 'sidebar sidebar--collapsed'}
      role="complementary"
      aria-label={t('sidebar_name')}
      data-liaison="sidebar"
      // Where the people data on screen came from (cache, then hub): the paint benchmark and tests read it.
      data-source={lookup?.source ?? 'none'}
    >
      <button
        type="button"
        class="sidebar__toggle"
        aria-expanded={expanded}
        aria-controls="liaison-sidebar-body"
        data-liaison="toggle"
        onClick={() => setExpanded(!expanded)}
      >
        <span aria-hidden="true" class="sidebar__chevron">
          {expanded ? '›' : '‹'}
        </span>
        {t('sidebar_toggle')}
      </button>
      <div id="liaison-sidebar-body" class="sidebar__body" hidden={!expanded}>
        {notConnected ? <NotConnected send={send} /> : offline && <OfflineNotice reason={offline} />}
        {settings == null ? (
          <p class="muted">{t('sidebar_loading')}</p>
        ) : (
          <>
            {/* Issue 5: the thread's meeting first; it is silent when the invitations describe none. */}
            {thread?.invites && (
              <MeetingPanel invites={thread.invites} send={send} refreshKey={key} settings={settings} fetchIcs={fetchIcs} />
            )}
            {thread && externals.length > 0 && (
              <LogThread
                thread={thread}
                settings={settings}
                status={statuses.get(thread.threadId)}
                send={send}
                onLogged={refresh}
              />
            )}
            {thread && externals.length === 0 && <p class="muted">{t('sidebar_internal_only')}</p>}
            {thread && externals.length > 0 && <PromptReason verdict={promptVerdict} />}
            {ordered.length > 0 && (
              <section aria-label={t('sidebar_people_heading')} class="people">
                {ordered.map((person) => (
                  <PersonCard
                    key={person.email}
                    person={person}
                    contact={lookup ? contactOf(person.email) : undefined}
                    pending={!lookup?.settled}
                    send={send}
                    refreshKey={key}
                    onChanged={refresh}
                    me={settings.me?.member.id ?? null}
                    admin={settings.me?.member.role === 'admin'}
                  />
                ))}
              </section>
            )}
            {composes.map((compose) => (
                <LogCompose
                  key={compose.composeId}
                  compose={compose}
                  settings={settings}
                  status={statuses.get(composeRef(compose))}
                  send={send}
                  readLatest={() => latestCompose(compose.composeId)}
                  onLogged={refresh}
                />
              ))}
          </>
        )}
      </div>
    </aside>
  );
}
