/**
 * Fills a class-mode room with simulated participants (a dev tool and the bench's load):
 * each joins as a guest with the room's join code (its own device id, and its simulated
 * person's resting and maximum heart rate), opens the live socket and, every second, plays a
 * phone: takes a reading from core/heart-rate's simulated heart (working in 40 s / 20 s
 * intervals), keeps it, works out its effort points so far and sends
 * `{type:'hr', bpm, points, seq, t}` as the PWA does (web/src/lib/rooms/hr-publisher.ts).
 * No room timer is assumed running, so the points are core/workout `effortPoints` over every
 * reading (without phases, i.e. no recovery bonus). A phone recomputes them over all its
 * readings on each send; 3 000 simulated phones in one process cannot (O(readings) each, it
 * would slow the load generator as the run goes on), so they add them up reading by reading
 * (`runningEffortPoints`, equal to effortPoints: bench/support/running-points.test.ts, and
 * `checkPoints` checks every participant's total against effortPoints over its readings).
 *
 *   node --import tsx scripts/simulate-class.ts --code ABCD2345 [--count 20] [--url http://127.0.0.1:8787] [--seed 1]
 *
 * Ctrl-C makes every simulated participant leave the room.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { WebSocket } from 'ws';
import { createSimulatedGroup, type SimulatedHeart } from '../core/heart-rate/simulated-heart';
import type { HrMessage } from '../core/rooms/wire';
import { DEFAULT_MAX_HOLD_MS, effortPoints, isGap, pointsPerMinute, type PointsProfile, type Reading } from '../core/workout';

/** One simulated participant's live socket, already past its hello. */
export interface SimulatedSocket {
  id: string;
  ws: WebSocket;
}

/** A hr frame as sent, for the bench's ledger. */
export type SentHr = HrMessage & { bpm: number; points: number };

export interface SimulatedParticipants {
  /** Called right before each hr frame is sent, with the sender's id and the frame. */
  onSend: ((participantId: string, frame: SentHr) => void) | null;
  /** Stops the sending (the sockets stay open). */
  stop(): void;
  /**
   * While true, nothing is sent; the hearts go on beating (readings and running points go on),
   * so the next frame after a pause carries the points of the whole time.
   */
  paused: boolean;
  /** Every participant's running points against effortPoints over all its readings, now. */
  checkPoints(): { checked: number; mismatched: number };
}

export interface SimulatedClass extends SimulatedParticipants {
  roomId: string;
  participants: Array<{ id: string; token: string; ws: WebSocket }>;
  /** Stops the sending and closes the sockets; with `leave`, each participant leaves the room. */
  stop(opts?: { leave?: boolean }): Promise<void>;
}

export interface FillOptions {
  url: string;
  code: string;
  count: number;
  seed?: number;
  origin?: string;
  /** Joins in flight at once. */
  concurrency?: number;
  /**
   * The gym's address as a trusted proxy reports it (X-Forwarded-For; the server needs
   * TRUST_PROXY): the bench fills 100 rooms as 100 gyms, each within the per-address join limit.
   */
  forwardedFor?: string;
  log?: (msg: string) => void;
  /** The i-th participant's name (default `Sim i+1`). */
  name?: (i: number) => string;
  /** Shapes what the i-th participant sends, from its simulated heart rate (default: that bpm alone). */
  reading?: (i: number, bpm: number) => { bpm: number; kcal?: number; points?: number };
  /** When in each second the i-th participant sends (sendHeartRates). */
  phaseMs?: (i: number) => number;
}

/** The simulated people of a room: the same seed gives the same people and heart rates. */
export const simulatedPeople = (count: number, seed = 1): SimulatedHeart[] => createSimulatedGroup(count, seed);

/** Attempts of one join when the server answers 503 (PocketBase busy or briefly away on a loaded machine). */
const JOIN_ATTEMPTS = 8;
const JOIN_BACKOFF_MS = 250;
const JOIN_BACKOFF_MAX_MS = 8_000;

