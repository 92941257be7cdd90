import {
  MIN_PASSWORD_LENGTH,
  passwordContext,
  passwordLengthProblem,
  passwordMessages,
  loadPasswordEstimator,
  passwordProblem as rulesProblem,
  type PasswordEstimator,
} from '$core/auth/password-rules';

/**
 * Client-side hints from the server's own rules (core/auth/password-rules.ts); the server
 * decides (400 weak_password / password_too_long). The strength estimator is large, so it is
 * fetched only when a form first checks a password, never on first load. If it cannot be
 * fetched (offline, old cache), the form falls back to the length rules and the server checks.
 */
export { MIN_PASSWORD_LENGTH };

// loadPasswordEstimator imports zxcvbn dynamically: Vite puts it in a chunk of its own.
export function createPasswordHints(load: () => Promise<PasswordEstimator> = loadPasswordEstimator) {
  let estimator: Promise<PasswordEstimator | null> | null = null;
  const ready = () => (estimator ??= load().catch(() => null));
  return {
    /** Start fetching the estimator (e.g. when the password field gets focus). */
    warm(): void {
      void ready();
    },
    async problem(password: string, who: { email?: string; name?: string } = {}): Promise<string | null> {
      const length = passwordLengthProblem(password);
      if (length) return passwordMessages[length];
      const e = await ready();
      if (!e) return null;
      const problem = rulesProblem(e, password, passwordContext(who));
      return problem ? passwordMessages[problem] : null;
    },
  };
}

export function emailProblem(email: string): string | null {
  const trimmed = email.trim();
  if (trimmed === '') return 'Enter your email address.';
  // Deliberately loose: the server validates; this catches typos like a missing @.
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(trimmed)) return 'Enter an email address like name@example.com.';
  return null;
}
