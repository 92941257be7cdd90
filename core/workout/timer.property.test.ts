import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cuesBetween } from './cues';
import { phaseHistory } from './phase-history';
import type { IntervalPlan } from './plan';
import { totalSkippedMs } from './timer-clock';
import { pauseTimer, restartTimer, resumeTimer, skipPhase, startTimer, stopTimer, undoStop } from './timer-engine';
import { createTimer, TimerStateSchema, type TimerState } from './timer-state';
import { timerView, type IntervalView } from './timer-view';

const T0 = 1_700_000_000_000;

const blockArb = fc.record({
  name: fc.constantFrom('A', 'B', 'Hills'),
  workMs: fc.integer({ min: 1, max: 90_000 }),
  restMs: fc.integer({ min: 0, max: 60_000 }),
  rounds: fc.integer({ min: 1, max: 6 }),
});

const planArb: fc.Arbitrary<IntervalPlan> = fc.record(
  {
    v: fc.constant(1 as const),
    mode: fc.constant('intervals' as const),
    name: fc.constant('Random'),
    prepareMs: fc.integer({ min: 0, max: 10_000 }),
    warmup: fc.record({ durationMs: fc.integer({ min: 1, max: 120_000 }) }),
    blocks: fc.array(blockArb, { minLength: 1, maxLength: 3 }),
    cooldown: fc.record({ durationMs: fc.integer({ min: 1, max: 120_000 }) }),
  },
  { requiredKeys: ['v', 'mode', 'name', 'blocks'] },
);

const commands = { pause: pauseTimer, resume: resumeTimer, skip: skipPhase, stop: stopTimer, undo: undoStop } as const;
const stepArb = fc.record({
  waitMs: fc.integer({ min: 0, max: 120_000 }),
  command: fc.constantFrom<keyof typeof commands | 'none'>('pause', 'resume', 'skip', 'stop', 'undo', 'none', 'none'),
});

/** Start, then apply steps; returns the states with the time each was made. */
function play(plan: IntervalPlan, steps: ReadonlyArray<{ waitMs: number; command: keyof typeof commands | 'none' }>) {
  let now = T0;
  let state: TimerState = startTimer(createTimer(plan), now).state;
  const history = [{ state, at: now }];
  for (const step of steps) {
    now += step.waitMs;
    if (step.command !== 'none') state = commands[step.command](state, now).state;
    history.push({ state, at: now });
  }
  return { state, now, history };
}

const view = (s: TimerState, now: number) => timerView(s, now) as IntervalView;

describe('timer properties', () => {
  it('while running, the phase index and position never decrease; time left stays in range', () => {
    fc.assert(
      fc.property(planArb, fc.array(stepArb, { maxLength: 12 }), fc.array(fc.integer({ min: 0, max: 2_000_000 }), { minLength: 2, maxLength: 20 }), (plan, steps, offsets) => {
        const { state, now } = play(plan, steps);
        const times = offsets.map((o) => now + o).sort((a, b) => a - b);
        let previous: IntervalView | null = null;
        for (const t of times) {
          const v = view(state, t);
          expect(v.phaseLeftMs).toBeGreaterThanOrEqual(0);
          expect(v.phaseLeftMs).toBeLessThanOrEqual(v.phase.durationMs);
          expect(v.totalLeftMs).toBeGreaterThanOrEqual(0);
          expect(v.totalLeftMs).toBeLessThanOrEqual(v.totalMs);
          expect(v.phaseIndex).toBeGreaterThanOrEqual(0);
          expect(v.phaseIndex).toBeLessThan(v.phases.length);
          if (previous) {
            expect(v.phaseIndex).toBeGreaterThanOrEqual(previous.phaseIndex);
            expect(v.positionMs).toBeGreaterThanOrEqual(previous.positionMs);
          }
          previous = v;
        }
      }),
    );
  });

  it('no command other than restart moves the position backwards', () => {
    fc.assert(
      fc.property(planArb, fc.array(stepArb, { maxLength: 15 }), (plan, steps) => {
        const { history } = play(plan, steps);
        for (let i = 1; i < history.length; i++) {
          const at = history[i]!.at;
          expect(view(history[i]!.state, at).positionMs).toBeGreaterThanOrEqual(view(history[i - 1]!.state, at).positionMs);
        }
      }),
    );
  });

  it('every state is valid JSON for the schema', () => {
    fc.assert(
      fc.property(planArb, fc.array(stepArb, { maxLength: 15 }), (plan, steps) => {
        const { state, now } = play(plan, steps);
        const restarted = restartTimer(state, now + 1).state;
        for (const s of [state, restarted]) expect(TimerStateSchema.safeParse(JSON.parse(JSON.stringify(s))).success).toBe(true);
      }),
    );
  });

  it('phase history tiles the running time: spans ordered, and Σ spans + skips = position', () => {
    fc.assert(
      fc.property(planArb, fc.array(stepArb, { maxLength: 15 }), fc.integer({ min: 0, max: 600_000 }), (plan, steps, later) => {
        const { state, now } = play(plan, steps);
        const t = now + later;
        const spans = phaseHistory(state, t);
        for (let i = 0; i < spans.length; i++) {
          const span = spans[i]!;
          expect(span.end).toBeGreaterThan(span.start);
          if (i > 0) {
            expect(span.start).toBeGreaterThanOrEqual(spans[i - 1]!.end);
            expect(span.phaseIndex).toBeGreaterThanOrEqual(spans[i - 1]!.phaseIndex);
          }
        }
        const ran = spans.reduce((sum, s) => sum + s.end - s.start, 0);
        expect(ran + totalSkippedMs(state)).toBe(view(state, t).positionMs);
      }),
    );
  });

  it('each cue falls exactly on a phase change (long) or 1-3 s before one (short)', () => {
    let checked = 0;
    fc.assert(
      fc.property(planArb, fc.array(stepArb, { maxLength: 8 }), (plan, steps) => {
        const { state, now } = play(plan, steps);
        const cues = cuesBetween(state, now, now + 3_600_000);
        for (const cue of cues) {
          checked++;
          const after = view(state, cue.at);
          if (cue.kind === 'long') {
            if (cue.nextPhaseIndex === after.phases.length) expect(after.finished).toBe(true);
            else expect(after).toMatchObject({ phaseIndex: cue.nextPhaseIndex, phaseElapsedMs: 0 });
          } else {
            expect(after.phaseIndex).toBe(cue.nextPhaseIndex - 1);
            expect(after.phaseLeftMs).toBe(cue.secondsBefore * 1000);
          }
        }
      }),
    );
    expect(checked).toBeGreaterThan(0); // the property was not vacuous
  });
});
