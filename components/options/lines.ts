/** Textareas hold one entry per line; blank lines and stray spaces are not entries. */
export function parseLines(text: string): string[] {
  return [...new Set(text.split(/[\n,;]+/).map((s) => s.trim().toLowerCase()).filter((s) => s !== ''))];
}

export const joinLines = (list: readonly string[]) => list.join('\n');
