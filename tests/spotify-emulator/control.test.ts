import { describe, expect, it } from 'vitest';
import { playing, setup } from './test-support';

describe('control plane (§5.6)', () => {
  it('validates bodies with zod and answers 400 with the issues', async () => {
    const h = setup();
    const bad = await h.control('/mode', { rotation: 'sometimes' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { issues: unknown[] }).issues.length).toBeGreaterThan(0);
    expect((await h.control('/mode', { notAKnob: true })).status).toBe(400);
    expect((await h.control('/users', { id: 'x', product: 'platinum' })).status).toBe(400);
    const notJson = await h.app.request('/__emu/clock', { method: 'POST', body: 'advance please' });
    expect(notJson.status).toBe(400);
  });

  it('refuses to register localhost or insecure redirect URIs', async () => {
    const h = setup();
    const res = await h.control('/clients', { id: 'c2', secret: 's', redirectUris: ['http://localhost:3000/cb'] });
    expect(res.status).toBe(400);
    expect((await h.control('/clients', { id: 'c2', secret: 's', redirectUris: ['http://127.0.0.1/cb'] })).status).toBe(200);
  });

  it('moves the clock by advanceMs or to an instant', async () => {
    const h = setup();
    const start = h.clock.now();
    await h.control('/clock', { advanceMs: 1500 });
    expect(h.clock.now()).toBe(start + 1500);
    const res = await h.control('/clock', { set: '2027-03-01T00:00:00.000Z' });
    expect(((await res.json()) as { iso: string }).iso).toBe('2027-03-01T00:00:00.000Z');
  });

  it('reset restores the initial users, knobs, tokens and log', async () => {
    const h = setup();
    const { access_token } = await h.login();
    await h.mode({ rotation: 'strict' });
    await h.control('/users', { id: 'zed' });
    await h.control('/reset', {});
    expect((await h.api('/v1/me', access_token)).status).toBe(401);
    expect(((await (await h.control('/mode')).json()) as { rotation: string }).rotation).toBe('none-2026');
    expect(h.emulator.state.users.has('zed')).toBe(false);
    expect((await h.calls()).total).toBe(1);
  });

  it('consent queue is consumed in order, then auto-approve takes over', async () => {
    const h = setup();
    await h.control('/consent', { user: 'bob', decision: 'approve' });
    await h.control('/consent', { user: 'carol', decision: 'deny' });
    expect((await h.authorize()).url?.searchParams.has('code')).toBe(true);
    expect((await h.authorize()).url?.searchParams.get('error')).toBe('access_denied');
    expect((await h.authorize()).url?.searchParams.has('code')).toBe(true);
    expect([...h.emulator.state.codes.values()].map((c) => c.userId)).toEqual(['bob', 'alice']);
    expect((await h.control('/consent', { user: 'nobody', decision: 'approve' })).status).toBe(404);
  });

  it('reports a user\'s player for debugging', async () => {
    const h = setup();
    await playing(h);
    const snapshot = (await (await h.control('/playback?user=alice')).json()) as { isPlaying: boolean; progressMs: number };
    expect(snapshot).toMatchObject({ isPlaying: true, progressMs: 10_000 });
  });
});

describe('GET /v1/search', () => {
  it('finds playlists by name for a playlist search', async () => {
    const h = setup();
    const { access_token } = await h.login();
    const res = await h.api('/v1/search?q=hiit&type=playlist', access_token);
    const body = (await res.json()) as { playlists: { items: { uri: string; name: string }[]; total: number; limit: number } };
    expect(body.playlists.total).toBe(1);
    expect(body.playlists.limit).toBe(5);
    expect(body.playlists.items[0]).toMatchObject({ name: 'HIIT Power', uri: 'spotify:playlist:37i9dQZF1DWZq91oLsHZvy' });
  });

  it('rejects a missing query, a bad type and a limit over 10', async () => {
    const h = setup();
    const { access_token } = await h.login();
    expect((await h.api('/v1/search?type=playlist', access_token)).status).toBe(400);
    expect((await h.api('/v1/search?q=run&type=artist', access_token)).status).toBe(400);
    expect((await h.api('/v1/search?q=run&type=playlist&limit=20', access_token)).status).toBe(400);
  });

  it('can return null items (observed) with the knob', async () => {
    const h = setup({ knobs: { searchNullProbability: 1 } });
    const { access_token } = await h.login();
    const body = (await (await h.api('/v1/search?q=run&type=playlist', access_token)).json()) as { playlists: { items: unknown[] } };
    expect(body.playlists.items).toEqual([null, null]);
  });
});
