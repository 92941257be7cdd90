import {
  FLAG_CONTACT_DETECTED,
  FLAG_CONTACT_SUPPORTED,
  FLAG_ENERGY_EXPENDED,
  FLAG_HR_UINT16,
  FLAG_RR_INTERVALS,
  type HeartRateMeasurement,
} from './measurement';

export interface EncodeHeartRateInput extends HeartRateMeasurement {
  /**
   * Send the heart rate as uint16 even when it fits a byte. HRS 1.0 lets a sensor use either
   * format; real straps differ, so the simulated strap and the tests exercise both.
   * Values above 255 are always sent as uint16.
   */
  uint16?: boolean;
}

/**
 * Builds a Heart Rate Measurement value (HRS 1.0 §3.1) for tests and the simulated strap.
 * Inputs are our own, not a device's: a value that cannot be sent (not an integer in range) is a
 * programming error and throws a RangeError. Every RR given is written, even past 20 bytes, as a
 * sensor may after an ATT MTU exchange; the sender picks how many fit its MTU.
 */
export function encodeHeartRateMeasurement(input: EncodeHeartRateInput): Uint8Array {
  const { bpm, contact, energyKj, rr1024 } = input;
  assertUint16('bpm', bpm);
  if (energyKj !== null) assertUint16('energyKj', energyKj);
  rr1024.forEach((rr, i) => assertUint16(`rr1024[${i}]`, rr));

  const wide = input.uint16 === true || bpm > 0xff;
  let flags = 0;
  if (wide) flags |= FLAG_HR_UINT16;
  if (contact !== 'unsupported') flags |= FLAG_CONTACT_SUPPORTED;
  if (contact === 'detected') flags |= FLAG_CONTACT_DETECTED;
  if (energyKj !== null) flags |= FLAG_ENERGY_EXPENDED;
  if (rr1024.length > 0) flags |= FLAG_RR_INTERVALS;

  const bytes = new Uint8Array(1 + (wide ? 2 : 1) + (energyKj !== null ? 2 : 0) + 2 * rr1024.length);
  const view = new DataView(bytes.buffer);
  view.setUint8(0, flags);
  let offset = 1;
  if (wide) {
    view.setUint16(offset, bpm, true);
    offset += 2;
  } else {
    view.setUint8(offset, bpm);
    offset += 1;
  }
  if (energyKj !== null) {
    view.setUint16(offset, energyKj, true);
    offset += 2;
  }
  for (const rr of rr1024) {
    view.setUint16(offset, rr, true);
    offset += 2;
  }
  return bytes;
}

function assertUint16(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff) {
    throw new RangeError(`${name} must be an integer 0..65535, got ${value}`);
  }
}
