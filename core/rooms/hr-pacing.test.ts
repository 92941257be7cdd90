import { describe, expect, it } from 'vitest';
import { DEFAULT_HR_BURST, initialHrPace, paceHr, type HrPaceRule, type HrPaceState } from './hr-pacing';

const rule: HrPaceRule = { minIntervalMs: 750, burst: DEFAULT_HR_BURST };

/** Feeds frames (sender seq/t, server receive time) and returns the accepted ones' `at`. */
function run(frames: Array<{ seq?: number; t?: number; recv: number }>, start = 0) {
  let state: HrPaceState = initialHrPace(rule, start);
  const accepted: number[] = [];
  const reasons: string[] = [];
  for (const f of frames) {
    const r = paceHr(state, { seq: f.seq, t: f.t }, f.recv, rule);
    state = r.state;
    if (r.accept) accepted.push(r.at);
    else reasons.push(r.reason);
  }
  return { accepted, reasons };
}

describe('heart-rate pacing by the sender’s clock', () => {
  it('an honest 1 Hz sender whose frames arrive bunched after a 2 s stall loses nothing, with its real spacing', () => {
    const frames = [];
    for (let i = 0; i < 60; i++) {
      const t = 5_000 + i * 1_000;
      // Frames 10..12 are held by a 2 s stall and arrive together at the end of it.
      const recv = i >= 10 && i <= 12 ? 1_000_000 + 12_000 + 40 : 1_000_000 + i * 1_000 + 40;
      frames.push({ seq: i, t, recv });
    }
    const { accepted, reasons } = run(frames, 1_000_000);
    expect(reasons).toEqual([]);
    expect(accepted).toHaveLength(60);
    // Mapped onto the server clock with the least-delayed offset: 1 s apart, also in the bunch.
    expect(accepted.slice(9, 14).map((a, i, all) => (i ? a - all[i - 1]! : 0))).toEqual([0, 1_000, 1_000, 1_000, 1_000]);
  });

  it('the same stall paced by receive time (an old client without seq/t) drops the bunch: the v1 rule', () => {
    const frames = [];
    for (let i = 0; i < 20; i++) frames.push({ recv: i >= 10 && i <= 12 ? 12_040 : i * 1_000 + 40 });
    const { accepted, reasons } = run(frames);
    expect(accepted).toHaveLength(18);
    expect(reasons).toEqual(['too-soon', 'too-soon']);
  });

  it('a flood with fake, well-spaced timestamps is cut to the server-time budget', () => {
    // 1 000 frames in 10 s of server time, each claiming to be 1 s after the last.
    const frames = Array.from({ length: 1_000 }, (_, i) => ({ seq: i, t: i * 1_000, recv: i * 10 }));
    const { accepted, reasons } = run(frames);
    // burst + one per 750 ms of server time: 10 + 9_990 / 750 ≈ 23.
    expect(accepted.length).toBeLessThanOrEqual(DEFAULT_HR_BURST + Math.ceil(10_000 / 750));
    expect(accepted.length).toBeGreaterThanOrEqual(DEFAULT_HR_BURST);
    expect(reasons.every((r) => r === 'budget')).toBe(true);
  });

  it('a flood with identical or shrinking timestamps, and repeated sequence numbers, is dropped', () => {
    const same = run(Array.from({ length: 50 }, (_, i) => ({ seq: i, t: 1_000, recv: 1_000 + i })));
    expect(same.accepted).toHaveLength(1);
    expect(new Set(same.reasons)).toEqual(new Set(['too-soon']));
    const replay = run([
      { seq: 5, t: 1_000, recv: 1_000 },
      { seq: 5, t: 2_000, recv: 2_000 },
      { seq: 4, t: 3_000, recv: 3_000 },
      { seq: 6, t: 4_000, recv: 4_000 },
    ]);
    expect(replay.accepted).toHaveLength(2);
    expect(replay.reasons).toEqual(['sequence', 'sequence']);
  });

  it('`at` never runs ahead of the server clock nor backwards', () => {
    // A sender whose clock claims readings in the future is held at the receive time.
    const { accepted } = run([
      { seq: 0, t: 10_000, recv: 10_000 },
      { seq: 1, t: 20_000, recv: 11_000 },
      { seq: 2, t: 21_000, recv: 12_000 },
    ]);
    for (const [i, at] of accepted.entries()) expect(at).toBeLessThanOrEqual([10_000, 11_000, 12_000][i]!);
    expect([...accepted].sort((a, b) => a - b)).toEqual(accepted);
  });
});
