/** Public surface of the intervals.icu emulator for tests of the sync server. */
export { basicAuth, BURST, createIntervalsEmulator, DEFAULT_ATHLETE, DEFAULT_PER_SECOND, routeOf, type Activity, type IntervalsEmulator, type IntervalsEmulatorOptions } from './emulator';
export { listenIntervalsEmulator, type RunningIntervalsEmulator } from './serve';