/**
 * Joins as the i-th participant. A 503 (the server could not reach PocketBase in time: it says
 * nothing was stored) is tried again with exponential backoff and jitter, after Retry-After
 * when the server gives one; any other failure, or the last 503, throws.
 */
async function join(opts: FillOptions, i: number, heart: SimulatedHeart) {
  for (let attempt = 1; ; attempt++) {
    const { res, body } = await joinOnce(opts, i, heart);
    if (res.status === 201) return body;
    if (res.status !== 503 || attempt >= JOIN_ATTEMPTS) throw new Error(`join ${i}: ${res.status} ${body.error?.message}${attempt > 1 ? ` (attempt ${attempt})` : ''}`);
    const retryAfterMs = Number(res.headers.get('retry-after') ?? NaN) * 1000;
    const backoff = Math.min(JOIN_BACKOFF_MAX_MS, JOIN_BACKOFF_MS * 2 ** (attempt - 1));
    const wait = Number.isFinite(retryAfterMs) ? retryAfterMs : backoff / 2 + Math.random() * (backoff / 2);
    opts.log?.(`join ${i}: 503, again in ${Math.round(wait)} ms (attempt ${attempt + 1} of ${JOIN_ATTEMPTS})`);
    await new Promise((r) => setTimeout(r, wait));
  }
}

async function joinOnce(opts: FillOptions, i: number, heart: SimulatedHeart) {
  const res = await fetch(`${opts.url}/api/v1/rooms/join`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: opts.origin ?? opts.url, ...(opts.forwardedFor ? { 'x-forwarded-for': opts.forwardedFor } : {}) },
    body: JSON.stringify({
      code: opts.code,
      deviceId: `sim-${opts.seed ?? 1}-${i}-device`,
      name: opts.name?.(i) ?? `Sim ${i + 1}`,
      age: 20 + (i % 40),
      sex: i % 2 ? 'male' : 'female',
      weightKg: 60 + (i % 30),
      // The heart's own reserve, so the tiles' zones and the phone's points use what it beats.
      maxHr: heart.person.maxBpm,
      restingHr: heart.person.restingBpm,
    }),
  });
  // A 503 may come from a proxy or a restarting server without a JSON body.
  const body = (await res.json().catch(() => ({}))) as { room: { id: string }; participant: { id: string }; token: string; error?: { message: string } };
  return { res, body };
}

