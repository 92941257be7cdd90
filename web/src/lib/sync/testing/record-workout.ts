/** Test helper: records a finished workout through the real recorder (and so the real outbox). */
import { createTimer, startTimer, stopwatchPlan, type Profile } from '$core/workout';
import { startRecording } from '$lib/recording/recorder';
import type { Clock } from '$lib/recording/clock';
import type { SessionRow, Storage } from '$lib/storage';

const PROFILE: Profile = { age: 30, sex: 'male', weightKg: 75, restingHr: 55, maxHrMethod: 'tanaka', zoneModel: 'percent-max' };

export interface RecordOptions {
  /** Wall time of the start; readings follow at 1 Hz. */
  startedAt: number;
  readings: number;
  title?: string;
  /** Seeds the heart-rate pattern so sessions differ. */
  seed?: number;
}

export async function recordWorkout(storage: Storage, now: () => number, opts: RecordOptions): Promise<SessionRow> {
  const clock: Clock = { now, every: () => () => {} };
  const plan = { ...stopwatchPlan(), name: opts.title ?? 'Stopwatch' };
  const timer = startTimer(createTimer(plan), opts.startedAt).state;
  const rec = await startRecording({ db: storage.db, sessions: storage.sessions, clock, onError: () => {} }, { plan, timer, source: 'simulated', title: opts.title });
  const seed = opts.seed ?? 0;
  for (let i = 0; i < opts.readings; i++) {
    const bpm = 90 + ((i * 7 + seed * 13) % 80);
    rec.sink({ type: 'reading', reading: { t: opts.startedAt + i * 1000 + (seed % 7), bpm, contact: 'detected', energyKj: null, rr1024: [Math.round((60_000 / bpm) * 1.024)] } });
  }
  const stopped = { ...timer, stoppedAt: opts.startedAt + opts.readings * 1000 };
  return rec.finish(stopped, PROFILE, false);
}
