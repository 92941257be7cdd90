import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createTimer,
  pauseTimer,
  phaseHistory,
  resumeTimer,
  skipPhase,
  startTimer,
  stopTimer,
  TimerStateSchema,
  timerView,
  type IntervalPlan,
  type IntervalView,
  type PhaseSpan,
  type TimerState,
} from '../workout';
import { recordingTimer, runTimeAtWall } from './recording-timer';

const T0 = 1_700_000_000_000;
// prepare 5 s, then 3 × (20 s work, 10 s rest), last rest dropped: phases end at 5, 25, 35, 55, 65, 85 s.
const plan: IntervalPlan = { v: 1, mode: 'intervals', name: 'Class', prepareMs: 5_000, blocks: [{ name: 'Main', workMs: 20_000, restMs: 10_000, rounds: 3 }] };
const view = (s: TimerState, now: number) => timerView(s, now) as IntervalView;

describe('recordingTimer', () => {
  it('picks up mid-class in the right phase, on the phone clock, starting at the anchor', () => {
    const room = startTimer(createTimer(plan), T0).state;
    const offset = 3_600_000; // the server is an hour ahead of this phone
    const anchor = T0 + 12_000 - offset; // 12 s into the class, on the phone's clock
    const timer = recordingTimer(room, offset, anchor);
    expect(timer.startedAt).toBe(anchor);
    const v = view(timer, anchor + 1_000);
    expect(v.phase.kind).toBe('work');
    expect(v.round).toEqual({ current: 1, total: 3 });
    expect(v.phaseElapsedMs).toBe(8_000);
    // The recording's history starts at the anchor, not at the class's start.
    const spans = phaseHistory(timer, anchor + 20_000);
    expect(spans.map((s) => [s.phase.kind, s.start - anchor, s.end - anchor])).toEqual([
      ['work', 0, 13_000],
      ['rest', 13_000, 20_000],
    ]);
    expect(TimerStateSchema.safeParse(timer).success).toBe(true);
  });

  it('waits, paused at the plan start, until the coach starts; then runs from the coach start', () => {
    const anchor = T0;
    const idle = { ...createTimer(plan), revision: 4, updatedAt: T0 - 50_000 };
    const waiting = recordingTimer(idle, 0, anchor);
    expect(view(waiting, T0 + 30_000)).toMatchObject({ status: 'paused', positionMs: 0 });
    const started = startTimer(idle, T0 + 7_000).state;
    const timer = recordingTimer(started, 0, anchor);
    expect(timer.pauses).toEqual([{ at: T0, ms: 7_000 }]);
    expect(view(timer, T0 + 8_000)).toMatchObject({ status: 'running', positionMs: 1_000 });
    expect(phaseHistory(timer, T0 + 10_000).map((s) => [s.phase.kind, s.start - T0, s.end - T0])).toEqual([
      ['prepare', 7_000, 10_000],
    ]);
  });

  it('follows pause, resume, skip and stop, keeping integer times for a fractional offset', () => {
    let room = startTimer(createTimer(plan), T0).state;
    room = pauseTimer(room, T0 + 10_000).state;
    room = resumeTimer(room, T0 + 14_000).state;
    room = skipPhase(room, T0 + 20_000).state; // 16 s run: work 1 (11 s in) skipped to rest 1
    const offset = -250.4; // the phone is 250 ms ahead (rounded: TimerState holds integer ms)
    const anchor = T0 + 12_000 + 250; // inside the pause, on the phone's clock
    const timer = recordingTimer(room, offset, anchor);
    expect(TimerStateSchema.safeParse(timer).success).toBe(true);
    expect(timer.pauses).toEqual([{ at: anchor, ms: 2_000 }]);
    expect(view(timer, anchor + 9_000)).toMatchObject({ status: 'running', phaseIndex: 2 });
    const stopped = recordingTimer(stopTimer(room, T0 + 30_000).state, offset, anchor);
    expect(stopped.stoppedAt).toBe(T0 + 30_000 + 250);
    expect(view(stopped, anchor + 60_000).status).toBe('stopped');
  });

  it('measures run time at a past wall time, before later pauses', () => {
    let room = startTimer(createTimer(plan), T0).state;
    room = pauseTimer(room, T0 + 10_000).state;
    room = resumeTimer(room, T0 + 15_000).state;
    expect(runTimeAtWall(room, T0 + 5_000)).toBe(5_000);
    expect(runTimeAtWall(room, T0 + 12_000)).toBe(10_000);
    expect(runTimeAtWall(room, T0 + 20_000)).toBe(15_000);
    expect(runTimeAtWall(room, T0 - 1)).toBe(0);
  });
});

// ---- properties ------------------------------------------------------------------------------

