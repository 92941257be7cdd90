import { describe, expect, it } from 'vitest';
import { setup } from './test-support';

describe('Web API cross-cutting rules (X1–X3) and GET /v1/me (P1)', () => {
  it('401 with the 2026 message for missing, garbled and expired tokens (X1)', async () => {
    const h = setup();
    const { access_token } = await h.login();
    const missing = await h.app.request('/api/v1/me');
    const garbled = await h.api('/v1/me', 'garbage');
    h.clock.advance(3_600_000);
    const expired = await h.api('/v1/me', access_token);
    for (const res of [missing, garbled, expired]) {
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: { status: 401, message: 'Missing/invalid/expired access token' } });
    }
  });

  it('401 legacy texts with the knob (X1)', async () => {
    const h = setup({ knobs: { unauthorizedText: 'legacy' } });
    const { access_token } = await h.login();
    h.clock.advance(3_600_000);
    expect(await (await h.api('/v1/me', access_token)).json()).toEqual({ error: { status: 401, message: 'The access token expired' } });
    expect(await (await h.api('/v1/me', 'nope')).json()).toEqual({ error: { status: 401, message: 'Invalid access token' } });
  });

  it('a non-allowlisted user gets a plain-text 403 (X2), or JSON with the knob', async () => {
    const h = setup();
    const { access_token } = await h.login('carol');
    const res = await h.api('/v1/me', access_token);
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(await res.text()).toBe('User not registered in the Developer Dashboard');
    await h.mode({ notAllowlistedBody: 'json' });
    expect(await (await h.api('/v1/me', access_token)).json()).toEqual({ error: { status: 403, message: 'User not registered in the Developer Dashboard' } });
  });

  it('the allowlist does not apply to extended-quota clients', async () => {
    const h = setup();
    await h.control('/clients', { id: 'client-a', secret: 'secret-a', redirectUris: ['https://hrm.example/api/spotify/callback'], quotaMode: 'extended' });
    const { access_token } = await h.login('carol');
    expect((await h.api('/v1/me', access_token)).status).toBe(200);
  });

  it('the owner losing Premium means 403 for every user (X2)', async () => {
    const h = setup();
    const { access_token } = await h.login('alice');
    await h.control('/users', { id: 'owner', product: 'premium', owner: true });
    expect((await h.api('/v1/me', access_token)).status).toBe(200);
    await h.control('/users', { id: 'owner', product: 'free' });
    const res = await h.api('/v1/me', access_token);
    expect(res.status).toBe(403);
  });

  it('a missing scope is a 403 (X3)', async () => {
    const h = setup();
    const { access_token } = await h.login('alice', { scope: 'user-read-email' });
    const res = await h.api('/v1/me/player/currently-playing', access_token);
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: { status: 403, message: 'Insufficient client scope' } });
  });

  it('GET /v1/me omits deprecated fields unless the legacy knob is on (P1)', async () => {
    const h = setup();
    const { access_token } = await h.login();
    const me = (await (await h.api('/v1/me', access_token)).json()) as Record<string, unknown>;
    expect(me).toMatchObject({ id: 'alice', type: 'user', uri: 'spotify:user:alice', images: [], followers: { total: 0 } });
    expect(me).not.toHaveProperty('product');
    await h.mode({ meLegacyFields: true });
    const legacy = (await (await h.api('/v1/me', access_token)).json()) as Record<string, unknown>;
    expect(legacy).toMatchObject({ product: 'premium', country: 'SE', email: 'alice@example.test' });
  });

  it('unknown API paths answer the Spotify-shaped 404', async () => {
    const h = setup();
    const { access_token } = await h.login();
    expect(await (await h.api('/v1/audio-features/x', access_token)).json()).toEqual({ error: { status: 404, message: 'Service not found' } });
  });
});
