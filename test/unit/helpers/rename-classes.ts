/**
 * What a Gmail release that renames its minified classes does to a page: every class name is replaced by
 * another, consistently (the same old name becomes the same new name everywhere), and nothing else changes —
 * attributes, ids, roles and structure stay. Used to check that the adapter still reads a page from Gmail's
 * stable facts alone (DESIGN.md: "each element needs one way that uses no class name at all").
 */

/** A small seeded generator (mulberry32), so a failing renaming can be reproduced from its seed. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * Rewrites every `class` attribute in `doc` to random names (`seed` picks them) and returns the mapping used.
 * New names never equal any old one, so a selector that still matches after renaming uses no class.
 */
export function renameClasses(doc: Document, seed = 1): Map<string, string> {
  const random = generator(seed);
  const elements = Array.from(doc.querySelectorAll('[class]'));
  const old = new Set(elements.flatMap((el) => Array.from(el.classList)));
  const mapping = new Map<string, string>();
  const taken = new Set(old);
  const fresh = () => {
    for (;;) {
      const length = 3 + Math.floor(random() * 4);
      let name = '';
      for (let i = 0; i < length; i++) name += LETTERS[Math.floor(random() * LETTERS.length)];
      if (!taken.has(name)) {
        taken.add(name);
        return name;
      }
    }
  };
  for (const el of elements) {
    const renamed = Array.from(el.classList).map((name) => {
      if (!mapping.has(name)) mapping.set(name, fresh());
      return mapping.get(name)!;
    });
    el.setAttribute('class', renamed.join(' '));
  }
  return mapping;
}
