import { describe, expect, it } from 'vitest';
import { waitUntilText } from './wait-until';

describe('waitUntilText', () => {
  const now = new Date(2026, 11, 3, 13, 40).getTime();
  it('says only the time when the wait ends today', () => {
    const text = waitUntilText(new Date(2026, 11, 3, 13, 45).toISOString(), now, 'en-GB');
    expect(text).toBe('13:45');
  });
  it('names the day when it ends on another one', () => {
    const text = waitUntilText(new Date(2026, 11, 4, 1, 0).getTime(), now, 'en-GB');
    expect(text).toBe('Friday 01:00');
  });
});
