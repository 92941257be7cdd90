import pino from 'pino';
import { WSContext } from 'hono/ws';
import { describe, expect, it } from 'vitest';
import { LIVE_CLOSE, parseServerMessage, type ServerMessage } from '../../../core/rooms';
import { createTimer, tabataPlan, type TimerState } from '../../../core/workout';
import type { DisplayRow, ParticipantRow, RoomRow } from '../rooms/store';
import type { LiveBus } from './bus';
import { createLiveHub, type LiveHubDeps } from './hub';
import { createMemoryBus } from './memory-bus';

/**
 * The hub over fakes (no PocketBase, no sockets): in-memory rows, a memory bus whose outage can
 * be simulated, and fake sockets that record frames. Absence is asserted against a later event
 * that must arrive after it (a timer delta published afterwards), never after a sleep.
 */
const ROOM = 'room00000000001';
const OWNER = 'owner0000000001';
const HELPER = 'helper000000001';
const tok = (id: string, secret = 'x') => `${id}.${secret.repeat(43).slice(0, 43)}`;

function world() {
  let t = 1_000_000;
  const room: RoomRow = { id: ROOM, owner: OWNER, name: 'HIIT', join_code: 'ABCD2345', coaches: [HELPER], tile_sort: 'name', created: '' };
  const rooms = new Map<string, RoomRow>([[ROOM, room]]);
  const sessions = new Map<string, string>(); // token → userId
  const expiries = new Map<string, number>(); // token → when the session ends unless used
  const sessionChecks = { count: 0 };
  const displays = new Map<string, string>(); // token → display id
  const participants = new Map<string, ParticipantRow>(); // token → row
  let timer: TimerState = createTimer(tabataPlan(2));
  const touched: Array<[string, number]> = [];
  /** How many times the room's participant list was read (a participant's hello needs none). */
  const participantListReads = { count: 0 };
  const memory = createMemoryBus({ memoTtlMs: 60_000, now: () => t });
  const resyncs = new Set<() => void>();
  // The memory bus never loses events; this one can be told it did.
  const bus: LiveBus & { outage(): void } = { ...memory, onResync: (l) => (resyncs.add(l), () => void resyncs.delete(l)), outage: () => resyncs.forEach((l) => l()) };
  const gate = { session: null as Promise<void> | null };
  // Room hubs: one hub of this room; strap key → its participant (null: removed), read through
  // `strapGate` when set (a slow PocketBase).
  const hubToken = tok('hub000000000001', 'h');
  const straps = new Map<string, ParticipantRow | null>();
  const strapReads = { count: 0, gate: null as Promise<void> | null };
  const deps: LiveHubDeps = {
    bus,
    config: { staleMs: 5_000, goneMs: 30_000, hrMinIntervalMs: 750 },
    now: () => t,
    logger: pino({ level: 'silent' }),
    authenticateSession: async (token) => {
      if (gate.session) await gate.session;
      sessionChecks.count += 1;
      const userId = token ? sessions.get(token) : undefined;
      if (!token || !userId) return null;
      const expiresAt = expiries.get(token);
      if (expiresAt === undefined) return { userId };
      // As auth/sessions.ts: an expired session is deleted on its next check.
      if (t >= expiresAt) return void sessions.delete(token), null;
      return { userId, expiresAt };
    },
    store: {
      room: async (id) => rooms.get(id) ?? null,
      activeParticipants: async () => {
        participantListReads.count += 1;
        return [...participants.values()].filter((p) => p.status === 'active');
      },
      touchParticipants: async (entries) => void touched.push(...entries.map((e): [string, number] => [e.id, e.at])),
    },
    service: {
      isCoach: (row, userId) => row.owner === userId || row.coaches.includes(userId),
      latestTimer: async () => timer,
      authenticateDisplay: async (_roomId, token) => {
        const id = displays.get(token);
        return id ? ({ id, room: ROOM } as DisplayRow) : null;
      },
      authenticateParticipant: async (_roomId, token) => {
        const p = participants.get(token);
        return p && p.status === 'active' ? p : null;
      },
      timerCommand: async () => ({ ok: true, state: timer }),
    },
    hubs: {
      authenticateHub: async (_roomId, token) => (token === hubToken ? { id: 'hub000000000001', room: ROOM, name: 'Hub', token_hash: '', pairing_code_hash: '', pairing_expires: 0, created: '' } : null),
      strapParticipant: async (_hub, key) => {
        strapReads.count += 1;
        if (strapReads.gate) await strapReads.gate;
        const row = straps.get(key) ?? null;
        return row ? { row, announce: false } : null;
      },
    },
  };
  const hub = createLiveHub({ ...deps, presenceFlushMs: 5 });

  function socket(sessionToken?: string) {
    const frames: ServerMessage[] = [];
    const waiters = new Set<() => void>();
    let closed: { code: number; reason: string } | null = null;
    const notify = () => waiters.forEach((w) => w());
    const ws = new WSContext({
      readyState: 1,
      raw: { bufferedAmount: 0 },
      send: (data) => {
        const r = parseServerMessage(String(data));
        if (!r.ok) throw new Error(r.message);
        frames.push(r.message);
        notify();
      },
      close: (code, reason) => {
        closed = { code: code ?? 1000, reason: reason ?? '' };
        notify();
      },
    });
    const events = hub.events({ roomId: ROOM, sessionToken });
    events.onOpen(ws);
    const until = (pred: () => boolean) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!pred()) return;
          waiters.delete(check);
          clearTimeout(timeout);
          resolve();
        };
        const timeout = setTimeout(() => reject(new Error(`timed out: ${frames.map((f) => f.type).join(',')} closed=${JSON.stringify(closed)}`)), 5_000);
        waiters.add(check);
        check();
      });
    return {
      frames,
      get closed() {
        return closed;
      },
      send: (msg: unknown) => events.onMessage({ data: JSON.stringify(msg) }, ws),
      /** The client goes away (the socket's close event). */
      close: () => events.onClose(ws),
      waitFor: (pred: (m: ServerMessage) => boolean) => until(() => frames.some(pred)),
      waitClosed: async () => {
        await until(() => closed !== null);
        return closed!;
      },
      async hello(msg: object) {
        this.send({ type: 'hello', v: 1, ...msg });
        await until(() => frames.some((f) => f.type === 'snapshot') || closed !== null);
      },
    };
  }

  /** A timer delta every open socket must get: the event absence is asserted against. */
  async function marker(...open: Array<ReturnType<typeof socket>>) {
    timer = { ...timer, revision: timer.revision + 1 };
    bus.publish(ROOM, { type: 'timer', state: timer });
    const rev = timer.revision;
    await Promise.all(open.map((s) => s.waitFor((m) => m.type === 'timer' && m.state.revision === rev)));
  }

  return {
    hub,
    bus,
    rooms,
    room,
    sessions,
    expiries,
    sessionChecks,
    displays,
    participants,
    touched,
    participantListReads,
    gate,
    hubToken,
    straps,
    strapReads,
    socket,
    marker,
    setTimer: (s: TimerState) => void (timer = s),
    tick: (ms: number) => void (t += ms),
    now: () => t,
  };
}

