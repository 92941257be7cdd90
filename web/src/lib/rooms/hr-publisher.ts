/**
 * A participant's phone → the room: the newest heart rate from the strap, at most once per
 * `intervalMs` (the server drops anything faster than ~1 Hz anyway), with calories so far by
 * Keytel 2005 when sex, weight and age are known. A reading inside a gap (0 bpm, no contact)
 * is never sent; a dropped live link just means `send` says false and the next tick tries again.
 */
import type { StrapEventSource } from '$core/heart-rate';
import { KJ_PER_KCAL, keytelKjPerMin, type KeytelInput } from '$core/workout';

export interface HrPublisherDeps {
  strap: StrapEventSource;
  send: (bpm: number, kcal: number | undefined) => boolean;
  person: KeytelInput | null;
  intervalMs?: number;
  setInterval?: (fn: () => void, ms: number) => unknown;
  clearInterval?: (handle: unknown) => void;
}

/** Longest stretch between two readings that still counts toward calories. */
const MAX_SEGMENT_MS = 5_000;

export function publishHeartRate(deps: HrPublisherDeps): () => void {
  let latest: { bpm: number; at: number } | null = null;
  let sentAt = -Infinity;
  let kcal = 0;
  const unsubscribe = deps.strap.subscribe((event) => {
    if (event.type === 'gap-start') {
      latest = null;
      return;
    }
    if (event.type !== 'reading') return;
    const { bpm, t } = event.reading;
    const valid = bpm > 0 && event.reading.contact !== 'not-detected';
    if (latest && deps.person) {
      const dt = Math.min(t - latest.at, MAX_SEGMENT_MS);
      if (dt > 0) kcal += (keytelKjPerMin(latest.bpm, deps.person) * dt) / 60_000 / KJ_PER_KCAL;
    }
    latest = valid ? { bpm, at: t } : null;
  });
  const set = deps.setInterval ?? ((f: () => void, ms: number) => globalThis.setInterval(f, ms));
  const clear = deps.clearInterval ?? ((h: unknown) => globalThis.clearInterval(h as number));
  const timer = set(() => {
    if (!latest || latest.at <= sentAt) return;
    if (deps.send(Math.round(latest.bpm), deps.person ? Math.round(kcal * 10) / 10 : undefined)) sentAt = latest.at;
  }, deps.intervalMs ?? 1_000);
  return () => {
    clear(timer);
    unsubscribe();
  };
}
