// Retry timing shared by the PWA, the server and the strap code: one backoff rule, many policies.
export * from './backoff';
