// The simulated phones' send schedule (scripts/simulate-class.ts everySecondAt): each phone
// keeps its own phase of the second after the load generator stalls, instead of merging with
// every phone that fell due in the stall as setInterval's re-arming makes them (issue 14).
// In the unit project (tests/vitest.config.ts includes bench/support/**/*.test.ts).
import { describe, expect, it } from 'vitest';
import { everySecondAt, type SendClock } from '../../scripts/simulate-class';

/** Timers on a clock that moves only when told; a stall moves it without running anything. */
function manualClock() {
  let now = 0;
  let seq = 0;
  const timers = new Map<number, { at: number; order: number; fn: () => void }>();
  const clock: SendClock = {
    now: () => now,
    setTimeout(fn, ms) {
      const id = ++seq;
      timers.set(id, { at: now + ms, order: id, fn });
      return id;
    },
    clearTimeout: (id) => void timers.delete(id as number),
  };
  /** Runs every timer due by `until` in due order, the clock at each one's due time (or later, after a stall). */
  function runUntil(until: number) {
    for (;;) {
      let next: [number, { at: number; order: number; fn: () => void }] | undefined;
      for (const e of timers) if (e[1].at <= until && (!next || e[1].at < next[1].at || (e[1].at === next[1].at && e[1].order < next[1].order))) next = e;
      if (!next) break;
      timers.delete(next[0]);
      now = Math.max(now, next[1].at);
      next[1].fn();
    }
    now = Math.max(now, until);
  }
  return { clock, runUntil, stall: (ms: number) => void (now += ms), get now() { return now; } };
}

describe('everySecondAt', () => {
  it('keeps every phone on its own phase after a stall, never two sends closer than the server allows', () => {
    const m = manualClock();
    const phones = 300;
    const phases = Array.from({ length: phones }, (_, i) => Math.floor((i / phones) * 1_000));
    const sends: number[][] = phases.map(() => []);
    const cancels = phases.map((phase, i) => everySecondAt(phase, () => sends[i]!.push(m.now), m.clock));
    m.runUntil(2_100);
    m.stall(300); // the load generator busy from 2 100 to 2 400 ms: 90 phones fall due meanwhile
    m.runUntil(6_000);
    cancels.forEach((c) => c());

    // The last second: every phone at its own phase again, so 300 distinct milliseconds.
    const last = sends.map((s) => s.filter((t) => t >= 5_000 && t < 6_000));
    expect(last.every((s) => s.length === 1)).toBe(true);
    last.forEach((s, i) => expect(s[0]! % 1_000).toBe(phases[i]));
    expect(new Set(last.map((s) => s[0])).size).toBe(phones);
    // The stall made the phones due in it send late, together, once.
    const late = sends.filter((s) => s.includes(2_400)).length;
    expect(late).toBe(90);
    // The server refuses heart rates closer than 750 ms by the sender's clock.
    for (const s of sends) for (let k = 1; k < s.length; k++) expect(s[k]! - s[k - 1]!).toBeGreaterThanOrEqual(800);
  });

  it('stops when cancelled', () => {
    const m = manualClock();
    let n = 0;
    const cancel = everySecondAt(250, () => n++, m.clock);
    m.runUntil(1_300);
    expect(n).toBe(2); // at 250 and 1 250
    cancel();
    m.runUntil(5_000);
    expect(n).toBe(2);
  });
});
