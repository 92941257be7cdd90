import type { Logger } from 'pino';
import { isLease, type LeaseStore } from './lease-store';
import { grantProblem as problem, type GrantProblemResult } from './problems';
import type { SealedGrants } from './sealed';
import { createSingleFlight } from './single-flight';
import type { Grant, GrantHealth } from './store';
import { backoffMs, JUST_IN_TIME_MS, refreshAheadMs } from './timing';
import type { TokenOutcome } from './token-outcome';

/**
 * The grant engine, one for every provider (spotify-emulator.md §3 rules 1–3; issue 16). A
 * provider is a small adapter (`GrantProvider`): its token endpoint's refresh, classified into
 * TokenOutcome kinds, its name for logs and alarms, and the key of its refresh lease.
 *
 * - One refresh per grant at a time: an in-process single flight (a Map of promises per
 *   member) in front of a lease that holds across processes. After taking the lease the grant
 *   is read again: another process may have refreshed it meanwhile.
 * - Save before use: the new tokens are written with a compare-and-swap on the grant's version
 *   before any caller sees the access token; `refresh_token = response.refresh_token ?? current`
 *   (a provider that rotates, like Strava, has its new refresh token saved before the access
 *   token is handed out: the old one may already be dead at the provider).
 * - Outcomes by kind: invalid_grant → needs_reconnect (CAS, so a newer connect is never
 *   marked), invalid_client → app-wide alarm, transient → keep the grant, back off.
 * - A forced refresh (after an API 401) happens only if the token that failed is still current,
 *   and never answers with that token again: a refresh that cannot finish (token endpoint
 *   failing, another process's refresh still running after WAIT_FOR_OTHER_MS, a dead holder's
 *   lease not yet expired) is "temporarily unavailable" with a Retry-After (issue 11 defect 4).
 */
export interface GrantProvider {
  /** Lower-case name, the prefix of every log line and the alarm (`<name>_invalid_client`). */
  name: string;
  /** The cross-process lease of one member's refresh. */
  leaseKey(memberId: string): string;
  refresh(refreshToken: string): Promise<TokenOutcome>;
  /** The token endpoint's timeout: a refresh lease outlives it. */
  tokenTimeoutMs: number;
  /** What an operator should check when the provider refuses our client (invalid_client). */
  invalidClientHint: string;
}

/** Where the engine raises and clears the app-wide invalid_client alarm. */
export interface GrantAlarms {
  raiseAlarm(reason: 'invalid_client', now: number): Promise<void>;
  clearAlarm(): Promise<void>;
}

export type AccessResult = { ok: true; token: string; version: number; grant: Grant; health: GrantHealth } | GrantProblemResult;

export interface GrantEngineDeps {
  provider: GrantProvider;
  store: SealedGrants;
  leases: LeaseStore;
  alarms: GrantAlarms;
  logger: Logger;
  now: () => number;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
}

/** How long a request waits for another process's refresh before it gets a typed error. */
const WAIT_FOR_OTHER_MS = 6_000;
const POLL_MS = 100;

