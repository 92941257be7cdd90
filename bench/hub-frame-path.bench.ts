/**
 * The live hub's per-frame cost without sockets (issue 14): how much of the sync server's time
 * per heart rate is its own JavaScript (parse, check, pacing, memo, bus, routing, serializing),
 * apart from the `ws` library and the kernel that bench/class-fanout.bench.ts also measures.
 *
 * ROOMS × PARTICIPANTS participants and one display per room say hello to the real
 * `createLiveHub` over the memory bus and in-memory stores; fake sockets count what they are
 * sent. Then ROUNDS rounds, each one heart rate per participant (a server clock passed in moves
 * a second per round, so pacing accepts every frame), are fed as the text frames a phone sends,
 * in bursts of BURST frames with the bus's microtask drained after each frame as in the server.
 * Beside it, the same frames go through the least a fan-out can do (JSON.parse, one
 * JSON.stringify, the display's send): the floor's JavaScript.
 *
 * Prints ns per frame (best of REPEAT runs of ROUNDS rounds, after a warm-up, and each run) and
 * the frames the displays were sent (every frame must reach its room's display, or it exits 1).
 *
 *   node --import tsx bench/hub-frame-path.bench.ts
 *   ROOMS=100 PARTICIPANTS=30 ROUNDS=20 REPEAT=5 BURST=40 node --import tsx bench/hub-frame-path.bench.ts
 */
import pino from 'pino';
import type { WSContext } from 'hono/ws';
import type { DisplayRow, ParticipantRow, RoomRow } from '../sync-server/src/rooms/store';
import { createLiveHub } from '../sync-server/src/live/hub';
import { createMemoryBus } from '../sync-server/src/live/memory-bus';
import type { LiveSocketEvents } from '../sync-server/src/live/live-upgrade';

const ROOMS = Number(process.env.ROOMS ?? 100);
const PARTICIPANTS = Number(process.env.PARTICIPANTS ?? 30);
const ROUNDS = Number(process.env.ROUNDS ?? 20);
const REPEAT = Number(process.env.REPEAT ?? 5);
const BURST = Number(process.env.BURST ?? 40);

const id15 = (kind: string, n: number) => `${kind}${String(n).padStart(15 - kind.length, '0')}`;
/** A token shaped as the hub's hello schema wants (id.secret). */
const tok = (id: string) => `${id}.${'x'.repeat(43)}`;
const tick = () => new Promise<void>((r) => setImmediate(r));

interface FakeSocket {
  ctx: WSContext;
  sent: number;
  events: LiveSocketEvents;
}

async function setUp() {
  let serverNow = 1_700_000_000_000;
  const rooms = new Map<string, RoomRow>();
  const participants = new Map<string, ParticipantRow>();
  const displays = new Map<string, DisplayRow>();
  const bus = createMemoryBus({ memoTtlMs: 60_000, now: () => serverNow });
  const hub = createLiveHub({
    bus,
    config: { staleMs: 5_000, goneMs: 30_000, hrMinIntervalMs: 750 },
    now: () => serverNow,
    logger: pino({ level: 'silent' }),
    authenticateSession: async () => null,
    store: {
      room: async (id) => rooms.get(id) ?? null,
      activeParticipants: async (roomId) => [...participants.values()].filter((p) => p.room === roomId),
      touchParticipants: async () => undefined,
    },
    service: {
      isCoach: () => false,
      latestTimer: async () => null as never,
      authenticateDisplay: async (_roomId, token) => displays.get(token) ?? null,
      authenticateParticipant: async (_roomId, token) => participants.get(token) ?? null,
      timerCommand: async () => null as never,
    },
  });
  const open = (roomId: string): FakeSocket => {
    const s = { sent: 0 } as FakeSocket;
    s.events = hub.events({ roomId, sessionToken: undefined });
    s.ctx = { raw: { bufferedAmount: 0 }, send: () => void s.sent++, close: () => undefined, readyState: 1 } as unknown as WSContext;
    s.events.onOpen(s.ctx);
    return s;
  };
  const screens: FakeSocket[] = [];
  const phones: Array<{ socket: FakeSocket; seq: number }> = [];
  for (let r = 0; r < ROOMS; r++) {
    const roomId = id15('r', r);
    rooms.set(roomId, { id: roomId, owner: id15('u', 0), name: `Bench ${r}`, join_code: 'ABCD2345', coaches: [], tile_sort: 'name', created: '' } as RoomRow);
    const display = open(roomId);
    displays.set(tok(id15('d', r)), { id: id15('d', r), room: roomId } as DisplayRow);
    display.events.onMessage({ data: JSON.stringify({ type: 'hello', v: 1, role: 'display', token: tok(id15('d', r)) }) }, display.ctx);
    screens.push(display);
    for (let i = 0; i < PARTICIPANTS; i++) {
      const pid = id15('p', r * PARTICIPANTS + i);
      const token = tok(pid);
      participants.set(token, {
        id: pid, room: roomId, device_id: '', joined_at: serverNow, last_seen: 0, version: 1,
        name: `P ${i}`, age: 30, sex: 'female', weight_kg: 60, max_hr: 190, resting_hr: 60, unranked: false, user: '', token_hash: '', status: 'active',
      });
      const phone = open(roomId);
      phone.events.onMessage({ data: JSON.stringify({ type: 'hello', v: 1, role: 'participant', token }) }, phone.ctx);
      phones.push({ socket: phone, seq: 0 });
    }
  }
  for (let i = 0; i < 50; i++) await tick(); // hellos answered
  const stats = hub.stats();
  if (stats.sockets !== ROOMS * (PARTICIPANTS + 1)) throw new Error(`expected ${ROOMS * (PARTICIPANTS + 1)} sockets, got ${stats.sockets}`);
  return {
    screens,
    phones,
    advance: (ms: number) => void (serverNow += ms),
    stop: () => hub.stop(),
  };
}