const participantRow = (id: string, user = ''): ParticipantRow => ({
  id,
  room: ROOM,
  device_id: `dev-${id}`,
  version: 0,
  user,
  name: 'Gail',
  age: 34,
  sex: 'female',
  weight_kg: 0,
  max_hr: 0,
  resting_hr: 0,
  unranked: false,
  token_hash: '',
  status: 'active',
  joined_at: 1,
  last_seen: 1,
});

describe('live hub: continuous authorization', () => {
  it('a revoked session closes its control socket; another session’s socket stays (checked against a later event)', async () => {
    const w = world();
    w.sessions.set(tok('sess00000000001'), OWNER);
    w.sessions.set(tok('sess00000000002'), OWNER);
    const revoked = w.socket(tok('sess00000000001'));
    const kept = w.socket(tok('sess00000000002'));
    await revoked.hello({ role: 'control' });
    await kept.hello({ role: 'control' });
    w.sessions.delete(tok('sess00000000001'));
    w.bus.publishAccess({ type: 'session-revoked', sessionId: 'sess00000000001' });
    expect((await revoked.waitClosed()).code).toBe(LIVE_CLOSE.revoked);
    await w.marker(kept);
    expect(kept.closed).toBeNull();
  });

  it('revoking all of a member’s sessions closes their control sockets only', async () => {
    const w = world();
    w.sessions.set(tok('sess00000000001'), HELPER);
    w.sessions.set(tok('sess00000000002'), OWNER);
    const helper = w.socket(tok('sess00000000001'));
    const owner = w.socket(tok('sess00000000002'));
    await helper.hello({ role: 'control' });
    await owner.hello({ role: 'control' });
    w.sessions.delete(tok('sess00000000001'));
    w.bus.publishAccess({ type: 'sessions-revoked', userId: HELPER });
    expect((await helper.waitClosed()).code).toBe(LIVE_CLOSE.revoked);
    await w.marker(owner);
    expect(owner.closed).toBeNull();
  });

  it('a removed co-coach is closed on `reauthorize control`; the owner stays', async () => {
    const w = world();
    w.sessions.set(tok('sess00000000001'), HELPER);
    w.sessions.set(tok('sess00000000002'), OWNER);
    const helper = w.socket(tok('sess00000000001'));
    const owner = w.socket(tok('sess00000000002'));
    await helper.hello({ role: 'control' });
    await owner.hello({ role: 'control' });
    w.room.coaches = [];
    w.bus.publish(ROOM, { type: 'reauthorize', role: 'control' });
    expect((await helper.waitClosed()).code).toBe(LIVE_CLOSE.revoked);
    await w.marker(owner);
    expect(owner.closed).toBeNull();
  });

  it('a display whose token was replaced by pairing is closed on `reauthorize display`; the paired one stays', async () => {
    const w = world();
    w.displays.set(tok('disp00000000001', 'a'), 'disp00000000001');
    const link = w.socket();
    await link.hello({ role: 'display', token: tok('disp00000000001', 'a') });
    w.displays.delete(tok('disp00000000001', 'a'));
    w.displays.set(tok('disp00000000001', 'b'), 'disp00000000001');
    const paired = w.socket();
    await paired.hello({ role: 'display', token: tok('disp00000000001', 'b') });
    w.bus.publish(ROOM, { type: 'reauthorize', role: 'display' });
    expect((await link.waitClosed()).code).toBe(LIVE_CLOSE.revoked);
    await w.marker(paired);
    expect(paired.closed).toBeNull();
  });

  it('when a room’s owner is gone (account deleted) every socket of the room closes', async () => {
    const w = world();
    w.displays.set(tok('disp00000000001'), 'disp00000000001');
    w.participants.set(tok('part00000000001'), participantRow('part00000000001'));
    const display = w.socket();
    const phone = w.socket();
    await display.hello({ role: 'display', token: tok('disp00000000001') });
    await phone.hello({ role: 'participant', token: tok('part00000000001') });
    w.rooms.delete(ROOM);
    w.bus.publishAccess({ type: 'sessions-revoked', userId: OWNER });
    expect((await display.waitClosed()).code).toBe(LIVE_CLOSE.roomGone);
    expect((await phone.waitClosed()).code).toBe(LIVE_CLOSE.roomGone);
  });

  it('a member’s participant socket is re-checked when their sessions end (account deleted: participation gone)', async () => {
    const w = world();
    w.participants.set(tok('part00000000001'), participantRow('part00000000001', 'member000000001'));
    w.participants.set(tok('part00000000002'), participantRow('part00000000002'));
    const member = w.socket();
    const guest = w.socket();
    await member.hello({ role: 'participant', token: tok('part00000000001') });
    await guest.hello({ role: 'participant', token: tok('part00000000002') });
    w.participants.delete(tok('part00000000001'));
    w.bus.publishAccess({ type: 'sessions-revoked', userId: 'member000000001' });
    expect((await member.waitClosed()).code).toBe(LIVE_CLOSE.revoked);
    await w.marker(guest);
    expect(guest.closed).toBeNull();
  });

  it('a revocation that lands while the hello is being checked still closes the socket', async () => {
    const w = world();
    w.sessions.set(tok('sess00000000001'), HELPER);
    let release!: () => void;
    w.gate.session = new Promise<void>((r) => (release = r));
    const s = w.socket(tok('sess00000000001'));
    s.send({ type: 'hello', v: 1, role: 'control' });
    // The hello is waiting on the session read; the revocation is announced meanwhile,
    // and the read (like a read that started before the revocation) still says yes.
    await new Promise((r) => setImmediate(r));
    w.bus.publishAccess({ type: 'sessions-revoked', userId: HELPER });
    await new Promise((r) => setImmediate(r));
    w.gate.session = null;
    release();
    await s.waitFor((m) => m.type === 'snapshot');
    w.sessions.delete(tok('sess00000000001'));
    expect((await s.waitClosed()).code).toBe(LIVE_CLOSE.revoked);
  });

  it('a control socket whose session merely expires (no revocation, no event) closes when it expires; another stays', async () => {
    const w = world();
    const start = w.now();
    w.sessions.set(tok('sess00000000001'), OWNER);
    w.expiries.set(tok('sess00000000001'), start + 150);
    w.sessions.set(tok('sess00000000002'), OWNER);
    w.expiries.set(tok('sess00000000002'), start + 60 * 60_000);
    const expiring = w.socket(tok('sess00000000001'));
    const kept = w.socket(tok('sess00000000002'));
    await expiring.hello({ role: 'control' });
    await kept.hello({ role: 'control' });
    // The hub's clock reaches the expiry; nothing is announced. (A re-check that ran before
    // this tick found the session alive and armed itself again for the rest of the wait.)
    w.tick(150);
    expect((await expiring.waitClosed()).code).toBe(LIVE_CLOSE.revoked);
    expect(w.sessions.has(tok('sess00000000001'))).toBe(false);
    await w.marker(kept);
    expect(kept.closed).toBeNull();
  });

  it('a session that slid meanwhile (used elsewhere) keeps its socket past the old expiry, and closes at the new one', async () => {
    const w = world();
    const start = w.now();
    const token = tok('sess00000000001');
    w.sessions.set(token, HELPER);
    w.expiries.set(token, start + 100);
    const s = w.socket(token);
    await s.hello({ role: 'control' });
    const checks = w.sessionChecks.count;
    w.expiries.set(token, start + 300); // a request from another device slid the idle expiry
    w.tick(100);
    // The re-check due at the old expiry ran and found the session alive.
    await expect.poll(() => w.sessionChecks.count).toBeGreaterThan(checks);
    await w.marker(s);
    expect(s.closed).toBeNull();
    w.tick(200);
    expect((await s.waitClosed()).code).toBe(LIVE_CLOSE.revoked);
  });
});

