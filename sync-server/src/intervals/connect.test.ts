import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createIntervalsEmulator } from '../../../tests/intervals-emulator/emulator';
import { createManualClock } from '../../../tests/spotify-emulator/clock';
import { createMemoryGrantStore } from '../grants/memory-grant-store';
import { createMemoryLeaseStore } from '../grants/memory-lease-store';
import { createTokenCipher } from '../grants/token-cipher';
import { createOAuthConnect } from '../oauth/connect';
import { createMemoryOAuthStates } from '../oauth/states';
import { createMemoryAlarms } from '../strava/grants';
import { classifyIntervalsToken, intervalsConnectProvider } from './connect';
import { authorizations, createIntervalsGrants, grantKind, mayWriteWellness } from './grants';

const T = Date.UTC(2026, 8, 1, 7, 0, 0);
const APP = { id: '42', secret: 'app-secret' };
const KEY = 'personal-key-abcdef0123456789';
const session = { id: 's1', userId: 'm1' };

function setup() {
  const clock = createManualClock(T);
  const emu = createIntervalsEmulator({ athletes: [{ id: 'i77', name: 'Ann', apiKey: KEY }], clock, clients: [APP] });
  const fetchEmu = (async (input: string | URL | Request, init?: RequestInit) => emu.app.request(String(input), init)) as typeof fetch;
  const config = { clientId: APP.id, clientSecret: APP.secret, oauthUrl: 'http://emu', redirectUri: 'http://127.0.0.1:8787/api/v1/intervals/callback' };
  const g = createIntervalsGrants({
    grants: createMemoryGrantStore().store,
    leases: createMemoryLeaseStore(),
    cipher: createTokenCipher({ id: 'k1', key: Buffer.alloc(32, 3) }),
    alarms: createMemoryAlarms(),
    logger: pino({ level: 'silent' }),
    now: () => clock.now(),
    random: () => 0.5,
    sleep: async () => undefined,
  });
  const connect = createOAuthConnect({ provider: intervalsConnectProvider(config, { fetch: fetchEmu }), states: createMemoryOAuthStates(), store: g.store, logger: pino({ level: 'silent' }), now: () => clock.now() });
  /** Start, let the emulator's authorize page answer, and hand its redirect to the callback. */
  const dance = async (consent?: { decision: 'approve' | 'deny'; scope?: string }) => {
    if (consent) emu.state.oauth.consents.push({ athleteId: 'i77', ...consent });
    const url = new URL(await connect.start(session));
    const res = await emu.app.request(url.pathname + url.search);
    const q = Object.fromEntries(new URL(res.headers.get('location')!).searchParams);
    return { q, result: await connect.finish(session, q) };
  };
  return { clock, emu, g, connect, dance };
}

describe('intervals.icu OAuth on the shared connect flow', () => {
  it('asks for ACTIVITY:WRITE,WELLNESS:WRITE with our client id, redirect and state', async () => {
    const { connect } = setup();
    const url = new URL(await connect.start(session));
    expect(url.origin + url.pathname).toBe('http://emu/oauth/authorize');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ client_id: '42', redirect_uri: 'http://127.0.0.1:8787/api/v1/intervals/callback', scope: 'ACTIVITY:WRITE,WELLNESS:WRITE' });
    expect(url.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('a consent is stored sealed as an OAuth grant; calls get Bearer, a key grant Basic', async () => {
    const { g, dance } = setup();
    const { result } = await dance();
    expect(result).toEqual({ ok: true, memberId: 'm1', scopes: 'ACTIVITY:WRITE,WELLNESS:WRITE' });
    const stored = (await g.store.get('m1'))!;
    expect(grantKind(stored)).toBe('oauth');
    expect(stored.sealed.accessToken).toMatch(/^v1\.k1\./);
    const t = await authorizations(g.engine).accessToken('m1');
    expect(t.ok && t.token).toMatch(/^Bearer [0-9a-f]{48}$/);
    await g.saveKey('m2', KEY, T);
    const k = await authorizations(g.engine).accessToken('m2');
    expect(k.ok && k.token).toBe(`Basic ${Buffer.from(`API_KEY:${KEY}`).toString('base64')}`);
  });

  it('a narrower grant without WELLNESS:WRITE connects, with wellness not allowed; without ACTIVITY:WRITE it is refused', async () => {
    const { g, dance } = setup();
    expect((await dance({ decision: 'approve', scope: 'ACTIVITY:WRITE' })).result).toMatchObject({ ok: true, scopes: 'ACTIVITY:WRITE' });
    expect(mayWriteWellness((await g.store.get('m1'))!)).toBe(false);
    await g.store.remove('m1');
    expect((await dance({ decision: 'approve', scope: 'WELLNESS:WRITE' })).result).toEqual({ ok: false, reason: 'scope' });
    expect(await g.store.get('m1')).toBeNull();
  });

  it('a decline is denied; a replayed state is refused; a code older than 2 minutes is refused', async () => {
    const { clock, connect, dance, emu } = setup();
    expect((await dance({ decision: 'deny' })).result).toEqual({ ok: false, reason: 'denied' });
    const { q } = await dance();
    expect(await connect.finish(session, q)).toEqual({ ok: false, reason: 'state' });
    // The exchange comes more than 2 minutes after intervals.icu issued the code.
    const url = new URL(await connect.start(session));
    const res = await emu.app.request(url.pathname + url.search);
    const late = Object.fromEntries(new URL(res.headers.get('location')!).searchParams);
    clock.advance(2 * 60_000 + 1);

    expect(await connect.finish(session, late)).toEqual({ ok: false, reason: 'exchange' });
  });

  it('the token answers: 401 is our client, other 4xx the code, 5xx transient; no scope field means what was asked', () => {
    expect(classifyIntervalsToken(401, { error: 'invalid_client' })).toEqual({ kind: 'invalid_client' });
    expect(classifyIntervalsToken(400, { error: 'invalid_grant' })).toEqual({ kind: 'invalid_grant' });
    expect(classifyIntervalsToken(503, null)).toMatchObject({ kind: 'transient' });
    expect(classifyIntervalsToken(200, { access_token: 't' })).toMatchObject({ kind: 'ok', grant: { scopes: 'ACTIVITY:WRITE,WELLNESS:WRITE' } });
    expect(classifyIntervalsToken(200, { access_token: 't', scope: 'WELLNESS:WRITE' })).toEqual({ kind: 'scope' });
  });
});
