import { describe, expect, it } from 'vitest';
import { createPasswordHints } from './passwords';

describe('password hints (PWA)', () => {
  it('uses the server rules: length, bytes, and the estimator with the member as context', async () => {
    const hints = createPasswordHints();
    expect(await hints.problem('short')).toMatch(/at least 10/);
    expect(await hints.problem('é'.repeat(36))).toMatch(/at most 71 bytes/);
    expect(await hints.problem('1111111111')).toMatch(/too easy to guess/);
    expect(await hints.problem('Ann Lindqvist', { name: 'Ann Lindqvist' })).toMatch(/too easy to guess/);
    expect(await hints.problem('violet tandem kettle 42')).toBeNull();
  });

  it('loads the estimator once, only when asked, and falls back to the length rules without it', async () => {
    let loads = 0;
    const hints = createPasswordHints(async () => {
      loads++;
      throw new Error('offline');
    });
    expect(await hints.problem('short')).toMatch(/at least 10/);
    expect(loads).toBe(0); // a length problem needs no estimator
    expect(await hints.problem('1111111111')).toBeNull(); // the server will decide
    hints.warm();
    expect(await hints.problem('aaaaaaaaaa')).toBeNull();
    expect(loads).toBe(1);
  });
});
