export * from './default-profile';
export * from './profile-form';
export * from './units';
export * from './default-plan';
