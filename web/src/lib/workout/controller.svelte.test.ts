import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { recordingTimer } from '$core/rooms';
import { createTimer, pauseTimer, restingCheckPlan, startTimer, stopTimer, type IntervalPlan } from '$core/workout';
import { fakeClock } from '$lib/recording';
import { createStorage } from '$lib/storage';
import { fakeCuePlayer } from './cue-player';
import { CLASS_FINISH_GRACE_MS, UNDO_STOP_MS, WorkoutController } from './controller.svelte';
import { fakeVibrator } from './vibration';
import { fakeWakeLock } from './wake-lock';
import { fakeWorkoutStrap, PHASE_INTENSITY } from './workout-strap';

const plan: IntervalPlan = { v: 1, mode: 'intervals', name: 'Short', prepareMs: 2_000, blocks: [{ name: 'Main', workMs: 5_000, restMs: 3_000, rounds: 2 }] };

let n = 0;
function setup() {
  const clock = fakeClock();
  const storage = createStorage({ name: `ctl-test-${n++}`, now: clock.now });
  const cues = fakeCuePlayer();
  const vibrator = fakeVibrator();
  const wakeLock = fakeWakeLock();
  const holds: string[] = [];
  let released = 0;
  const updates = {
    hold(reason: string) {
      holds.push(reason);
      return () => void released++;
    },
  };
  const strap = fakeWorkoutStrap();
  const controller = new WorkoutController({ storage, clock, cues, vibrator, wakeLock, updates, tickMs: 100, onError: () => {} });
  controller.useStrap(strap);
  // One reading per second from the fake strap, like a real one.
  clock.every(1_000, () => strap.emit({ type: 'reading', reading: { t: clock.now(), bpm: 100 + (strap.intensities.at(-1) ?? 0) * 60, contact: 'detected', energyKj: null, rr1024: [800] } }));
  return { clock, storage, cues, vibrator, wakeLock, holds, released: () => released, strap, controller };
}

async function until(check: () => boolean) {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 1));
}