describe('live hub: resync after the bus lost events', () => {
  it('sends every open socket a fresh snapshot with the stored timer, and closes sockets revoked meanwhile', async () => {
    const w = world();
    w.displays.set(tok('disp00000000001'), 'disp00000000001');
    w.sessions.set(tok('sess00000000001'), HELPER);
    const display = w.socket();
    const helper = w.socket(tok('sess00000000001'));
    await display.hello({ role: 'display', token: tok('disp00000000001') });
    await helper.hello({ role: 'control' });
    // During the outage: a command was stored (its event lost) and the co-coach was removed.
    const stored = { ...createTimer(tabataPlan(2)), revision: 7 };
    w.setTimer(stored);
    w.room.coaches = [];
    w.bus.outage();
    await display.waitFor((m) => m.type === 'snapshot' && m.timer.revision === 7);
    expect((await helper.waitClosed()).code).toBe(LIVE_CLOSE.revoked);
  });
});

describe('live hub: heart rate', () => {
  it('paces by the sender’s seq/t: frames bunched by a stall are all published; presence goes through the store', async () => {
    const w = world();
    w.displays.set(tok('disp00000000001'), 'disp00000000001');
    w.participants.set(tok('part00000000001'), participantRow('part00000000001'));
    const display = w.socket();
    const phone = w.socket();
    await display.hello({ role: 'display', token: tok('disp00000000001') });
    await phone.hello({ role: 'participant', token: tok('part00000000001') });
    w.tick(40_000);
    phone.send({ type: 'hr', bpm: 100, seq: 0, t: 0 });
    w.tick(3_000); // a 3 s stall: three frames sent at 1 Hz arrive together
    for (let i = 1; i <= 3; i++) phone.send({ type: 'hr', bpm: 100 + i, seq: i, t: i * 1_000 });
    await display.waitFor((m) => m.type === 'hr' && m.bpm === 103);
    expect(display.frames.filter((m) => m.type === 'hr').map((m) => (m.type === 'hr' ? m.bpm : 0))).toEqual([100, 101, 102, 103]);
    // Written in bulk, about once a second (presenceFlushMs), not per frame.
    await expect.poll(() => w.touched).toHaveLength(1);
    // The same bunch without seq/t (an old client) is paced by receive time: one of three.
    w.tick(1_000);
    for (let i = 0; i < 3; i++) phone.send({ type: 'hr', bpm: 120 + i });
    await w.marker(display);
    expect(display.frames.filter((m) => m.type === 'hr' && m.bpm >= 120)).toHaveLength(1);
  });

  it('a phone that sends its own heart rate is not sent it back; a second socket of the same participant (not sending) gets it', async () => {
    const w = world();
    w.displays.set(tok('disp00000000001'), 'disp00000000001');
    w.participants.set(tok('part00000000001'), participantRow('part00000000001'));
    const display = w.socket();
    const phone = w.socket();
    const follower = w.socket();
    await display.hello({ role: 'display', token: tok('disp00000000001') });
    await phone.hello({ role: 'participant', token: tok('part00000000001') });
    await follower.hello({ role: 'participant', token: tok('part00000000001') });
    for (let i = 0; i < 3; i++) {
      w.tick(1_000);
      phone.send({ type: 'hr', bpm: 130 + i, points: i, seq: i, t: i * 1_000 });
    }
    await display.waitFor((m) => m.type === 'hr' && m.bpm === 132);
    await follower.waitFor((m) => m.type === 'hr' && m.bpm === 132);
    await w.marker(phone, display, follower);
    expect(phone.frames.filter((m) => m.type === 'hr')).toEqual([]);
    expect(follower.frames.filter((m) => m.type === 'hr').map((m) => (m.type === 'hr' ? [m.bpm, m.points] : []))).toEqual([
      [130, 0],
      [131, 1],
      [132, 2],
    ]);
    // The last reading is what a screen opened now starts from (the bus's memo).
    const late = w.socket();
    w.displays.set(tok('disp00000000002'), 'disp00000000002');
    await late.hello({ role: 'display', token: tok('disp00000000002') });
    const snap = late.frames.find((m) => m.type === 'snapshot');
    expect(snap?.type === 'snapshot' && snap.participants.map((p) => [p.id, p.hr?.bpm, p.hr?.points])).toEqual([['part00000000001', 132, 2]]);
  });
});

