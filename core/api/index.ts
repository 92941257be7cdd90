// The REST contract of /api/v1, defined once: request and response schemas (zod) imported by the
// sync server's routes and the PWA's API client, and the error catalog (code → HTTP status,
// retryable). Pure: no Node, browser or network APIs.
export * from './auth';
export * from './errors';
export * from './rooms';
export * from './spotify';
export * from './strava';
export * from './sync';
export * from './hubs';
export * from './intervals';
export * from './hub-workouts';
