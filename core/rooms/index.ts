/**
 * Class mode, the pure half shared by the sync server and the PWA: the live wire protocol (zod
 * schemas), the NTP-style server-clock offset estimator, tile staleness, the screen-state
 * reducer, the room timer's named commands, the room's music, and how a participant's own
 * recording follows the room's timer (recording-timer.ts, class-run.ts). No Node, browser or
 * network APIs.
 */
export * from './wire';
export * from './clock-offset';
export * from './staleness';
export * from './display-state';
export * from './timer-commands';
export * from './music';
export * from './recording-timer';
export * from './class-run';
export * from './hr-pacing';
export * from './class-result';
export * from './screen-phase';
export * from './tile-order';
export * from './screen-results';
export * from './display-link';
