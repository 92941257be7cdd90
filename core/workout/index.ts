/**
 * Workouts, the pure half: interval plans and their editor helpers, the timer (a JSON state plus
 * pure commands and a view computed from absolute timestamps), audio cue times, phase history,
 * profile and heart-rate zones, and the post-workout summary (Keytel calories, Banister TRIMP,
 * RMSSD, per-interval analytics). No browser, Node, storage or network APIs: time is always a
 * parameter, so the PWA and the class-mode server run the same code.
 */
export * from './plan';
export * from './presets';
export * from './plan-editor';
export * from './expand-plan';
export * from './timer-state';
export * from './timer-clock';
export * from './timer-engine';
export * from './timer-view';
export * from './cues';
export * from './phase-history';
export * from './profile';
export * from './zones';
export * from './readings';
export * from './hr-stats';
export * from './zone-time';
export * from './calories-keytel';
export * from './trimp-banister';
export * from './rmssd';
export * from './interval-stats';
export * from './summary';
export * from './effort-points';
export * from './execution';
export * from './target-zone';
export * from './cue-queue';
export * from './resting-check';
