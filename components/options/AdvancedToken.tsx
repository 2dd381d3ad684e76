import type { ComponentChildren } from 'preact';
import { t } from '../sidebar/t';

/**
 * Pasting an access token (issue 13 keeps it, for tokens made with the command line or the API): below "Sign in to
 * your hub", under its own heading, so a newcomer is not asked for a token they do not have.
 */
export function AdvancedToken({ children }: { children: ComponentChildren }) {
  return (
    <section class="advanced" aria-labelledby="advanced-token-h">
      <h2 id="advanced-token-h">{t('options_advanced')}</h2>
      <p class="hint">{t('options_advanced_hint')}</p>
      {children}
    </section>
  );
}
