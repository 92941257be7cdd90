import { describe, expect, it } from 'vitest';
import { changePlan, recordingTimer } from '$core/rooms';
import { createTimer, pauseTimer, restartTimer, startTimer, stopTimer, timerView, type IntervalPlan, type Plan, type TimerState } from '$core/workout';
import type { SessionRoom, SessionRow } from '$lib/storage';
import type { FollowStart, WorkoutStatus } from '$lib/workout/controller.svelte';
import { CLASS_RESUME_WINDOW_MS, ClassRecorder, type ClassWorkout, type RoomSignal } from './class-recorder.svelte';

const T0 = 1_700_000_000_000;
const OFFSET = 2_000; // the server's clock is 2 s ahead of the phone's
const plan: IntervalPlan = { v: 1, mode: 'intervals', name: 'Tabata', prepareMs: 5_000, blocks: [{ name: 'Main', workMs: 20_000, restMs: 10_000, rounds: 2 }] };
const room: SessionRoom = { id: 'room00000000001', name: 'Tuesday HIIT' };
const idle: TimerState = { ...createTimer(plan), revision: 1, updatedAt: T0 - 60_000 };

/** The workout controller as far as a class recording uses it, logging each call. */
class FakeWorkout implements ClassWorkout {
  status: WorkoutStatus = 'idle';
  ready = true;
  following: SessionRoom | null = null;
  cutOff: SessionRow[] = [];
  calls: string[] = [];
  timer: TimerState | null = null;
  rooms: SessionRoom[] = [];
  async start(p: Plan) {
    this.calls.push(`start ${p.mode} ${p.name}`);
    this.status = 'active';
  }
  async startFollowing(input: FollowStart) {
    this.calls.push('startFollowing');
    this.status = 'active';
    this.following = input.room;
    this.rooms.push(input.room);
    this.timer = input.timer;
    return true;
  }
  async follow(next: TimerState, room?: SessionRoom) {
    this.timer = next;
    if (room) {
      this.following = room;
      this.rooms.push(room);
    }
    if (next.stoppedAt === null) return void this.calls.push('follow');
    this.calls.push('finish');
    this.#end();
  }
  async stop() {
    this.calls.push('stop');
    this.#end();
  }
  async resumeCutOff(id: string) {
    const row = this.cutOff.find((r) => r.id === id)!;
    this.calls.push(`resume ${id}`);
    this.cutOff = this.cutOff.filter((r) => r !== row);
    this.status = 'active';
    this.following = row.room ?? null;
    this.timer = row.timer;
  }
  #end() {
    this.status = 'finished';
    this.following = null;
  }
}

function setup(autoRecord = false) {
  let now = T0 - OFFSET; // phone clock
  const saved: boolean[] = [];
  const workout = new FakeWorkout();
  const recorder = new ClassRecorder({ workout, now: () => now, autoRecord: { load: () => autoRecord, save: (on) => void saved.push(on) } });
  const send = async (timer: TimerState | null, linkOpen = true) => {
    const signal: RoomSignal = { room, timer, offsetMs: OFFSET, linkOpen };
    recorder.update(signal);
    await recorder.settled();
  };
  return {
    workout,
    recorder,
    saved,
    send,
    /** Moves both clocks to server time `t`. */
    at: (t: number) => void (now = t - OFFSET),
  };
}

