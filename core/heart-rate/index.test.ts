import { describe, expect, it } from 'vitest';
import * as heartRate from './index';

describe('core/heart-rate public API', () => {
  it('exports the parser, encoder and error guard under their names', () => {
    for (const name of [
      'parseHeartRateMeasurement',
      'encodeHeartRateMeasurement',
      'isHeartRateParseError',
      'HeartRateParseError',
      'parseBodySensorLocation',
      'parseBatteryLevel',
      'createConnectionReducer',
      'createGattQueue',
      'createSimulatedGroup',
    ]) {
      expect(typeof (heartRate as Record<string, unknown>)[name]).toBe('function');
    }
    expect(heartRate.HEART_RATE_SERVICE_UUID).toBe('0000180d-0000-1000-8000-00805f9b34fb');
  });

  it('round-trips a simulated strap through the wire format', () => {
    const [heart] = heartRate.createSimulatedGroup(1, 5);
    const notification = heart!.step(0.5);
    const bytes = heartRate.encodeHeartRateMeasurement(notification!.measurement);
    const decoded = heartRate.parseHeartRateMeasurement(new DataView(bytes.buffer));
    expect(heartRate.isHeartRateParseError(decoded)).toBe(false);
    expect(decoded).toEqual(notification!.measurement);
  });
});
