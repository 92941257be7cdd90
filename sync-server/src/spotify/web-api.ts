import type { Logger } from 'pino';
import type { AppStateStore } from './app-state';
import type { FailureType } from './grant-store';
import type { Grants } from './grants';
import { problem, type Problem } from './problems';
import { errorReason, retryAfterSec, type ApiAnswer, type SpotifyHttp } from './spotify-http';
import type { TokenEngine } from './token-engine';

/**
 * One Web API call on behalf of a member, with the rules of spotify-emulator.md §3 rule 3–4:
 * the app-wide 429 circuit and call budget first (both in PocketBase, so every process obeys
 * them), a just-in-time token, then
 * - 401 → one forced refresh (only if the failed token is still current) and one retry with the
 *   new token, then stop; a refresh that cannot finish is "unavailable", never a retry with the
 *   refused token;
 * - 429 with Retry-After ≤ 2 s → wait and retry once; longer → open the app-wide circuit until
 *   Retry-After and fail fast; `reason: QUOTA_EXCEEDED` is told apart;
 * - 5xx / network → idempotent GETs are retried once; commands never;
 * - plain-text 403 → "not on the app's allowlist" (development mode, limited beta).
 * Other answers (2xx, 400, 403 JSON, 404) go back to the caller, who knows what they mean.
 */
export type CallResult = { ok: true; answer: ApiAnswer } | Problem;

export interface WebApiDeps {
  http: SpotifyHttp;
  engine: TokenEngine;
  store: Grants;
  appState: AppStateStore;
  logger: Logger;
  now: () => number;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
}

const SHORT_RETRY_AFTER_S = 2;
const SUCCESS_WRITE_EVERY_MS = 60_000;

export function createWebApi(deps: WebApiDeps) {
  const { http, engine, store, appState, logger, now } = deps;

  return {
    async call(memberId: string, method: string, path: string, opts: { body?: unknown; idempotent?: boolean } = {}): Promise<CallResult> {
      const route = `${method} ${path.split('?')[0]}`;
      let failedVersion: number | null = null;
      let retriedShort429 = false;
      let retriedServer = false;
      for (let attempt = 0; attempt < 4; attempt++) {
        const circuit = await appState.circuit(now());
        if (circuit) return problem(circuit.reason === 'quota' ? 'quota_exceeded' : 'rate_limited', circuit.until - now());
        const access = await engine.accessToken(memberId, failedVersion);
        if (!access.ok) return access;
        // Never present the token Spotify just refused (the engine says so itself; belt and braces).
        if (failedVersion !== null && access.version === failedVersion) return problem('unavailable', 2_000);
        const budget = await appState.takeCall(route, now());
        if (!budget.ok) return problem('rate_limited', budget.retryAfterMs);
        const health = access.health;
        const fail = (type: FailureType) => store.recordFailure(memberId, type, now()).catch(() => undefined);

        const result = await http.api(method, path, access.token, opts.body);
        if (result.kind === 'network') {
          await fail('network');
          if (opts.idempotent && !retriedServer) {
            retriedServer = true;
            await deps.sleep(100 + Math.floor(deps.random() * 200));
            continue;
          }
          return problem('unavailable', 2_000);
        }
        const a = result.answer;
        if (a.status === 401) {
          if (failedVersion === null) {
            failedVersion = access.version;
            continue;
          }
          logger.warn({ member: memberId, route }, 'spotify: 401 again after a fresh token; giving up on this call');
          await fail('auth');
          return problem('rejected');
        }
        if (a.status === 429) {
          const reason = errorReason(a.json);
          const ra = retryAfterSec(a.headers, now());
          await fail('rate');
          if (reason === 'QUOTA_EXCEEDED') {
            const until = now() + (ra ?? 3_600) * 1000;
            await appState.openCircuit(until, 'quota', now());
            logger.error({ retryAfterSec: ra }, 'spotify: quota exceeded; circuit open');
            return problem('quota_exceeded', until - now());
          }
          if (ra !== null && ra <= SHORT_RETRY_AFTER_S && !retriedShort429) {
            retriedShort429 = true;
            await deps.sleep(ra * 1000);
            continue;
          }
          const until = now() + (ra ?? 30) * 1000;
          await appState.openCircuit(until, 'rate', now());
          logger.warn({ retryAfterSec: ra }, 'spotify: rate limited; circuit open for every process');
          return problem('rate_limited', until - now());
        }
        if (a.status >= 500) {
          await fail('network');
          if (opts.idempotent && !retriedServer) {
            retriedServer = true;
            await deps.sleep(100 + Math.floor(deps.random() * 200));
            continue;
          }
          return problem('unavailable', 2_000);
        }
        if (a.status === 403 && a.plainText) {
          // Development mode: the member is not on the app's allowlist (limited beta).
          await fail('auth');
          return problem('limited_beta');
        }
        if (a.status < 300 && (health.consecutiveFailures > 0 || now() - health.lastSuccessAt > SUCCESS_WRITE_EVERY_MS)) {
          await store.recordSuccess(memberId, now()).catch(() => undefined);
        }
        return { ok: true, answer: a };
      }
      return problem('unavailable', 2_000);
    },
  };
}

export type WebApi = ReturnType<typeof createWebApi>;
