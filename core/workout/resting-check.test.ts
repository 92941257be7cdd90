import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isRestingCheckPlan, restingCheckPlan, tabataPlan } from './presets';
import { PlanSchema } from './plan';
import type { Reading } from './readings';
import { measureRestingCheck, RESTING_CHECK_RULES, spansBetween } from './resting-check';
import { rmssd } from './rmssd';
import { restingCheckRecording } from './testing/resting-check-recording';

describe('the resting check plan', () => {
  it('is a valid plan: a settle minute, then two minutes measured; recognised however its keys are ordered', () => {
    const plan = restingCheckPlan();
    expect(PlanSchema.parse(plan)).toEqual(plan);
    const reordered = JSON.parse(JSON.stringify({ blocks: plan.blocks, warmup: plan.warmup, prepareMs: 0, name: plan.name, mode: plan.mode, v: plan.v }));
    expect(isRestingCheckPlan(reordered)).toBe(true);
    expect(isRestingCheckPlan(tabataPlan())).toBe(false);
    expect(isRestingCheckPlan({ ...plan, name: 'My check' })).toBe(false);
  });
});

describe('spansBetween', () => {
  it('cuts running time across paused pieces', () => {
    const spans = [
      { start: 0, end: 30 },
      { start: 100, end: 150 },
    ];
    expect(spansBetween(spans, 20, 60)).toEqual([
      { start: 20, end: 30 },
      { start: 100, end: 130 },
    ]);
    expect(spansBetween(spans, 70, 80)).toEqual([{ start: 140, end: 150 }]);
    expect(spansBetween(spans, 80, 90)).toEqual([]);
  });
});

describe('measureRestingCheck', () => {
  it('resting HR = mean of the final 60 s; RMSSD of the whole measure window', () => {
    const rec = restingCheckRecording({ restingHr: 54 });
    const r = measureRestingCheck(rec.readings, rec.window);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.restingHr).toBe(54);
    // The settle minute's beats are not in it: exactly the window's RMSSD.
    expect(r.rmssd).toEqual(rmssd(rec.readings.filter((x) => x.t >= rec.window[0]!.start && x.t < rec.window[0]!.end)));
    expect(r.rmssd.rmssdMs).toBeGreaterThan(20);
    expect(r.rmssd.accepted).toBeGreaterThan(100);
  });

  it('stopped before a minute of measuring: too_short', () => {
    const rec = restingCheckRecording({ stopAfterMs: 60_000 + 50_000 });
    expect(measureRestingCheck(rec.readings, rec.window)).toEqual({ ok: false, reason: 'too_short' });
    expect(measureRestingCheck(rec.readings, [])).toEqual({ ok: false, reason: 'too_short' });
  });

  it('a minute measured is enough', () => {
    const rec = restingCheckRecording({ stopAfterMs: 60_000 + 61_000 });
    expect(measureRestingCheck(rec.readings, rec.window)).toMatchObject({ ok: true, restingHr: 54 });
  });

  it('movement in the final minute: not_settled; movement before it changes nothing', () => {
    const late = restingCheckRecording({ disturb: { fromMs: 150_000, toMs: 165_000 } });
    expect(measureRestingCheck(late.readings, late.window)).toEqual({ ok: false, reason: 'not_settled' });
    // Early in the window: the resting HR (final 60 s) is unaffected.
    const early = restingCheckRecording({ disturb: { fromMs: 70_000, toMs: 80_000 } });
    expect(measureRestingCheck(early.readings, early.window)).toMatchObject({ ok: true, restingHr: 54 });
  });

  it('no RR intervals, a strap that lost contact, or mostly artifacts: too_few_beats', () => {
    const rec = restingCheckRecording();
    const noRr = rec.readings.map((r) => ({ ...r, rr1024: [] }));
    expect(measureRestingCheck(noRr, rec.window)).toEqual({ ok: false, reason: 'too_few_beats' });
    const lost = rec.readings.map((r) => (r.t > rec.window[0]!.start + 80_000 ? { ...r, contact: 'not-detected' as const } : r));
    expect(measureRestingCheck(lost, rec.window)).toEqual({ ok: false, reason: 'too_few_beats' });
    // Every third beat a missed beat (an interval twice as long): a third of the RR rejected.
    const noisy = rec.readings.map((r, i) => (i % 3 === 0 ? { ...r, rr1024: [r.rr1024[0]! * 2] } : r));
    expect(measureRestingCheck(noisy, rec.window)).toEqual({ ok: false, reason: 'too_few_beats' });
  });

  it('property: any steady resting HR is found to the bpm, whatever the breathing swing, start or reading order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 38, max: 95 }), fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 2_000_000_000 }), fc.boolean(), (hr, swing, start, shuffle) => {
        const rec = restingCheckRecording({ restingHr: hr, swingMs: swing, startedAt: Date.UTC(2026, 0, 1) + start });
        const readings: Reading[] = shuffle ? [...rec.readings].reverse() : rec.readings;
        const r = measureRestingCheck(readings, rec.window);
        expect(r).toMatchObject({ ok: true });
        if (!r.ok) return;
        expect(Math.abs(r.restingHr - hr)).toBeLessThanOrEqual(1);
        expect(r.spreadBpm).toBeLessThanOrEqual(RESTING_CHECK_RULES.maxSpreadBpm);
      }),
      { numRuns: 60 },
    );
  });

  it('property: never throws; a value is always within the readings and backed by enough clean beats', () => {
    const reading = fc.record({ t: fc.integer({ min: 0, max: 200_000 }), bpm: fc.integer({ min: 0, max: 220 }), rr1024: fc.array(fc.integer({ min: 0, max: 3000 }), { maxLength: 3 }), contact: fc.constantFrom('detected' as const, 'not-detected' as const, 'unsupported' as const) });
    fc.assert(
      fc.property(fc.array(reading, { maxLength: 300 }), fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 200_000 }), (readings, start, len) => {
        const r = measureRestingCheck(readings, [{ start, end: start + len }]);
        if (!r.ok) return;
        const bpms = readings.filter((x) => x.bpm > 0 && x.contact !== 'not-detected').map((x) => x.bpm);
        expect(r.restingHr).toBeGreaterThanOrEqual(Math.min(...bpms));
        expect(r.restingHr).toBeLessThanOrEqual(Math.max(...bpms));
        expect(r.rmssd.accepted).toBeGreaterThanOrEqual(RESTING_CHECK_RULES.minCleanBeats);
        expect(len).toBeGreaterThanOrEqual(RESTING_CHECK_RULES.finalMs);
      }),
      { numRuns: 300 },
    );
  });
});
