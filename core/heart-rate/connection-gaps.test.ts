import { describe, expect, it } from 'vitest';
import { closeGap, gapAfterReading, openGap } from './connection-gaps';

describe('gap bookkeeping', () => {
  it('opens once and closes once', () => {
    const opened = openGap(null, 'silence', 1_000);
    expect(opened).toEqual({
      gap: { reason: 'silence', since: 1_000 },
      effects: [{ type: 'report-gap', edge: 'start', reason: 'silence', at: 1_000 }],
    });
    expect(openGap(opened.gap, 'disconnected', 2_000)).toEqual({ gap: opened.gap, effects: [] });
    expect(closeGap(opened.gap, 3_000)).toEqual({
      gap: null,
      effects: [{ type: 'report-gap', edge: 'end', reason: 'silence', at: 3_000 }],
    });
    expect(closeGap(null, 3_000)).toEqual({ gap: null, effects: [] });
  });

  it('treats 0 bpm and no skin contact as no reading', () => {
    expect(gapAfterReading(null, { bpm: 0, contact: 'detected' }, 5).gap?.reason).toBe('no-reading');
    expect(gapAfterReading(null, { bpm: 80, contact: 'not-detected' }, 5).gap?.reason).toBe('no-contact');
    expect(gapAfterReading(null, { bpm: 0, contact: 'not-detected' }, 5).gap?.reason).toBe('no-contact');
    expect(gapAfterReading(null, { bpm: 80, contact: 'unsupported' }, 5)).toEqual({ gap: null, effects: [] });
  });
});
