import type { HrPaceRule, HrPaceState } from '../../../core/rooms';

/**
 * A socket's heart-rate pacing state (core/rooms/hr-pacing.ts) kept in a Float64Array.
 *
 * The state is written once a second per socket with epoch-millisecond numbers, too large for
 * V8's small integers. Kept in a plain object (made by a spread copy, `offset` starting as null),
 * V8 held those fields as pointers to numbers of their own, so each write allocated a number
 * that lived until the socket's next reading, about a second: at class scale (3 000 readings a
 * second, bench/class-fanout.bench.ts) they were alive at every scavenge and were copied and
 * promoted (`Object.assign` was a tenth of what outlived a scavenge in its allocation profile,
 * issue 14). A Float64Array holds the numbers themselves: writing one allocates nothing.
 * `offset`'s null is kept as NaN (never a real offset: it is a difference of two finite times).
 */
export type PaceSlots = Float64Array;

const LAST_SEQ = 0;
const LAST_T = 1;
const LAST_AT = 2;
const OFFSET = 3;
const TOKENS = 4;
const TOKENS_AT = 5;

export function paceSlots(state: HrPaceState): PaceSlots {
  const slots = new Float64Array(6);
  writePace(slots, state);
  return slots;
}

export function writePace(slots: PaceSlots, state: HrPaceState): void {
  slots[LAST_SEQ] = state.lastSeq;
  slots[LAST_T] = state.lastT;
  slots[LAST_AT] = state.lastAt;
  slots[OFFSET] = state.offset ?? NaN;
  slots[TOKENS] = state.tokens;
  slots[TOKENS_AT] = state.tokensAt;
}

/** The state as a fresh object (the tests hold it against paceHr's). */
export function readPace(slots: PaceSlots): HrPaceState {
  const offset = slots[OFFSET]!;
  return {
    lastSeq: slots[LAST_SEQ]!,
    lastT: slots[LAST_T]!,
    lastAt: slots[LAST_AT]!,
    offset: Number.isNaN(offset) ? null : offset,
    tokens: slots[TOKENS]!,
    tokensAt: slots[TOKENS_AT]!,
  };
}

/**
 * paceHr (core/rooms/hr-pacing.ts) on the socket's slots, in place: the same rules, the same
 * state after every frame and the same `at` (pace-slots.test.ts runs both over random streams
 * of frames), without the state objects and the outcome paceHr builds per reading, nor
 * readPace's copy. In an allocation profile of a bench/class-fanout.bench.ts window
 * (ALLOC_PROF_DIR, 4 Dec 2026) the hub's `heartRate` (these, the event and the memo) and
 * `readPace` allocated a fifth of all the sync server did (112 of 539 MB sampled; issue 14), and
 * every byte a reading allocates brings the next scavenge nearer.
 * Returns the accepted reading's server time `at`, or NaN when the frame is dropped.
 */
export function paceInSlots(slots: PaceSlots, msg: { seq?: number; t?: number }, serverNow: number, rule: HrPaceRule): number {
  const refilled = Math.min(rule.burst, slots[TOKENS]! + Math.max(0, serverNow - slots[TOKENS_AT]!) / rule.minIntervalMs);
  // A dropped frame still spends the refill's time (paceHr's `base` state).
  slots[TOKENS] = refilled;
  slots[TOKENS_AT] = serverNow;
  if (msg.seq !== undefined && msg.seq <= slots[LAST_SEQ]!) return NaN;
  const t = msg.t ?? serverNow;
  if (t - slots[LAST_T]! < rule.minIntervalMs) return NaN;
  if (refilled < 1) return NaN;
  const known = slots[OFFSET]!; // NaN: none yet (paceHr's null)
  const offset = msg.t === undefined ? 0 : Math.min(Number.isNaN(known) ? Infinity : known, serverNow - t);
  const at = Math.round(Math.max(Math.min(serverNow, t + offset), slots[LAST_AT]!));
  if (msg.seq !== undefined) slots[LAST_SEQ] = msg.seq;
  slots[LAST_T] = t;
  slots[LAST_AT] = at;
  if (msg.t !== undefined) slots[OFFSET] = offset;
  slots[TOKENS] = refilled - 1;
  return at;
}
