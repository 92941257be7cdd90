import { describe, expect, it } from 'vitest';
import { loadSortMode, saveSortMode } from './display-sort';

function memoryStorage(): Storage {
  const m = new Map<string, string>();
  return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v), removeItem: (k) => void m.delete(k), clear: () => m.clear(), key: () => null, length: 0 } as Storage;
}

describe('display sort mode', () => {
  it('is by name until chosen, then what was chosen; junk reads as by name', () => {
    const s = memoryStorage();
    expect(loadSortMode(s)).toBe('name');
    saveSortMode(s, 'points');
    expect(loadSortMode(s)).toBe('points');
    s.setItem('hrm.display.sort', 'shoe size');
    expect(loadSortMode(s)).toBe('name');
    expect(loadSortMode(null)).toBe('name');
  });
});
