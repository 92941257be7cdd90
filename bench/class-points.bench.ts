/**
 * What a participant's phone pays every second in class: its effort points over the whole run
 * so far (web/src/lib/rooms/class-points.ts → core/workout pointsForRun), at 1 Hz readings,
 * for a 60-minute class of 60 one-minute intervals (120 phases). Prints the cost of one call
 * at 15, 30 and 60 minutes in; asserts nothing.
 *
 *   node --import tsx bench/class-points.bench.ts
 */
import { createTimer, pointsForRun, startTimer, type IntervalPlan, type Reading } from '../core/workout';

const plan: IntervalPlan = { v: 1, mode: 'intervals', name: 'Hour', prepareMs: 0, blocks: [{ name: 'Block', workMs: 30_000, restMs: 30_000, rounds: 60 }] };

const started = startTimer(createTimer(plan), 0);
if (!started.ok) throw new Error('timer did not start');
const timer = started.state;
const profile = { restingHr: 60, maxHr: 185 };
const readings: Reading[] = [];
for (let t = 0; t < 3_600_000; t += 1000) readings.push({ t, bpm: Math.round(120 + 40 * Math.sin(t / 20_000)), rr1024: [], contact: 'detected' });

for (const minutes of [15, 30, 60]) {
  const now = minutes * 60_000;
  const upTo = readings.filter((r) => r.t < now);
  let calls = 0;
  const t0 = performance.now();
  let total = 0;
  while (performance.now() - t0 < 1_000) {
    total = pointsForRun(upTo, profile, timer, now)!.total;
    calls++;
  }
  const ms = (performance.now() - t0) / calls;
  console.log(`${minutes} min in (${upTo.length} readings): ${ms.toFixed(3)} ms a call (${total} points), ${((ms / 1000) * 100).toFixed(2)} % of a core at one call a second`);
}
