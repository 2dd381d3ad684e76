import type { PromptPerson, PromptQuestion } from '../../utils/messaging/protocol';
import { t } from '../sidebar/t';

/** "Jane Doe (Acme)", or the address when the page gave no name. */
export function personLabel(person: PromptPerson): string {
  const name = person.name ?? person.email;
  return person.company ? t('prompt_person_company', name, person.company) : name;
}

/**
 * "Log your conversation with Jane Doe (Acme)?" / "… with Jane Doe (Acme) and 2 more?" after leaving a thread;
 * "Log this email to Acme?" after sending (the company when everyone shares one, else the people).
 */
export function promptQuestionText(question: PromptQuestion): string {
  const [first, ...rest] = question.people;
  if (!first) return '';
  if (question.trigger === 'send') {
    const companies = new Set(question.people.map((p) => p.company));
    const target = companies.size === 1 && first.company ? first.company : rest.length ? t('prompt_and_others', personLabel(first), rest.length) : personLabel(first);
    return t('prompt_question_send', target);
  }
  const who = rest.length ? t('prompt_and_others', personLabel(first), rest.length) : personLabel(first);
  return t('prompt_question_thread', who);
}
