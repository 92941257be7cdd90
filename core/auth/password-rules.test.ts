import { describe, expect, it } from 'vitest';
import { MAX_PASSWORD_BYTES, passwordContext, passwordLengthProblem, passwordProblem, type PasswordEstimator } from './password-rules';

const scoring = (score: number): PasswordEstimator & { seen: string[][] } => {
  const seen: string[][] = [];
  return { seen, check: (_p, inputs = []) => (seen.push(inputs), { score }) };
};

describe('password rules', () => {
  it('counts characters for the minimum and UTF-8 bytes for the maximum', () => {
    expect(passwordLengthProblem('123456789')).toBe('too_short');
    expect(passwordLengthProblem('😀'.repeat(10))).toBeNull(); // 10 characters, 40 bytes
    expect(passwordLengthProblem('a'.repeat(MAX_PASSWORD_BYTES))).toBeNull();
    expect(passwordLengthProblem('a'.repeat(MAX_PASSWORD_BYTES + 1))).toBe('too_long');
    expect(passwordLengthProblem('é'.repeat(36))).toBe('too_long');
  });
  it('asks the estimator only about passwords of a valid length, with the context', () => {
    const weak = scoring(2);
    expect(passwordProblem(weak, 'short')).toBe('too_short');
    expect(weak.seen).toEqual([]);
    expect(passwordProblem(weak, 'long enough here', ['ann'])).toBe('weak');
    expect(weak.seen).toEqual([['ann']]);
    expect(passwordProblem(scoring(3), 'long enough here')).toBeNull();
  });
  it('takes the email, its local part and the name as context', () => {
    expect(passwordContext({ email: ' Ann.Lind@Example.com ', name: 'Ann Lindqvist' })).toEqual([
      'ann.lind@example.com',
      'ann',
      'lind',
      'ann lindqvist',
      'ann',
      'lindqvist',
    ]);
  });
});
