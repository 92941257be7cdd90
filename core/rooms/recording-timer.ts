/**
 * A participant's own recording during a class: its timer is the room's authoritative timer,
 * seen from this phone's clock and starting when the recording did. The recording then uses
 * core/workout's ordinary machinery (timerView, phaseHistory, the summary's per-interval
 * analytics) with no second timer: the phone never counts phases itself.
 *
 * `recordingTimer(room, offsetMs, anchor)` is a pure function of the room's latest state, so
 * a state received after the live link was down (carrying every pause and skip made meanwhile)
 * gives the exact history at once, as for the display.
 *
 * Construction (room times are the server's clock; A = anchor + offset, the anchor on it):
 * - startedAt = A: the recording's run time is the room's running time since A.
 * - A skip at run time 0 of the room's plan position at A: a recording that begins mid-class
 *   picks up in the right phase (core/workout's skips are "position jumped ahead at run time").
 *   The room's later skips keep their size; their run time is taken relative to A.
 * - The room's pauses, clipped to [A, ∞); the pause in progress stays in progress.
 * - Before the coach starts (or between A and a start after A) the recording is paused at the
 *   plan's beginning: "waiting for the coach" is recorded as a pause, so heart rate is kept but
 *   no phase is credited with it.
 * Every timestamp is then moved to this phone's clock (− offset, rounded: TimerState holds
 * integer ms). Invariants: result.startedAt = anchor; pausedTotal = Σ pauses.ms; for every wall
 * time t ≥ anchor, the plan position and running/paused/stopped status equal the room's at
 * t + offset (except that a room not yet started reads as paused at position 0).
 */
import { createTimer, positionAtRunTime, runningStretches, type TimerState } from '../workout';

/**
 * Running time of `state` up to wall time `at`, which may lie before later pauses (unlike
 * runTimeAt, which is only valid from the last command onwards).
 */
export function runTimeAtWall(state: TimerState, at: number): number {
  let run = 0;
  for (const s of runningStretches(state, at)) run += Math.max(0, Math.min(s.wallEnd, at) - s.wallStart);
  return run;
}

/** `room` as a recording that began at local time `anchor` sees it, on the local clock. */
export function recordingTimer(room: TimerState, offsetMs: number, anchor: number): TimerState {
  const offset = Math.round(offsetMs);
  const a = anchor + offset;
  const onServer = room.startedAt === null ? waiting(room, a) : following(room, a);
  return toLocal(onServer, offset);
}

/** The room has not started: paused at the plan's beginning since the anchor. */
function waiting(room: TimerState, a: number): TimerState {
  return { ...createTimer(room.plan), revision: room.revision, startedAt: a, pausedAt: a, updatedAt: Math.max(a, room.updatedAt ?? a) };
}

function following(room: TimerState, a: number): TimerState {
  const startedAt = room.startedAt!;
  const headRun = runTimeAtWall(room, a);
  const headPosition = positionAtRunTime(room, headRun);
  const pauses: TimerState['pauses'] = [];
  if (startedAt > a) pauses.push({ at: a, ms: startedAt - a });
  for (const p of room.pauses) {
    const end = p.at + p.ms;
    if (end <= a) continue;
    const at = Math.max(p.at, a);
    pauses.push({ at, ms: end - at });
  }
  const skips: TimerState['skips'] = headPosition > 0 ? [{ runMs: 0, skippedMs: headPosition }] : [];
  for (const s of room.skips) if (s.runMs > headRun) skips.push({ runMs: s.runMs - headRun, skippedMs: s.skippedMs });
  return {
    ...room,
    startedAt: a,
    pausedAt: room.pausedAt === null ? null : Math.max(room.pausedAt, a),
    stoppedAt: room.stoppedAt === null ? null : Math.max(room.stoppedAt, a),
    pauses,
    pausedTotal: pauses.reduce((sum, p) => sum + p.ms, 0),
    skips,
    updatedAt: Math.max(a, room.updatedAt ?? a),
  };
}

function toLocal(state: TimerState, offset: number): TimerState {
  const shift = (t: number | null) => (t === null ? null : t - offset);
  return {
    ...state,
    startedAt: shift(state.startedAt),
    pausedAt: shift(state.pausedAt),
    stoppedAt: shift(state.stoppedAt),
    updatedAt: shift(state.updatedAt),
    pauses: state.pauses.map((p) => ({ at: p.at - offset, ms: p.ms })),
  };
}
