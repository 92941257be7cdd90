/**
 * The decoded Heart Rate Measurement (characteristic 0x2A37) and its flag bits, shared by the
 * parser and the encoder. Bit meanings: Bluetooth SIG Heart Rate Service 1.0 §3.1 and the GATT
 * characteristic definition org.bluetooth.characteristic.heart_rate_measurement.
 */

/**
 * Sensor Contact Status (flags bits 1-2). Bit 2 says the sensor supports contact detection and
 * bit 1 says contact is detected; values 0 and 1 both read "Sensor Contact feature is not
 * supported in the current connection", so bit 1 without bit 2 is 'unsupported'.
 */
export type SensorContact = 'unsupported' | 'not-detected' | 'detected';

export interface HeartRateMeasurement {
  /** Beats per minute; 0 means the sensor has no reading, not a heart rate of zero. */
  bpm: number;
  contact: SensorContact;
  /** Cumulative kJ since the last Reset Energy Expended (0x2A39); null when the field is absent. */
  energyKj: number | null;
  /** RR intervals in 1/1024 s, oldest first ("RR-Interval Value 0 is older"); empty when none. */
  rr1024: number[];
}

export const FLAG_HR_UINT16 = 0x01;
export const FLAG_CONTACT_DETECTED = 0x02;
export const FLAG_CONTACT_SUPPORTED = 0x04;
export const FLAG_ENERGY_EXPENDED = 0x08;
export const FLAG_RR_INTERVALS = 0x10;
