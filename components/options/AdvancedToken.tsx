import type { ComponentChildren } from 'preact';
import { t } from '../sidebar/t';

/**
 * Pasting an access token (issue 13 keeps it, for tokens made with the command line or the API): below "Sign in to
 * your hub", under its own heading, so a newcomer is not asked for a token they do not have.
 */
export function AdvancedToken({ children }: { children: ComponentChildren }) {
  return (
    // A plain group under a heading, not a labelled region: "Access token" stays the one thing labelled that way.
    <div class="advanced">
      <h2>{t('options_advanced')}</h2>
      <p class="hint">{t('options_advanced_hint')}</p>
      {children}
    </div>
  );
}
