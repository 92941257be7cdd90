import { describe, expect, it } from 'vitest';
import type { EngineProcess, ProviderHarness, ProviderName } from './engine-harness';
import { harnesses } from './engine-harness';
import type { LeaseStore } from './lease-store';
import type { GrantStore } from './store';

/**
 * One suite for the grant engine, run for every provider (Spotify in its strictest rotation
 * mode, Strava with its default rotation) over every storage (memory in the unit project,
 * PocketBase in the integration project). Each "process" is an engine of its own, with its own
 * in-process single flight, over storage shared the way two server processes share it.
 */
export interface EngineStorage {
  /** Storage as each of two processes sees it (PocketBase: two admin clients). */
  grants: [GrantStore, GrantStore];
  leases: [LeaseStore, LeaseStore];
  newMember(): Promise<string>;
  dispose(): Promise<void>;
}

export function grantEngineContract(makeStorage: (provider: ProviderName) => Promise<EngineStorage>) {
  for (const name of ['spotify', 'strava'] as const) {
    const withEngines = (fn: (h: ProviderHarness, a: EngineProcess, b: EngineProcess, member: string) => Promise<void>) => async () => {
      const s = await makeStorage(name);
      try {
        const h = harnesses[name]();
        const a = h.process(s.grants[0], s.leases[0]);
        const b = h.process(s.grants[1], s.leases[1]);
        const member = await s.newMember();
        await h.connect(a, member);
        await fn(h, a, b, member);
      } finally {
        await s.dispose();
      }
    };

    const refreshTokenOf = async (p: EngineProcess, member: string) => p.store.openTokens((await p.store.get(member))!)!.refreshToken;

    describe(`grant engine contract: ${name}`, () => {
      it(
        'one refresh per expiry across two processes racing, every caller gets the new token',
        withEngines(async (h, a, b, member) => {
          h.clock.advance(h.accessTtlMs + 1_000);
          const results = await Promise.all(Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? a : b).engine.accessToken(member)));
          expect(await h.refreshCalls()).toBe(1);
          const tokens = new Set(results.map((r) => (r.ok ? r.token : `problem:${r.problem}`)));
          expect(tokens.size).toBe(1);
          const [only] = [...tokens];
          expect(only).not.toMatch(/^problem:/);
          const stored = (await a.store.get(member))!;
          expect(a.store.openTokens(stored)!.accessToken).toBe(only);
          expect(stored.version).toBe(2);
          // And again at the next expiry: one more refresh, not one per process.
          h.clock.advance(h.accessTtlMs + 1_000);
          await Promise.all([a.engine.accessToken(member), b.engine.accessToken(member), a.engine.accessToken(member), b.engine.accessToken(member)]);
          expect(await h.refreshCalls()).toBe(2);
        }),
      );

      it(
        'a rotated refresh token is saved before the access token is used, so another process refreshes next time',
        withEngines(async (h, a, b, member) => {
          const first = await refreshTokenOf(a, member);
          h.clock.advance(h.accessTtlMs + 1_000);
          const r = await a.engine.accessToken(member);
          expect(r.ok).toBe(true);
          // Saved already when the caller got its token: the stored refresh token is the new one,
          // the provider no longer accepts the old one.
          const second = await refreshTokenOf(b, member);
          expect(second).not.toBe(first);
          expect(await h.refreshTokenLive(first)).toBe(false);
          expect(await h.refreshTokenLive(second)).toBe(true);
          // The other process, which never saw the rotation in memory, refreshes with the saved one.
          h.clock.advance(h.accessTtlMs + 1_000);
          const next = await b.engine.accessToken(member);
          expect(next.ok).toBe(true);
          expect(await h.refreshCalls()).toBe(2);
          expect((await b.store.get(member))!.status).toBe('ok');
        }),
      );

      it(
        'revoked at the provider: needs reconnect, decided by one refresh for all racing callers, and never asked again',
        withEngines(async (h, a, b, member) => {
          await h.revoke();
          h.clock.advance(h.accessTtlMs + 1_000);
          const results = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? a : b).engine.accessToken(member)));
          expect(results.every((r) => !r.ok && r.problem === 'needs_reconnect')).toBe(true);
          expect(await h.refreshCalls()).toBe(1);
          const g = (await a.store.get(member))!;
          expect(g.status).toBe('needs_reconnect');
          expect((await a.store.health(member)).lastFailureType).toBe('auth');
          const later = await b.engine.accessToken(member);
          expect(later).toMatchObject({ ok: false, problem: 'needs_reconnect' });
          await b.engine.refreshIfDue(member);
          expect(await h.refreshCalls()).toBe(1);
        }),
      );

      it(
        'a 401 on a live token forces one refresh; after revocation it ends in needs reconnect, not the refused token',
        withEngines(async (h, a, b, member) => {
          const before = await a.engine.accessToken(member);
          if (!before.ok) throw new Error('connected grant must give a token');
          await h.revoke();
          const [ra, rb] = await Promise.all([a.engine.accessToken(member, before.version), b.engine.accessToken(member, before.version)]);
          expect(ra).toMatchObject({ ok: false, problem: 'needs_reconnect' });
          expect(rb).toMatchObject({ ok: false, problem: 'needs_reconnect' });
          expect(await h.refreshCalls()).toBe(1);
        }),
      );
    });
  }
}
