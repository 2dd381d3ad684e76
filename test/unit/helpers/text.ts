import type { MatcherFunction } from '@testing-library/preact';

const normal = (text: string | null | undefined) => (text ?? '').replace(/\s+/g, ' ').trim();

/**
 * Finds a sentence by its whole text, as a user reads it. Testing Library's plain text match looks at an
 * element's own text nodes only, and our sentences keep each name, subject or reason from a page or the hub in
 * an isolate of its own (`Logged by <bdi>Sam Lee</bdi> · <bdi>09:15</bdi>`). This matches the innermost element
 * whose full text is `expected`.
 */
export function sentence(expected: string | RegExp): MatcherFunction {
  const matches = (text: string) => (typeof expected === 'string' ? text === expected : expected.test(text));
  return (_content, element) => {
    if (!element || !matches(normal(element.textContent))) return false;
    return !Array.from(element.children).some((child) => matches(normal(child.textContent)));
  };
}
