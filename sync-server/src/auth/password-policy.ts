import {
  loadPasswordEstimator,
  passwordContext,
  passwordMessages,
  passwordProblem,
  type PasswordEstimator,
  type PasswordProblem,
} from '../../../core/auth/password-rules';

/**
 * The server's use of the shared password rules (core/auth/password-rules.ts): the server
 * decides, the PWA only hints. The estimator's dictionaries load once per policy, started at
 * creation so the first sign-up does not wait for them.
 */
export function createPasswordPolicy(load: () => Promise<PasswordEstimator> = loadPasswordEstimator) {
  const estimator = load();
  // Surface a load failure on use, not as an unhandled rejection at start-up.
  estimator.catch(() => undefined);
  return {
    async check(password: string, who: { email?: string; name?: string } = {}): Promise<PasswordProblem | null> {
      return passwordProblem(await estimator, password, passwordContext(who));
    },
  };
}

export type PasswordPolicy = ReturnType<typeof createPasswordPolicy>;
export { passwordMessages, type PasswordProblem };
