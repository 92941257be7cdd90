/**
 * Compact binary encoding of a chunk of heart-rate readings (format version 1).
 *
 * Each column is predicted from what the decoder has already seen, the residual is zigzagged,
 * and the residual stream is entropy-coded. The header uses LEB128 varints; the columns use
 * Golomb-Rice codes with a per-column parameter k chosen by the encoder, because byte-granular
 * varints cost at least 8 bits per value and a 1 Hz reading has ~5 values (t, bpm, RR count,
 * ~2 RR), which cannot fit the 3-bytes-per-reading budget; Rice codes are the bit-granular
 * form of the same idea (Rice 1979, as in FLAC and lossless JPEG). docs/sync-protocol.md walks
 * through an example byte by byte.
 *
 * Layout (Δt = t − previous t; zz = zigzag; rice_k = Rice code with the column's k):
 *   u8      version (1)
 *   varint  n, the number of readings; if n = 0 the chunk ends here
 *   varint  t0, the first reading's time in ms
 *   varint  step, the nominal spacing in ms (median Δt clamped to [0, 65535])
 *   bits    MSB first, zero-padded to a whole byte:
 *     k        6 × 5 bits: Rice k for time, bpm, RR count, RR, energy gap, energy
 *     time     n−1 × rice(zz(Δt − step))
 *     bpm      16 bits first bpm, then n−1 × rice(zz(bpm − previous bpm))
 *     count    n × rice(zz(#RR − expected)), expected = round(bpm · Δt / 60000), Δt = step for i = 0
 *     rr       ΣRR × rice(zz(rr − predicted)), predicted by predictRr
 *     contact  runs until n readings are covered: 2-bit value (0 unsupported, 1 not-detected,
 *              2 detected), gamma(run length)
 *     energy   gamma(m + 1) for m present values; m × rice(zz(gap − previous gap)), where gap is
 *              the distance in readings from the previous present value (−1 and 1 initially);
 *              if m > 0: 16 bits first kJ, then m−1 × rice(zz(Δe − previous Δe)), Δe starting at 0
 *   Decoding rejects a chunk with bytes (or non-zero padding bits) after the last column.
 *
 * Units follow the Bluetooth SIG Heart Rate Service 1.0 §3.1.1: RR in 1/1024 s, energy in kJ,
 * both uint16; bpm up to uint16 (the 16-bit HR format).
 */
import { BitReader, BitWriter, DecodeFailure, RICE_K_BITS, bestRiceK, readVarint, unzigzag, writeVarint, zigzag } from './bit-io';

export type SensorContact = 'unsupported' | 'not-detected' | 'detected';

export interface Reading {
  /** Time in ms (epoch or session-relative), integer in [0, MAX_T]; need not be monotonic. */
  readonly t: number;
  /** Beats per minute, 0 marks a gap. */
  readonly bpm: number;
  /** RR intervals in 1/1024 s, in arrival order. */
  readonly rr1024: readonly number[];
  readonly contact: SensorContact;
  /** Cumulative energy expended in kJ, when the sensor sent it. */
  readonly energyKj: number | null;
}

export const SAMPLE_CODEC_VERSION = 1;
/** t ≤ 2^50 − 1 (year ~37600) keeps every zigzagged delta below 2^53. */
export const MAX_T = 2 ** 50 - 1;
export const MAX_UINT16 = 0xffff;
/** HRS sends at most 9 RR per notification at the default MTU; 64 leaves room for large MTUs. */
export const MAX_RR_PER_READING = 64;
export const MAX_READINGS_PER_CHUNK = 65_536;
const MAX_STEP = 0xffff;

export type SampleDecodeErrorCode =
  | 'empty'
  | 'unsupported_version'
  | 'truncated'
  | 'out_of_range'
  | 'too_many_readings'
  | 'trailing_data';

export interface SampleDecodeError {
  readonly code: SampleDecodeErrorCode;
  readonly message: string;
}

export type DecodeChunkResult =
  | { readonly ok: true; readonly readings: Reading[] }
  | { readonly ok: false; readonly error: SampleDecodeError };

