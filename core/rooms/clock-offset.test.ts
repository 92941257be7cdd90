import { describe, expect, it } from 'vitest';
import { createClockEstimator, sampleFrom } from './clock-offset';

/** A fake network: a client whose clock is `skew` ms off the server's, legs of up/down ms. */
function exchange(serverNow: number, skew: number, up: number, down: number) {
  const t0 = serverNow + skew; // client clock at send
  const serverTime = serverNow + up; // server stamps on receipt
  const t3 = serverNow + up + down + skew; // client clock at receipt
  return { t0, serverTime, t3 };
}

describe('clock offset', () => {
  it('is exact for symmetric delays, whatever the skew', () => {
    for (const skew of [0, 3_600_000, -86_400_000, 123.5]) {
      const { t0, serverTime, t3 } = exchange(1_700_000_000_000, skew, 40, 40);
      expect(sampleFrom(t0, serverTime, t3)!.offsetMs).toBeCloseTo(-skew, 6);
    }
  });

  it('errs by half the asymmetry, never more than rtt/2', () => {
    const { t0, serverTime, t3 } = exchange(1_000_000, -5_000, 90, 10);
    const s = sampleFrom(t0, serverTime, t3)!;
    expect(s.rttMs).toBe(100);
    expect(s.offsetMs - 5_000).toBe(40); // (90 − 10) / 2
    expect(Math.abs(s.offsetMs - 5_000)).toBeLessThanOrEqual(s.rttMs / 2);
  });

  it('prefers the quickest round trip over queued samples', () => {
    const est = createClockEstimator();
    let now = 1_000_000;
    const skew = 250_000; // phone clock four minutes ahead
    for (const [up, down] of [[300, 20], [15, 15], [20, 400], [800, 30]] as const) {
      const e = exchange(now, skew, up, down);
      expect(est.addSample(e.t0, e.serverTime, e.t3)).toBe(true);
      now += 2_000;
    }
    const r = est.estimate()!;
    expect(r.offsetMs).toBe(-skew);
    expect(r.errorMs).toBe(15);
    expect(est.serverNow(now + skew)).toBe(now);
  });

  it('bounds the error by rtt/2 under random asymmetric delays (screens agree within 100 ms)', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const screens = [-3_600_000, 0, 42_000, 7].map((skew) => ({ skew, est: createClockEstimator() }));
    let now = 5_000_000;
    for (let i = 0; i < 8; i++) {
      for (const s of screens) {
        const e = exchange(now, s.skew, 5 + rand() * 150, 5 + rand() * 150);
        s.est.addSample(e.t0, e.serverTime, e.t3);
      }
      now += 1_000;
    }
    const views = screens.map((s) => s.est.serverNow(now + s.skew)!);
    for (const v of views) expect(Math.abs(v - now)).toBeLessThan(50);
    expect(Math.max(...views) - Math.min(...views)).toBeLessThan(100);
  });

  it('ignores nonsense and forgets old samples', () => {
    const est = createClockEstimator({ maxAgeMs: 10_000, window: 4 });
    expect(est.addSample(100, 50, 90)).toBe(false);
    expect(est.estimate()).toBeNull();
    expect(est.serverNow(1)).toBeNull();
    est.addSample(0, 1_000, 10); // quick: offset 995
    est.addSample(20_000, 21_500, 20_100); // 11 s later, slower: offset 1450; the old one expired
    expect(est.estimate()!.offsetMs).toBe(1_450);
  });
});
