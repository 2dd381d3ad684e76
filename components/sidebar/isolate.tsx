import { Fragment, h, type ComponentChild, type VNode } from 'preact';
import { t, type MessageKey } from './t';

/**
 * Text that came from a page or the hub — a name, a subject, a company, a note, a title, the hub's reason — sits
 * inside our sentences and lists, and its sender chose it. A right-to-left override (U+202E) in a display name
 * would otherwise reverse everything after it ("Last touch: Email by ‮Mallory · yesterday" shows "…yadretsey"), and
 * an unbroken 500-character name would widen the panel. So every such piece is rendered in its own `<bdi>` (a
 * bidirectional isolate whose direction is its own, `dir=auto` by default), and the panels wrap anywhere.
 */

/** A substitution: untrusted text (isolated), a number (as is), or markup already built with `tx`/`isoList`. */
export type Sub = string | number | VNode | null | undefined;

// Private-use characters mark where each substitution goes; page text never passes through getMessage at all.
const MARK = '\uE000';
const MARKED = /\uE000(\d)\uE000/;

function place(sub: Sub): ComponentChild {
  if (typeof sub === 'string') return h('bdi', null, sub);
  return sub ?? '';
}

/**
 * A translated sentence with every text substitution isolated: `tx('sidebar_last_touch', kind, name, when)` renders
 * "Last touch: <bdi>Email</bdi> by <bdi>Jane Doe</bdi> · <bdi>yesterday</bdi>" — the sentence's own words stay
 * outside the isolates, so nothing a name holds can move them.
 */
export function tx(key: MessageKey, ...subs: Sub[]): VNode {
  const text = t(key, ...subs.map((_, i) => `${MARK}${i}${MARK}`));
  const parts = text.split(MARKED);
  return h(Fragment, null, ...parts.map((part, i) => (i % 2 === 0 ? part : place(subs[Number(part)]))));
}

/** "Jane Doe, Raj Patel": each item in its own isolate, the separators outside them. */
export function isoList(items: Sub[], separator = ', '): VNode {
  const children: ComponentChild[] = [];
  items.forEach((item, i) => {
    if (i > 0) children.push(separator);
    children.push(place(item));
  });
  return h(Fragment, null, ...children);
}