/** Opens a live socket to `url` (http(s) base) for room `roomId` and sends the participant hello. */
export function openParticipantSocket(url: string, roomId: string, token: string, origin = url): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/api/v1/rooms/${roomId}/live`, { origin });
    ws.once('open', () => {
      ws.send(JSON.stringify({ type: 'hello', v: 1, role: 'participant', token }));
      resolve(ws);
    });
    ws.once('error', reject);
  });
}

/**
 * Effort points so far, added up one reading at a time: for readings in time order and
 * `until` at or after the last one, `total(until)` equals
 * `effortPoints(readings, profile, until).total` (no phases), at O(1) a reading. Each reading
 * holds until the next one for at most DEFAULT_MAX_HOLD_MS (core/workout/readings.ts); the
 * last one's hold runs to `until`. Point-milliseconds stay integers, as in effortPoints.
 */
export function runningEffortPoints(profile: PointsProfile) {
  let closedPointMs = 0;
  let last: Reading | null = null;
  const held = (r: Reading, to: number) => (isGap(r) ? 0 : pointsPerMinute(r.bpm, profile) * Math.max(0, Math.min(to, r.t + DEFAULT_MAX_HOLD_MS) - r.t));
  return {
    add(r: Reading) {
      if (last) closedPointMs += held(last, r.t);
      last = r;
    },
    total(until: number): number {
      return Math.floor((closedPointMs + (last ? held(last, until) : 0)) / 60_000 + 1e-9);
    },
  };
}

/** How often a phone sends its heart rate. */
const SEND_PERIOD_MS = 1_000;
/**
 * A send that came late (the load generator stalled) is followed by the next at the phone's own
 * phase, but never sooner than this after it: the server refuses heart rates closer than its
 * `hrMinIntervalMs` (750 ms) by the sender's clock.
 */
const MIN_SEND_GAP_MS = 800;

/** The first time at or after `now` that falls on `phaseMs` of the clock's second. */
const nextAtPhase = (now: number, phaseMs: number) => Math.ceil((now - phaseMs) / SEND_PERIOD_MS) * SEND_PERIOD_MS + phaseMs;

/**
 * Runs `send` once a second at `phaseMs` into each second of performance.now(), each time
 * from its own schedule, not from when the last one ran. setInterval re-arms every interval
 * that fired in one turn of the event loop from that turn's time, so the phones whose sends
 * fell due during any stall of this process send together from then on, for good (300
 * setIntervals spread over a second and one 300 ms busy loop: 61 of them fired in the same
 * millisecond ever after, a `node -e` check given in issue 14's note of 4 Dec 2026). After
 * the long set-up of bench/class-fanout.bench.ts the sync server's 3 000 phones sent in bursts
 * of 30–50 frames within a millisecond and the floor's, set up in a second, in bursts of 6–20:
 * not the same load, and not one a room of real phones sends (issue 14).
 */
export function everySecondAt(phaseMs: number, send: () => void, clock: SendClock = realClock): () => void {
  // A phase that fell due a moment ago (the default phases start at the caller's own clock
  // reading) is sent now rather than a second later.
  const start = clock.now();
  let timer = clock.setTimeout(step, Math.max(0, Math.round(nextAtPhase(start - 1, phaseMs) - start)));
  function step() {
    send();
    const now = clock.now();
    timer = clock.setTimeout(step, Math.max(0, Math.round(nextAtPhase(now + MIN_SEND_GAP_MS, phaseMs) - now)));
  }
  return () => clock.clearTimeout(timer);
}

/** The clock and timers everySecondAt runs on (a manual one in its test). */
export interface SendClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: SendClock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Makes `sockets[i]` send `hearts[i]`'s heart rate every second, spread over the second as
 * real phones are, each frame with the participant's effort points so far (see the header).
 * `shape`: what the i-th participant sends from its heart rate instead of the bpm and its own
 * points (tests). `phaseMs`: when in each second of performance.now() the i-th one sends
 * (0–999; default: spread evenly over the second from now), so two loads can be given the same
 * schedule.
 */
export function sendHeartRates(
  sockets: readonly SimulatedSocket[],
  hearts: readonly SimulatedHeart[],
  shape?: (i: number, bpm: number) => { bpm: number; kcal?: number; points?: number },
  opts: { phaseMs?: (i: number) => number } = {},
): SimulatedParticipants {
  const checks: Array<() => boolean> = [];
  const sim: SimulatedParticipants = {
    onSend: null,
    paused: false,
    stop: () => undefined,
    checkPoints: () => {
      const mismatched = checks.filter((ok) => !ok()).length;
      return { checked: checks.length, mismatched };
    },
  };
  const started = Date.now();
  const startedClock = performance.now();
  const phaseOf = opts.phaseMs ?? ((i: number) => (startedClock + Math.floor((i / sockets.length) * SEND_PERIOD_MS)) % SEND_PERIOD_MS);
  const cancels = sockets.map((p, i) => {
    const heart = hearts[i]!;
    const profile = { restingHr: heart.person.restingBpm, maxHr: heart.person.maxBpm };
    const readings: Reading[] = [];
    const running = runningEffortPoints(profile);
    checks.push(() => {
      const until = Math.max(Date.now(), readings.at(-1)?.t ?? 0);
      return running.total(until) === effortPoints(readings, profile, until).total;
    });
    let seq = 0;
    const tick = () => {
      const intensity = ((Date.now() - started) / 1000) % 60 < 40 ? 0.8 : 0.3;
      const n = heart.step(intensity);
      if (!n) return;
      // In time order even if the wall clock steps back, as running points need.
      const now = Math.max(Date.now(), readings.at(-1)?.t ?? 0);
      const bpm = Math.round(n.measurement.bpm);
      const reading: Reading = { t: now, bpm, rr1024: [], contact: n.measurement.contact };
      readings.push(reading);
      running.add(reading);
      if (sim.paused || bpm <= 0 || n.measurement.contact === 'not-detected' || p.ws.readyState !== WebSocket.OPEN) return;
      const points = running.total(now);
      const shaped = shape?.(i, bpm);
      const frame: SentHr = { type: 'hr', ...(shaped ?? { bpm }), points: shaped ? (shaped.points ?? 0) : points, seq: seq++, t: Math.round(performance.now()) };
      sim.onSend?.(p.id, frame);
      p.ws.send(JSON.stringify(frame));
    };
    return everySecondAt(phaseOf(i), tick);
  });
  sim.stop = () => cancels.forEach((cancel) => cancel());
  return sim;
}

export async function fillRoom(opts: FillOptions): Promise<SimulatedClass> {
  const hearts = simulatedPeople(opts.count, opts.seed ?? 1);
  const joined: Array<Awaited<ReturnType<typeof join>>> = new Array(opts.count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(opts.concurrency ?? 8, opts.count) }, async () => {
      while (next < opts.count) {
        const i = next++;
        joined[i] = await join(opts, i, hearts[i]!);
      }
    }),
  );
  const roomId = joined[0]!.room.id;
  const participants = await Promise.all(
    joined.map(async (j) => ({ id: j.participant.id, token: j.token, ws: await openParticipantSocket(opts.url, roomId, j.token, opts.origin) })),
  );
  const sending = sendHeartRates(participants, hearts, opts.reading, { phaseMs: opts.phaseMs });
  const sim: SimulatedClass = {
    roomId,
    participants,
    get onSend() {
      return sending.onSend;
    },
    set onSend(f) {
      sending.onSend = f;
    },
    get paused() {
      return sending.paused;
    },
    set paused(p) {
      sending.paused = p;
    },
    checkPoints: () => sending.checkPoints(),
    async stop({ leave = false } = {}) {
      sending.stop();
      participants.forEach((p) => p.ws.close());
      if (leave) {
        await Promise.all(
          participants.map((p) =>
            fetch(`${opts.url}/api/v1/rooms/${roomId}/leave`, { method: 'POST', headers: { authorization: `Bearer ${p.token}`, origin: opts.origin ?? opts.url } }).catch(() => undefined),
          ),
        );
      }
    },
  };
  opts.log?.(`${participants.length} simulated participants in room ${roomId}`);
  return sim;
}

async function cli() {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: process.env.HRM_URL ?? 'http://127.0.0.1:8787' },
      code: { type: 'string' },
      count: { type: 'string', default: '20' },
      seed: { type: 'string', default: '1' },
      origin: { type: 'string' },
    },
  });
  if (!values.code) {
    process.stderr.write('usage: node --import tsx scripts/simulate-class.ts --code JOINCODE [--count 20] [--url http://127.0.0.1:8787]\n');
    process.exit(2);
  }
  const sim = await fillRoom({
    url: values.url.replace(/\/+$/, ''),
    code: values.code,
    count: Number(values.count),
    seed: Number(values.seed),
    origin: values.origin,
    log: (m) => process.stderr.write(`${m}; Ctrl-C to leave\n`),
  });
  process.on('SIGINT', () => void sim.stop({ leave: true }).then(() => process.exit(0)));
}

// Run as a command, not when imported (bench/class-fanout.bench.ts uses fillRoom).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  void cli().catch((e: Error) => {
    process.stderr.write(`simulate-class: ${e.message}\n`);
    process.exit(1);
  });
}
