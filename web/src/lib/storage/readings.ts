/**
 * Readings as stored: the strap's decoded measurement with its receive time, packed into chunk
 * rows with core/sync's sample codec. `RecordedReading` is assignable to core/workout `Reading`.
 */
import { decodeChunk, encodeChunk, MAX_RR_PER_READING, MAX_T, MAX_UINT16, type Reading as CodecReading } from '$core/sync';
import type { SensorContact } from '$core/heart-rate';

export interface RecordedReading {
  t: number;
  bpm: number;
  rr1024: number[];
  contact: SensorContact;
  energyKj: number | null;
}

const clampInt = (value: number, max: number): number => Math.min(max, Math.max(0, Math.round(value)));

/**
 * Bring a reading inside what the codec can hold (integer ms, uint16 fields, at most
 * MAX_RR_PER_READING RR), so a malformed notification never makes a whole chunk unwritable.
 */
export function normalizeReading(r: RecordedReading): RecordedReading {
  return {
    t: clampInt(r.t, MAX_T),
    bpm: clampInt(r.bpm, MAX_UINT16),
    rr1024: r.rr1024.slice(0, MAX_RR_PER_READING).map((rr) => clampInt(rr, MAX_UINT16)),
    contact: r.contact,
    energyKj: r.energyKj === null ? null : clampInt(r.energyKj, MAX_UINT16),
  };
}

export function encodeReadings(readings: readonly RecordedReading[]): Uint8Array {
  return encodeChunk(readings);
}

/** Decoded readings, or null when the bytes are corrupt. */
export function decodeReadings(bytes: Uint8Array): RecordedReading[] | null {
  const result = decodeChunk(bytes);
  if (!result.ok) return null;
  return result.readings.map((r: CodecReading) => ({ t: r.t, bpm: r.bpm, rr1024: [...r.rr1024], contact: r.contact, energyKj: r.energyKj }));
}
