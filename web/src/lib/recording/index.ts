/** Crash-safe workout recording into IndexedDB (recorder.ts explains the guarantees). */
export * from './clock';
export * from './page-lifecycle';
export * from './recorder';
export * from './session-summary';
export * from './resume-policy';
export * from './write-scheduler';
