import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';

type Messages = Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;

/** Chrome's getMessage semantics over our real messages file: named placeholders, then $1…$9. */
export function useLocale(locale: 'en' | 'nl' = 'en'): void {
  const messages = JSON.parse(
    readFileSync(join(process.cwd(), `public/_locales/${locale}/messages.json`), 'utf8'),
  ) as Messages;
  vi.spyOn(fakeBrowser.i18n, 'getMessage').mockImplementation(((name: string, subs?: string | string[]) => {
    const entry = messages[name];
    if (!entry) return '';
    const list = subs == null ? [] : Array.isArray(subs) ? subs : [subs];
    const withNames = entry.message.replace(/\$([A-Za-z0-9_]+)\$/g, (_, ph: string) => entry.placeholders?.[ph.toLowerCase()]?.content ?? '');
    return withNames.replace(/\$(\d)/g, (_, n: string) => list[Number(n) - 1] ?? '');
  }) as typeof fakeBrowser.i18n.getMessage);
  vi.spyOn(fakeBrowser.i18n, 'getUILanguage').mockReturnValue(locale);
}
