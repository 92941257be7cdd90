/**
 * Shared set-up for the Strava integration tests: a real PocketBase, the Strava emulator on a
 * free port, real sync-server processes configured against it, members who connect through the
 * real OAuth flow and push finished workouts through the sync API.
 */
import { randomBytes } from 'node:crypto';
import { chunkPuts, hourOfReadings, liveSession, pushBody, upsert } from '../../sync-server/src/sync/testing/fixtures';
import { createStravaEmulator } from '../strava-emulator/emulator';
import { stravaUrlsFor, type RunningStravaEmulator } from '../strava-emulator/serve';
import { newMember } from '../support/http-client';
import { adminClient, emulatorControl, oauthDance, recordingClient as recordingInto, serveEmulator, type EmuHook } from '../support/oauth-dance';
import type { TestPocketBase } from '../support/pocketbase';
import { startSyncServer, type TestServer } from '../support/sync-server';

export const CLIENT = { id: '1001', secret: 'strava-test-secret', callbackDomain: '127.0.0.1' };
export const ATHLETES = Array.from({ length: 30 }, (_, i) => ({ id: 700 + i }));
export const TOKEN_KEY = randomBytes(32).toString('base64');

export { adminClient, type EmuHook };

export interface StravaEmu extends RunningStravaEmulator {
  ctl<T = any>(path: string, body?: unknown, method?: string): Promise<T>;
  /** Runs around every request (e.g. hold Strava's answer to an upload it has taken). */
  setHook(h: EmuHook | null): void;
}

export async function startStravaEmulator(): Promise<StravaEmu> {
  const emulator = createStravaEmulator({ clients: [CLIENT], athletes: ATHLETES });
  const { info, setHook, close } = await serveEmulator((req) => emulator.app.fetch(req));
  const emu: RunningStravaEmulator = { ...stravaUrlsFor(info), emulator, close };
  return {
    ...emu,
    setHook,
    ctl: (path, body, method) => emulatorControl(emu.controlUrl, path, body, method),
  };
}

export function stravaEnv(emu: StravaEmu, extra: Record<string, string> = {}): Record<string, string> {
  return {
    STRAVA_CLIENT_ID: CLIENT.id,
    STRAVA_CLIENT_SECRET: CLIENT.secret,
    STRAVA_OAUTH_URL: emu.oauthUrl,
    STRAVA_API_URL: emu.apiUrl,
    STRAVA_TOKEN_KEY: TOKEN_KEY,
    STRAVA_UPLOAD_INTERVAL_MS: '250',
    STRAVA_UPLOAD_LEASE_MS: '6000',
    STRAVA_UPLOAD_POLL_MS: '1000',
    ...extra,
  };
}

export const startStravaServer = (pb: TestPocketBase, emu: StravaEmu, extra: Record<string, string> = {}, port?: number): Promise<TestServer> =>
  startSyncServer({ pb, env: stravaEnv(emu, extra), ...(port ? { port } : {}) });

/** Every body, cookie and redirect any test client received, for the leak scan. */
export const seen: string[] = [];

export const recordingClient = (base: string) => recordingInto(base, seen);

let athletes = 0;

export type StravaMember = Awaited<ReturnType<typeof signUp>>;

/** A signed-in HRM member with a Strava athlete of their own. */
export async function signUp(server: TestServer) {
  const athleteId = ATHLETES[athletes++ % ATHLETES.length]!.id;
  const m = newMember('st');
  const c = recordingClient(server.url);
  const reg = await c.post('/api/v1/auth/register', m);
  if (reg.status !== 202) throw new Error(`register: ${reg.status} ${reg.text}`);
  const login = await c.post('/api/v1/auth/login', { email: m.email, password: m.password });
  if (login.status !== 200) throw new Error(`login: ${login.status} ${login.text}`);
  return { c, athleteId, memberId: login.body.user.id as string, server };
}

/** The member's cookie on another server process (as behind a load balancer). */
export function sameMemberOn(m: StravaMember, server: TestServer) {
  const c = recordingClient(server.url);
  for (const [k, v] of m.c.jar) c.jar.set(k, v);
  return { ...m, c, server };
}

