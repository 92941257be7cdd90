export * from './default-profile';
export * from './profile-form';
