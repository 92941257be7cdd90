/**
 * Heart-rate strap, pure half: the Heart Rate Service wire format (Bluetooth SIG HRS 1.0, Battery
 * Service 1.0), the connection state machine, the GATT operation queue and a simulated strap.
 * No browser or Node API here; the Web Bluetooth adapter drives these.
 */
export { parseHeartRateMeasurement } from './parse-measurement';
export { encodeHeartRateMeasurement, type EncodeHeartRateInput } from './encode-measurement';
export type { HeartRateMeasurement, SensorContact } from './measurement';
export { HeartRateParseError, isHeartRateParseError, type HeartRateParseErrorCode } from './parse-error';
export { BODY_SENSOR_LOCATIONS, parseBodySensorLocation, type BodySensorLocation } from './body-sensor-location';
export { parseBatteryLevel } from './battery-level';
export {
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
export {
  DEFAULT_CONNECTION_OPTIONS,
  SILENT_AFTER_MS,
  createConnectionReducer,
  initialConnectionState,
  reduceConnection,
  type Capabilities,
} from './connection-machine';
export type {
  ConnectionEffect,
  ConnectionEvent,
  ConnectionOptions,
  ConnectionReducer,
  ConnectionState,
  ConnectionTransition,
  GapReason,
  LinkState,
  LostReason,
  OpenGap,
  RetryBudget,
  UnsupportedReason,
} from './connection-types';
export { DEFAULT_BACKOFF, backoffDelay, type BackoffPolicy, type Jitter } from './backoff';
export {
  GattOperationError,
  createGattQueue,
  isGattOperationError,
  type GattOperationErrorCode,
  type GattQueue,
  type GattQueueOptions,
  type TimerFunctions,
} from './gatt-queue';
export {
  createSimulatedGroup,
  createSimulatedHeart,
  simulateSession,
  type IntensityCommand,
  type SimulatedHeart,
  type SimulatedHeartOptions,
  type SimulatedNotification,
  type TimeWindow,
} from './simulated-heart';
export { randomPerson, type SimulatedPerson } from './simulated-person';
export { gaussian, mulberry32 } from './prng';
export * from './reading-sink';
