import { describe, expect, it } from 'vitest';
import { playing, setup } from './test-support';

type Playing = { progress_ms: number; is_playing: boolean; item: { id: string } | null; currently_playing_type: string; timestamp: number };

async function nowPlaying(h: ReturnType<typeof setup>, token: string, query = '') {
  const res = await h.api(`/v1/me/player/currently-playing${query}`, token);
  return { status: res.status, body: res.status === 200 ? ((await res.json()) as Playing) : null, text: res.status === 204 ? await res.text() : null };
}

describe('reading playback (P2–P7)', () => {
  it('204 with an empty body when there is no active device', async () => {
    const h = setup();
    const { access_token } = await h.login();
    expect(await nowPlaying(h, access_token)).toEqual({ status: 204, body: null, text: '' });
    expect((await h.api('/v1/me/player', access_token)).status).toBe(204);
  });

  it('progress follows the clock while playing and freezes when paused (P2)', async () => {
    const h = setup();
    const { access_token } = await h.login();
    await playing(h);
    h.clock.advance(5000);
    const first = (await nowPlaying(h, access_token)).body!;
    expect(first).toMatchObject({ progress_ms: 15_000, is_playing: true, currently_playing_type: 'track', item: { id: '4uLU6hMCjMI75M1A2tKUQC' } });
    expect(first.timestamp).toBe(h.clock.now());
    await h.control('/playback', { user: 'alice', isPlaying: false });
    h.clock.advance(60_000);
    expect((await nowPlaying(h, access_token)).body).toMatchObject({ progress_ms: 15_000, is_playing: false });
  });

  it('episode: item null unless additional_types=episode; ads: item null, progress advancing (P3)', async () => {
    const h = setup();
    const { access_token } = await h.login();
    await playing(h);
    await h.control('/playback', { user: 'alice', queue: ['512ojhOuo1ktJprKbVcKyQ'] });
    expect((await nowPlaying(h, access_token)).body).toMatchObject({ item: null, currently_playing_type: 'episode' });
    expect((await nowPlaying(h, access_token, '?additional_types=track,episode')).body?.item?.id).toBe('512ojhOuo1ktJprKbVcKyQ');
    await h.control('/playback', { user: 'alice', queue: [{ kind: 'ad', durationMs: 30_000 }] });
    h.clock.advance(3000);
    expect((await nowPlaying(h, access_token)).body).toMatchObject({ item: null, currently_playing_type: 'ad', progress_ms: 3000 });
  });

  it('spurious 204 with the seeded probability (P4), and 204 in a private session (P5)', async () => {
    const h = setup({ knobs: { spurious204Probability: 0.5 } });
    const { access_token } = await h.login();
    await playing(h);
    const statuses = [];
    for (let i = 0; i < 40; i++) statuses.push((await nowPlaying(h, access_token)).status);
    expect(statuses).toContain(204);
    expect(statuses).toContain(200);

    const p = setup();
    const t = (await p.login()).access_token;
    await p.control('/devices', { user: 'alice', devices: [{ id: 'private', isPrivateSession: true }], active: 'private' });
    await p.control('/playback', { user: 'alice', queue: ['4uLU6hMCjMI75M1A2tKUQC'] });
    expect((await nowPlaying(p, t)).status).toBe(204);
  });

  it('GET /v1/me/player adds device, repeat, shuffle; timestamp is the last change (P6)', async () => {
    const h = setup();
    const { access_token } = await h.login();
    await playing(h);
    const changedAt = h.clock.now();
    h.clock.advance(7000);
    const state = (await (await h.api('/v1/me/player', access_token)).json()) as Record<string, unknown>;
    expect(state).toMatchObject({ device: { id: 'phone', is_active: true }, repeat_state: 'off', shuffle_state: false, timestamp: changedAt, progress_ms: 17_000 });
  });

  it('lists devices with the documented fields (P7)', async () => {
    const h = setup();
    const { access_token } = await h.login();
    await playing(h);
    const { devices } = (await (await h.api('/v1/me/player/devices', access_token)).json()) as { devices: unknown[] };
    expect(devices).toEqual([
      { id: 'phone', is_active: true, is_private_session: false, is_restricted: false, name: 'phone', supports_volume: true, type: 'Smartphone', volume_percent: 50 },
      { id: 'speaker', is_active: false, is_private_session: false, is_restricted: false, name: 'speaker', supports_volume: false, type: 'Speaker', volume_percent: null },
    ]);
  });
});

