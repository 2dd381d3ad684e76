import { browser } from 'wxt/browser';
import type messages from '../../public/_locales/en/messages.json';

/** Keys checked at compile time against the English messages file (type-only import: nothing is bundled). */
export type MessageKey = keyof typeof messages;

/** Every visible word goes through WXT's i18n (public/_locales); a missing key shows the key, never throws. */
export function t(key: MessageKey, ...substitutions: (string | number)[]): string {
  try {
    const getMessage = browser.i18n.getMessage as (name: string, subs?: string[]) => string;
    return getMessage(key, substitutions.map(String)) || key;
  } catch {
    return key;
  }
}

export function uiLocale(): string | undefined {
  try {
    return browser.i18n.getUILanguage() || undefined;
  } catch {
    return typeof navigator === 'undefined' ? undefined : navigator.language;
  }
}
