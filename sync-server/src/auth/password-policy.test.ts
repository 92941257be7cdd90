import { describe, expect, it } from 'vitest';
import { MAX_PASSWORD_BYTES } from '../../../core/auth/password-rules';
import { createPasswordPolicy } from './password-policy';

describe('password policy (server, real estimator)', () => {
  const policy = createPasswordPolicy();
  it('rejects short passwords', async () => {
    expect(await policy.check('short')).toBe('too_short');
    expect(await policy.check('123456789')).toBe('too_short');
  });
  it('rejects trivially weak passwords of full length', async () => {
    for (const pw of ['1111111111', 'aaaaaaaaaa', 'password123', 'PASSWORD123', '1234567890', 'qwertyuiop', 'abcdefghij']) {
      expect(await policy.check(pw), pw).toBe('weak');
    }
  });
  it("rejects a password built from the member's own email or name", async () => {
    expect(await policy.check('ann.lindqvist@example.com', { email: 'ann.lindqvist@example.com' })).toBe('weak');
    expect(await policy.check('Ann Lindqvist', { email: 'x@example.com', name: 'Ann Lindqvist' })).toBe('weak');
    expect(await policy.check('Ann Lindqvist')).toBeNull();
  });
  it(`rejects more than ${MAX_PASSWORD_BYTES} bytes of UTF-8, counting bytes not characters`, async () => {
    expect(await policy.check('violet tandem kettle '.repeat(4).slice(0, 72))).toBe('too_long');
    expect(await policy.check('violet tandem kettle '.repeat(4).slice(0, 71))).toBeNull();
    // 36 characters but 72 bytes.
    expect(await policy.check('é'.repeat(36))).toBe('too_long');
  });
  it('accepts a long uncommon passphrase', async () => {
    expect(await policy.check('violet tandem kettle 42')).toBeNull();
    expect(await policy.check('whatever whatever')).toBeNull();
  });
  it('fails the check, not the process, when the estimator cannot load', async () => {
    const broken = createPasswordPolicy(() => Promise.reject(new Error('no dictionaries')));
    await expect(broken.check('violet tandem kettle')).rejects.toThrow('no dictionaries');
  });
});
