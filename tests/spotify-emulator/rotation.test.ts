import { describe, expect, it } from 'vitest';
import { setup } from './test-support';

type TokenBody = { access_token?: string; refresh_token?: string; error?: string; error_description?: string };
const read = async (res: Response) => (await res.json()) as TokenBody;
const REVOKED = { error: 'invalid_grant', error_description: 'Refresh token revoked' };

describe('refresh token rotation modes (T5–T9)', () => {
  it('none-2026 (default): no refresh_token in the response; the same RT keeps working (T5)', async () => {
    const h = setup();
    const { refresh_token } = await h.login(undefined, { pkce: true });
    const first = await read(await h.refresh(refresh_token, true));
    expect(first.access_token).toMatch(/^BQ/);
    expect(first).not.toHaveProperty('refresh_token');
    expect((await h.refresh(refresh_token, true)).status).toBe(200);
  });

  it('legacy-confidential: no new RT for a confidential client (T6)', async () => {
    const h = setup({ knobs: { rotation: 'legacy-confidential' } });
    const { refresh_token } = await h.login();
    expect(await read(await h.refresh(refresh_token))).not.toHaveProperty('refresh_token');
    expect((await h.refresh(refresh_token)).status).toBe(200);
  });

  it('legacy-pkce: PKCE grants rotate and the old RT dies at once; confidential grants do not rotate (T7)', async () => {
    const h = setup({ knobs: { rotation: 'legacy-pkce' } });
    const { refresh_token } = await h.login(undefined, { pkce: true });
    const rotated = await read(await h.refresh(refresh_token, true));
    expect(rotated.refresh_token).toMatch(/^AQ/);
    expect(rotated.refresh_token).not.toBe(refresh_token);
    expect(await read(await h.refresh(refresh_token, true))).toEqual(REVOKED);
    // Not a family revocation: the successor still works.
    expect((await h.refresh(rotated.refresh_token!, true)).status).toBe(200);

    const confidential = await h.login('alice');
    expect(await read(await h.refresh(confidential.refresh_token))).not.toHaveProperty('refresh_token');
  });

  it('strict: reuse of a rotated-out RT revokes the whole family (T8, RFC 9700 §4.14.2)', async () => {
    const h = setup({ knobs: { rotation: 'strict' } });
    const { refresh_token: rt0, access_token } = await h.login();
    const rt1 = (await read(await h.refresh(rt0))).refresh_token!;
    const rt2 = (await read(await h.refresh(rt1))).refresh_token!;
    expect(await read(await h.refresh(rt0))).toEqual(REVOKED);
    expect(await read(await h.refresh(rt2))).toEqual(REVOKED);
    const states = (await h.tokens()).refreshTokens.map((t) => t.state);
    expect(states).toEqual(['revoked', 'revoked', 'revoked']);
    // Access tokens survive unless revokeKillsAccessTokens is on.
    expect((await h.api('/v1/me', access_token)).status).toBe(200);
  });

  it('strict catches a client that refreshes 50 times concurrently (scenario 1 done wrong)', async () => {
    const h = setup({ knobs: { rotation: 'strict', tokenDelayMs: 2000 } });
    const { refresh_token } = await h.login();
    const results = await Promise.all(Array.from({ length: 50 }, () => h.refresh(refresh_token)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect((await h.calls()).byRefreshToken[refresh_token]).toBe(50);
    expect((await h.tokens()).refreshTokens.every((t) => t.state === 'revoked')).toBe(true);
  });

  it('strict with revokeKillsAccessTokens also kills the family access tokens', async () => {
    const h = setup({ knobs: { rotation: 'strict', revokeKillsAccessTokens: true } });
    const { refresh_token: rt0 } = await h.login();
    const fresh = await read(await h.refresh(rt0));
    await h.refresh(rt0);
    expect((await h.api('/v1/me', fresh.access_token!)).status).toBe(401);
  });

  it('graceMs lets a retry with the old RT through and hands back the current successor (T9)', async () => {
    const h = setup({ knobs: { rotation: 'strict', graceMs: 5000 } });
    const { refresh_token: rt0 } = await h.login();
    const rt1 = (await read(await h.refresh(rt0))).refresh_token!;
    h.clock.advance(4999);
    const retry = await read(await h.refresh(rt0));
    expect(retry.refresh_token).toBe(rt1);
    h.clock.advance(1);
    expect(await read(await h.refresh(rt0))).toEqual(REVOKED);
  });

  it('the RT is not consumed when the endpoint answers 5xx, but is with consume-then-fail (T14)', async () => {
    const h = setup({ knobs: { rotation: 'strict' } });
    const { refresh_token: rt0 } = await h.login();
    await h.control('/faults', { route: 'POST /api/token', sequence: [{ status: 503, body: 'text' }] });
    const failed = await h.refresh(rt0);
    expect(failed.status).toBe(503);
    expect(failed.headers.get('content-type')).toContain('text/plain');
    const rt1 = (await read(await h.refresh(rt0))).refresh_token!;
    expect(rt1).toMatch(/^AQ/);

    await h.control('/faults', { route: 'POST /api/token', sequence: [{ status: 'drop', consume: true }] });
    const lost = await h.refresh(rt1);
    await expect(lost.text()).rejects.toThrow();
    // The rotation happened: rt1 is now rotated-out, and presenting it revokes the family.
    expect((await h.tokens()).refreshTokens.find((t) => t.token === rt1)?.state).toBe('rotated');
    expect(await read(await h.refresh(rt1))).toEqual(REVOKED);
  });
});