describe('player commands (P8–P11)', () => {
  it('free users get 403 PREMIUM_REQUIRED (P8)', async () => {
    const h = setup();
    const { access_token } = await h.login('bob');
    await playing(h, 'bob');
    const res = await h.api('/v1/me/player/pause', access_token, { method: 'PUT' });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: { status: 403, message: 'Player command failed: Premium required', reason: 'PREMIUM_REQUIRED' } });
  });

  it('no active device and no device_id: 404 NO_ACTIVE_DEVICE; a device_id activates a listed device (P8, P9)', async () => {
    const h = setup();
    const { access_token } = await h.login();
    await h.control('/devices', { user: 'alice', devices: [{ id: 'phone' }] });
    await h.control('/playback', { user: 'alice', queue: ['4uLU6hMCjMI75M1A2tKUQC'], isPlaying: false });
    await h.control('/devices', { user: 'alice', active: null });
    const res = await h.api('/v1/me/player/play', access_token, { method: 'PUT' });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { status: 404, message: 'Player command failed: No active device found', reason: 'NO_ACTIVE_DEVICE' } });
    const retry = await h.api('/v1/me/player/play?device_id=phone', access_token, { method: 'PUT' });
    expect(retry.status).toBe(204);
    expect((await nowPlaying(h, access_token)).body?.is_playing).toBe(true);
  });

  it('a redundant pause or play is 403 Restriction violated with reason UNKNOWN (P8, P9)', async () => {
    const h = setup();
    const { access_token } = await h.login();
    await playing(h);
    const violated = { error: { status: 403, message: 'Player command failed: Restriction violated', reason: 'UNKNOWN' } };
    expect(await (await h.api('/v1/me/player/play', access_token, { method: 'PUT' })).json()).toEqual(violated);
    expect((await h.api('/v1/me/player/pause', access_token, { method: 'PUT' })).status).toBe(204);
    expect(await (await h.api('/v1/me/player/pause', access_token, { method: 'PUT' })).json()).toEqual(violated);
  });

  it('success is 200 with a 27-char opaque non-JSON body when the knob says so (P8)', async () => {
    const h = setup({ knobs: { commandSuccess: '200-opaque' } });
    const { access_token } = await h.login();
    await playing(h);
    const res = await h.api('/v1/me/player/pause', access_token, { method: 'PUT' });
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toHaveLength(27);
    expect(() => JSON.parse(body)).toThrow();
  });

  it('play with context_uri, offset and position_ms loads a playlist (P9)', async () => {
    const h = setup();
    const { access_token } = await h.login();
    await playing(h);
    const res = await h.api('/v1/me/player/play', access_token, {
      method: 'PUT',
      body: JSON.stringify({ context_uri: 'spotify:playlist:37i9dQZF1DWZq91oLsHZvy', offset: { position: 1 }, position_ms: 5000 }),
      headers: { 'Content-Type': 'application/json' },
    });
    expect(res.status).toBe(204);
    const state = (await (await h.api('/v1/me/player', access_token)).json()) as { item: { id: string }; progress_ms: number; context: { uri: string } };
    expect(state.item.id).toBe('2takcwOaAZWiXQijPHIx7B');
    expect(state.progress_ms).toBe(5000);
    expect(state.context.uri).toBe('spotify:playlist:37i9dQZF1DWZq91oLsHZvy');
    const bad = await h.api('/v1/me/player/play', access_token, { method: 'PUT', body: JSON.stringify({ uris: ['spotify:track:unknown'] }) });
    expect(bad.status).toBe(400);
  });

  it('next applies after the random delay and resets progress (P10)', async () => {
    const h = setup({ knobs: { skipDelayMs: { min: 200, max: 200 } } });
    const { access_token } = await h.login();
    await playing(h);
    expect((await h.api('/v1/me/player/next', access_token, { method: 'POST' })).status).toBe(204);
    expect((await nowPlaying(h, access_token)).body?.item?.id).toBe('4uLU6hMCjMI75M1A2tKUQC');
    h.clock.advance(200);
    expect((await nowPlaying(h, access_token)).body).toMatchObject({ item: { id: '7ouMYWpwJ422jRcDASZB7P' }, progress_ms: 0 });
    await h.api('/v1/me/player/previous', access_token, { method: 'POST' });
    h.clock.advance(250);
    expect((await nowPlaying(h, access_token)).body).toMatchObject({ item: { id: '4uLU6hMCjMI75M1A2tKUQC' }, progress_ms: 50 });
  });

  it('a paused device goes inactive after the idle time; commands then 404 (P11)', async () => {
    const h = setup();
    const { access_token } = await h.login();
    await playing(h);
    await h.api('/v1/me/player/pause', access_token, { method: 'PUT' });
    h.clock.advance(30 * 60_000);
    expect((await h.api('/v1/me/player/play', access_token, { method: 'PUT' })).status).toBe(404);
    expect((await h.api('/v1/me/player', access_token)).status).toBe(204);
  });

  it('transfers playback and sets volume', async () => {
    const h = setup();
    const { access_token } = await h.login();
    await playing(h);
    const transfer = await h.api('/v1/me/player', access_token, { method: 'PUT', body: JSON.stringify({ device_ids: ['speaker'], play: true }) });
    expect(transfer.status).toBe(204);
    expect(((await (await h.api('/v1/me/player', access_token)).json()) as { device: { id: string } }).device.id).toBe('speaker');
    const unknown = await h.api('/v1/me/player', access_token, { method: 'PUT', body: JSON.stringify({ device_ids: ['tv'] }) });
    expect(unknown.status).toBe(404);
    const noVolume = await h.api('/v1/me/player/volume?volume_percent=30', access_token, { method: 'PUT' });
    expect(await noVolume.json()).toEqual({ error: { status: 403, message: 'Cannot control device volume', reason: 'VOLUME_CONTROL_DISALLOW' } });
    expect((await h.api('/v1/me/player/volume?volume_percent=30&device_id=phone', access_token, { method: 'PUT' })).status).toBe(204);
    expect((await h.api('/v1/me/player/volume?volume_percent=101', access_token, { method: 'PUT' })).status).toBe(400);
  });
});
