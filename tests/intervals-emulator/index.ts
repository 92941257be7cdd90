/** Public surface of the intervals.icu emulator for tests of the sync server. */
export { basicAuth, BURST, createIntervalsEmulator, DEFAULT_ATHLETE, DEFAULT_PER_SECOND, routeOf, type Activity, type IntervalsEmulator, type IntervalsEmulatorOptions } from './emulator';
export { CODE_TTL_MS, OAUTH_SCOPES, type Consent, type OAuthClient } from './oauth';
export { listenIntervalsEmulator, type RunningIntervalsEmulator } from './serve';
