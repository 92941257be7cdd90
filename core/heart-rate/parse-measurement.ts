import { HEART_RATE_MEASUREMENT_UUID16 } from './gatt-uuids';
import {
  FLAG_CONTACT_DETECTED,
  FLAG_CONTACT_SUPPORTED,
  FLAG_ENERGY_EXPENDED,
  FLAG_HR_UINT16,
  FLAG_RR_INTERVALS,
  type HeartRateMeasurement,
  type SensorContact,
} from './measurement';
import { HeartRateParseError } from './parse-error';

/**
 * Decodes a Heart Rate Measurement notification (HRS 1.0 §3.1). Layout, all little-endian:
 *
 *   flags u8 | heart rate u8 or u16 (bit 0) | energy expended u16 kJ (bit 3) | RR u16 * n (bit 4)
 *
 * Flag bits 5-7 are "Reserved for future use" and ignored. The number of RR intervals "is
 * determined by ... the overall length of the characteristic": 9 fit a 20-byte payload at the
 * default ATT_MTU of 23, more after an MTU exchange, so there is no cap. An odd trailing byte cannot be an RR and is dropped.
 * Bytes past the fields the flags announce are likewise ignored.
 */
export function parseHeartRateMeasurement(data: DataView): HeartRateMeasurement | HeartRateParseError {
  if (data.byteLength < 1) return tooShort('empty value: no flags byte', 1, 0);
  const flags = data.getUint8(0);
  let offset = 1;

  const hrBytes = flags & FLAG_HR_UINT16 ? 2 : 1;
  if (data.byteLength < offset + hrBytes) {
    return tooShort(`flags 0x${hex(flags)} announce a uint${hrBytes * 8} heart rate`, offset + hrBytes, data.byteLength);
  }
  const bpm = hrBytes === 2 ? data.getUint16(offset, true) : data.getUint8(offset);
  offset += hrBytes;

  let energyKj: number | null = null;
  if (flags & FLAG_ENERGY_EXPENDED) {
    if (data.byteLength < offset + 2) {
      return tooShort(`flags 0x${hex(flags)} announce an energy expended field`, offset + 2, data.byteLength);
    }
    energyKj = data.getUint16(offset, true);
    offset += 2;
  }

  const rr1024: number[] = [];
  if (flags & FLAG_RR_INTERVALS) {
    // The flag may be set with no room left (e.g. no beat since the last notification).
    for (; offset + 2 <= data.byteLength; offset += 2) rr1024.push(data.getUint16(offset, true));
  }

  return { bpm, contact: contactOf(flags), energyKj, rr1024 };
}

function contactOf(flags: number): SensorContact {
  if (!(flags & FLAG_CONTACT_SUPPORTED)) return 'unsupported';
  return flags & FLAG_CONTACT_DETECTED ? 'detected' : 'not-detected';
}

function tooShort(what: string, needed: number, got: number): HeartRateParseError {
  return new HeartRateParseError(
    'too_short',
    HEART_RATE_MEASUREMENT_UUID16,
    `Heart Rate Measurement too short: ${what}; needs ${needed} bytes, got ${got}`,
  );
}

function hex(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}
