/** Helpers for the Strava emulator's own tests: a manual clock, instant sleeps, a scripted login. */
import { createManualClock } from '../spotify-emulator/clock';
import { createStravaEmulator, type StravaEmulatorOptions } from './emulator';

export const CLIENT = { id: '4242', secret: 'sekrit', callbackDomain: 'hrm.example' };
export const REDIRECT = 'https://hrm.example/api/v1/strava/callback';
/** 2026-09-01T07:03:00Z: 3 minutes into a 15-minute window. */
export const START_MS = Date.UTC(2026, 8, 1, 7, 3, 0);

export function setup(options: StravaEmulatorOptions = {}) {
  const clock = createManualClock(START_MS);
  const sleeps: number[] = [];
  const emulator = createStravaEmulator({
    clients: [CLIENT],
    athletes: [{ id: 7 }, { id: 8 }],
    clock,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...options,
  });
  const { app } = emulator;
  const control = (path: string, body?: unknown, method = 'POST') =>
    app.request(`/__emu${path}`, body === undefined ? {} : { method, body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
  const token = (form: Record<string, string>) =>
    app.request('/oauth/token', { method: 'POST', body: new URLSearchParams(form).toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  const authorize = async (params: Record<string, string> = {}) => {
    const q = new URLSearchParams({ client_id: CLIENT.id, response_type: 'code', redirect_uri: REDIRECT, scope: 'read,activity:write', state: 'st-1', ...params });
    const res = await app.request(`/oauth/authorize?${q}`);
    const location = res.headers.get('location');
    return { res, url: location === null ? null : new URL(location) };
  };
  type TokenBody = { access_token: string; refresh_token: string; expires_at: number; expires_in: number; token_type: string; athlete?: { id: number } };
  const login = async (athleteId = 7, scope?: string) => {
    await control('/consent', { athleteId, decision: 'approve', ...(scope === undefined ? {} : { scope }) });
    const { url } = await authorize();
    const code = url!.searchParams.get('code')!;
    return (await (await token({ client_id: CLIENT.id, client_secret: CLIENT.secret, code, grant_type: 'authorization_code' })).json()) as TokenBody;
  };
  const refresh = (refreshToken: string) => token({ client_id: CLIENT.id, client_secret: CLIENT.secret, grant_type: 'refresh_token', refresh_token: refreshToken });
  const upload = (accessToken: string, file: string | Uint8Array<ArrayBuffer>, fields: Record<string, string> = {}) => {
    const form = new FormData();
    form.set('file', new Blob([typeof file === 'string' ? new TextEncoder().encode(file) : file]), 'ride.fit');
    form.set('data_type', 'fit');
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    return app.request('/api/v3/uploads', { method: 'POST', body: form, headers: { Authorization: `Bearer ${accessToken}` } });
  };
  const poll = (accessToken: string, id: number) => app.request(`/api/v3/uploads/${id}`, { headers: { Authorization: `Bearer ${accessToken}` } });
  return { emulator, app, clock, sleeps, control, token, authorize, login, refresh, upload, poll };
}

export type UploadView = { id: number; id_str: string; external_id: string | null; error: string | null; status: string; activity_id: number | null };