export function createGrantEngine(deps: GrantEngineDeps) {
  const { provider, store, leases, alarms, logger, now } = deps;
  const name = provider.name;
  const LEASE_TTL_MS = provider.tokenTimeoutMs + 4_000;
  const flight = createSingleFlight<AccessResult>();

  const current = (g: Grant, health: GrantHealth): AccessResult => {
    const tokens = store.openTokens(g);
    if (!tokens) return problem('needs_reconnect');
    return { ok: true, token: tokens.accessToken, version: g.version, grant: g, health };
  };

  /**
   * Every refresh names the version its caller saw as due (expiring, or whose token got a 401).
   * If the stored grant has moved past it and is not about to expire, someone refreshed already.
   */
  const refreshedSince = (g: Grant, seenVersion: number) => g.version !== seenVersion && g.expiresAt - now() > JUST_IN_TIME_MS;

  /**
   * The stored token when a refresh did not happen: usable unless it is about to expire, or
   * unless the provider just refused it (`forced`): retrying with a refused token only earns a
   * second 401, so the caller is told to come back later instead.
   */
  const stillUsable = (g: Grant, health: GrantHealth, retryAfterMs: number, forced: boolean): AccessResult =>
    !forced && g.expiresAt - now() > 5_000 ? current(g, health) : problem('unavailable', Math.max(1_000, retryAfterMs));

  /** After a lost compare-and-set: whoever won wrote the grant we must use now. */
  async function afterLost(memberId: string): Promise<AccessResult> {
    const [again, health] = await Promise.all([store.get(memberId), store.health(memberId)]);
    if (!again) return problem('not_connected');
    if (again.status !== 'ok') return problem('needs_reconnect');
    return current(again, health);
  }

  async function refreshHolding(memberId: string, seenVersion: number, forced: boolean): Promise<AccessResult> {
    const [g, health] = await Promise.all([store.get(memberId), store.health(memberId)]);
    if (!g) return problem('not_connected');
    if (g.status === 'needs_reconnect') return problem('needs_reconnect');
    if (refreshedSince(g, seenVersion)) return current(g, health);
    const t0 = now();
    if (health.backoffUntil > t0) return stillUsable(g, health, health.backoffUntil - t0, forced);
    const tokens = store.openTokens(g);
    if (!tokens) {
      logger.error({ member: memberId, keyId: g.sealed.keyId }, `${name}: stored tokens cannot be opened (token key missing or changed)`);
      if ((await store.markNeedsReconnect(g, t0)) === null) return afterLost(memberId);
      return problem('needs_reconnect');
    }
    // expires_at counts from when the request was sent, not when the answer arrived.
    const sentAt = now();
    const outcome = await provider.refresh(tokens.refreshToken);
    switch (outcome.kind) {
      case 'ok': {
        const write = {
          accessToken: outcome.tokens.accessToken,
          refreshToken: outcome.tokens.refreshToken ?? tokens.refreshToken,
          expiresAt: Math.min(sentAt + outcome.tokens.expiresInSec * 1000, outcome.tokens.expiresAtMs ?? Infinity),
          scopes: outcome.tokens.scope ?? g.scopes,
        };
        const version = await store.saveRefresh(g, write, now());
        if (version !== null) {
          logger.info({ member: memberId, version, rotated: outcome.tokens.refreshToken !== null }, `${name}: token refreshed`);
          void alarms.clearAlarm().catch(() => undefined);
          return { ok: true, token: write.accessToken, version, grant: { ...g, version, expiresAt: write.expiresAt }, health: { ...health, consecutiveFailures: 0, backoffUntil: 0 } };
        }
        // Someone else wrote first (our lease had run out): theirs is the current grant.
        logger.warn({ member: memberId }, `${name}: refresh lost the compare-and-swap; using the stored grant`);
        return afterLost(memberId);
      }
      case 'invalid_grant':
        // A lost CAS means a newer grant (a reconnect, another refresh) is in place: use it.
        if ((await store.markNeedsReconnect(g, now())) === null) return afterLost(memberId);
        logger.warn({ member: memberId }, `${name}: refresh token refused (invalid_grant); the member must reconnect`);
        return problem('needs_reconnect');
      case 'invalid_client':
        logger.error({ alarm: `${name}_invalid_client` }, `${name}: ALARM ${provider.invalidClientHint}`);
        await alarms.raiseAlarm('invalid_client', now());
        return stillUsable(g, health, 30_000, forced).ok ? current(g, health) : problem('misconfigured');
      case 'transient':
      case 'rejected': {
        const wait = backoffMs(health.consecutiveFailures + 1, deps.random);
        const type = outcome.kind === 'rejected' ? 'unknown' : outcome.failure;
        logger.warn({ member: memberId, status: outcome.status, failure: type, backoffMs: wait }, `${name}: refresh failed; keeping the grant and backing off`);
        await store.recordFailure(memberId, type, now(), now() + wait);
        return stillUsable(g, health, wait, forced);
      }
    }
  }

  async function refresh(memberId: string, seenVersion: number, forced: boolean): Promise<AccessResult> {
    const deadline = now() + WAIT_FOR_OTHER_MS;
    for (;;) {
      const lease = await leases.tryAcquire(provider.leaseKey(memberId), LEASE_TTL_MS, now());
      if (isLease(lease)) {
        try {
          return await refreshHolding(memberId, seenVersion, forced);
        } finally {
          await lease.release();
        }
      }
      // Another process is refreshing this grant (or died holding the lease): watch for a result.
      await deps.sleep(POLL_MS);
      const [g, health] = await Promise.all([store.get(memberId), store.health(memberId)]);
      if (!g) return problem('not_connected');
      if (g.status === 'needs_reconnect') return problem('needs_reconnect');
      if (refreshedSince(g, seenVersion)) return current(g, health);
      if (now() > deadline) return stillUsable(g, health, Math.min(LEASE_TTL_MS, Math.max(1_000, lease.heldUntil - now())), forced);
    }
  }

  return {
    /**
     * An access token for one call. `failedVersion`: the version whose token just got a 401;
     * refresh only if it is still the current one.
     */
    async accessToken(memberId: string, failedVersion: number | null = null): Promise<AccessResult> {
      const [g, health] = await Promise.all([store.get(memberId), store.health(memberId)]);
      if (!g) return problem('not_connected');
      if (g.status === 'needs_reconnect') return problem('needs_reconnect');
      const left = g.expiresAt - now();
      // The token that failed is no longer current: someone refreshed meanwhile, use theirs.
      if (failedVersion !== null && g.version !== failedVersion && left > 5_000) return current(g, health);
      if (failedVersion === null && left > JUST_IN_TIME_MS) {
        // Ahead of expiry: refresh in the background; callers keep using the current token.
        if (left < refreshAheadMs(deps.random) && health.backoffUntil <= now()) {
          void flight(memberId, () => refresh(memberId, g.version, false)).catch((e: Error) => logger.warn({ err: e.message }, `${name}: background refresh failed`));
        }
        return current(g, health);
      }
      // A forced refresh never shares a flight with an unforced one: their answers differ.
      const forced = failedVersion !== null;
      return flight(forced ? `forced:${memberId}` : memberId, () => refresh(memberId, g.version, forced));
    },

    /** Background job: refresh one grant if it is within the refresh-ahead window. */
    async refreshIfDue(memberId: string): Promise<void> {
      const [g, health] = await Promise.all([store.get(memberId), store.health(memberId)]);
      if (!g || g.status !== 'ok' || health.backoffUntil > now()) return;
      if (g.expiresAt - now() > refreshAheadMs(deps.random)) return;
      await flight(memberId, () => refresh(memberId, g.version, false));
    },
  };
}

export type GrantEngine = ReturnType<typeof createGrantEngine>;