const CONTACTS: readonly SensorContact[] = ['unsupported', 'not-detected', 'detected'];
const CONTACT_CODE: Record<SensorContact, number> = { unsupported: 0, 'not-detected': 1, detected: 2 };
const RR_UNITS_PER_MINUTE = 60 * 1024;

/** Returns why a reading cannot be encoded, or null when it can. */
export function invalidReadingReason(r: Reading): string | null {
  if (!Number.isInteger(r.t) || r.t < 0 || r.t > MAX_T) return `t must be an integer in [0, ${MAX_T}]`;
  if (!Number.isInteger(r.bpm) || r.bpm < 0 || r.bpm > MAX_UINT16) return 'bpm must be a uint16';
  if (r.rr1024.length > MAX_RR_PER_READING) return `at most ${MAX_RR_PER_READING} RR per reading`;
  if (!r.rr1024.every((v) => Number.isInteger(v) && v >= 0 && v <= MAX_UINT16)) return 'RR must be uint16';
  if (!(r.contact in CONTACT_CODE)) return 'unknown contact value';
  if (r.energyKj !== null && (!Number.isInteger(r.energyKj) || r.energyKj < 0 || r.energyKj > MAX_UINT16)) {
    return 'energyKj must be a uint16 or null';
  }
  return null;
}

/** Beats expected in Δt at this bpm: the RR count is coded relative to it. */
function expectedRrCount(bpm: number, dt: number): number {
  if (bpm === 0 || dt <= 0) return 0;
  return Math.min(MAX_RR_PER_READING, Math.round((bpm * dt) / 60_000));
}

/**
 * Predicts an RR interval as the mean of the previous RR and the interval implied by the
 * reading's bpm. Sensors derive bpm from recent beats, so 61440/bpm tracks the mean RR, while
 * the previous RR carries the beat-to-beat correlation of real HRV (respiratory sinus
 * arrhythmia); on independent ±3 % noise the blend costs ~0.2 bit per RR over the bpm-only
 * predictor and ~0.5 bit less than a plain delta from the previous RR.
 */
function predictRr(previousRr: number | null, bpm: number): number {
  const fromBpm = bpm > 0 ? Math.round(RR_UNITS_PER_MINUTE / bpm) : null;
  if (previousRr === null) return fromBpm ?? 0;
  if (fromBpm === null) return previousRr;
  return Math.floor((previousRr + fromBpm) / 2);
}

function medianStep(readings: readonly Reading[]): number {
  if (readings.length < 2) return 0;
  const deltas: number[] = [];
  for (let i = 1; i < readings.length; i++) deltas.push(readings[i]!.t - readings[i - 1]!.t);
  deltas.sort((a, b) => a - b);
  const median = deltas[deltas.length >> 1]!;
  return Math.min(MAX_STEP, Math.max(0, median));
}

/** Splits a column into runs of equal values: [value, length][]. */
function runs(values: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  for (const v of values) {
    const last = out[out.length - 1];
    if (last && last[0] === v) last[1]++;
    else out.push([v, 1]);
  }
  return out;
}

/** Positions of present energy values as gaps, coded against the previous gap (periodic → 0). */
function energyColumns(readings: readonly Reading[]): { gaps: number[]; values: number[]; first: number | null } {
  const gaps: number[] = [];
  const values: number[] = [];
  let first: number | null = null;
  let lastIndex = -1;
  let prevGap = 1;
  let prevEnergy = 0;
  let prevDelta = 0;
  readings.forEach((r, i) => {
    if (r.energyKj === null) return;
    const gap = i - lastIndex;
    gaps.push(zigzag(gap - prevGap));
    prevGap = gap;
    lastIndex = i;
    if (first === null) first = r.energyKj;
    else {
      // Energy is cumulative and grows at a near-constant rate, so code the change in its slope.
      const delta = r.energyKj - prevEnergy;
      values.push(zigzag(delta - prevDelta));
      prevDelta = delta;
    }
    prevEnergy = r.energyKj;
  });
  return { gaps, values, first };
}

