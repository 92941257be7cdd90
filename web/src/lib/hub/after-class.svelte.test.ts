import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { HubWorkoutBody, HubWorkoutPosted } from '$core/api';
import type { ParticipantView } from '$core/rooms';
import { createTimer, startTimer, stopTimer, tabataPlan, type TimerState } from '$core/workout';
import { NETWORK, type ApiResult } from '$lib/api';
import { createStorage } from '$lib/storage';
import { HubAfterClass, type AfterClassMemory, type AfterClassRoom, type SavedRun } from './after-class.svelte';
import { HubRecorder } from './hub-recorder';

const T0 = 1_764_700_000_000;
const view = (id: string, name: string, member: boolean): ParticipantView => ({ id, name, age: 40, sex: 'male', weightKg: 80, maxHr: null, restingHr: null, member, joinedAt: T0 });
const MEMBER = view('pmember00000001', 'Ann', true);
const GUEST = view('pguest000000001', 'Strap 4821', false);

async function setup(timer: TimerState, memory?: AfterClassMemory) {
  const storage = createStorage({ name: `hub-after-${Math.random()}` });
  let now = T0 - 5_000;
  const recorder = new HubRecorder({ db: storage.db, roomId: 'room1', now: () => now, setInterval: () => 0, clearInterval: () => undefined });
  await recorder.open();
  for (let t = T0 - 5_000; t < T0 + 80_000; t += 500) {
    recorder.sink({ strapKey: 'ant:1', at: t, bpm: 130, rrMs: [] });
    recorder.sink({ strapKey: 'ant:4821', at: t, bpm: 140, rrMs: [] });
  }
  await recorder.flush();
  now = T0 + 90_000;
  const room: AfterClassRoom = {
    participants: new Map([
      ['ant:1', MEMBER.id],
      ['ant:4821', GUEST.id],
    ]),
    channel: { room: { room: { name: 'Tuesday HIIT' }, timer, tiles: { [MEMBER.id]: { participant: MEMBER }, [GUEST.id]: { participant: GUEST } } }, offsetMs: 0, serverNow: () => now },
  };
  const calls: HubWorkoutBody[] = [];
  /** The first upload of each strap meets a network failure; the next is answered. */
  const failedOnce = new Set<string>();
  const api = {
    async upload(_room: string, token: string, body: HubWorkoutBody): Promise<ApiResult<HubWorkoutPosted>> {
      expect(token).toBe('hub-token');
      calls.push(body);
      if (!failedOnce.has(body.strap)) {
        failedOnce.add(body.strap);
        return { ok: false, error: { status: 0, code: NETWORK, message: 'offline', requestId: null } };
      }
      const guest = body.strap === 'ant:4821';
      return { ok: true, value: { participantId: guest ? GUEST.id : MEMBER.id, delivered: guest ? 'held' : 'member', recordedBy: 'hub', claimToken: guest ? 'claim-token' : null } };
    },
  };
  const sleeps: number[] = [];
  const afterClass = new HubAfterClass({
    roomId: 'room1',
    token: 'hub-token',
    room,
    db: storage.db,
    flush: () => recorder.flush(),
    roomKeyOf: (k) => k,
    api,
    origin: 'https://gym.example',
    now: () => now,
    sleep: async (ms) => void sleeps.push(ms),
    qr: async (text) => `<svg data-text="${text}"></svg>`,
    memory,
  });
  return { afterClass, calls, sleeps };
}

const plan = tabataPlan(2);
const ended = stopTimer(startTimer(createTimer(plan), T0).state, T0 + 60_000).state;

describe('the hub after class', () => {
  it('uploads each strap’s workout of the run once it is over, retrying a failed upload; a guest gets the claim link and QR', async () => {
    const { afterClass, calls, sleeps } = await setup(ended);
    afterClass.check();
    afterClass.check();
    await expect.poll(() => afterClass.outcomes.map((o) => [o.strap, o.state]), { timeout: 15_000 }).toEqual([
      ['ant:1', 'member'],
      ['ant:4821', 'held'],
    ]);
    expect(afterClass.runStartedAt).toBe(T0);
    // Two straps, each: one failure, one answer; the run is handled once however often checked.
    expect(calls).toHaveLength(4);
    expect(sleeps).toHaveLength(2);
    expect(calls.every((c) => c.result.runStartedAt === T0 && c.session.startedAt === T0)).toBe(true);
    const guest = afterClass.outcomes.find((o) => o.strap === 'ant:4821')!;
    expect(guest.claimLink).toBe('https://gym.example/claim#claim-token');
    await expect.poll(() => afterClass.outcomes.find((o) => o.strap === 'ant:4821')!.claimQr, { timeout: 15_000 }).toContain('claim#claim-token');
    afterClass.check();
    expect(calls).toHaveLength(4);
  }, 30_000);

  it('after a reload shows the run’s outcomes again (the guest’s link stays the one they scanned) without uploading anew', async () => {
    let kept: SavedRun | null = null;
    const memory: AfterClassMemory = { load: () => kept && structuredClone(kept), save: (run) => void (kept = structuredClone(run)) };
    const first = await setup(ended, memory);
    first.afterClass.check();
    await expect.poll(() => kept?.outcomes.find((o) => o.strap === 'ant:4821')?.claimQr ?? null, { timeout: 15_000 }).toContain('claim#claim-token');
    const reloaded = await setup(ended, memory);
    expect(reloaded.afterClass.outcomes.map((o) => [o.state, o.claimLink])).toEqual([
      ['member', null],
      ['held', 'https://gym.example/claim#claim-token'],
    ]);
    reloaded.afterClass.check();
    expect(reloaded.calls).toHaveLength(0);
  }, 30_000);

  it('waits while the run goes on', async () => {
    const running = startTimer(createTimer(tabataPlan(40)), T0).state;
    const { afterClass, calls } = await setup(running);
    afterClass.check();
    expect(afterClass.runStartedAt).toBeNull();
    expect(calls).toHaveLength(0);
  });
});
