import { describe, expect, it, vi } from 'vitest';
import { PageMemory, pageMemory } from '../../components/sidebar/page-memory';
import type { Send } from '../../components/sidebar/api';
import type { LookupResult } from '../../shared/wire-types';
import { contact } from './helpers/sidebar-data';

const result = (email: string, title: string): LookupResult => ({ email, member: null, contact: contact({ id: email, emails: [email], title }) });

describe("a page's memory of answers", () => {
  it('lets the hub replace what the cache said, never the other way round', () => {
    const memory = new PageMemory();
    memory.learn({ results: [result('jane@acme.example', 'cached')], source: 'cache' });
    memory.learn({ results: [result('jane@acme.example', 'from the hub')], source: 'hub' });
    memory.learn({ results: [result('jane@acme.example', 'late cache answer')], source: 'cache' });
    expect(memory.get('jane@acme.example')?.contact?.title).toBe('from the hub');
  });

  it('recalls a thread only when it knows every address, and tells listeners what it learnt', () => {
    const memory = new PageMemory();
    const heard = vi.fn();
    const stop = memory.onLearn(heard);
    memory.learn({ results: [result('a@x.example', 'A')], source: 'hub' });
    expect(memory.recall(['a@x.example', 'b@x.example'])).toBeNull();
    memory.learn({ results: [result('b@x.example', 'B')], source: 'cache' });
    expect(memory.recall(['b@x.example', 'a@x.example'])?.map((r) => r.contact?.title)).toEqual(['B', 'A']);
    stop();
    memory.learn({ results: [result('c@x.example', 'C')], source: 'hub' });
    expect(heard).toHaveBeenCalledTimes(2);
  });

  it('forgets the oldest answers beyond its bound, and a forgotten hub answer no longer blocks the cache', () => {
    const memory = new PageMemory();
    memory.learn({ results: [result('first@x.example', 'hub')], source: 'hub' });
    memory.learn({ results: Array.from({ length: 2_000 }, (_, i) => result(`p${i}@x.example`, 'x')), source: 'cache' });
    expect(memory.has('first@x.example')).toBe(false);
    expect(memory.has('p1999@x.example')).toBe(true);
    memory.learn({ results: [result('first@x.example', 'cache again')], source: 'cache' });
    expect(memory.get('first@x.example')?.contact?.title).toBe('cache again');
  });

  it('is one per page: the same send finds the same memory, another page has its own', () => {
    const send = (async () => undefined) as unknown as Send;
    const other = (async () => undefined) as unknown as Send;
    expect(pageMemory(send)).toBe(pageMemory(send));
    expect(pageMemory(other)).not.toBe(pageMemory(send));
  });
});
