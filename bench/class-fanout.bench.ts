/**
 * Class-mode fan-out on one sync-server process: ROOMS rooms × PARTICIPANTS simulated
 * participants sending heart rate at 1 Hz, one display per room, in-process fan-out.
 * Measures the server's CPU (utime + stime from /proc/<pid>/stat over the measuring window)
 * and the latency from a participant's send to its display's receive (p50/p99; goal p99 < 250 ms).
 * The load generator runs in this process on the same machine, so it competes for the CPU.
 *
 *   node --import tsx bench/class-fanout.bench.ts
 *   ROOMS=20 PARTICIPANTS=10 DURATION_S=20 node --import tsx bench/class-fanout.bench.ts
 */
import { readFileSync } from 'node:fs';
import { WebSocket } from 'ws';
import { tabataPlan } from '../core/workout';
import { fillRoom, type SimulatedClass } from '../scripts/simulate-class';
import { client, newMember } from '../tests/support/http-client';
import { startTestPocketBase } from '../tests/support/pocketbase';
import { startSyncServer } from '../tests/support/sync-server';

const ROOMS = Number(process.env.ROOMS ?? 100);
const PARTICIPANTS = Number(process.env.PARTICIPANTS ?? 30);
const DURATION_S = Number(process.env.DURATION_S ?? 40);
const WARMUP_S = 5;

const log = (m: string) => process.stderr.write(`${m}\n`);
const ticksPerSecond = 100; // USER_HZ on Linux

function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
}

const pb = await startTestPocketBase();
const server = await startSyncServer({ pb, env: { LOG_LEVEL: 'warn' } });
const classes: SimulatedClass[] = [];
const displays: WebSocket[] = [];
try {
  const coach = client(server.url);
  const m = newMember('bench');
  await coach.post('/api/v1/auth/register', m);
  await coach.post('/api/v1/auth/login', { email: m.email, password: m.password });

  const lastSent = new Map<string, number>();
  const latencies: number[] = [];
  let measuring = false;
  let received = 0;
  const setupStart = Date.now();
  for (let r = 0; r < ROOMS; r++) {
    const room = (await coach.post('/api/v1/rooms', { name: `Bench ${r}`, plan: tabataPlan(8) })).body.room as { id: string; joinCode: string };
    const display = (await coach.post(`/api/v1/rooms/${room.id}/displays`, { name: 'screen' })).body as { token: string };
    const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/api/v1/rooms/${room.id}/live`, { origin: server.url });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    ws.send(JSON.stringify({ type: 'hello', v: 1, role: 'display', token: display.token }));
    ws.on('message', (data) => {
      const t = performance.now();
      // Plain JSON.parse: the load generator shares the machine, zod per frame would cost it.
      const msg = JSON.parse(String(data)) as { type: string; participantId?: string };
      if (msg.type !== 'hr') return;
      received++;
      const sent = lastSent.get(msg.participantId!);
      if (measuring && sent !== undefined) latencies.push(t - sent);
    });
    displays.push(ws);
    const sim = await fillRoom({ url: server.url, code: room.joinCode, count: PARTICIPANTS, seed: r + 1, concurrency: 10 });
    sim.onSend = (id) => lastSent.set(id, performance.now());
    classes.push(sim);
    if ((r + 1) % 10 === 0) log(`  ${r + 1}/${ROOMS} rooms filled`);
  }
  log(`setup: ${ROOMS} rooms × ${PARTICIPANTS} participants + ${ROOMS} displays in ${((Date.now() - setupStart) / 1000).toFixed(1)} s; warming up ${WARMUP_S} s`);
  await new Promise((r) => setTimeout(r, WARMUP_S * 1000));

  const pid = server.proc.pid!;
  const cpu0 = cpuTicks(pid);
  const t0 = performance.now();
  received = 0;
  measuring = true;
  await new Promise((r) => setTimeout(r, DURATION_S * 1000));
  measuring = false;
  const seconds = (performance.now() - t0) / 1000;
  const cpu = (cpuTicks(pid) - cpu0) / ticksPerSecond / seconds;
  const rss = Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)![1]) / 1024;
  latencies.sort((a, b) => a - b);
  const result = {
    rooms: ROOMS,
    participants: ROOMS * PARTICIPANTS,
    seconds: Number(seconds.toFixed(1)),
    hrDeliveredPerSecond: Math.round(received / seconds),
    serverCpuPercentOfOneCore: Number((cpu * 100).toFixed(1)),
    serverRssMb: Math.round(rss),
    latencyMs: {
      p50: Number(percentile(latencies, 50).toFixed(1)),
      p99: Number(percentile(latencies, 99).toFixed(1)),
      max: Number((latencies.at(-1) ?? NaN).toFixed(1)),
      samples: latencies.length,
    },
    goalP99Under250ms: percentile(latencies, 99) < 250,
  };
  console.log(JSON.stringify(result, null, 2));
} finally {
  await Promise.all(classes.map((c) => c.stop()));
  displays.forEach((d) => d.close());
  await server.stop();
  await pb.dispose();
}
