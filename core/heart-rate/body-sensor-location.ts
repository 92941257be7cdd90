import { BODY_SENSOR_LOCATION_UUID16 } from './gatt-uuids';
import { HeartRateParseError } from './parse-error';

/**
 * Body Sensor Location (0x2A38), HRS 1.0 §3.2: one uint8 enum. Index = value; 7..255 are
 * "Reserved for Future Use". Names follow the spec, kebab-cased ("Ear Lobe" → 'ear-lobe').
 */
export const BODY_SENSOR_LOCATIONS = ['other', 'chest', 'wrist', 'finger', 'hand', 'ear-lobe', 'foot'] as const;

export type BodySensorLocation = (typeof BODY_SENSOR_LOCATIONS)[number];

export function parseBodySensorLocation(data: DataView): BodySensorLocation | HeartRateParseError {
  if (data.byteLength < 1) {
    return new HeartRateParseError('too_short', BODY_SENSOR_LOCATION_UUID16, 'Body Sensor Location is empty');
  }
  const value = data.getUint8(0);
  const location = BODY_SENSOR_LOCATIONS[value];
  if (location === undefined) {
    return new HeartRateParseError(
      'reserved_value',
      BODY_SENSOR_LOCATION_UUID16,
      `Body Sensor Location ${value} is reserved for future use`,
    );
  }
  return location;
}
