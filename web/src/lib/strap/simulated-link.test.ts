import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseHeartRateMeasurement, type HeartRateMeasurement } from '$core/heart-rate';
import { createSimulatedLink } from './simulated-link';
import { browserTimers } from './timers';

async function run(intensity: number, seconds: number, options = {}) {
  const link = createSimulatedLink({ seed: 42, intensity, ...options }, { timers: browserTimers(), clock: { now: () => Date.now() } });
  const seen: HeartRateMeasurement[] = [];
  link.setListener({
    measurement: (v) => seen.push(parseHeartRateMeasurement(v) as HeartRateMeasurement),
    disconnected: () => undefined,
    battery: () => undefined,
    location: () => undefined,
  });
  await link.connect(1_000);
  await link.subscribe();
  await vi.advanceTimersByTimeAsync(seconds * 1000);
  link.disconnect();
  return seen;
}

describe('simulated link', () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  it('sends real Heart Rate Measurement packets once a second, higher at higher intensity', async () => {
    const rest = await run(0, 180);
    const work = await run(1, 180);
    expect(rest).toHaveLength(180);
    expect(rest.every((m) => m.contact === 'detected' && m.bpm > 30)).toBe(true);
    // About one beat per notification at rest (some windows hold none, some two).
    const beats = rest.reduce((n, m) => n + m.rr1024.length, 0);
    expect(beats / rest.length).toBeGreaterThan(0.8);
    expect(work.at(-1)!.bpm).toBeGreaterThan(rest.at(-1)!.bpm + 40);
  });

  it('simulates contact loss as 0 bpm without contact, and dropouts as silence', async () => {
    const seen = await run(0.3, 20, { contactLoss: [{ from: 5_000, to: 8_000 }], dropouts: [{ from: 12_000, to: 15_000 }] });
    expect(seen.filter((m) => m.bpm === 0 && m.contact === 'not-detected')).toHaveLength(3);
    expect(seen).toHaveLength(17);
  });
});
