/**
 * Which run of the room's timer a participant's recording belongs to, and what each new room
 * state means for it. A "run" is one start of the class timer (identified by its server
 * `startedAt`): pause, resume and skip stay in the run; stop ends it; restart and change-plan
 * replace it (the room's timer forgets the old run's history then, so the recording is closed
 * with what it knew). One recording follows one run: a restart begins a new workout, as it
 * does for everyone in the class.
 *
 * Pure: the caller passes the room's state, the server-clock offset and the server time.
 */
import { isFinished, stopTimer, type TimerState } from '../workout';
import { recordingTimer } from './recording-timer';

export interface FollowedRun {
  /** Local wall time the recording began: its timer starts there. */
  anchor: number;
  /** Server `startedAt` of the room run being recorded; null while waiting for the coach. */
  runStartedAt: number | null;
  /** A run already over when recording began (stopped, or its plan ran out): not ours. */
  pastRunStartedAt: number | null;
  /** The latest room state of the run being recorded, to close it if it is replaced. */
  last: TimerState;
}

export type FollowStep =
  /** Keep recording; `timer` is the recording's timer now (local clock). */
  | { kind: 'follow'; run: FollowedRun; timer: TimerState }
  /**
   * The run ended: finish the recording with `timer` (stopped). `replaced` (restart or
   * change-plan) says whether a new run is already running, so recording can go on in a new one.
   */
  | { kind: 'finish'; timer: TimerState; reason: 'stopped' | 'replaced'; nextRunRunning: boolean };

/** The run in `room` is over: stopped by the coach, or its plan ran out by `serverNow`. */
export function isRunOver(room: TimerState, serverNow: number): boolean {
  return room.startedAt !== null && (room.stoppedAt !== null || isFinished(room, serverNow));
}

/** A run is going on (started, not over): something to record. */
export function isRunLive(room: TimerState, serverNow: number): boolean {
  return room.startedAt !== null && !isRunOver(room, serverNow);
}

/** The binding of a recording that begins at local time `anchor`, given the room's state then. */
export function beginRun(room: TimerState, anchor: number, serverNow: number): FollowedRun {
  const over = isRunOver(room, serverNow);
  return { anchor, runStartedAt: over ? null : room.startedAt, pastRunStartedAt: over ? room.startedAt : null, last: room };
}

/** What the room's newest state means for the recording bound by `run`. */
export function followRoom(run: FollowedRun, room: TimerState, offsetMs: number, serverNow: number): FollowStep {
  if (run.runStartedAt !== null && room.startedAt !== run.runStartedAt) {
    // Restart (a new startedAt) or change-plan (idle again): the old run ended when the new
    // state began; the room no longer holds its history, so close what we last knew of it.
    const endedAt = (room.startedAt ?? room.updatedAt ?? serverNow) - Math.round(offsetMs);
    const timer = stopTimer(recordingTimer(run.last, offsetMs, run.anchor), endedAt).state;
    return { kind: 'finish', timer, reason: 'replaced', nextRunRunning: isRunLive(room, serverNow) };
  }
  const startsRun = run.runStartedAt === null && room.startedAt !== null && room.startedAt !== run.pastRunStartedAt;
  if (run.runStartedAt === null && !startsRun) {
    // Still waiting for the coach (perhaps with a newly loaded plan); a past run is not ours.
    const idle: TimerState = { ...room, startedAt: null, pausedAt: null, stoppedAt: null, pauses: [], pausedTotal: 0, skips: [] };
    return { kind: 'follow', run: { ...run, last: room }, timer: recordingTimer(idle, offsetMs, run.anchor) };
  }
  const timer = recordingTimer(room, offsetMs, run.anchor);
  if (room.stoppedAt !== null) return { kind: 'finish', timer, reason: 'stopped', nextRunRunning: false };
  return { kind: 'follow', run: { ...run, runStartedAt: room.startedAt, last: room }, timer };
}

/**
 * "Record when the class starts": a run is going on and the participant has not stopped
 * recording it themselves (`declinedRunStartedAt`), so a new recording should begin.
 */
export function autoRecordDue(room: TimerState, serverNow: number, declinedRunStartedAt: number | null): boolean {
  return isRunLive(room, serverNow) && room.startedAt !== declinedRunStartedAt;
}
