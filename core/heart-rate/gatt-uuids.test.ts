import { describe, expect, it } from 'vitest';
import {
  BATTERY_LEVEL_UUID,
  BATTERY_LEVEL_UUID16,
  BATTERY_SERVICE_UUID,
  BATTERY_SERVICE_UUID16,
  BODY_SENSOR_LOCATION_UUID,
  BODY_SENSOR_LOCATION_UUID16,
  HEART_RATE_MEASUREMENT_UUID,
  HEART_RATE_MEASUREMENT_UUID16,
  HEART_RATE_SERVICE_UUID,
  HEART_RATE_SERVICE_UUID16,
  canonicalUuid,
} from './gatt-uuids';

describe('GATT UUIDs', () => {
  it('spells each 128-bit constant as the canonical form of its 16-bit number', () => {
    const pairs: [string, number][] = [
      [HEART_RATE_SERVICE_UUID, HEART_RATE_SERVICE_UUID16],
      [HEART_RATE_MEASUREMENT_UUID, HEART_RATE_MEASUREMENT_UUID16],
      [BODY_SENSOR_LOCATION_UUID, BODY_SENSOR_LOCATION_UUID16],
      [BATTERY_SERVICE_UUID, BATTERY_SERVICE_UUID16],
      [BATTERY_LEVEL_UUID, BATTERY_LEVEL_UUID16],
    ];
    for (const [full, short] of pairs) {
      expect(full).toBe(canonicalUuid(short));
      expect(full).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    }
  });

  it('uses the SIG-assigned numbers', () => {
    expect([
      HEART_RATE_SERVICE_UUID16,
      HEART_RATE_MEASUREMENT_UUID16,
      BODY_SENSOR_LOCATION_UUID16,
      BATTERY_SERVICE_UUID16,
      BATTERY_LEVEL_UUID16,
    ]).toEqual([0x180d, 0x2a37, 0x2a38, 0x180f, 0x2a19]);
    expect(HEART_RATE_SERVICE_UUID).toBe('0000180d-0000-1000-8000-00805f9b34fb');
  });
});