/**
 * Encodes readings into a version-1 chunk. Throws RangeError when a reading is outside the
 * domain documented on Reading: readings come from the validated Bluetooth parser, so that is
 * a programming error, not an expected outcome.
 */
export function encodeChunk(readings: readonly Reading[]): Uint8Array {
  if (readings.length > MAX_READINGS_PER_CHUNK) throw new RangeError(`more than ${MAX_READINGS_PER_CHUNK} readings`);
  readings.forEach((r, i) => {
    const reason = invalidReadingReason(r);
    if (reason) throw new RangeError(`reading ${i}: ${reason}`);
  });
  const head: number[] = [SAMPLE_CODEC_VERSION];
  writeVarint(head, readings.length);
  const first = readings[0];
  if (first === undefined) return Uint8Array.from(head);

  const step = medianStep(readings);
  const time: number[] = [];
  const bpm: number[] = [];
  const count: number[] = [];
  const rr: number[] = [];
  let prevRr: number | null = null;
  readings.forEach((r, i) => {
    const prev = readings[i - 1];
    const dt = prev ? r.t - prev.t : step;
    if (prev) {
      time.push(zigzag(dt - step));
      bpm.push(zigzag(r.bpm - prev.bpm));
    }
    count.push(zigzag(r.rr1024.length - expectedRrCount(r.bpm, dt)));
    for (const v of r.rr1024) {
      rr.push(zigzag(v - predictRr(prevRr, r.bpm)));
      prevRr = v;
    }
  });
  const energy = energyColumns(readings);
  writeVarint(head, first.t);
  writeVarint(head, step);

  const columns = [time, bpm, count, rr, energy.gaps, energy.values];
  const ks = columns.map(bestRiceK);
  const w = new BitWriter();
  for (const k of ks) w.bits(k, RICE_K_BITS);
  const [kTime, kBpm, kCount, kRr, kGap, kEnergy] = ks as [number, number, number, number, number, number];
  for (const v of time) w.rice(v, kTime);
  w.bits(first.bpm, 16);
  for (const v of bpm) w.rice(v, kBpm);
  for (const v of count) w.rice(v, kCount);
  for (const v of rr) w.rice(v, kRr);
  for (const [value, length] of runs(readings.map((r) => CONTACT_CODE[r.contact]))) {
    w.bits(value, 2);
    w.gamma(length);
  }
  w.gamma(energy.gaps.length + 1);
  for (const v of energy.gaps) w.rice(v, kGap);
  if (energy.first !== null) w.bits(energy.first, 16);
  for (const v of energy.values) w.rice(v, kEnergy);

  return Uint8Array.from([...head, ...w.finish()]);
}

function fail(code: SampleDecodeErrorCode, message: string): DecodeChunkResult {
  return { ok: false, error: { code, message } };
}

function readContacts(reader: BitReader, n: number): number[] {
  const out: number[] = [];
  while (out.length < n) {
    const value = checkRange(reader.bits(2), 0, 2, 'contact');
    const length = reader.gamma();
    if (length > n - out.length) throw new DecodeFailure('out_of_range', 'contact run longer than the chunk');
    for (let i = 0; i < length; i++) out.push(value);
  }
  return out;
}

function readEnergy(reader: BitReader, n: number, kGap: number, kEnergy: number): (number | null)[] {
  const out: (number | null)[] = new Array<number | null>(n).fill(null);
  const present = reader.gamma() - 1;
  if (present > n) throw new DecodeFailure('out_of_range', `${present} energy values in ${n} readings`);
  const positions: number[] = [];
  let index = -1;
  let prevGap = 1;
  for (let j = 0; j < present; j++) {
    const gap = prevGap + unzigzag(reader.rice(kGap));
    index += gap;
    if (gap < 1 || index >= n) throw new DecodeFailure('out_of_range', `energy position ${index}`);
    positions.push(index);
    prevGap = gap;
  }
  let prevEnergy = 0;
  let prevDelta = 0;
  positions.forEach((position, j) => {
    let energy: number;
    if (j === 0) energy = reader.bits(16);
    else {
      const delta = prevDelta + unzigzag(reader.rice(kEnergy));
      energy = checkRange(prevEnergy + delta, 0, MAX_UINT16, 'energyKj');
      prevDelta = delta;
    }
    out[position] = energy;
    prevEnergy = energy;
  });
  return out;
}

