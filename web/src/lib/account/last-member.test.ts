import { describe, expect, it } from 'vitest';
import { LAST_MEMBER_KEY, storedLastMember } from './last-member';

function memoryStore() {
  const data = new Map<string, string>();
  return { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v), removeItem: (k: string) => void data.delete(k), data };
}

describe('storedLastMember', () => {
  it('keeps the id and name only, and forgets on null', () => {
    const store = memoryStore();
    const last = storedLastMember(store);
    expect(last.read()).toBeNull();
    last.write({ id: 'u1', name: 'Ann Lee', email: 'ann@example.com' } as { id: string; name: string });
    expect(last.read()).toEqual({ id: 'u1', name: 'Ann Lee' });
    expect(store.data.get(LAST_MEMBER_KEY)).not.toContain('ann@example.com');
    last.write(null);
    expect(last.read()).toBeNull();
  });

  it('reads damaged values as nobody', () => {
    const store = memoryStore();
    store.setItem(LAST_MEMBER_KEY, '{"id":3}');
    expect(storedLastMember(store).read()).toBeNull();
    store.setItem(LAST_MEMBER_KEY, 'nope');
    expect(storedLastMember(store).read()).toBeNull();
    expect(storedLastMember(null).read()).toBeNull();
  });
});
