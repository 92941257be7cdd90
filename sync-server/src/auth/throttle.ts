import { retryAfterSec, type Limiter } from './limiter';

/**
 * Sign-in limits on the atomic limiter (auth/limiter.ts), so they hold across restarts and
 * server processes and under parallel requests: a per-address budget of auth requests per
 * minute, and a per-account budget of password checks per lock window. The account's slot is
 * taken BEFORE the password is checked, so 200 parallel guesses check exactly `lockThreshold`
 * passwords; a successful sign-in gives the account its budget back.
 */
export type ThrottleStore = Limiter;

export interface ThrottlePolicy {
  perAddressPerMinute: number;
  lockThreshold: number;
  lockWindowMs: number;
}

export type ThrottleVerdict = { ok: true } | { ok: false; code: 'rate_limited' | 'account_locked'; retryAfterSec: number };

export function createThrottle(limiter: Limiter, policy: ThrottlePolicy) {
  /** Takes one password check of the account's budget; refused (locked) when it is used up. */
  const attemptLogin = async (accountKey: string, now: number): Promise<ThrottleVerdict> => {
    const v = await limiter.consume(`acct:${accountKey}`, policy.lockThreshold, policy.lockWindowMs, now);
    return v.ok ? v : { ok: false, code: 'account_locked', retryAfterSec: retryAfterSec(v.retryAfterMs) };
  };
  return {
    /** Counts one auth request from a client address and says whether it may go on. */
    async hitAddress(address: string, now: number): Promise<ThrottleVerdict> {
      const v = await limiter.consume(`ip:${address}`, policy.perAddressPerMinute, 60_000, now);
      return v.ok ? v : { ok: false, code: 'rate_limited', retryAfterSec: retryAfterSec(v.retryAfterMs) };
    },
    attemptLogin,
    async succeededLogin(accountKey: string): Promise<void> {
      await limiter.reset(`acct:${accountKey}`);
    },
  };
}

export type Throttle = ReturnType<typeof createThrottle>;
