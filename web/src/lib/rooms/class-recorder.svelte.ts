/**
 * The participant's own recording during a class: a workout on this phone (the workout
 * controller: crash-safe recorder, sync like any workout) whose timer is the room's. The class
 * page reports what its live link knows (`update`); this turns each new room state into the
 * recording's timer (core/rooms recordingTimer, on this phone's clock) and decides, with
 * core/rooms class-run, when the recording starts and ends:
 * - "Record on this phone" starts at once, at the class's current phase (or waiting, paused at
 *   the start, until the coach starts);
 * - "Record when the class starts" (remembered on this device) starts by itself whenever a run
 *   is going on that the participant has not stopped recording themselves;
 * - the coach's pause, resume and skip are followed; the coach's stop finishes the recording,
 *   and so does the plan running out. Finishing, not offering to: the phone is in a pocket or
 *   on the floor when the class ends, and a recording left open would count the walk home. The
 *   stop is the class's end for everyone, the coach confirms it first, and a participant who
 *   wants to go on starts a workout of their own;
 * - a restart ends this recording and, since the participant was recording the class, goes on
 *   in a new one (the room's timer forgets the old run, as the class does);
 * - the participant can stop their recording whenever they like.
 * With the live link down the recording simply goes on with the last known timer (the recorder
 * writes every second whatever the link does); the next state corrects the phases. If the page
 * itself died (reload, killed tab), the class page resumes the cut-off recording of this class
 * by itself when it comes back soon enough, and re-attaches it to the room's timer: the session
 * keeps which run it follows (SessionRoom.runStartedAt).
 *
 * Made once in the root layout, so the binding survives moving between screens.
 */
import { autoRecordDue, beginRun, followRoom, isRunOver, type FollowedRun } from '$core/rooms';
import { stopTimer, stopwatchPlan, type Plan, type TimerState } from '$core/workout';
import type { SessionRoom, SessionRow } from '$lib/storage';
import type { FollowStart, WorkoutStatus } from '$lib/workout/controller.svelte';

/** The part of the workout controller a class recording drives. */
export interface ClassWorkout {
  readonly status: WorkoutStatus;
  /** Local storage has been read (cut-off sessions are known). */
  readonly ready: boolean;
  readonly following: SessionRoom | null;
  readonly timer: TimerState | null;
  /** Sessions cut off while recording (crash, closed tab, reload). */
  readonly cutOff: readonly SessionRow[];
  start(plan: Plan): Promise<void>;
  startFollowing(input: FollowStart): Promise<boolean>;
  follow(next: TimerState, room?: SessionRoom): Promise<void>;
  resumeCutOff(id: string): Promise<void>;
  stop(): Promise<void>;
}

/** What the class page's live link knows. */
export interface RoomSignal {
  room: SessionRoom;
  /** The room's timer as last heard; null before the first snapshot. */
  timer: TimerState | null;
  /** Server clock − this phone's clock; null before it was measured. */
  offsetMs: number | null;
  /** The link is open, so `timer` is current and not merely the last known. */
  linkOpen: boolean;
}

export interface ClassRecorderDeps {
  workout: ClassWorkout;
  /** "Record when the class starts", remembered on this device. */
  autoRecord: { load(): boolean; save(on: boolean): void };
  now?: () => number;
}

/**
 * A better offset estimate moves the recording's timer only when it moved this much: smaller
 * changes are within the estimate's error anyway and would rewrite the timer every few seconds.
 */
const OFFSET_SLACK_MS = 50;

/**
 * A class recording cut off (reload, killed tab) is resumed by itself only if it was written
 * this recently: an older one belongs to a class long gone, and its owner decides on the banner.
 */
export const CLASS_RESUME_WINDOW_MS = 10 * 60_000;

interface Binding {
  roomId: string;
  run: FollowedRun;
  /** The room revision and offset the recording's timer was last made from. */
  revision: number;
  offsetMs: number;
}

export class ClassRecorder {
  autoRecord = $state(false);

