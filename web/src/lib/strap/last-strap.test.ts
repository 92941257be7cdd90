import { describe, expect, it } from 'vitest';
import { createLastStrapMemory, LAST_STRAP_KEY } from './last-strap';

function storage() {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
    removeItem: (k: string) => void map.delete(k),
  };
}

describe('last strap memory', () => {
  it('keeps only the id and the name', () => {
    const s = storage();
    const memory = createLastStrapMemory(s);
    memory.save({ id: 'abc', name: 'Polar H10', extra: 'no' } as never);
    expect(JSON.parse(s.map.get(LAST_STRAP_KEY)!)).toEqual({ id: 'abc', name: 'Polar H10' });
    expect(memory.load()).toEqual({ id: 'abc', name: 'Polar H10' });
    memory.forget();
    expect(memory.load()).toBeNull();
  });

  it('ignores junk and survives missing storage', () => {
    const s = storage();
    s.map.set(LAST_STRAP_KEY, '{"id":3}');
    expect(createLastStrapMemory(s).load()).toBeNull();
    s.map.set(LAST_STRAP_KEY, 'not json');
    expect(createLastStrapMemory(s).load()).toBeNull();
    const none = createLastStrapMemory(null);
    none.save({ id: 'x', name: 'y' });
    expect(none.load()).toBeNull();
  });
});
