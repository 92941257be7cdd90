/**
 * Response validation at the edge: bodies from the server are checked before the app trusts
 * their types. Kept small with zod/mini; when core/ grows shared wire schemas, import those.
 */
import * as z from 'zod/mini';
import type { DeviceSession, User } from './types';

export const userSchema: z.ZodMiniType<User> = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  verified: z.boolean(),
});

export const loginResponseSchema = z.object({ user: userSchema });

const deviceSessionSchema: z.ZodMiniType<DeviceSession> = z.object({
  id: z.string(),
  deviceName: z.string(),
  created: z.string(),
  lastSeen: z.string(),
  current: z.boolean(),
});

export const sessionsResponseSchema = z.object({ sessions: z.array(deviceSessionSchema) });

export const verifyResponseSchema = z.object({ verified: z.boolean() });

/** The server's error body: `{error:{code,message,requestId}}`. */
export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.optional(z.string()),
    requestId: z.optional(z.nullable(z.string())),
  }),
});
