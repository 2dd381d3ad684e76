// @vitest-environment happy-dom
/**
 * Issue 12, "fresh enough to matter", on the page's side: a visible page asks every 30 s (and on being shown again)
 * whether the hub's data moved; when the background says it did (by writing the team version), an open page
 * revalidates at once and a hidden one when it is shown again — and the first version a browser ever learns is not
 * news. (The background's side — one hub request per 20 s for all tabs, by ETag — is in contact-actions.test.ts.)
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { ContentScriptContext } from '#imports';
import type { Send } from '../../components/sidebar/api';
import { CHECK_EVERY_MS, pollTeamChanges } from '../../utils/content/freshness';
import { onOutboxChange } from '../../utils/content/panel-host';
import { TEAM_VERSION_KEY } from '../../utils/storage/keys';

function fakeCtx(): ContentScriptContext & { abort(): void } {
  const controller = new AbortController();
  return {
    signal: controller.signal,
    get isInvalid() {
      return controller.signal.aborted;
    },
    setInterval: (fn: () => void, ms: number) => {
      const id = setInterval(fn, ms);
      controller.signal.addEventListener('abort', () => clearInterval(id));
      return id;
    },
    onInvalidated: (fn: () => void) => controller.signal.addEventListener('abort', fn),
    abort: () => controller.abort(),
  } as unknown as ContentScriptContext & { abort(): void };
}

let visibility: DocumentVisibilityState = 'visible';
const setVisibility = (state: DocumentVisibilityState) => {
  visibility = state;
  document.dispatchEvent(new Event('visibilitychange'));
};

beforeEach(() => {
  fakeBrowser.reset();
  visibility = 'visible';
  vi.spyOn(document, 'visibilityState', 'get').mockImplementation(() => visibility);
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('a page keeping itself fresh', () => {
  it('asks at once, every 30 s while visible, not while hidden, and again when shown', async () => {
    vi.useFakeTimers();
    const asked: string[] = [];
    const send = (async (req: { type: string }) => {
      asked.push(req.type);
      return { changed: false };
    }) as unknown as Send;
    const ctx = fakeCtx();
    pollTeamChanges(ctx, send);
    expect(asked).toEqual(['changes:check']);
    vi.advanceTimersByTime(CHECK_EVERY_MS);
    expect(asked).toHaveLength(2);
    setVisibility('hidden');
    vi.advanceTimersByTime(3 * CHECK_EVERY_MS);
    expect(asked).toHaveLength(2);
    setVisibility('visible');
    expect(asked).toHaveLength(3);
    ctx.abort();
    vi.advanceTimersByTime(3 * CHECK_EVERY_MS);
    expect(asked).toHaveLength(3);
  });

  it('revalidates when the team version moves — a hidden page once shown — but not for the first version learnt', async () => {
    const ctx = fakeCtx();
    const refreshed = vi.fn();
    onOutboxChange(ctx, refreshed);
    await fakeBrowser.storage.local.set({ [TEAM_VERSION_KEY]: { version: '1.4' } });
    expect(refreshed).not.toHaveBeenCalled();
    await fakeBrowser.storage.local.set({ [TEAM_VERSION_KEY]: { version: '1.5' } });
    expect(refreshed).toHaveBeenCalledTimes(1);
    setVisibility('hidden');
    await fakeBrowser.storage.local.set({ [TEAM_VERSION_KEY]: { version: '1.6' } });
    await fakeBrowser.storage.local.set({ [TEAM_VERSION_KEY]: { version: '1.7' } });
    expect(refreshed).toHaveBeenCalledTimes(1);
    setVisibility('visible');
    expect(refreshed).toHaveBeenCalledTimes(2);
    setVisibility('hidden');
    setVisibility('visible');
    expect(refreshed).toHaveBeenCalledTimes(2);
    ctx.abort();
  });
});
