/**
 * /api/v1/auth and /api/v1/me: request bodies as the server validates them and the answers the
 * PWA checks before trusting them (sync-server/src/routes/auth.ts, me.ts; web/src/lib/api).
 * Passwords are checked for strength by the server's policy, not here: `password` only bounds
 * the size of the field.
 */
import { z } from 'zod';

const email = z.email().max(254).transform((e) => e.trim().toLowerCase());
const password = z.string().min(1).max(1024);
const name = z.string().trim().min(1).max(100);
const token = z.string().min(10).max(4096);

/** A PocketBase record id: the id of a user, a device session, a room… */
export const RecordIdSchema = z.string().regex(/^[a-z0-9]{15}$/);

export const RegisterBodySchema = z.strictObject({ email, password, name });
export const LoginBodySchema = z.strictObject({ email, password, deviceName: z.string().trim().max(100).optional() });
export const ForgotPasswordBodySchema = z.strictObject({ email });
export const ResetPasswordBodySchema = z.strictObject({ token, password });
export const TokenBodySchema = z.strictObject({ token });
/** GET|DELETE /auth/sessions/:id */
export const DeviceSessionIdSchema = RecordIdSchema;

export const UserSchema = z.object({ id: z.string(), email: z.string(), name: z.string(), verified: z.boolean() });
export type User = z.infer<typeof UserSchema>;

/** 202 of register, verify/request, password/forgot: the same answer whatever the address. */
export const AcceptedSchema = z.object({ status: z.literal('ok') });
export const LoginResponseSchema = z.object({ user: UserSchema });

export const DeviceSessionSchema = z.object({
  id: z.string(),
  deviceName: z.string(),
  /** ISO 8601. */
  created: z.string(),
  lastSeen: z.string(),
  current: z.boolean(),
});
export type DeviceSession = z.infer<typeof DeviceSessionSchema>;
export const DeviceSessionsResponseSchema = z.object({ sessions: z.array(DeviceSessionSchema) });

export const VerifyResponseSchema = z.object({ verified: z.boolean() });

/** PATCH /me */
export const UpdateMeBodySchema = z.strictObject({ name });
/** DELETE /me: the password again, so a stolen session cannot delete the account. */
export const DeleteMeBodySchema = z.strictObject({ password });
/** GET|PATCH /me answer the user. */
export const MeResponseSchema = UserSchema;

export type RegisterBody = z.input<typeof RegisterBodySchema>;
export type LoginBody = z.input<typeof LoginBodySchema>;
export type ResetPasswordBody = z.input<typeof ResetPasswordBodySchema>;
export type UpdateMeBody = z.input<typeof UpdateMeBodySchema>;
export type DeleteMeBody = z.input<typeof DeleteMeBodySchema>;
