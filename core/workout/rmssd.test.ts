import { describe, expect, it } from 'vitest';
import type { Reading } from './readings';
import { rmssd, rr1024ToMs } from './rmssd';

// RR values in 1/1024 s chosen to convert exactly: 1024 → 1000 ms, 1088 → 1062.5 ms,
// 960 → 937.5 ms, 1152 → 1125 ms, 1280 → 1250 ms, 1408 → 1375 ms, 1536 → 1500 ms, 2560 → 2500 ms.
const at = (t: number, rr1024: number[], contact: Reading['contact'] = 'detected'): Reading => ({ t, bpm: 60, rr1024, contact });

describe('RMSSD', () => {
  it('converts 1/1024 s to ms', () => {
    expect(rr1024ToMs(1024)).toBe(1000);
    expect(rr1024ToMs(1088)).toBe(1062.5);
  });

  it('clean beats', () => {
    // 1000, 1062.5, 937.5, 1000 ms → differences +62.5, −125, +62.5
    // squares 3906.25 + 15625 + 3906.25 = 23437.5; / 3 = 7812.5; √ = 88.388 ms
    expect(rmssd([at(0, [1024, 1088]), at(1_000, [960, 1024])])).toEqual({ rmssdMs: Math.sqrt(7812.5), pairs: 3, accepted: 4, rejected: 0 });
  });

  it('drops intervals outside 300-2000 ms and the pairs touching them', () => {
    // 1000, 1062.5, [2500 rejected], 1000, 937.5 → pairs (1000, 1062.5) = +62.5 and (1000, 937.5) = −62.5
    // the 1062.5 → 1000 step straddles the rejected beat and does not count. RMSSD = √(2 × 62.5² / 2) = 62.5
    expect(rmssd([at(0, [1024, 1088, 2560, 1024, 960])])).toEqual({ rmssdMs: 62.5, pairs: 2, accepted: 4, rejected: 1 });
    expect(rmssd([at(0, [1024, 200, 1088])], 1)).toBeNull(); // 195 ms rejected → no successive pair
  });

  it('drops a beat more than 20 % from the previous accepted one', () => {
    // 1000, 1062.5, [1375: +29 % rejected], 1000 (−5.9 % vs 1062.5: kept, no pair), 1062.5 → pairs +62.5, +62.5
    expect(rmssd([at(0, [1024, 1088, 1408, 1024, 1088])])).toEqual({ rmssdMs: 62.5, pairs: 2, accepted: 4, rejected: 1 });
  });

  it('compares with the previous ACCEPTED beat, not the rejected one', () => {
    // 1000, [1250: +25 % rejected], 1125 (+12.5 % vs 1000: kept, no pair), 1000 → one pair −125
    expect(rmssd([at(0, [1024, 1280, 1152, 1024])], 1)).toEqual({ rmssdMs: 125, pairs: 1, accepted: 3, rejected: 1 });
  });

  it('restarts the reference after 5 consecutive 20 %-rejections', () => {
    // 1500 (bad first beat), 1000 ×4 rejected (−33 %), 5th 1000 taken as a new reference,
    // then 1062.5 (+62.5) and 1000 (−62.5) → RMSSD 62.5 on 2 pairs
    expect(rmssd([at(0, [1536, 1024, 1024, 1024, 1024, 1024, 1088, 1024])])).toEqual({ rmssdMs: 62.5, pairs: 2, accepted: 4, rejected: 4 });
  });

  it('does not pair beats across a contact gap or a long silence', () => {
    // run 1: 1000, 1062.5 (+62.5); gap reading ignored; run 2: 1000, 937.5 (−62.5). The 1062.5 → 1000 step is not counted.
    const gap = [at(0, [1024, 1088]), at(1_000, [960], 'not-detected'), at(2_000, [1024, 960])];
    expect(rmssd(gap)).toMatchObject({ rmssdMs: 62.5, pairs: 2 });
    const silence = [at(0, [1024, 1088]), at(10_000, [1024, 960])];
    expect(rmssd(silence)).toMatchObject({ rmssdMs: 62.5, pairs: 2 });
  });

  it('null with too few pairs', () => {
    expect(rmssd([])).toBeNull();
    expect(rmssd([at(0, [1024, 1088])])).toBeNull();
  });
});
