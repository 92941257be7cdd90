import { dictionary } from '@zxcvbn-ts/language-common';

/**
 * Password rules (NIST SP 800-63B §5.1.1.2): at least 10 characters, no composition rules,
 * and not one of the commonly used passwords (zxcvbn-ts' list of ~49k). The upper bound is
 * bcrypt's 72-byte input limit, which PocketBase hashes with.
 */
export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_BYTES = 72;

export type PasswordProblem = 'too_short' | 'too_long' | 'common';

export function createPasswordPolicy(common: Iterable<string> = dictionary['passwords-common']) {
  const set = new Set<string>();
  for (const p of common) set.add(p.toLowerCase());
  return {
    check(password: string, context: string[] = []): PasswordProblem | null {
      if ([...password].length < MIN_PASSWORD_LENGTH) return 'too_short';
      if (new TextEncoder().encode(password).length > MAX_PASSWORD_BYTES) return 'too_long';
      const lower = password.toLowerCase();
      if (set.has(lower)) return 'common';
      if (context.some((c) => c.length >= 4 && lower === c.toLowerCase())) return 'common';
      return null;
    },
  };
}

export const passwordMessages: Record<PasswordProblem, string> = {
  too_short: `Use at least ${MIN_PASSWORD_LENGTH} characters.`,
  too_long: `Use at most ${MAX_PASSWORD_BYTES} bytes.`,
  common: 'This password is too common. Choose one that is harder to guess.',
};
