import { BATTERY_LEVEL_UUID16 } from './gatt-uuids';
import { HeartRateParseError } from './parse-error';

/**
 * Battery Level (0x2A19), Battery Service 1.0 §3.1: one uint8, percent of full charge. The
 * characteristic allows 0..100 only, so a strap sending more is reported, not shown as 255 %.
 */
export function parseBatteryLevel(data: DataView): number | HeartRateParseError {
  if (data.byteLength < 1) {
    return new HeartRateParseError('too_short', BATTERY_LEVEL_UUID16, 'Battery Level is empty');
  }
  const percent = data.getUint8(0);
  if (percent > 100) {
    return new HeartRateParseError('out_of_range', BATTERY_LEVEL_UUID16, `Battery Level ${percent} % exceeds 100 %`);
  }
  return percent;
}