describe('ClassRecorder', () => {
  it('records from the current phase, follows the coach’s pause and finishes at the coach’s stop', async () => {
    const t = setup();
    const running = startTimer(idle, T0).state;
    t.at(T0 + 12_000);
    await t.send(running);
    await t.recorder.record();
    expect(t.workout.calls).toEqual(['startFollowing']);
    expect(t.recorder.isRecording(room.id)).toBe(true);
    expect(timerView(t.workout.timer!, T0 + 12_000 - OFFSET)).toMatchObject({ status: 'running', positionMs: 12_000, phaseIndex: 1 });

    // Screen ticks with nothing new change nothing.
    await t.send(running);
    expect(t.workout.calls).toEqual(['startFollowing']);

    const paused = pauseTimer(running, T0 + 15_000).state;
    t.at(T0 + 15_050);
    await t.send(paused);
    expect(t.workout.calls).toEqual(['startFollowing', 'follow']);
    expect(t.workout.timer!.pausedAt).toBe(T0 + 15_000 - OFFSET);

    t.at(T0 + 20_000);
    await t.send(stopTimer(paused, T0 + 20_000).state);
    expect(t.workout.calls).toEqual(['startFollowing', 'follow', 'finish']);
    expect(t.workout.timer!.stoppedAt).toBe(T0 + 20_000 - OFFSET);
    expect(t.recorder.isRecording(room.id)).toBe(false);
  });

  it('keeps recording with the last known timer while the link is down, and catches up after', async () => {
    const t = setup();
    const running = startTimer(idle, T0).state;
    await t.send(running);
    await t.recorder.record();
    // Down: the room paused meanwhile, but nobody here knows; nothing changes, nothing ends.
    t.at(T0 + 200_000); // long after the plan's end (65 s) by the phone's copy
    await t.send(running, false);
    expect(t.workout.calls).toEqual(['startFollowing']);
    // Back: the pause (and the resume) arrive with the snapshot.
    const paused = pauseTimer(running, T0 + 30_000).state;
    const resumed = { ...paused, pausedAt: null, pauses: [{ at: T0 + 30_000, ms: 150_000 }], pausedTotal: 150_000, revision: paused.revision + 1, updatedAt: T0 + 180_000 };
    await t.send(resumed, true);
    expect(t.workout.calls).toEqual(['startFollowing', 'follow']);
    expect(t.workout.status).toBe('active');
  });

  it('finishes when the plan runs out, as the room says', async () => {
    const t = setup();
    const running = startTimer(idle, T0).state;
    await t.send(running);
    await t.recorder.record();
    t.at(T0 + 65_000);
    await t.send(running);
    expect(t.workout.calls).toEqual(['startFollowing', 'stop']);
  });

  it('a restart finishes this recording and records the new run', async () => {
    const t = setup();
    const running = startTimer(idle, T0).state;
    await t.send(running);
    await t.recorder.record();
    t.at(T0 + 40_000);
    await t.send(restartTimer(running, T0 + 40_000).state);
    expect(t.workout.calls).toEqual(['startFollowing', 'finish', 'startFollowing']);
    expect(t.workout.timer!.startedAt).toBe(T0 + 40_000 - OFFSET);
  });

  it('records when the class starts if asked to, and not again for a run the participant stopped', async () => {
    const t = setup();
    t.recorder.setAutoRecord(true);
    expect(t.saved).toEqual([true]);
    await t.send(idle);
    expect(t.workout.calls).toEqual([]);

    const running = startTimer(idle, T0).state;
    t.at(T0 + 100);
    await t.send(running);
    expect(t.workout.calls).toEqual(['startFollowing']);
    expect(timerView(t.workout.timer!, T0 + 1_000 - OFFSET)).toMatchObject({ status: 'running', positionMs: 1_000 });

    await t.recorder.stop();
    await t.send(running);
    expect(t.workout.calls).toEqual(['startFollowing', 'stop']);

    // The coach loads another plan and starts it: a new run, recorded again.
    const next = startTimer(changePlan(running, { ...plan, name: 'Next' }, T0 + 5_000).state, T0 + 6_000).state;
    t.at(T0 + 6_100);
    await t.send(next);
    expect(t.workout.calls).toEqual(['startFollowing', 'stop', 'startFollowing']);
    expect(t.workout.timer!.plan.name).toBe('Next');
  });

  it('a recording made before the coach starts waits at the plan start and adopts a newly loaded plan', async () => {
    const t = setup();
    await t.send(idle);
    await t.recorder.record();
    expect(timerView(t.workout.timer!, T0)).toMatchObject({ status: 'paused', elapsedMs: 0 });
    await t.send(changePlan(idle, { ...plan, name: 'Swapped' }, T0 + 1_000).state);
    expect(t.workout.calls).toEqual(['startFollowing', 'follow']);
    expect(t.workout.timer!.plan.name).toBe('Swapped');
  });

  it('without the room’s timer (never connected) records a stopwatch named for the class', async () => {
    const t = setup();
    await t.send(null, false);
    await t.recorder.record();
    expect(t.workout.calls).toEqual(['start stopwatch Tuesday HIIT']);
  });

  it('keeps with the session which run it follows: none while waiting, the coach’s once started', async () => {
    const t = setup();
    await t.send(idle);
    await t.recorder.record();
    const started = startTimer(idle, T0 + 3_000).state;
    t.at(T0 + 3_050);
    await t.send(started);
    expect(t.workout.rooms.map((r) => r.runStartedAt)).toEqual([null, T0 + 3_000]);
    // Later states of the same run do not rewrite it.
    await t.send(pauseTimer(started, T0 + 4_000).state);
    expect(t.workout.rooms).toHaveLength(2);
  });

  /** A session of this class cut off at `lastWriteAt`, recording the run started at T0 from T0. */
  function cutOff(lastWriteAt: number): SessionRow {
    const running = startTimer(idle, T0).state;
    return {
      id: 'sess00000000001',
      lastWriteAt,
      room: { ...room, runStartedAt: T0, pastRunStartedAt: null },
      timer: recordingTimer(running, OFFSET, T0 - OFFSET),
    } as SessionRow;
  }

  it('a recording cut off by a reload goes on by itself and follows the room again', async () => {
    const t = setup();
    t.at(T0 + 30_000);
    t.workout.cutOff = [cutOff(T0 + 25_000 - OFFSET)];
    const paused = pauseTimer(startTimer(idle, T0).state, T0 + 27_000).state;
    await t.send(paused);
    expect(t.workout.calls).toEqual(['resume sess00000000001', 'follow']);
    expect(t.workout.timer!.pausedAt).toBe(T0 + 27_000 - OFFSET);
    expect(t.recorder.isRecording(room.id)).toBe(true);
    await t.send(stopTimer(paused, T0 + 31_000).state);
    expect(t.workout.calls.at(-1)).toBe('finish');
  });

  it('a cut-off recording whose run was restarted meanwhile ends at the restart', async () => {
    const t = setup();
    t.at(T0 + 60_000);
    t.workout.cutOff = [cutOff(T0 + 20_000 - OFFSET)];
    await t.send(restartTimer(startTimer(idle, T0).state, T0 + 50_000).state);
    expect(t.workout.calls).toEqual(['resume sess00000000001', 'finish']);
    expect(t.workout.timer!.stoppedAt).toBe(T0 + 50_000 - OFFSET);
  });

  it('leaves an old cut-off recording to the banner', async () => {
    const t = setup();
    t.at(T0 + CLASS_RESUME_WINDOW_MS + 30_000);
    t.workout.cutOff = [cutOff(T0 - OFFSET)];
    await t.send(startTimer(idle, T0).state);
    expect(t.workout.calls).toEqual([]);
  });
});
