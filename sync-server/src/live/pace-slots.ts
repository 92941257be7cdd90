import type { HrPaceState } from '../../../core/rooms';

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

/** A fresh state object (it dies young: paceHr reads it and returns another). */
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
