import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { OAuthState } from './states';

/** What the suite needs of a state store: oauth/states.ts, and Spotify's (spotify/oauth-state-store.ts). */
interface StateStore<S> {
  create(s: S): Promise<void>;
  take(stateHash: string): Promise<S | null>;
  purgeExpired(now: number): Promise<void>;
}

/**
 * One suite for every OAuthStates (oauth/states.ts). Concurrency cases: many callbacks racing
 * with one state value, from two server processes, get it exactly once; takes of different
 * states racing each other each get their own; a purge racing a take never hands out an expired
 * state and never loses a live one.
 */
export interface OAuthStatesFixture<S extends OAuthState = OAuthState> {
  /** Two stores as two server processes would hold them (same storage). */
  stores: [StateStore<S>, StateStore<S>];
  /** A member id the storage accepts (PocketBase: a real `users` row). */
  memberId: string;
  /** The provider's extra fields of a state (Spotify: the sealed PKCE verifier). */
  extra?: Omit<S, keyof OAuthState>;
  dispose(): Promise<void>;
}

const hash = () => createHash('sha256').update(randomBytes(32)).digest('hex');

export function oauthStatesContract<S extends OAuthState = OAuthState>(name: string, make: () => Promise<OAuthStatesFixture<S>>) {
  let extra: Omit<S, keyof OAuthState> | undefined;
  const run = (fn: (f: OAuthStatesFixture<S>) => Promise<void>) => async () => {
    const f = await make();
    extra = f.extra;
    try {
      await fn(f);
    } finally {
      await f.dispose();
    }
  };
  const state = (memberId: string, expiresAt = Date.now() + 600_000): S =>
    ({ ...extra, stateHash: hash(), memberId, sessionId: `session-${randomBytes(4).toString('hex')}`, expiresAt }) as S;

  describe(`OAuth states contract (${name})`, () => {
    it(
      'a created state is taken once, as it was created; an unknown one is not found',
      run(async ({ stores: [a, b], memberId }) => {
        const s = state(memberId);
        await a.create(s);
        expect(await b.take(s.stateHash)).toEqual(s);
        expect(await a.take(s.stateHash)).toBeNull();
        expect(await b.take(hash())).toBeNull();
      }),
    );

    it(
      '50 callbacks racing with one state on two processes: exactly one gets it',
      run(async ({ stores: [a, b], memberId }) => {
        const s = state(memberId);
        await a.create(s);
        const taken = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).take(s.stateHash)));
        expect(taken.filter((t) => t !== null)).toEqual([s]);
      }),
    );

    it(
      'takes of different states racing each other each get their own',
      run(async ({ stores: [a, b], memberId }) => {
        const states = Array.from({ length: 10 }, () => state(memberId));
        await Promise.all(states.map((s, i) => (i % 2 ? a : b).create(s)));
        const taken = await Promise.all(states.map((s, i) => (i % 2 ? b : a).take(s.stateHash)));
        expect(taken).toEqual(states);
      }),
    );

    it(
      'a purge racing takes removes only expired states: a live one is still taken once',
      run(async ({ stores: [a, b], memberId }) => {
        const now = Date.now();
        const expired = state(memberId, now - 1_000);
        const live = state(memberId, now + 600_000);
        await a.create(expired);
        await a.create(live);
        const [, fromA, fromB] = await Promise.all([b.purgeExpired(now), a.take(live.stateHash), b.take(live.stateHash)]);
        expect([fromA, fromB].filter((t) => t !== null)).toEqual([live]);
        await a.purgeExpired(now);
        expect(await b.take(expired.stateHash)).toBeNull();
      }),
    );
  });
}
