export * from './errors';
export * from './network-key';
export * from './message';
export * from './hr-profile';
export * from './hr-scanner';
