import type { MessageKey } from './t';

/** The outcomes a log may carry, shared by the sidebar's note form and the prompt's "Log with note…". */
export const OUTCOMES: [string, MessageKey][] = [
  ['', 'sidebar_outcome_none'],
  ['positive', 'sidebar_outcome_positive'],
  ['neutral', 'sidebar_outcome_neutral'],
  ['negative', 'sidebar_outcome_negative'],
  ['follow-up', 'sidebar_outcome_follow_up'],
];
