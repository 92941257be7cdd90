/** Public surface of the Strava emulator for tests of the sync server. */
export { createStravaEmulator, DEFAULT_ATHLETE, DEFAULT_CLIENT, routeOf, type StravaEmulator, type StravaEmulatorOptions } from './emulator';
export { listenStravaEmulator, type RunningStravaEmulator, type StravaEmulatorUrls } from './serve';
export { defaultKnobs, type Knobs, type StravaState } from './state';
export { DATA_TYPES, MIN_POLL_MS, STATUS_ERROR, STATUS_PROCESSING, STATUS_READY } from './uploads';
export { createManualClock, createSystemClock, type ControllableClock } from '../spotify-emulator/clock';
