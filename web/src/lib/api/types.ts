/** Shapes of the /api/v1 account endpoints as the PWA uses them: the REST contract's (core/api/auth.ts). */
import type { DeviceSession, LoginBody, RegisterBody, User } from '$core/api';

export type { DeviceSession, User };

export type Credentials = Pick<RegisterBody, 'email' | 'password'>;

export type Registration = RegisterBody;

export type LoginRequest = LoginBody;
