/**
 * The password rules, one copy for the server (the decision) and the PWA (early hints).
 *
 * - Length: at least 10 characters (NIST SP 800-63B §5.1.1.2: no composition rules, a minimum
 *   length, and a check against known-weak passwords).
 * - At most 71 bytes of UTF-8. PocketBase v0.39 hashes with bcrypt (which reads at most 72
 *   bytes) and its password field allows at most 71 characters; a longer password makes the
 *   create fail. Measured against the real v0.39.11: 71 ASCII bytes create and sign in, 72 are
 *   refused ("Must be less than 71 character(s)"). 71 bytes satisfies both limits whatever the
 *   script.
 * - Strength: zxcvbn (@zxcvbn-ts, with the common-password and keyboard dictionaries) must
 *   estimate at least 10^8 guesses (score 3, "safely unguessable"), counting the member's own
 *   email and name as known words. This rejects `1111111111`, `aaaaaaaaaa`, `password123`,
 *   keyboard walks and dates without a hand-kept list.
 *
 * The estimator (~1 MB of dictionaries) is loaded on demand: `loadPasswordEstimator` imports it
 * dynamically, so the PWA's first load does not carry it.
 */
export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_BYTES = 71;
export const MIN_STRENGTH_SCORE = 3;

export type PasswordProblem = 'too_short' | 'too_long' | 'weak';

/** The part of zxcvbn's API the rules use (so tests may pass a stub). */
export interface PasswordEstimator {
  check(password: string, userInputs?: string[]): { score: number };
}

export const passwordMessages: Record<PasswordProblem, string> = {
  too_short: `Use at least ${MIN_PASSWORD_LENGTH} characters.`,
  too_long: `Use at most ${MAX_PASSWORD_BYTES} bytes (about ${MAX_PASSWORD_BYTES} letters, fewer with accents or emoji).`,
  weak: 'This password is too easy to guess. Add a few unrelated words.',
};

/** The checks that need no dictionary: what the PWA shows while the estimator loads. */
export function passwordLengthProblem(password: string): PasswordProblem | null {
  if ([...password].length < MIN_PASSWORD_LENGTH) return 'too_short';
  if (new TextEncoder().encode(password).length > MAX_PASSWORD_BYTES) return 'too_long';
  return null;
}

/** Words the member's password must not lean on: their email, its local part, their name. */
export function passwordContext(input: { email?: string; name?: string }): string[] {
  const out: string[] = [];
  const email = input.email?.trim().toLowerCase();
  if (email) out.push(email, ...email.split('@')[0]!.split(/[._+-]/).filter((w) => w.length >= 3));
  const name = input.name?.trim().toLowerCase();
  if (name) out.push(name, ...name.split(/\s+/).filter((w) => w.length >= 3));
  return out;
}

export function passwordProblem(estimator: PasswordEstimator, password: string, context: string[] = []): PasswordProblem | null {
  const length = passwordLengthProblem(password);
  if (length) return length;
  return estimator.check(password, context).score < MIN_STRENGTH_SCORE ? 'weak' : null;
}

/** zxcvbn with the language-independent dictionaries and keyboard graphs, imported on demand. */
export async function loadPasswordEstimator(): Promise<PasswordEstimator> {
  const [{ ZxcvbnFactory }, common] = await Promise.all([import('@zxcvbn-ts/core'), import('@zxcvbn-ts/language-common')]);
  return new ZxcvbnFactory({ dictionary: { ...common.dictionary }, graphs: common.adjacencyGraphs });
}
