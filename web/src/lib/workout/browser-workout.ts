/** The workout controller wired to this browser: Web Audio, vibration, Wake Lock, real time. */
import { afterPaint, browserPageHide, systemClock } from '$lib/recording';
import type { Storage } from '$lib/storage';
import type { StrapController } from '$lib/strap/strap-controller.svelte';
import { webAudioCuePlayer } from './cue-player';
import { WorkoutController } from './controller.svelte';
import { browserSpeech } from './speech';
import { browserVibrator } from './vibration';
import { browserWakeLock } from './wake-lock';
import { workoutStrapFrom } from './workout-strap';

export function createBrowserWorkout(deps: { storage: Storage; updates: { hold(reason: string): () => void }; strap: StrapController }): WorkoutController {
  const workout = new WorkoutController({
    storage: deps.storage,
    clock: systemClock,
    cues: webAudioCuePlayer(),
    vibrator: browserVibrator(),
    speech: browserSpeech(),
    wakeLock: browserWakeLock(),
    updates: deps.updates,
    pageHide: browserPageHide(),
    // A reading's IndexedDB write starts after the frame that shows it (never more than 100 ms).
    scheduleWrite: afterPaint(),
  });
  workout.useStrap(workoutStrapFrom(deps.strap));
  return workout;
}