  #deps: ClassRecorderDeps;
  #bound: Binding | null = null;
  #signal: RoomSignal | null = null;
  /** The run whose recording the participant stopped: auto-record leaves it alone. */
  #declined: { roomId: string; runStartedAt: number | null } | null = null;
  #queue: Promise<void> = Promise.resolve();
  #stepQueued = false;
  /** Cut-off sessions already resumed once (never twice: a failure is the banner's). */
  #resumed = new Set<string>();

  constructor(deps: ClassRecorderDeps) {
    this.#deps = deps;
    this.autoRecord = deps.autoRecord.load();
  }

  get #now(): number {
    return (this.#deps.now ?? Date.now)();
  }

  /** This phone is recording `roomId`'s class. */
  isRecording(roomId: string): boolean {
    const w = this.#deps.workout;
    return w.following?.id === roomId && (w.status === 'active' || w.status === 'starting');
  }

  setAutoRecord(on: boolean): void {
    this.autoRecord = on;
    this.#deps.autoRecord.save(on);
    // Turning it on says "record this class", including a run the participant stopped.
    if (on) this.#declined = null;
    this.#schedule();
  }

  /** The class page reports its live link's knowledge: on every change and every screen tick. */
  update(signal: RoomSignal): void {
    this.#signal = signal;
    this.#schedule();
  }

  /** "Record on this phone". */
  record(): Promise<void> {
    return this.#enqueue(() => this.#start());
  }