function checkRange(value: number, min: number, max: number, what: string): number {
  if (value < min || value > max) throw new DecodeFailure('out_of_range', `${what} ${value} outside [${min}, ${max}]`);
  return value;
}

function decodeBody(bytes: Uint8Array): DecodeChunkResult {
  const pos = { offset: 1 };
  const n = readVarint(bytes, pos);
  if (n === 0) {
    return pos.offset === bytes.length ? { ok: true, readings: [] } : fail('trailing_data', 'bytes after an empty chunk');
  }
  if (n > MAX_READINGS_PER_CHUNK) return fail('too_many_readings', `chunk claims ${n} readings`);
  const t0 = checkRange(readVarint(bytes, pos), 0, MAX_T, 't0');
  const step = checkRange(readVarint(bytes, pos), 0, MAX_STEP, 'step');
  const reader = new BitReader(bytes, pos.offset);
  // Every reading costs at least one bit in the RR-count column; refuse to allocate for more.
  if (n > reader.remainingBits) return fail('truncated', `chunk claims ${n} readings in ${reader.remainingBits} bits`);
  const ks: number[] = [];
  for (let i = 0; i < 6; i++) ks.push(reader.bits(RICE_K_BITS));
  const [kTime, kBpm, kCount, kRr, kGap, kEnergy] = ks as [number, number, number, number, number, number];

  const ts: number[] = [t0];
  for (let i = 1; i < n; i++) {
    const t = ts[i - 1]! + step + unzigzag(reader.rice(kTime));
    ts.push(checkRange(t, 0, MAX_T, 't'));
  }
  const bpms: number[] = [reader.bits(16)];
  for (let i = 1; i < n; i++) {
    bpms.push(checkRange(bpms[i - 1]! + unzigzag(reader.rice(kBpm)), 0, MAX_UINT16, 'bpm'));
  }
  const counts: number[] = [];
  for (let i = 0; i < n; i++) {
    const dt = i === 0 ? step : ts[i]! - ts[i - 1]!;
    const c = expectedRrCount(bpms[i]!, dt) + unzigzag(reader.rice(kCount));
    counts.push(checkRange(c, 0, MAX_RR_PER_READING, 'RR count'));
  }
  let prevRr: number | null = null;
  const rrs: number[][] = counts.map((c, i) => {
    const list: number[] = [];
    for (let j = 0; j < c; j++) {
      const v = checkRange(predictRr(prevRr, bpms[i]!) + unzigzag(reader.rice(kRr)), 0, MAX_UINT16, 'RR');
      list.push(v);
      prevRr = v;
    }
    return list;
  });
  const contacts = readContacts(reader, n);
  const energies = readEnergy(reader, n, kGap, kEnergy);
  if (!reader.atPaddedEnd()) return fail('trailing_data', 'bytes after the last column');

  const readings: Reading[] = ts.map((t, i) => ({
    t,
    bpm: bpms[i]!,
    rr1024: rrs[i]!,
    contact: CONTACTS[contacts[i]!]!,
    energyKj: energies[i]!,
  }));
  return { ok: true, readings };
}

/** Decodes and validates a chunk; corrupt input yields an error value, never an exception. */
export function decodeChunk(bytes: Uint8Array): DecodeChunkResult {
  if (bytes.length === 0) return fail('empty', 'no bytes');
  if (bytes[0] !== SAMPLE_CODEC_VERSION) return fail('unsupported_version', `version ${bytes[0]}`);
  try {
    return decodeBody(bytes);
  } catch (e) {
    if (e instanceof DecodeFailure) return fail(e.code, e.message);
    throw e;
  }
}

/** Hex SHA-256 of the encoded bytes: the chunk's content address on the wire. */
export async function hashChunk(bytes: Uint8Array, subtle: SubtleCrypto = globalThis.crypto.subtle): Promise<string> {
  const digest = new Uint8Array(await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}
