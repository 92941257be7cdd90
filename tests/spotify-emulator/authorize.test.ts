import { describe, expect, it } from 'vitest';
import { setup } from './test-support';

describe('GET /accounts/authorize (A1–A6)', () => {
  it('rejects an unknown client with an error page and no redirect', async () => {
    const h = setup();
    const { res, url } = await h.authorize({ client_id: 'nope' });
    expect(url).toBeNull();
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('INVALID_CLIENT: Invalid client');
  });

  it.each([
    ['localhost', 'http://localhost:8080/cb'],
    ['plain http off loopback', 'http://hrm.example/api/spotify/callback'],
    ['unregistered', 'https://evil.example/cb'],
    ['path mismatch', 'https://hrm.example/api/spotify/callback/'],
  ])('rejects a %s redirect URI without redirecting', async (_, redirect) => {
    const h = setup();
    const { res, url } = await h.authorize({ redirect_uri: redirect });
    expect(url).toBeNull();
    expect(await res.text()).toContain('INVALID_CLIENT: Invalid redirect URI');
  });

  it('accepts a registered loopback redirect on any port', async () => {
    const h = setup();
    const { url } = await h.authorize({ redirect_uri: 'http://127.0.0.1:49152/cb' });
    expect(url?.origin).toBe('http://127.0.0.1:49152');
    expect(url?.searchParams.get('code')).toBeTruthy();
  });

  it('echoes state unchanged, and omits it when absent (A5)', async () => {
    const h = setup();
    const odd = 'a b/+=%&é~';
    const { url } = await h.authorize({ state: odd });
    expect(url?.searchParams.get('state')).toBe(odd);
    const q = new URLSearchParams({ client_id: 'client-a', response_type: 'code', redirect_uri: 'https://hrm.example/api/spotify/callback' });
    const res = await h.app.request(`/accounts/authorize?${q}`);
    expect(new URL(res.headers.get('location')!).searchParams.has('state')).toBe(false);
  });

  it('requires response_type=code, S256 for PKCE, and known scopes', async () => {
    const h = setup();
    expect((await h.authorize({ response_type: 'token' })).url?.searchParams.get('error')).toBe('unsupported_response_type');
    expect((await h.authorize({ code_challenge: 'x'.repeat(43), code_challenge_method: 'plain' })).url?.searchParams.get('error')).toBe('invalid_request');
    expect((await h.authorize({ scope: 'user-read-everything' })).url?.searchParams.get('error')).toBe('invalid_scope');
  });

  it('follows scripted consent: deny gives access_denied with the state', async () => {
    const h = setup();
    await h.control('/consent', { user: 'bob', decision: 'deny' });
    const { url } = await h.authorize();
    expect(url?.searchParams.get('error')).toBe('access_denied');
    expect(url?.searchParams.get('state')).toBe('st-1');
    expect(url?.searchParams.has('code')).toBe(false);
  });

  it('shows a consent page when nothing is scripted and auto-approve is off', async () => {
    const h = setup({ autoApproveUser: null });
    const { res } = await h.authorize();
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('emu_user=alice');
    const link = /href="([^"]*emu_user=alice[^"]*emu_decision=approve[^"]*)"/.exec(html)![1]!.replaceAll('&#38;', '&');
    const approved = await h.app.request(link);
    expect(approved.status).toBe(302);
  });

  it('lets a non-allowlisted user log in (their API calls fail later, A6)', async () => {
    const h = setup();
    const tokens = await h.login('carol');
    expect(tokens.access_token).toMatch(/^BQ/);
  });
});