/** One round: every phone sends one heart rate, in bursts; returns the frames fed. */
async function hubRound(w: Awaited<ReturnType<typeof setUp>>, round: number) {
  w.advance(1_000);
  let n = 0;
  for (const p of w.phones) {
    const frame = `{"type":"hr","bpm":${120 + (n % 50)},"points":${round},"seq":${p.seq++},"t":${1_000_000 + round * 1_000}}`;
    p.socket.events.onMessage({ data: frame }, p.socket.ctx);
    await null; // the bus drains on a microtask, after each socket's read as in the server
    if (++n % BURST === 0) await tick();
  }
  return n;
}

/** The floor's JavaScript for the same frames: parse, stringify once, send to the room's display. */
function floorRound(w: Awaited<ReturnType<typeof setUp>>, round: number) {
  let n = 0;
  for (const p of w.phones) {
    const frame = `{"type":"hr","bpm":${120 + (n % 50)},"points":${round},"seq":${p.seq},"t":${1_000_000 + round * 1_000}}`;
    const msg = JSON.parse(frame) as { bpm: number; kcal?: number; points?: number };
    const out = JSON.stringify({ type: 'hr', participantId: 'p00000000000001', bpm: msg.bpm, kcal: msg.kcal ?? null, points: msg.points ?? null, at: Date.now() });
    w.screens[Math.floor(n / PARTICIPANTS)]!.ctx.send(out);
    n++;
  }
  return n;
}

async function measure(name: string, w: Awaited<ReturnType<typeof setUp>>, run: (round: number) => Promise<number> | number) {
  let round = 0;
  for (let i = 0; i < ROUNDS; i++) await run(round++); // warm-up
  const runs: number[] = [];
  let frames = 0;
  for (let k = 0; k < REPEAT; k++) {
    const t0 = process.hrtime.bigint();
    let n = 0;
    for (let i = 0; i < ROUNDS; i++) n += await run(round++);
    runs.push(Number(process.hrtime.bigint() - t0) / n);
    frames = n;
  }
  return { name, framesPerRun: frames, nsPerFrameBest: Math.round(Math.min(...runs)), nsPerFrameRuns: runs.map(Math.round) };
}

const w = await setUp();
const sentBefore = w.screens.reduce((s, d) => s + d.sent, 0);
const hub = await measure('hub', w, (r) => hubRound(w, r));
const delivered = w.screens.reduce((s, d) => s + d.sent, 0) - sentBefore;
const floor = await measure('floor-js', w, (r) => floorRound(w, r));
const expected = (REPEAT + 1) * ROUNDS * ROOMS * PARTICIPANTS;
console.log(JSON.stringify({ rooms: ROOMS, participants: PARTICIPANTS, rounds: ROUNDS, repeat: REPEAT, burst: BURST, hub, floor, hubDeliveredToDisplays: delivered, expectedDeliveries: expected, node: process.version }, null, 2));
w.stop();
if (delivered !== expected) {
  console.error(`delivered ${delivered} of ${expected} frames`);
  process.exitCode = 1;
}