  /** The participant ends their own recording; auto-record leaves this run alone afterwards. */
  stop(): Promise<void> {
    return this.#enqueue(async () => {
      const bound = this.#bound;
      if (!bound || !this.isRecording(bound.roomId)) return;
      this.#declined = { roomId: bound.roomId, runStartedAt: bound.run.runStartedAt };
      this.#bound = null;
      await this.#deps.workout.stop();
    });
  }

  /** Resolves once every queued change has run. */
  settled(): Promise<void> {
    return this.#queue;
  }

  /** Every change runs in order, one at a time: starts and finishes are IndexedDB writes. */
  #enqueue(task: () => Promise<void>): Promise<void> {
    const next = this.#queue.then(task, task);
    this.#queue = next.catch(() => {});
    return next;
  }

  /** Coalesces screen ticks: one step waits at most, and it reads the newest signal. */
  #schedule(): void {
    if (this.#stepQueued) return;
    this.#stepQueued = true;
    void this.#enqueue(async () => {
      this.#stepQueued = false;
      await this.#step();
    });
  }

  async #step(): Promise<void> {
    const s = this.#signal;
    // Until storage is read, a cut-off recording of this class could be mistaken for none.
    if (!s || !this.#deps.workout.ready) return;
    const bound = this.#bound;
    if (bound && !this.isRecording(bound.roomId)) {
      // Ended elsewhere: stopped on the workout screen, or the plan ran out there.
      this.#declined = { roomId: bound.roomId, runStartedAt: bound.run.runStartedAt };
      this.#bound = null;
    }
    if (!this.#bound) await this.#resumeCutOff(s.room.id);
    if (!s.timer) return;
    const offsetMs = s.offsetMs ?? 0;
    const serverNow = this.#now + offsetMs;
    const workout = this.#deps.workout;
    if (!this.#bound && workout.status === 'active' && workout.following?.id === s.room.id) return this.#attach(s, s.timer, offsetMs, serverNow);
    if (this.#bound) {
      if (this.#bound.roomId === s.room.id) await this.#follow(this.#bound, s, s.timer, offsetMs, serverNow);
      return;
    }
    const declined = this.#declined?.roomId === s.room.id ? this.#declined.runStartedAt : null;
    if (this.autoRecord && s.linkOpen && this.#idle() && autoRecordDue(s.timer, serverNow, declined)) await this.#start();
  }

  /** A cut-off recording of this class, recent enough: it goes on (and is attached next). */
  async #resumeCutOff(roomId: string): Promise<void> {
    const workout = this.#deps.workout;
    if (!this.#idle()) return;
    const cut = workout.cutOff.find((c) => c.room?.id === roomId && !this.#resumed.has(c.id) && this.#now - c.lastWriteAt < CLASS_RESUME_WINDOW_MS);
    if (!cut) return;
    this.#resumed.add(cut.id);
    await workout.resumeCutOff(cut.id);
  }

  /** A class workout recording without a binding here (resumed, or this page is new): bind it. */
  async #attach(s: RoomSignal, room: TimerState, offsetMs: number, serverNow: number): Promise<void> {
    const workout = this.#deps.workout;
    const following = workout.following!;
    const timer = workout.timer!;
    const runStartedAt = following.runStartedAt ?? null;
    if (runStartedAt !== null && room.startedAt !== runStartedAt) {
      // Its run was replaced while nobody listened: the room no longer holds its history, so
      // end the recording's own timer where the new state began.
      const endedAt = (room.startedAt ?? room.updatedAt ?? serverNow) - Math.round(offsetMs);
      await workout.follow(stopTimer(timer, endedAt).state);
      return;
    }
    const run: FollowedRun = { anchor: timer.startedAt!, runStartedAt, pastRunStartedAt: following.pastRunStartedAt ?? null, last: room };
    // revision −1: the first step always derives the timer from the room.
    this.#bound = { roomId: s.room.id, run, revision: -1, offsetMs };
    await this.#follow(this.#bound, s, room, offsetMs, serverNow);
  }

  async #follow(bound: Binding, s: RoomSignal, room: TimerState, offsetMs: number, serverNow: number): Promise<void> {
    const workout = this.#deps.workout;
    if (room.revision !== bound.revision || Math.abs(offsetMs - bound.offsetMs) > OFFSET_SLACK_MS) {
      const step = followRoom(bound.run, room, offsetMs, serverNow);
      if (step.kind === 'finish') {
        this.#bound = null;
        await workout.follow(step.timer);
        // A restart: the class goes on from the top, and so does this phone's recording.
        if (step.reason === 'replaced' && step.nextRunRunning) await this.#start();
        return;
      }
      this.#bound = { ...bound, run: step.run, revision: room.revision, offsetMs };
      // Binding to a run (the coach started) is kept with the session, for a resume.
      const rebound = step.run.runStartedAt !== bound.run.runStartedAt;
      await workout.follow(step.timer, rebound ? sessionRoom(s.room, step.run) : undefined);
    }
    // The plan ran out, as the room (not merely this phone's copy of its timer) says.
    if (s.linkOpen && this.#bound?.run.runStartedAt === room.startedAt && isRunOver(room, serverNow)) {
      this.#bound = null;
      await workout.stop();
    }
  }

  #idle(): boolean {
    const status = this.#deps.workout.status;
    return status === 'idle' || status === 'finished';
  }

  async #start(): Promise<void> {
    const s = this.#signal;
    if (!s || !this.#idle()) return;
    const workout = this.#deps.workout;
    if (!s.timer) {
      // The room's timer was never heard (the link has not opened since a reload): record on
      // this phone's own clock rather than not at all.
      await workout.start({ ...stopwatchPlan(), name: s.room.name.slice(0, 60).trim() || 'Class' });
      return;
    }
    const now = this.#now;
    const offsetMs = s.offsetMs ?? 0;
    const run = beginRun(s.timer, now, now + offsetMs);
    const step = followRoom(run, s.timer, offsetMs, now + offsetMs);
    // beginRun never binds a run that is over, so the first step always follows.
    if (step.kind !== 'follow') return;
    if (await workout.startFollowing({ timer: step.timer, room: sessionRoom(s.room, step.run), title: s.room.name })) {
      this.#bound = { roomId: s.room.id, run: step.run, revision: s.timer.revision, offsetMs };
      if (this.#declined?.roomId === s.room.id) this.#declined = null;
    }
  }
}

/** The room as the session keeps it: with the run its recording follows. */
function sessionRoom(room: SessionRoom, run: FollowedRun): SessionRoom {
  return { id: room.id, name: room.name, runStartedAt: run.runStartedAt, pastRunStartedAt: run.pastRunStartedAt, ...(room.profile ? { profile: room.profile } : {}) };
}
