import { describe, expect, it } from 'vitest';
import { answer, playing, spotifyFixture } from './feature-fixture';
import { PLAYER_SETTLE_MS } from './now-playing';
import type { ApiResult } from './spotify-http';

// The Spotify feature over in-memory stores (issue 11 defects 2, 3, 4, 18).

describe('a 401 whose refresh cannot finish (defect 4)', () => {
  it('token endpoint failing: unavailable with a retry time, and the refused token is never sent again', async () => {
    const f = spotifyFixture();
    const m = await f.member();
    f.onApi((_m, _p, token) => (token === 'at-0' ? answer(401, { error: { status: 401, message: 'x' } }) : answer(200, { devices: [] })));
    f.onRefresh(() => ({ kind: 'transient', failure: 'network', status: 503 }));
    const r = await f.feature.player.devices(m);
    expect(r).toMatchObject({ ok: false, problem: 'unavailable' });
    expect(!r.ok && r.retryAfterMs).toBeGreaterThanOrEqual(1_000);
    expect(f.calls.filter((c) => c.token === 'at-0')).toHaveLength(1);
    expect(f.refreshes).toHaveLength(1);
    // And the status says so.
    expect(await f.feature.status(m)).toMatchObject({ state: 'unavailable', connected: true, needsReconnect: false });
  });

  it("another process's refresh outlasting the wait (or a dead holder's lease): unavailable, never the refused token", async () => {
    const f = spotifyFixture();
    const m = await f.member();
    const dead = await f.stores.leases.tryAcquire(`refresh:${m}`, 12_000, f.clock.t);
    expect('release' in dead).toBe(true);
    f.onApi(() => answer(401, { error: { status: 401, message: 'x' } }));
    const r = await f.feature.player.devices(m);
    expect(r).toMatchObject({ ok: false, problem: 'unavailable' });
    expect(!r.ok && r.retryAfterMs).toBeGreaterThanOrEqual(1_000);
    expect(f.calls).toHaveLength(1);
    expect(f.refreshes).toHaveLength(0);
  });

  it('a refresh that completes: one retry with the new token', async () => {
    const f = spotifyFixture();
    const m = await f.member();
    f.onApi((_m, _p, token) => (token === 'at-0' ? answer(401, {}) : answer(200, { devices: [] })));
    expect(await f.feature.player.devices(m)).toEqual({ ok: true, devices: [] });
    expect(f.calls.map((c) => c.token)).toEqual(['at-0', 'at-1']);
  });
});

describe('status tells the truth (defect 3) and reconnect repairs (defect 2)', () => {
  it('invalid_grant marks the grant even when its ledger was wedged; reconnecting repairs it', async () => {
    const f = spotifyFixture();
    const m = await f.member(30_000); // inside the just-in-time window: the call refreshes first
    f.wedge(m);
    f.onRefresh(() => ({ kind: 'invalid_grant' }));
    expect(await f.feature.player.devices(m)).toMatchObject({ ok: false, problem: 'needs_reconnect' });
    expect(await f.feature.status(m)).toMatchObject({ state: 'needs_reconnect', needsReconnect: true, connected: false });
    f.wedge(m);
    const url = new URL(await f.feature.connect.start({ id: 's1', userId: m }));
    const back = await f.feature.connect.finish({ id: 's1', userId: m }, { state: url.searchParams.get('state')!, code: 'c' });
    expect(back).toEqual({ ok: true, memberId: m });
    expect(await f.feature.status(m)).toMatchObject({ state: 'connected', connected: true, needsReconnect: false });
    f.onApi(() => answer(200, { devices: [] }));
    expect(await f.feature.player.devices(m)).toEqual({ ok: true, devices: [] });
    expect(f.calls.at(-1)!.token).toBe('at-connect');
  });

  it('a failed Spotify exchange says unavailable until one succeeds', async () => {
    const f = spotifyFixture();
    const m = await f.member();
    expect(await f.feature.status(m)).toMatchObject({ state: 'connected' });
    f.onApi(() => answer(503, null, true));
    expect(await f.feature.player.command(m, 'pause')).toMatchObject({ ok: false, problem: 'unavailable' });
    expect(await f.feature.status(m)).toMatchObject({ state: 'unavailable', unavailable: true });
    f.onApi(() => answer(204));
    expect(await f.feature.player.command(m, 'pause')).toEqual({ ok: true });
    expect(await f.feature.status(m)).toMatchObject({ state: 'connected', unavailable: false });
  });
});

describe('now playing freshness: one rule on every path (defect 18)', () => {
  it('a state fetched while a player command was settling is not served past the settle time', async () => {
    const f = spotifyFixture();
    const m = await f.member();
    let release: (r: ApiResult) => void = () => undefined;
    let asked!: () => void;
    const pending = new Promise<void>((r) => (asked = r));
    let reads = 0;
    f.onApi((method, path) => {
      if (method === 'GET' && path.includes('currently-playing')) {
        reads += 1;
        if (reads === 1) {
          asked();
          return new Promise<ApiResult>((r) => (release = r));
        }
        return answer(200, playing('new'));
      }
      return answer(204);
    });
    const first = f.feature.nowPlaying(m);
    await pending; // the read is at Spotify now
    f.clock.t += 10;
    expect(await f.feature.player.command(m, 'next')).toEqual({ ok: true });
    f.clock.t += 10;
    release(answer(200, playing('old'))); // the read that raced `next` lands after it
    expect(await first).toMatchObject({ item: { id: 'old' } });
    // Within the settle time the raced state may be served; after it, Spotify is asked again.
    f.clock.t += PLAYER_SETTLE_MS;
    expect(await f.feature.nowPlaying(m)).toMatchObject({ item: { id: 'new' } });
    expect(reads).toBe(2);
  });

  it('a state fetched before a command is never served after it', async () => {
    const f = spotifyFixture();
    const m = await f.member();
    let id = 'a';
    f.onApi((method) => (method === 'GET' ? answer(200, playing(id)) : answer(204)));
    expect(await f.feature.nowPlaying(m)).toMatchObject({ item: { id: 'a' } });
    expect(await f.feature.nowPlaying(m)).toMatchObject({ item: { id: 'a' } });
    expect(f.calls).toHaveLength(1); // served from the cache
    f.clock.t += 100;
    id = 'b';
    await f.feature.player.command(m, 'next');
    f.clock.t += 100;
    expect(await f.feature.nowPlaying(m)).toMatchObject({ item: { id: 'b' } });
  });
});