describe('WorkoutController', () => {
  it('keeps a simulated strap at rest through a resting check, measure phase included', async () => {
    const t = setup();
    await t.controller.init();
    await t.controller.start(restingCheckPlan());
    t.clock.advance(65_000);
    const view = t.controller.view!;
    expect(view.mode === 'intervals' && view.phase.kind).toBe('work');
    expect(new Set(t.strap.intensities)).toEqual(new Set([PHASE_INTENSITY.rest]));
  });

  it('runs a plan from absolute time, schedules cues ahead, follows phases and finishes with a summary', async () => {
    const t = setup();
    await t.controller.init();
    await t.controller.start(plan);
    expect(t.controller.status).toBe('active');
    expect(t.holds).toEqual(['workout']);
    expect(t.wakeLock.active).toBe(true);
    expect(t.cues.unlocked).toBe(true);
    expect(t.strap.intensities).toEqual([PHASE_INTENSITY.prepare]);

    t.clock.advance(2_500);
    const view = t.controller.view!;
    expect(view.mode === 'intervals' && view.phase.kind).toBe('work');
    expect(view.mode === 'intervals' && view.round).toEqual({ current: 1, total: 2 });
    expect(t.strap.intensities.at(-1)).toBe(PHASE_INTENSITY.work);
    // The 1 s beep before work and the long beep at its start were handed over ahead of time.
    expect(t.cues.scheduled.map((c) => [c.kind, c.at - t.clock.now() + 2_500])).toEqual(
      expect.arrayContaining([
        ['short', 1_000],
        ['long', 2_000],
      ]),
    );
    expect(t.vibrator.calls.length).toBeGreaterThan(0);

    t.clock.advance(14_000);
    await until(() => t.controller.status === 'finished');
    expect(t.controller.status).toBe('finished');
    const session = t.controller.lastSession!;
    expect(session.status).toBe('finished');
    expect(session.endedAt! - session.startedAt).toBe(15_000);
    expect(session.summary!.heartRate!.avgBpm).toBeGreaterThan(100);
    expect(session.summary!.intervals.filter((i) => i.kind === 'work')).toHaveLength(2);
    expect(session.profileIsDefault).toBe(true);
    expect(t.released()).toBe(1);
    expect(t.wakeLock.active).toBe(false);
  });

  it('pause freezes the view and cancels pending beeps; skip jumps to the next phase', async () => {
    const t = setup();
    await t.controller.init();
    await t.controller.start(plan);
    t.clock.advance(3_000);
    await t.controller.pause();
    const cancels = t.cues.cancels;
    expect(cancels).toBeGreaterThan(0);
    const left = t.controller.view!.mode === 'intervals' ? t.controller.view!.phaseLeftMs : -1;
    t.clock.advance(10_000);
    const v = t.controller.view!;
    expect(v.status).toBe('paused');
    expect(v.mode === 'intervals' && v.phaseLeftMs).toBe(left);
    await t.controller.resume();
    await t.controller.skip();
    const after = t.controller.view!;
    expect(after.mode === 'intervals' && after.phase.kind).toBe('rest');
    const row = await t.storage.sessions.get(t.controller.sessionId!);
    expect(row!.timer.skips).toHaveLength(1);
    await t.controller.stop();
    expect(t.controller.status).toBe('finished');
  });

  it('resumes a workout cut off moments ago by itself when the app opens again: no tap, no wait for audio', async () => {
    const t = setup();
    await t.controller.init();
    await t.controller.start(plan);
    t.clock.advance(4_000);
    const id = t.controller.sessionId!;
    // The page dies (reload, crash); a second controller is the reopened app.
    t.clock.advance(700);
    t.controller.destroy();
    const cues = fakeCuePlayer();
    const strap = fakeWorkoutStrap('strap');
    const again = new WorkoutController({
      storage: createStorage({ name: t.storage.db().name, now: t.clock.now }),
      clock: t.clock,
      cues,
      vibrator: fakeVibrator(),
      wakeLock: fakeWakeLock(),
      updates: { hold: () => () => {} },
      onError: () => {},
    });
    again.useStrap(strap);
    const initializing = again.init();
    // A reading while the recording is being resumed (the strap can be back first) is kept.
    await until(() => again.status === 'starting');
    strap.emit({ type: 'reading', reading: { t: t.clock.now(), bpm: 149, contact: 'detected', energyKj: null, rr1024: [] } });
    await initializing;
    expect(again.status).toBe('active');
    expect(again.sessionId).toBe(id);
    expect(again.cutOff).toEqual([]);
    expect(cues.unlocked).toBe(false);
    // The timer never stopped: 4.7 s since the start, as if the page had never gone.
    expect(again.view).toMatchObject({ status: 'running', elapsedMs: 4_700 });
    strap.emit({ type: 'reading', reading: { t: t.clock.now(), bpm: 150, contact: 'detected', energyKj: null, rr1024: [] } });
    t.clock.advance(1_000);
    await again.stop();
    expect(again.lastSession!.gaps.map((g) => g.reason)).toEqual(['app-closed']);
    const bpms = (await t.storage.sessions.readings(id)).map((r) => r.bpm);
    // The readings of the first 4 s, the gap marker, then both new ones.
    expect(bpms.slice(-3)).toEqual([0, 149, 150]);
    expect(bpms.filter((b) => b > 0)).toHaveLength(6);
    // A second init (after an error, say) never resumes by itself again.
    await again.init();
    expect(again.status).toBe('finished');
  });

  it('offers a cut-off session on init and resumes it', async () => {
    const t = setup();
    await t.controller.init();
    await t.controller.start(plan);
    t.clock.advance(4_000);
    await t.controller.flush();
    const id = t.controller.sessionId!;
    // A second controller on the same database stands in for the reopened app (one that asks).
    const again = new WorkoutController({
      storage: createStorage({ name: t.storage.db().name, now: t.clock.now }),
      clock: t.clock,
      cues: fakeCuePlayer(),
      vibrator: fakeVibrator(),
      wakeLock: fakeWakeLock(),
      updates: { hold: () => () => {} },
      autoResumeWithinMs: 0,
      onError: () => {},
    });
    await again.init();
    expect(again.cutOff.map((s) => s.id)).toEqual([id]);
    await again.resumeCutOff(id);
    expect(again.status).toBe('active');
    expect(again.cutOff).toEqual([]);
    await again.stop();
    expect(again.lastSession!.gaps.some((g) => g.reason === 'app-closed')).toBe(true);
    t.controller.destroy();
  });

  it('the member’s Stop can be undone within the window: nothing is saved as ended, and the timer goes on from the stop', async () => {
    const t = setup();
    await t.controller.init();
    await t.controller.start(plan);
    t.clock.advance(4_000); // 2 s into the first work phase
    const id = t.controller.sessionId!;
    await t.controller.stopWithUndo();
    expect(t.controller.status).toBe('stopped');
    expect(t.controller.undoUntil).toBe(t.clock.now() + UNDO_STOP_MS);
    expect(t.controller.view!.status).toBe('stopped');
    expect(t.released()).toBe(0);
    // The stop is on disk, the session is not ended.
    const stoppedRow = await t.storage.sessions.get(id);
    expect(stoppedRow).toMatchObject({ status: 'recording', endedAt: null, timer: { stoppedAt: t.clock.now() } });

    t.clock.advance(UNDO_STOP_MS - 1_000);
    expect(t.controller.status).toBe('stopped');
    await t.controller.undoStop();
    expect(t.controller.status).toBe('active');
    expect(t.controller.undoUntil).toBeNull();
    const v = t.controller.view!;
    expect(v.status).toBe('running');
    expect(v.elapsedMs).toBe(4_000);
    expect(v.mode === 'intervals' && [v.phase.kind, v.phaseElapsedMs]).toEqual(['work', 2_000]);
    expect(await t.storage.sessions.get(id)).toMatchObject({ status: 'recording', timer: { stoppedAt: null, pausedTotal: UNDO_STOP_MS - 1_000 } });

    // Past the window a stop is saved by itself.
    t.clock.advance(1_000);
    await t.controller.stopWithUndo();
    t.clock.advance(UNDO_STOP_MS);
    await until(() => t.controller.status === 'finished');
    expect(t.controller.status).toBe('finished');
    expect(t.controller.lastSession).toMatchObject({ id, status: 'finished' });
    expect(t.controller.lastSession!.endedAt).toBe(t.controller.timer!.stoppedAt);
    expect(t.released()).toBe(1);
    await t.controller.undoStop();
    expect(t.controller.status).toBe('finished');
  });

  it('saving a stopped workout at once, or starting another, ends its undo window', async () => {
    const t = setup();
    await t.controller.init();
    await t.controller.start(plan);
    t.clock.advance(3_000);
    await t.controller.stopWithUndo();
    await t.controller.stop();
    expect(t.controller.status).toBe('finished');
    expect(t.controller.undoUntil).toBeNull();

    await t.controller.start(plan);
    const first = t.controller.sessionId!;
    t.clock.advance(3_000);
    await t.controller.stopWithUndo();
    await t.controller.start(plan);
    expect(t.controller.status).toBe('active');
    expect(t.controller.sessionId).not.toBe(first);
    expect(await t.storage.sessions.get(first)).toMatchObject({ status: 'finished' });
    await t.controller.stop();
  });

  it('a workout cut off during its undo window is resumed with the stop taken back', async () => {
    const t = setup();
    await t.controller.init();
    await t.controller.start(plan);
    t.clock.advance(3_000);
    await t.controller.stopWithUndo();
    const id = t.controller.sessionId!;
    // The tab dies during the window.
    t.controller.destroy();
    const storage = createStorage({ name: t.storage.db().name, now: t.clock.now });
    const again = new WorkoutController({
      storage,
      clock: t.clock,
      cues: fakeCuePlayer(),
      vibrator: fakeVibrator(),
      wakeLock: fakeWakeLock(),
      updates: { hold: () => () => {} },
      onError: () => {},
    });
    await again.init();
    expect(again.cutOff.map((s) => s.id)).toEqual([id]);
    t.clock.advance(2_000);
    await again.resumeCutOff(id);
    expect(again.status).toBe('active');
    expect(again.view).toMatchObject({ status: 'running', elapsedMs: 3_000 });
    expect((await storage.sessions.get(id))!.timer.stoppedAt).toBeNull();
    again.destroy();
  });

  it('mute cancels scheduled beeps and schedules none', async () => {
    const t = setup();
    await t.controller.init();
    await t.controller.setMuted(true);
    await t.controller.start(plan);
    t.clock.advance(5_000);
    expect(t.cues.scheduled).toEqual([]);
    expect((await t.storage.settings.cuePrefs()).muted).toBe(true);
    await t.controller.stop();
  });

  it('follows a class timer: silent, not commandable here, finished by the coach’s stop with the class’s intervals', async () => {
    const t = setup();
    await t.controller.init();
    const room = { id: 'room00000000001', name: 'Tuesday HIIT' };
    const offset = 5_000;
    // The class started 3 s ago by the server's clock: the recording picks up in the prepare phase.
    let roomTimer = startTimer(createTimer(plan), t.clock.now() + offset - 3_000).state;
    const anchor = t.clock.now();
    expect(await t.controller.startFollowing({ timer: recordingTimer(roomTimer, offset, anchor), room })).toBe(true);
    expect(t.controller.following).toEqual(room);
    expect(t.cues.unlocked).toBe(false);
    t.clock.advance(2_000);
    expect(t.cues.scheduled).toEqual([]);
    expect(t.vibrator.calls).toEqual([]);
    const v = t.controller.view!;
    expect(v.mode === 'intervals' && [v.phase.kind, v.phaseElapsedMs]).toEqual(['work', 3_000]);

    // The phone cannot pause a class; the coach can.
    await t.controller.pause();
    expect(t.controller.view!.status).toBe('running');
    roomTimer = pauseTimer(roomTimer, t.clock.now() + offset).state;
    await t.controller.follow(recordingTimer(roomTimer, offset, anchor));
    expect(t.controller.view!.status).toBe('paused');
    const row = await t.storage.sessions.get(t.controller.sessionId!);
    expect(row).toMatchObject({ title: 'Tuesday HIIT', room, plan: { name: 'Short' } });
    expect(row!.timer.pausedAt).toBe(t.clock.now());

    t.clock.advance(2_000);
    roomTimer = stopTimer(roomTimer, t.clock.now() + offset).state;
    await t.controller.follow(recordingTimer(roomTimer, offset, anchor));
    expect(t.controller.status).toBe('finished');
    expect(t.controller.following).toBeNull();
    const session = t.controller.lastSession!;
    expect(session.room).toEqual(room);
    expect(session.endedAt).toBe(t.clock.now());
    expect(session.summary!.intervals.map((i) => i.kind)).toEqual(['work']);
    expect(session.readingCount).toBeGreaterThanOrEqual(3);
  });

  it('a followed timer past its plan’s end, with no word from the room, finishes only after a grace period', async () => {
    const t = setup();
    await t.controller.init();
    const timer = startTimer(createTimer(plan), t.clock.now()).state;
    await t.controller.startFollowing({ timer, room: { id: 'room00000000001', name: 'Class' } });
    t.clock.advance(16_000); // the plan's 15 s are over
    expect(t.controller.view!.status).toBe('finished');
    expect(t.controller.status).toBe('active');
    t.clock.advance(CLASS_FINISH_GRACE_MS);
    await until(() => t.controller.status === 'finished');
    expect(t.controller.lastSession!.endedAt! - t.controller.lastSession!.startedAt).toBe(15_000);
  });

  it('a class workout cut off resumes still following its room, without waiting for audio', async () => {
    const t = setup();
    await t.controller.init();
    const room = { id: 'room00000000001', name: 'Class', runStartedAt: t.clock.now(), pastRunStartedAt: null };
    await t.controller.startFollowing({ timer: startTimer(createTimer(plan), t.clock.now()).state, room });
    t.clock.advance(3_000);
    await t.controller.flush();
    const cues = fakeCuePlayer();
    const again = new WorkoutController({
      storage: createStorage({ name: t.storage.db().name, now: t.clock.now }),
      clock: t.clock,
      cues,
      vibrator: fakeVibrator(),
      wakeLock: fakeWakeLock(),
      updates: { hold: () => () => {} },
      onError: () => {},
    });
    await again.init();
    expect(again.cutOff.map((s) => s.room)).toEqual([room]);
    await again.resumeCutOff(again.cutOff[0]!.id);
    expect(again.status).toBe('active');
    expect(again.following).toEqual(room);
    expect(cues.unlocked).toBe(false);
    await again.pause();
    expect(again.view!.status).toBe('running');
    t.controller.destroy();
    again.destroy();
  });
});
