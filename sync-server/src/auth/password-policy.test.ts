import { describe, expect, it } from 'vitest';
import { createPasswordPolicy } from './password-policy';

describe('password policy', () => {
  const policy = createPasswordPolicy();
  it('rejects short passwords', () => {
    expect(policy.check('short')).toBe('too_short');
    expect(policy.check('123456789')).toBe('too_short');
  });
  it('rejects common passwords whatever the case', () => {
    expect(policy.check('1234567890')).toBe('common');
    expect(policy.check('PASSWORD123')).toBe('common');
  });
  it('rejects a password equal to the email', () => {
    expect(policy.check('ann@example.com', ['ann@example.com'])).toBe('common');
  });
  it('rejects more than 72 bytes (bcrypt limit)', () => {
    expect(policy.check('é'.repeat(37))).toBe('too_long');
  });
  it('accepts a long uncommon passphrase', () => {
    expect(policy.check('violet tandem kettle 42')).toBeNull();
  });
});