describe('live hub: snapshots', () => {
  it('a participant’s snapshot is its own row with its last heart rate, read without the room’s participant list; a display’s has every row', async () => {
    const w = world();
    w.displays.set(tok('disp00000000001'), 'disp00000000001');
    // Seen just now, so the display's snapshot keeps them (a gone tile is left out).
    for (const id of ['part00000000001', 'part00000000002', 'part00000000003']) w.participants.set(tok(id), { ...participantRow(id), last_seen: w.now() });
    const phone = w.socket();
    await phone.hello({ role: 'participant', token: tok('part00000000001') });
    phone.send({ type: 'hr', bpm: 141, points: 3, seq: 0, t: 0 });
    const display = w.socket();
    await display.hello({ role: 'display', token: tok('disp00000000001') });
    await display.waitFor((m) => m.type === 'hr' && m.bpm === 141);
    const readsBefore = w.participantListReads.count;
    const again = w.socket();
    await again.hello({ role: 'participant', token: tok('part00000000001') });
    expect(w.participantListReads.count).toBe(readsBefore);
    const own = again.frames.find((m) => m.type === 'snapshot');
    expect(own?.type === 'snapshot' && own.participants.map((p) => [p.id, p.hr?.bpm ?? null])).toEqual([['part00000000001', 141]]);
    expect(own?.type === 'snapshot' && own.room.joinCode).toBeNull();
    const all = display.frames.find((m) => m.type === 'snapshot');
    expect(all?.type === 'snapshot' && all.participants.map((p) => p.id).sort()).toEqual(['part00000000001', 'part00000000002', 'part00000000003']);
  });
});

