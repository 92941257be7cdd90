/** Public surface of the Spotify emulator for tests of the sync server. */
export { createSpotifyEmulator, DEFAULT_CLIENT, DEMO_USER, type SpotifyEmulator, type SpotifyEmulatorOptions } from './emulator';
export { listenSpotifyEmulator, type EmulatorUrls, type RunningEmulator } from './serve';
export { createManualClock, createSystemClock, DEFAULT_START_MS, type Clock, type ControllableClock } from './clock';
export { defaultKnobs, rotationModes, type Knobs, type RotationMode } from './knobs';
export { s256Challenge } from './pkce';
export type { EmulatorState } from './state';
