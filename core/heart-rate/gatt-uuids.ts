/**
 * GATT assigned numbers used by a heart-rate strap.
 *
 * Web Bluetooth compares UUIDs as full 128-bit lower-case strings; a 16-bit SIG-assigned number
 * sits in the Bluetooth Base UUID 0000xxxx-0000-1000-8000-00805F9B34FB (Core Specification
 * Vol 3, Part B, §2.5.1), which is what `BluetoothUUID.canonicalUUID()` returns.
 */

/** The 128-bit lower-case form of a 16-bit SIG-assigned number. */
export function canonicalUuid(uuid16: number): string {
  return `0000${uuid16.toString(16).padStart(4, '0')}-0000-1000-8000-00805f9b34fb`;
}

/** Heart Rate Service (HRS 1.0). */
export const HEART_RATE_SERVICE_UUID16 = 0x180d;
/** Heart Rate Measurement characteristic: notify only (HRS 1.0 §3.1). */
export const HEART_RATE_MEASUREMENT_UUID16 = 0x2a37;
/** Body Sensor Location characteristic: optional, read (HRS 1.0 §3.2). */
export const BODY_SENSOR_LOCATION_UUID16 = 0x2a38;
/** Battery Service (BAS 1.0), not part of HRS but present on most straps. */
export const BATTERY_SERVICE_UUID16 = 0x180f;
/** Battery Level characteristic: read, optionally notify (BAS 1.0 §3.1). */
export const BATTERY_LEVEL_UUID16 = 0x2a19;

export const HEART_RATE_SERVICE_UUID = '0000180d-0000-1000-8000-00805f9b34fb';
export const HEART_RATE_MEASUREMENT_UUID = '00002a37-0000-1000-8000-00805f9b34fb';
export const BODY_SENSOR_LOCATION_UUID = '00002a38-0000-1000-8000-00805f9b34fb';
export const BATTERY_SERVICE_UUID = '0000180f-0000-1000-8000-00805f9b34fb';
export const BATTERY_LEVEL_UUID = '00002a19-0000-1000-8000-00805f9b34fb';