describe('live hub: who hears a heart rate', () => {
  it('every screen and control page, one still in its hello after its welcome, never another participant’s phone; a closed screen drops out', async () => {
    const w = world();
    w.displays.set(tok('disp00000000001'), 'disp00000000001');
    w.sessions.set('coach-session', OWNER);
    w.participants.set(tok('part00000000001'), participantRow('part00000000001'));
    w.participants.set(tok('part00000000002'), participantRow('part00000000002'));
    const display = w.socket();
    const phone = w.socket();
    const other = w.socket();
    await display.hello({ role: 'display', token: tok('disp00000000001') });
    await phone.hello({ role: 'participant', token: tok('part00000000001') });
    await other.hello({ role: 'participant', token: tok('part00000000002') });
    // A control page whose hello is still being checked: its heart rates wait in its backlog.
    let release!: () => void;
    w.gate.session = new Promise<void>((r) => (release = r));
    const control = w.socket('coach-session');
    control.send({ type: 'hello', v: 1, role: 'control' });
    w.tick(1_000);
    phone.send({ type: 'hr', bpm: 120, seq: 0, t: 0 });
    await display.waitFor((m) => m.type === 'hr' && m.bpm === 120);
    w.gate.session = null;
    release();
    await control.waitFor((m) => m.type === 'hr' && m.bpm === 120);
    const types = control.frames.map((m) => m.type);
    expect(types.indexOf('welcome')).toBeLessThan(types.indexOf('hr'));
    // The screen goes; the control page still hears the next reading, the other phone none.
    display.close();
    w.tick(1_000);
    phone.send({ type: 'hr', bpm: 121, seq: 1, t: 1_000 });
    await control.waitFor((m) => m.type === 'hr' && m.bpm === 121);
    await w.marker(phone, other, control);
    expect(other.frames.filter((m) => m.type === 'hr')).toEqual([]);
    expect(display.frames.filter((m) => m.type === 'hr').map((m) => (m.type === 'hr' ? m.bpm : 0))).toEqual([120]);
  });
});

