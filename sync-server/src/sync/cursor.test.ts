import { describe, expect, it } from 'vitest';
import { formatCursor, needsReset, parseCursor } from './cursor';

describe('cursor', () => {
  it('round-trips and refuses anything else', () => {
    expect(parseCursor(formatCursor({ epoch: 'abc1', seq: 42, mark: 7 }))).toEqual({ epoch: 'abc1', seq: 42, mark: 7 });
    for (const bad of ['', '1.2', 'a.b.c', 'ABC.1.2', 'a.1.2.3', 'a.1.2.y', 'a.1.2.d.x']) expect(parseCursor(bad)).toBeNull();
    expect(parseCursor(formatCursor({ epoch: 'abc1', seq: 42, mark: 7, docs: true }))).toEqual({ epoch: 'abc1', seq: 42, mark: 7, docs: true });
    // Protocol 3 cursors: documents and execution records both delivered.
    expect(formatCursor({ epoch: 'abc1', seq: 42, mark: 7, docs: true, executions: true })).toBe('abc1.42.7.x');
    expect(parseCursor('abc1.42.7.x')).toEqual({ epoch: 'abc1', seq: 42, mark: 7, docs: true, executions: true });
  });

  it('resets only when a tombstone above both the cursor and its mark was purged', () => {
    expect(needsReset({ epoch: 'e', seq: 10, mark: 0 }, 0)).toBe(false);
    expect(needsReset({ epoch: 'e', seq: 10, mark: 0 }, 10)).toBe(false);
    expect(needsReset({ epoch: 'e', seq: 10, mark: 0 }, 11)).toBe(true);
    expect(needsReset({ epoch: 'e', seq: 3, mark: 11 }, 11)).toBe(false);
    expect(needsReset({ epoch: 'e', seq: 3, mark: 11 }, 12)).toBe(true);
  });
});
