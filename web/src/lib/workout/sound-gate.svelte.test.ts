import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { IntervalPlan } from '$core/workout';
import { fakeClock } from '$lib/recording';
import { createStorage } from '$lib/storage';
import { fakeCuePlayer } from './cue-player';
import { WorkoutController } from './controller.svelte';
import { SoundGate } from './sound-gate.svelte';
import { fakeSpeech } from './speech';
import { fakeVibrator, LONG_VIBRATION, SHORT_VIBRATION } from './vibration';
import { fakeWakeLock } from './wake-lock';

// prepare 5 s, then 8 × (20 s work, 10 s rest).
const plan: IntervalPlan = { v: 1, mode: 'intervals', name: 'Tabata', prepareMs: 5_000, blocks: [{ name: 'Main', workMs: 20_000, restMs: 10_000, rounds: 8 }] };

let n = 0;

describe('sound after a workout resumed by itself', () => {
  it('asks for a tap when audio stays suspended, keeps buzzing meanwhile, and schedules beeps again from the tap', async () => {
    const clock = fakeClock();
    const name = `sound-gate-${n++}`;
    const deps = () => ({ clock, wakeLock: fakeWakeLock(), updates: { hold: () => () => {} }, tickMs: 100, onError: () => {} });
    const first = new WorkoutController({ ...deps(), storage: createStorage({ name, now: clock.now }), cues: fakeCuePlayer(), vibrator: fakeVibrator() });
    await first.init();
    await first.start(plan);
    expect(first.sound.blocked).toBe(false);
    clock.advance(2_000);
    await first.flush();

    // The reopened app: no gesture, so the fake audio stays locked (autoUnlock says false).
    const cues = fakeCuePlayer();
    const vibrator = fakeVibrator();
    const speech = fakeSpeech();
    const again = new WorkoutController({ ...deps(), storage: createStorage({ name, now: clock.now }), cues, vibrator, speech });
    await again.init();
    expect(again.status).toBe('active');
    await expect.poll(() => again.sound.blocked).toBe(true);
    expect(cues.unlocked).toBe(false);

    // Vibration is not held back: the end of the prepare phase (5 s) still buzzes.
    clock.advance(4_000);
    expect(vibrator.calls).toContainEqual(LONG_VIBRATION);
    expect(vibrator.calls).toContainEqual(SHORT_VIBRATION);

    // The tap: sound on, whatever was scheduled on the stopped clock cancelled, beeps from now on.
    const cancels = cues.cancels;
    const tapAt = clock.now();
    const before = cues.scheduled.length;
    await again.unlockSound();
    expect(again.sound.blocked).toBe(false);
    expect(cues.unlocked).toBe(true);
    expect(cues.cancels).toBe(cancels + 1);
    clock.advance(20_000);
    const after = cues.scheduled.slice(before);
    expect(after.length).toBeGreaterThan(0);
    expect(Math.min(...after.map((c) => c.at))).toBeGreaterThanOrEqual(tapAt);
    await again.stop();
    first.destroy();
    again.destroy();
  });

  it('asks for a tap when the browser refuses an utterance, and a check that ends after the tap changes nothing', async () => {
    const speech = fakeSpeech();
    const cues = fakeCuePlayer();
    let unlocked = 0;
    const gate = new SoundGate(cues, speech, () => unlocked++);
    speech.speak('Work', () => {});
    speech.refuse();
    expect(gate.blocked).toBe(true);
    await gate.unlock();
    expect(gate.blocked).toBe(false);
    expect(unlocked).toBe(1);

    // A check begun before a tap (its answer comes late) does not ask again afterwards.
    let answer: (on: boolean) => void = () => {};
    const slow = { ...fakeCuePlayer(), autoUnlock: () => new Promise<boolean>((r) => (answer = r)), unlock: async () => {} };
    const late = new SoundGate({ ...slow, autoUnlock: (ms?: number) => (ms === 100 ? Promise.resolve(true) : slow.autoUnlock()) }, undefined, () => {});
    const checked = late.check();
    await late.unlock();
    answer(false);
    await checked;
    expect(late.blocked).toBe(false);
  });

  it('unlocks speech (the silent utterance) and audio synchronously inside the tap: Start, and the first tap after a resume with no gesture', async () => {
    const clock = fakeClock();
    const name = `sound-gate-${n++}`;
    const deps = () => ({ clock, wakeLock: fakeWakeLock(), updates: { hold: () => () => {} }, tickMs: 100, onError: () => {} });
    // Start is a tap: before start() awaits anything, speech and audio are unlocked.
    const startSpeech = fakeSpeech();
    const startCues = fakeCuePlayer();
    const first = new WorkoutController({ ...deps(), storage: createStorage({ name, now: clock.now }), cues: startCues, vibrator: fakeVibrator(), speech: startSpeech });
    await first.init();
    const started = first.start(plan);
    expect(startSpeech.unlocks).toBe(1);
    expect(startCues.unlocked).toBe(true);
    await started;
    expect(first.sound.awaitingGesture).toBe(false);
    clock.advance(2_000);
    await first.flush();

    // Reopened with no gesture: the gate waits for the first tap, without speaking anything yet.
    const speech = fakeSpeech();
    const cues = fakeCuePlayer();
    const again = new WorkoutController({ ...deps(), storage: createStorage({ name, now: clock.now }), cues, vibrator: fakeVibrator(), speech });
    await again.init();
    expect(again.status).toBe('active');
    expect(again.sound.awaitingGesture).toBe(true);
    expect(speech.unlocks).toBe(0);
    // Any tap on the live screen (SoundPrompt's listener): inside the handler, before any await.
    const tapped = again.unlockSound();
    expect(speech.unlocks).toBe(1);
    expect(cues.unlocked).toBe(true);
    await tapped;
    expect(again.sound.awaitingGesture).toBe(false);
    expect(again.sound.blocked).toBe(false);
    await again.stop();
    first.destroy();
    again.destroy();
  });

  it('a tap the browser did not count keeps waiting for the next one', async () => {
    const speech = fakeSpeech();
    const locked = { ...fakeCuePlayer(), autoUnlock: async () => false, unlock: async () => {} };
    const gate = new SoundGate(locked, speech, () => {});
    await gate.check(0);
    expect(gate.awaitingGesture).toBe(true);
    expect(gate.blocked).toBe(true);
    await gate.unlock();
    expect(speech.unlocks).toBe(1);
    expect(gate.blocked).toBe(true);
    expect(gate.awaitingGesture).toBe(true);
  });
});
