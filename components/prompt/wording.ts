import type { VNode } from 'preact';
import type { PromptPerson, PromptQuestion } from '../../utils/messaging/protocol';
import { tx, type Sub } from '../sidebar/isolate';
import { t, type MessageKey } from '../sidebar/t';

/**
 * The prompt's wording, built once for two kinds of output: markup for the card (every name and company in its
 * own <bdi>) and plain text for the screen reader's announcement, which is never drawn (the live region is
 * visually hidden), so it is spoken exactly as before. `leaf` marks text that came from a page or the hub; `say`
 * puts parts into a translated sentence.
 */
interface Wording<T> {
  say(key: MessageKey, ...subs: (T | string | number)[]): T;
  leaf(text: string): T | string;
}

const markup: Wording<VNode> = { say: (key, ...subs) => tx(key, ...(subs as Sub[])), leaf: (text) => text };
const plain: Wording<string> = { say: (key, ...subs) => t(key, ...subs), leaf: (text) => text };

function label<T>(w: Wording<T>, person: PromptPerson): T | string {
  const name = w.leaf(person.name ?? person.email);
  return person.company ? w.say('prompt_person_company', name, w.leaf(person.company)) : name;
}

/**
 * "Log your conversation with Jane Doe (Acme)?" / "… with Jane Doe (Acme) and 2 more?" after leaving a thread;
 * "Log this email to Acme?" after sending (the company when everyone shares one, else the people).
 */
function question<T>(w: Wording<T>, q: PromptQuestion): T | string {
  const [first, ...rest] = q.people;
  if (!first) return '';
  const who = rest.length ? w.say('prompt_and_others', label(w, first), rest.length) : label(w, first);
  if (q.trigger === 'send') {
    const companies = new Set(q.people.map((p) => p.company));
    return w.say('prompt_question_send', companies.size === 1 && first.company ? w.leaf(first.company) : who);
  }
  return w.say('prompt_question_thread', who);
}

/** "Jane Doe (Acme)", or the address when the page gave no name: for the card and lists. */
export function personLabel(person: PromptPerson): VNode | string {
  return label(markup, person);
}

/** The question as the card shows it. */
export function promptQuestion(q: PromptQuestion): VNode | string {
  return question(markup, q);
}

/** The question as plain text, for the live region that announces it. */
export function promptQuestionText(q: PromptQuestion): string {
  return question(plain, q);
}

/** The person as plain text, for aria-labels. */
export function personLabelText(person: PromptPerson): string {
  return label(plain, person);
}
