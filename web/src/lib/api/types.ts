/** Shapes of the /api/v1 account endpoints as the PWA uses them. */

export interface User {
  id: string;
  email: string;
  name: string;
  verified: boolean;
}

/** One signed-in device (a server-side session). */
export interface DeviceSession {
  id: string;
  deviceName: string;
  created: string;
  lastSeen: string;
  current: boolean;
}

export interface Credentials {
  email: string;
  password: string;
}

export interface Registration extends Credentials {
  name: string;
}

export interface LoginRequest extends Credentials {
  deviceName?: string;
}
