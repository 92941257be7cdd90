/**
 * Fills a class-mode room with simulated participants (a dev tool and the bench's load):
 * each joins as a guest with the room's join code (its own device id), opens the live socket
 * and sends a heart rate every second from core/heart-rate's simulated heart, working in
 * 40 s / 20 s intervals.
 *
 *   node --import tsx scripts/simulate-class.ts --code ABCD2345 [--count 20] [--url http://127.0.0.1:8787] [--seed 1]
 *
 * Ctrl-C makes every simulated participant leave the room.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { WebSocket } from 'ws';
import { createSimulatedGroup } from '../core/heart-rate/simulated-heart';

export interface SimulatedClass {
  roomId: string;
  participants: Array<{ id: string; token: string; ws: WebSocket }>;
  /** Called with the participant id right before each hr is sent. */
  onSend: ((participantId: string) => void) | null;
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
  log?: (msg: string) => void;
  /** The i-th participant's name (default `Sim i+1`). */
  name?: (i: number) => string;
  /** Shapes what the i-th participant sends, from its simulated heart rate (default: that bpm alone). */
  reading?: (i: number, bpm: number) => { bpm: number; kcal?: number; points?: number };
}

async function join(opts: FillOptions, i: number) {
  const res = await fetch(`${opts.url}/api/v1/rooms/join`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: opts.origin ?? opts.url },
    body: JSON.stringify({ code: opts.code, deviceId: `sim-${opts.seed ?? 1}-${i}-device`, name: opts.name?.(i) ?? `Sim ${i + 1}`, age: 20 + (i % 40), sex: i % 2 ? 'male' : 'female', weightKg: 60 + (i % 30) }),
  });
  const body = (await res.json()) as { room: { id: string }; participant: { id: string }; token: string; error?: { message: string } };
  if (res.status !== 201) throw new Error(`join ${i}: ${res.status} ${body.error?.message}`);
  return body;
}

function openSocket(opts: FillOptions, roomId: string, token: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${opts.url.replace(/^http/, 'ws')}/api/v1/rooms/${roomId}/live`, { origin: opts.origin ?? opts.url });
    ws.once('open', () => {
      ws.send(JSON.stringify({ type: 'hello', v: 1, role: 'participant', token }));
      resolve(ws);
    });
    ws.once('error', reject);
  });
}

export async function fillRoom(opts: FillOptions): Promise<SimulatedClass> {
  const hearts = createSimulatedGroup(opts.count, opts.seed ?? 1);
  const joined: Array<Awaited<ReturnType<typeof join>>> = new Array(opts.count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(opts.concurrency ?? 8, opts.count) }, async () => {
      while (next < opts.count) {
        const i = next++;
        joined[i] = await join(opts, i);
      }
    }),
  );
  const roomId = joined[0]!.room.id;
  const participants = await Promise.all(joined.map(async (j) => ({ id: j.participant.id, token: j.token, ws: await openSocket(opts, roomId, j.token) })));
  const sim: SimulatedClass = { roomId, participants, onSend: null, stop: async () => undefined };
  const started = Date.now();
  // Spread the participants over the second, as real phones are.
  const timers = participants.map((p, i) =>
    setTimeout(() => {
      const tick = () => {
        const intensity = ((Date.now() - started) / 1000) % 60 < 40 ? 0.8 : 0.3;
        const n = hearts[i]!.step(intensity);
        if (!n || n.measurement.bpm <= 0 || p.ws.readyState !== WebSocket.OPEN) return;
        sim.onSend?.(p.id);
        const bpm = Math.round(n.measurement.bpm);
        p.ws.send(JSON.stringify({ type: 'hr', ...(opts.reading?.(i, bpm) ?? { bpm }) }));
      };
      tick();
      intervals[i] = setInterval(tick, 1_000);
    }, Math.floor((i / participants.length) * 1_000)),
  );
  const intervals: Array<ReturnType<typeof setInterval>> = [];
  sim.stop = async ({ leave = false } = {}) => {
    timers.forEach(clearTimeout);
    intervals.forEach(clearInterval);
    participants.forEach((p) => p.ws.close());
    if (leave) {
      await Promise.all(
        participants.map((p) =>
          fetch(`${opts.url}/api/v1/rooms/${roomId}/leave`, { method: 'POST', headers: { authorization: `Bearer ${p.token}`, origin: opts.origin ?? opts.url } }).catch(() => undefined),
        ),
      );
    }
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
