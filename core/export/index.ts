/**
 * Workout export, pure: TCX (Garmin TrainingCenterDatabase v2), FIT (Garmin FIT SDK) with RR
 * intervals, and CSV. Input is an `ExportSession` (types.ts); output is a string or bytes plus
 * a file name and MIME type, so the PWA only wraps it in a Blob.
 */
export * from './types';
export * from './apportion';
export * from './laps';
export * from './tcx';
export * from './fit';
export * from './csv';
export * from './files';