/** The whole connect dance through the emulator's /oauth/authorize; returns where the callback sent the browser. */
export async function connect(m: StravaMember, emu: StravaEmu, opts: { decision?: 'approve' | 'deny'; scope?: string } = {}): Promise<URL> {
  await emu.ctl('/consent', { athleteId: m.athleteId, decision: opts.decision ?? 'approve', ...(opts.scope ? { scope: opts.scope } : {}) });
  return oauthDance(m, '/api/v1/strava/connect');
}

export async function connected(server: TestServer, emu: StravaEmu, mode: 'auto' | 'manual' = 'auto') {
  const m = await signUp(server);
  const back = await connect(m, emu);
  if (back.searchParams.get('strava') !== 'connected') throw new Error(`not connected: ${back.href}`);
  const pref = await m.c.put('/api/v1/strava/preferences', { mode });
  if (pref.status !== 200) throw new Error(`preferences: ${pref.status} ${pref.text}`);
  return m;
}

let seed = 100;

/** Records a finished workout (upsert with a summary, and its chunks) through the sync API. */
export async function pushWorkout(m: { c: ReturnType<typeof recordingClient> }, opts: { minutes?: number; startedAt?: number; title?: string } = {}) {
  const minutes = opts.minutes ?? 5;
  const startedAt = opts.startedAt ?? Date.now() - (minutes + 2) * 60_000 - seed * 3_600_000;
  const deviceId = `dev-${randomBytes(3).toString('hex')}`;
  const readings = hourOfReadings(startedAt, seed++, minutes * 60);
  const s = liveSession({ startedAt, deviceId, title: opts.title ?? 'Lunch intervals' });
  const session = { ...s, summary: { endedAt: startedAt + minutes * 60_000, durationMs: minutes * 60_000, readingCount: readings.length, avgBpm: 140, maxBpm: 170, energyKj: null } };
  const r = await m.c.post('/api/v1/sync/push', pushBody(deviceId, [upsert(session), ...(await chunkPuts(session.id, readings, 120))]));
  if (r.status !== 200) throw new Error(`push: ${r.status} ${r.text}`);
  return session.id;
}

export type Activity = { id: number; athleteId: number; uploadId: number; externalId: string | null; name: string; description: string | null; trainer: boolean };
export type EmuUpload = { id: number; athleteId: number; externalId: string | null; duplicateOf: number | null; activityId: number | null; fastPolls: number };

export const activitiesOf = async (emu: StravaEmu, athleteId: number): Promise<Activity[]> => (await emu.ctl<Activity[]>('/activities')).filter((a) => a.athleteId === athleteId);
export const uploadsOf = async (emu: StravaEmu, athleteId: number): Promise<EmuUpload[]> => (await emu.ctl<EmuUpload[]>('/uploads')).filter((u) => u.athleteId === athleteId);

/** The member's upload of one workout, as history reads it. */
export async function uploadOf(m: { c: ReturnType<typeof recordingClient> }, sessionId: string) {
  const r = await m.c.get(`/api/v1/strava/uploads?sessions=${sessionId}`);
  if (r.status !== 200) throw new Error(`uploads: ${r.status} ${r.text}`);
  return (r.body.uploads as { state: string; activityId: string | null; activityUrl: string | null; reason: string | null; error: string | null }[])[0] ?? null;
}

/** Refresh-token grants at the emulator (a connect's code exchange is not one). */
export async function refreshCalls(emu: StravaEmu): Promise<number> {
  const log = await emu.ctl('/calls?route=POST%20/oauth/token');
  return log.entries.filter((e: { grantType: string | null }) => e.grantType === 'refresh_token').length;
}

/** The emulator's tokens ever issued, for the leak scan. */
export async function allTokens(emu: StravaEmu): Promise<string[]> {
  const t = await emu.ctl('/tokens');
  return [...t.access.map((x: { token: string }) => x.token), ...t.refresh.map((x: { token: string }) => x.token)];
}