const blockArb = fc.record({
  name: fc.constantFrom('A', 'B'),
  workMs: fc.integer({ min: 1, max: 60_000 }),
  restMs: fc.integer({ min: 0, max: 30_000 }),
  rounds: fc.integer({ min: 1, max: 5 }),
});
const planArb: fc.Arbitrary<IntervalPlan> = fc.record(
  {
    v: fc.constant(1 as const),
    mode: fc.constant('intervals' as const),
    name: fc.constant('Random'),
    prepareMs: fc.integer({ min: 0, max: 10_000 }),
    blocks: fc.array(blockArb, { minLength: 1, maxLength: 2 }),
  },
  { requiredKeys: ['v', 'mode', 'name', 'blocks'] },
);
const commands = { pause: pauseTimer, resume: resumeTimer, skip: skipPhase, stop: stopTimer } as const;
const stepArb = fc.record({
  waitMs: fc.integer({ min: 0, max: 60_000 }),
  command: fc.constantFrom<keyof typeof commands | 'none'>('pause', 'resume', 'skip', 'stop', 'none'),
});

/** The room's states in time order: idle, started after `startDelay`, then the steps. */
function play(p: IntervalPlan, startDelay: number, steps: ReadonlyArray<{ waitMs: number; command: keyof typeof commands | 'none' }>) {
  let now = T0 + startDelay;
  let state = startTimer(createTimer(p), now).state;
  const history: Array<{ state: TimerState; at: number }> = [{ state: createTimer(p), at: -Infinity }, { state, at: now }];
  for (const step of steps) {
    now += step.waitMs;
    if (step.command !== 'none') state = commands[step.command](state, now).state;
    history.push({ state, at: now });
  }
  return { state, now, history };
}

/** Spans clipped to start at `from`, touching spans of one phase joined, as [index, start, end]. */
function normalize(spans: PhaseSpan[], from: number, shift: number): Array<[number, number, number]> {
  const out: Array<[number, number, number]> = [];
  for (const s of spans) {
    if (s.end <= from) continue;
    const start = Math.max(s.start, from) + shift;
    const last = out.at(-1);
    if (last && last[0] === s.phaseIndex && last[2] === start) last[2] = s.end + shift;
    else out.push([s.phaseIndex, start, s.end + shift]);
  }
  return out;
}

describe('recordingTimer properties', () => {
  const offsetArb = fc.integer({ min: -7_200_000, max: 7_200_000 });

  it('at every moment after the anchor, shows the room’s position and status (idle reads as paused at 0)', () => {
    let checked = 0;
    fc.assert(
      fc.property(planArb, fc.integer({ min: 0, max: 30_000 }), fc.array(stepArb, { maxLength: 10 }), fc.integer({ min: 0, max: 200_000 }), offsetArb, fc.array(fc.integer({ min: 0, max: 60_000 }), { minLength: 1, maxLength: 4 }), (p, startDelay, steps, anchorAfter, offset, probes) => {
        const { history } = play(p, startDelay, steps);
        const a = T0 + anchorAfter; // server clock
        history.forEach(({ state, at }, i) => {
          const next = history[i + 1]?.at ?? Infinity;
          const timer = recordingTimer(state, offset, a - offset);
          expect(timer.startedAt).toBe(a - offset);
          expect(timer.pausedTotal).toBe(timer.pauses.reduce((n, x) => n + x.ms, 0));
          for (const probe of probes) {
            const t = Math.max(a, at) + probe; // a moment while `state` is the room's latest
            if (t >= next) continue;
            const room = view(state, t);
            const mine = view(timer, t - offset);
            expect(mine.positionMs).toBe(room.status === 'idle' ? 0 : room.positionMs);
            expect(mine.status).toBe(room.status === 'idle' ? 'paused' : room.status);
            checked++;
          }
        });
      }),
    );
    expect(checked).toBeGreaterThan(200); // the property was not vacuous
  });

  it('its phase history is the room’s, clipped to the anchor, on the phone clock', () => {
    fc.assert(
      fc.property(planArb, fc.integer({ min: 0, max: 30_000 }), fc.array(stepArb, { maxLength: 12 }), fc.integer({ min: 0, max: 200_000 }), offsetArb, fc.integer({ min: 0, max: 300_000 }), (p, startDelay, steps, anchorAfter, offset, later) => {
        const { state, now } = play(p, startDelay, steps);
        const a = T0 + anchorAfter;
        const end = Math.max(now, a) + later;
        const timer = recordingTimer(state, offset, a - offset);
        expect(TimerStateSchema.safeParse(JSON.parse(JSON.stringify(timer))).success).toBe(true);
        expect(normalize(phaseHistory(timer, end - offset), -Infinity, 0)).toEqual(normalize(phaseHistory(state, end), a, -offset));
      }),
    );
  });
});