describe('live hub: room hubs', () => {
  it('a strap due for a re-read keeps publishing while PocketBase answers slowly; the answer (removed) applies from then on', async () => {
    const w = world();
    w.straps.set('ant:4821', participantRow('part00000000021'));
    w.displays.set(tok('disp00000000001', 'a'), 'disp00000000001');
    const display = w.socket();
    await display.hello({ role: 'display', token: tok('disp00000000001', 'a') });
    const hub = w.socket();
    await hub.hello({ role: 'hub', token: w.hubToken });
    const hrs = () => display.frames.filter((f) => f.type === 'hr' && f.participantId === 'part00000000021').length;

    hub.send({ type: 'hub-readings', readings: [{ strap: 'ant:4821', bpm: 120, at: w.now() }] });
    await display.waitFor(() => hrs() === 1);
    expect(w.strapReads.count).toBe(1);

    // 15 s on, the strap is due for a re-read, and PocketBase hangs: the batch still goes out.
    let answer!: () => void;
    w.strapReads.gate = new Promise<void>((r) => (answer = r));
    w.straps.set('ant:4821', null);
    w.tick(15_000);
    hub.send({ type: 'hub-readings', readings: [{ strap: 'ant:4821', bpm: 121, at: w.now() }] });
    await display.waitFor(() => hrs() === 2);
    expect(w.strapReads.count).toBe(2);
    // One re-read at a time: another batch during it does not start a second one.
    w.tick(1_000);
    hub.send({ type: 'hub-readings', readings: [{ strap: 'ant:4821', bpm: 122, at: w.now() }] });
    await display.waitFor(() => hrs() === 3);
    expect(w.strapReads.count).toBe(2);

    // The re-read lands (the coach removed the strap): the hub is told, and nothing more is published.
    answer();
    await hub.waitFor((m) => m.type === 'hub-strap' && m.strap === 'ant:4821' && m.participantId === null);
    w.tick(1_000);
    hub.send({ type: 'hub-readings', readings: [{ strap: 'ant:4821', bpm: 123, at: w.now() }] });
    await w.marker(display, hub);
    expect(hrs()).toBe(3);
  });
});
