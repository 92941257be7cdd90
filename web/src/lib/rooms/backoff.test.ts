import { describe, expect, it } from 'vitest';
import { nextBackoffMs } from './backoff';

describe('nextBackoffMs', () => {
  it('starts at the base and grows up to three times the last delay, capped', () => {
    const opts = { baseMs: 500, capMs: 10_000 };
    expect(nextBackoffMs(0, 0, opts)).toBe(500);
    expect(nextBackoffMs(0, 0.99, opts)).toBe(500);
    expect(nextBackoffMs(1_000, 1, opts)).toBe(3_000);
    expect(nextBackoffMs(1_000, 0, opts)).toBe(500);
    expect(nextBackoffMs(8_000, 1, opts)).toBe(10_000);
  });
});
