/**
 * The spoken-cue queue: which cue to say now, so that cues never talk over each other or over
 * the beeps. Pure: the caller feeds it cues (`enqueue`), the time and the beeps' windows
 * (`step`), and tells it when an utterance ended (`ended`); it answers with actions to perform
 * (speak this, cancel that).
 *
 * Rules:
 * - One utterance at a time. The next starts only after the last one ended.
 * - Priority: phase change (3) > "10 seconds" and target hints (2) > "Halfway" (1); among equals
 *   the earlier first. A due cue of higher priority pre-empts the one being spoken (a phase
 *   change cuts a countdown short); an equal or lower one waits.
 * - Stale cues are dropped, never said late: each kind has a time to live (CUE_TTL_MS), a phase
 *   change drops every cue due before it (they belong to the phase that ended), and a newer
 *   target hint replaces a waiting one (only the latest state matters).
 * - Beeps win over speech: no utterance starts inside a beep window, nor when its estimated
 *   length (speechEstimateMs) would run into the next beep; one still speaking when a beep
 *   window opens is cancelled (the estimate was short).
 * - An utterance whose end never comes (a platform that drops the event) is given up after
 *   twice its estimate plus 2 s.
 */
import type { SpokenCue, SpokenKind } from './cues';

export const CUE_PRIORITY: Record<SpokenKind, number> = { phase: 3, countdown: 2, target: 2, halfway: 1 };

/** How long after its time a cue may still be said. */
export const CUE_TTL_MS: Record<SpokenKind, number> = { phase: 3_000, countdown: 1_500, target: 5_000, halfway: 4_000 };

/** A rough length of an utterance at the default rate (about 14 characters a second). */
export function speechEstimateMs(text: string): number {
  return 300 + 70 * text.length;
}

/** A span of wall time when a beep sounds, margins included. */
export interface BeepWindow {
  start: number;
  end: number;
}

export interface CueQueue {
  /** Waiting cues, in no particular order. */
  pending: readonly SpokenCue[];
  speaking: { cue: SpokenCue; startedAt: number } | null;
  /** Ids already accepted (spoken, waiting or dropped), so a cue listed again is not said twice. */
  seen: readonly string[];
}

export type CueAction = { type: 'speak'; cue: SpokenCue } | { type: 'cancel'; cue: SpokenCue; reason: 'pre-empted' | 'beep' | 'timeout' | 'cleared' };

export const EMPTY_CUE_QUEUE: CueQueue = { pending: [], speaking: null, seen: [] };

/** How many ids `seen` keeps: far more than the cues of a few minutes. */
const SEEN_LIMIT = 200;

const expired = (cue: SpokenCue, now: number) => now > cue.at + CUE_TTL_MS[cue.kind];
const better = (a: SpokenCue, b: SpokenCue) => CUE_PRIORITY[a.kind] - CUE_PRIORITY[b.kind] || b.at - a.at;
const inWindow = (t: number, beeps: readonly BeepWindow[]) => beeps.some((w) => t >= w.start && t < w.end);

/** Add cues (already-seen ids are ignored). */
export function enqueue(queue: CueQueue, cues: readonly SpokenCue[]): CueQueue {
  let pending = [...queue.pending];
  const seen = [...queue.seen];
  for (const cue of cues) {
    if (seen.includes(cue.id)) continue;
    seen.push(cue.id);
    if (cue.kind === 'phase') pending = pending.filter((p) => p.at >= cue.at);
    if (cue.kind === 'target') pending = pending.filter((p) => p.kind !== 'target');
    pending.push(cue);
  }
  return { ...queue, pending, seen: seen.slice(-SEEN_LIMIT) };
}

/** The utterance `id` ended (or failed): the queue may speak the next one. */
export function ended(queue: CueQueue, id: string): CueQueue {
  return queue.speaking?.cue.id === id ? { ...queue, speaking: null } : queue;
}

/** Drop everything (pause, skip, stop, speech switched off); cancels what is being said. */
export function clearQueue(queue: CueQueue): { queue: CueQueue; actions: CueAction[] } {
  const actions: CueAction[] = queue.speaking ? [{ type: 'cancel', cue: queue.speaking.cue, reason: 'cleared' }] : [];
  return { queue: { pending: [], speaking: null, seen: queue.seen }, actions };
}

/** What to do at `now`, given the beep windows around it. */
export function step(queue: CueQueue, now: number, beeps: readonly BeepWindow[] = []): { queue: CueQueue; actions: CueAction[] } {
  const actions: CueAction[] = [];
  let pending = queue.pending.filter((c) => !expired(c, now));
  let speaking = queue.speaking;
  const due = pending.filter((c) => c.at <= now);
  const best = due.reduce<SpokenCue | null>((b, c) => (b === null || better(c, b) > 0 ? c : b), null);

  if (speaking) {
    const s = speaking;
    const reason = inWindow(now, beeps)
      ? 'beep'
      : now - s.startedAt > 2 * speechEstimateMs(s.cue.text) + 2_000
        ? 'timeout'
        : best && CUE_PRIORITY[best.kind] > CUE_PRIORITY[s.cue.kind]
          ? 'pre-empted'
          : null;
    if (reason === null) return { queue: { ...queue, pending }, actions };
    actions.push({ type: 'cancel', cue: s.cue, reason });
    speaking = null;
  }

  if (best && !inWindow(now, beeps)) {
    const finish = now + speechEstimateMs(best.text);
    const collides = beeps.some((w) => w.start >= now && w.start < finish);
    if (!collides) {
      pending = pending.filter((c) => c !== best);
      speaking = { cue: best, startedAt: now };
      actions.push({ type: 'speak', cue: best });
    }
  }
  return { queue: { ...queue, pending, speaking }, actions };
}
