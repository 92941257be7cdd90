import { describe, expect, it } from 'vitest';
import type { HeartRateReading } from '$core/heart-rate';
import { ReadingHistory } from './reading-history';

const reading = (t: number, bpm: number, contact: HeartRateReading['contact'] = 'detected') => ({
  type: 'reading' as const,
  reading: { t, bpm, contact, energyKj: null, rr1024: [] },
});

describe('ReadingHistory', () => {
  it('keeps valid readings as points and gaps as spans, never a 0 bpm point', () => {
    const h = new ReadingHistory(60_000);
    h.apply(reading(1_000, 80));
    h.apply({ type: 'gap-start', reason: 'no-contact', at: 2_000 });
    h.apply(reading(2_000, 0, 'not-detected'));
    expect(h.openGap).toEqual({ from: 2_000, to: null, reason: 'no-contact' });
    h.apply({ type: 'gap-end', reason: 'no-contact', at: 5_000 });
    h.apply(reading(5_000, 82));
    expect(h.points).toEqual([
      { t: 1_000, bpm: 80 },
      { t: 5_000, bpm: 82 },
    ]);
    expect(h.gaps).toEqual([{ from: 2_000, to: 5_000, reason: 'no-contact' }]);
    expect(h.gapTotal).toBe(1);
  });

  it('forgets what scrolled out of the window but keeps counting gaps', () => {
    const h = new ReadingHistory(10_000);
    h.apply(reading(0, 70));
    h.apply({ type: 'gap-start', reason: 'disconnected', at: 1_000 });
    h.apply({ type: 'gap-end', reason: 'disconnected', at: 2_000 });
    h.apply(reading(20_000, 75));
    expect(h.points).toEqual([{ t: 20_000, bpm: 75 }]);
    expect(h.gaps).toEqual([]);
    expect(h.gapTotal).toBe(1);
  });
});
