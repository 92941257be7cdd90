import type { HrMessage } from '../../../core/rooms';

/**
 * The hub's check of a heart-rate frame, the one frame type that comes thousands of times a
 * second (one per participant per second): the same rules as core/rooms/wire.ts `HrSchema`,
 * written out by hand. Through zod each frame cost about 1.6 KB of short-lived objects (a
 * quarter of all the server allocated per reading in bench/class-fanout.bench.ts, issue 14);
 * this allocates nothing and hands back the parsed object itself.
 *
 * It accepts exactly the values HrSchema accepts and returns them unchanged (a strict object,
 * so HrSchema's output has the same keys and values): hr-frame.test.ts checks the two against
 * each other on generated frames. Whatever it refuses goes through parseClientMessage, which
 * refuses it too, with zod's message.
 */
export function checkHrFrame(value: unknown): HrMessage | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const v = value as Record<string, unknown>;
  // A strict object: no key but these (JSON.parse makes only own, enumerable keys).
  let keys = 0;
  for (const k in v) {
    if (!Object.hasOwn(v, k)) continue;
    if (k !== 'type' && k !== 'bpm' && k !== 'kcal' && k !== 'points' && k !== 'participantId' && k !== 'seq' && k !== 't') return null;
    keys++;
  }
  if (keys === 0 || v.type !== 'hr') return null;
  if (!isInt(v.bpm) || v.bpm < 1 || v.bpm > 255) return null;
  if (v.kcal !== undefined && !(isNumber(v.kcal) && v.kcal >= 0 && v.kcal <= 100_000)) return null;
  if (v.points !== undefined && !(isInt(v.points) && v.points >= 0 && v.points <= 100_000)) return null;
  if (v.participantId !== undefined && !(typeof v.participantId === 'string' && ID.test(v.participantId))) return null;
  if (v.seq !== undefined && !(isInt(v.seq) && v.seq >= 0 && v.seq <= Number.MAX_SAFE_INTEGER)) return null;
  if (v.t !== undefined && !(isNumber(v.t) && v.t >= 0)) return null;
  if ((v.seq === undefined) !== (v.t === undefined)) return null;
  return value as HrMessage;
}

const ID = /^[a-z0-9]{15}$/;
/** zod 4's z.number(): finite numbers only (JSON.parse gives Infinity for 1e999). */
const isNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
/** zod 4's .int(): a safe integer. */
const isInt = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x);
