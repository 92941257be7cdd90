import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../../tests/spotify-emulator/clock';
import { setup, START_MS } from '../../../tests/strava-emulator/test-support';
import { createMemoryGrantStore } from '../grants/memory-grant-store';
import { createMemoryLeaseStore } from '../grants/memory-lease-store';
import { createTokenCipher } from '../grants/token-cipher';
import { STRAVA_PROVIDER } from '../strava/feature';
import { createMemoryAlarms, createStravaGrants } from '../strava/grants';
import { createStravaHttp } from '../strava/http';
import { createStravaUploadsApi } from '../strava/uploads-api';
import { createMemoryUploadStore } from './memory-store';
import { createRateGate } from './rate-gate';
import { oneReadyWorkout } from './testing';
import { createUploadWorker } from './worker';

// The upload worker over memory stores and the in-process emulator, one manual clock for both.
async function harness() {
  const h = setup();
  const clock = h.clock;
  const fetchEmu = (async (input: string | URL | Request, init?: RequestInit) => h.app.request(String(input), init)) as typeof fetch;
  const endpoints = { oauthUrl: 'http://emu/oauth', apiUrl: 'http://emu/api/v3', clientId: '4242', clientSecret: 'sekrit' };
  const http = createStravaHttp(endpoints, { fetch: fetchEmu, now: clock.now });
  const grants = createStravaGrants({
    grants: createMemoryGrantStore().store,
    leases: createMemoryLeaseStore(),
    cipher: createTokenCipher({ id: 'k', key: Buffer.alloc(32, 1) }),
    http,
    alarms: createMemoryAlarms(),
    logger: pino({ level: 'silent' }),
    now: clock.now,
    random: () => 0.5,
    sleep: async (ms) => clock.advance(ms),
  });
  const t = await h.login(7);
  await grants.store.replace('m1', { accessToken: t.access_token, refreshToken: t.refresh_token, expiresAt: t.expires_at * 1000, scopes: 'read,activity:write', authorizedAt: clock.now() }, clock.now());
  const { sessions, sessionId } = oneReadyWorkout(START_MS);

  const store = createMemoryUploadStore();
  const worker = createUploadWorker({
    store,
    sessions,
    grants: grants.engine,
    api: createStravaUploadsApi(endpoints.apiUrl, { fetch: fetchEmu }),
    provider: STRAVA_PROVIDER,
    rate: createRateGate(store, clock.now),
    leases: createMemoryLeaseStore(),
    holder: 'p1',
    logger: pino({ level: 'silent' }),
    now: clock.now,
    sleep: async (ms) => clock.advance(ms),
    random: () => 0.5,
    options: { pollMs: 1000 },
  });
  return { h, clock, store, worker, sessionId };
}

describe('upload worker', () => {
  it('a 502 after Strava took the upload: the next attempt finds the activity by external_id and sends nothing again', async () => {
    const { h, clock, store, worker, sessionId } = await harness();
    const { job } = await store.enqueue('m1', sessionId, clock.now());
    // Strava creates the upload, and its answer is replaced by a 502 on the way back.
    let dropped = false;
    const orig = h.app.request.bind(h.app);
    h.app.request = (async (input: string, init?: RequestInit) => {
      const res = await orig(input, init);
      if (!dropped && String(input).endsWith('/uploads') && init?.method === 'POST') {
        dropped = true;
        return new Response('<html>502</html>', { status: 502 });
      }
      return res;
    }) as typeof h.app.request;
    expect(await worker.runDue()).toEqual(['retry']);
    expect(await store.get(job.id)).toMatchObject({ state: 'uploading', sent: true, reason: 'unavailable' });
    clock.advance(60_000); // past the back-off; Strava has processed the upload meanwhile
    expect(await worker.runDue()).toEqual(['done']);
    const activities = [...h.emulator.state.activities.values()];
    expect(activities).toHaveLength(1);
    expect(h.emulator.state.uploads.size).toBe(1);
    expect(await store.get(job.id)).toMatchObject({ state: 'done', activityId: String(activities[0]!.id) });
  });

  it('polls no faster than once a second and records the activity', async () => {
    const { h, clock, store, worker, sessionId } = await harness();
    await store.enqueue('m1', sessionId, clock.now());
    expect(await worker.runDue()).toEqual(['done']);
    const [u] = [...h.emulator.state.uploads.values()];
    expect(u!.fastPolls).toBe(0);
    expect((await store.ofSession('m1', sessionId))!.activityId).toBe(String(u!.activityId));
  });
});
