// @vitest-environment happy-dom
/**
 * The popup's adoption line says whether the team's hub collects daily counts of these figures (issue 14): members
 * see which applies, in their language.
 */
import { cleanup, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { AdoptionLine } from '../../components/popup/UnloggedList';
import type { AdoptionStats } from '../../utils/messaging/protocol';
import { useLocale } from './helpers/i18n';

const stats = (sharing: AdoptionStats['sharing']): AdoptionStats => ({
  since: '2026-11-23T00:00:00.000Z', conversations: 21, logged: 18, prompted: 9, loggedFromPrompt: 7, dismissed: 1, listed: 3, loggedLater: 2, sharing,
});

describe('adoption line in the popup', () => {
  afterEach(cleanup);

  it('says when the team gets daily counts, and when the figures stay in the browser', () => {
    useLocale('en');
    render(<AdoptionLine stats={stats('counts')} />);
    expect(screen.getByText(/gets daily counts of these figures \(no subjects, addresses or names\)/)).toBeTruthy();
    cleanup();
    render(<AdoptionLine stats={stats('off')} />);
    expect(screen.getByText('These figures stay in this browser: your team does not collect them.')).toBeTruthy();
    cleanup();
    render(<AdoptionLine stats={{ ...stats(null), conversations: 0 }} />);
    expect(screen.getByText(/until your hub says whether your team collects/)).toBeTruthy();
  });

  it('in Dutch too', () => {
    useLocale('nl');
    render(<AdoptionLine stats={stats('off')} />);
    expect(screen.getByText('Deze cijfers blijven in deze browser: je team verzamelt ze niet.')).toBeTruthy();
  });
});
