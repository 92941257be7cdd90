/**
 * Hybrid logical clock (Kulkarni, Demirbas, Madappa, Avva, Leone: "Logical Physical Clocks and
 * Consistent Snapshots in Globally Distributed Databases", OPODIS 2014,
 * https://cse.buffalo.edu/tech-reports/2014-04.pdf), shaped after Actual Budget's
 * packages/crdt/src/crdt/timestamp.ts but with the clock passed in rather than a module singleton.
 *
 * A timestamp is (ms, counter, deviceId). `ms` is the largest physical time seen so far, `counter`
 * orders events within that millisecond, and `deviceId` breaks ties so two devices never produce
 * equal timestamps. HLCs order field edits for last-writer-wins; they are never used as sync
 * cursors (the server assigns those, see docs/sync-protocol.md).
 *
 * String form, lexicographically sortable in the same order as compareHlc:
 *   <ms: 15 decimal digits, zero-padded>-<counter: 4 lowercase hex digits>-<deviceId>
 *   e.g. 001700000000000-0000-phone-a1 and 001700000000000-001f-watch-b2
 * Fixed widths make string order equal numeric order; deviceId uses [A-Za-z0-9_-] only, so the
 * string form has exactly one spelling per timestamp.
 *
 * Invariants:
 * - send and receive return a timestamp strictly greater than the local one (monotonic even if
 *   the wall clock goes backwards: a skewed-slow clock only makes `counter` work harder).
 * - hlcReceive refuses a remote timestamp more than maxDriftMs ahead of local wall time
 *   (clock_drift), so one device with a clock set to next year cannot drag every later edit
 *   into its future. hlcSend has no drift check: the local state was accepted earlier, and
 *   refusing local edits after the wall clock is set back would only lock the user out.
 *   The server applies the same bound to pushed timestamps against its own clock.
 * - counter ≤ 0xffff; more than 65536 events within one millisecond is refused (counter_overflow).
 */

export interface Hlc {
  readonly ms: number;
  readonly counter: number;
  readonly deviceId: string;
}

export type HlcString = string;

export type HlcErrorCode = 'clock_drift' | 'counter_overflow' | 'invalid_time' | 'invalid_hlc';

export interface HlcError {
  readonly code: HlcErrorCode;
  readonly message: string;
}

export type HlcResult = { readonly ok: true; readonly hlc: Hlc } | { readonly ok: false; readonly error: HlcError };

export const HLC_MAX_MS = 999_999_999_999_999; // 15 digits, year ~33658
export const HLC_MAX_COUNTER = 0xffff;
/**
 * How far ahead of local wall time a received timestamp may be. Five minutes tolerates phones
 * whose clocks are set by hand, while still refusing clocks that are hours or years off.
 */
export const DEFAULT_MAX_DRIFT_MS = 5 * 60_000;
export const DEVICE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const HLC_PATTERN = /^(\d{15})-([0-9a-f]{4})-([A-Za-z0-9_-]{1,64})$/;

export interface HlcOptions {
  readonly maxDriftMs?: number;
}

const ok = (hlc: Hlc): HlcResult => ({ ok: true, hlc });
const err = (code: HlcErrorCode, message: string): HlcResult => ({ ok: false, error: { code, message } });

function checkNow(now: number): HlcResult | null {
  return Number.isInteger(now) && now >= 0 && now <= HLC_MAX_MS ? null : err('invalid_time', `bad wall time ${now}`);
}

/** The clock of a device that has not issued anything yet. */
export function hlcZero(deviceId: string): Hlc {
  return { ms: 0, counter: 0, deviceId };
}

function finish(ms: number, counter: number, deviceId: string): HlcResult {
  if (ms > HLC_MAX_MS) return err('invalid_time', `timestamp ${ms} beyond ${HLC_MAX_MS}`);
  if (counter > HLC_MAX_COUNTER) return err('counter_overflow', `more than ${HLC_MAX_COUNTER + 1} events in ms ${ms}`);
  return ok({ ms, counter, deviceId });
}

/** Stamps a local event (an edit, a delete). Paper, Fig. 5, "Send or local event". */
export function hlcSend(local: Hlc, now: number): HlcResult {
  const bad = checkNow(now);
  if (bad) return bad;
  const ms = Math.max(local.ms, now);
  const counter = ms === local.ms ? local.counter + 1 : 0;
  return finish(ms, counter, local.deviceId);
}

/**
 * The drift bound alone, for a peer that stores timestamps without keeping a clock of its own
 * (the sync server checks pushed edits with it against its wall time). Null when acceptable.
 */
export function checkHlcDrift(remote: Hlc, now: number, options: HlcOptions = {}): HlcError | null {
  const maxDriftMs = options.maxDriftMs ?? DEFAULT_MAX_DRIFT_MS;
  if (remote.ms - now <= maxDriftMs) return null;
  return { code: 'clock_drift', message: `${remote.deviceId} is ${remote.ms - now} ms ahead of ${now} (max ${maxDriftMs})` };
}

/** Advances the local clock past a remote timestamp. Paper, Fig. 5, "Receive event of message m". */
export function hlcReceive(local: Hlc, remote: Hlc, now: number, options: HlcOptions = {}): HlcResult {
  const bad = checkNow(now);
  if (bad) return bad;
  const drift = checkHlcDrift(remote, now, options);
  if (drift) return { ok: false, error: drift };
  const ms = Math.max(local.ms, remote.ms, now);
  let counter: number;
  if (ms === local.ms && ms === remote.ms) counter = Math.max(local.counter, remote.counter) + 1;
  else if (ms === local.ms) counter = local.counter + 1;
  else if (ms === remote.ms) counter = remote.counter + 1;
  else counter = 0;
  return finish(ms, counter, local.deviceId);
}

function compareStrings(a: string, b: string): -1 | 0 | 1 {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Total order: ms, then counter, then deviceId (UTF-16 code units, as string comparison). */
export function compareHlc(a: Hlc, b: Hlc): -1 | 0 | 1 {
  if (a.ms !== b.ms) return a.ms < b.ms ? -1 : 1;
  if (a.counter !== b.counter) return a.counter < b.counter ? -1 : 1;
  return compareStrings(a.deviceId, b.deviceId);
}

/** Compares string forms; equal to compareHlc on the parsed values. */
export function compareHlcStrings(a: HlcString, b: HlcString): -1 | 0 | 1 {
  return compareStrings(a, b);
}

export function formatHlc(hlc: Hlc): HlcString {
  return `${String(hlc.ms).padStart(15, '0')}-${hlc.counter.toString(16).padStart(4, '0')}-${hlc.deviceId}`;
}

export function parseHlc(text: string): HlcResult {
  const m = HLC_PATTERN.exec(text);
  if (!m) return err('invalid_hlc', `not an HLC string: ${JSON.stringify(text.slice(0, 100))}`);
  return ok({ ms: Number(m[1]), counter: parseInt(m[2]!, 16), deviceId: m[3]! });
}

export function isValidHlc(hlc: Hlc): boolean {
  return (
    Number.isInteger(hlc.ms) &&
    hlc.ms >= 0 &&
    hlc.ms <= HLC_MAX_MS &&
    Number.isInteger(hlc.counter) &&
    hlc.counter >= 0 &&
    hlc.counter <= HLC_MAX_COUNTER &&
    DEVICE_ID_PATTERN.test(hlc.deviceId)
  );
}
