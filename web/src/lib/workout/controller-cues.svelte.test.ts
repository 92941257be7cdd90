import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { IntervalPlan } from '$core/workout';
import { fakeClock } from '$lib/recording';
import { createStorage } from '$lib/storage';
import { fakeCuePlayer } from './cue-player';
import { WorkoutController } from './controller.svelte';
import { fakeSpeech } from './speech';
import { fakeVibrator, TARGET_VIBRATION } from './vibration';
import { fakeWakeLock } from './wake-lock';
import { fakeWorkoutStrap } from './workout-strap';

// prepare 5 s, then one 30 s work bout aiming at 140-160 bpm: work 5-35 s, the end at 35 s.
const plan: IntervalPlan = { v: 1, mode: 'intervals', name: 'Target', prepareMs: 5_000, blocks: [{ name: 'Main', workMs: 30_000, restMs: 10_000, rounds: 1, targetBpm: { min: 140, max: 160 } }] };

let n = 0;
function setup() {
  const clock = fakeClock();
  const storage = createStorage({ name: `ctl-cues-${n++}`, now: clock.now });
  const speech = fakeSpeech();
  const vibrator = fakeVibrator();
  const strap = fakeWorkoutStrap();
  const controller = new WorkoutController({ storage, clock, cues: fakeCuePlayer(), vibrator, speech, wakeLock: fakeWakeLock(), updates: { hold: () => () => {} }, tickMs: 100, onError: () => {} });
  controller.useStrap(strap);
  const hr = { bpm: 120 };
  clock.every(1_000, () => strap.emit({ type: 'reading', reading: { t: clock.now(), bpm: hr.bpm, contact: 'detected', energyKj: null, rr1024: [] } }));
  // Each utterance lasts 400 ms (the fake throws if one starts over another).
  let since = 0;
  clock.every(100, () => {
    if (!speech.speaking) since = 0;
    else if ((since += 100) >= 400) speech.finish();
  });
  return { clock, speech, vibrator, hr, controller };
}

describe('WorkoutController cues', () => {
  it('speaks phases, target changes (debounced) and the countdown in order, buzzes on leaving the target, and shows the status', async () => {
    const t = setup();
    await t.controller.init();
    await t.controller.start(plan);
    t.clock.advance(5_500);
    expect(t.controller.target).toMatchObject({ target: { kind: 'bpm', min: 140, max: 160 }, status: 'under' });
    t.hr.bpm = 150; // on target from 6 s: shown (and said) 5 s later
    t.clock.advance(3_000);
    expect(t.controller.target?.status).toBe('under');
    t.clock.advance(7_000);
    expect(t.controller.target?.status).toBe('on');
    t.hr.bpm = 175;
    t.clock.advance(8_000);
    expect(t.controller.target?.status).toBe('over');
    expect(t.vibrator.calls).toContainEqual(TARGET_VIBRATION);
    t.clock.advance(15_000);
    // The last utterance is queued behind a promise: wait for it, not for a guessed turn of the loop.
    await expect.poll(() => t.speech.said).toEqual(['Get ready', 'Work, target 140 to 160', 'On target', 'Ease off', '10 seconds']);
    expect(t.controller.target).toBeNull();
  });

  it('says nothing once speech is switched off, and the setting is saved', async () => {
    const t = setup();
    await t.controller.init();
    await t.controller.start(plan);
    t.clock.advance(500);
    expect(t.speech.said).toEqual(['Get ready']);
    await t.controller.setSpeech(false);
    t.clock.advance(40_000);
    expect(t.speech.said).toEqual(['Get ready']);
    expect(t.controller.prefs.speech).toBe(false);
  });
});
