/**
 * /api/v1/intervals: request bodies as the server validates them (sync-server/src/routes/intervals.ts)
 * and the answers the PWA checks (web/src/lib/account/intervals-api.ts). The member's personal
 * API key goes in once (POST /connect) and never comes back; an OAuth token (GET /connect/oauth →
 * intervals.icu → GET /callback) never reaches the browser at all: answers carry states only.
 */
import { z } from 'zod';

export const IntervalsCallbackQuerySchema = z.object({
  state: z.string().max(200).optional(),
  code: z.string().max(2048).optional(),
  error: z.string().max(200).optional(),
});
export const IntervalsSessionIdSchema = z.string().regex(/^[0-9a-f-]{36}$/);
export const IntervalsModeSchema = z.enum(['off', 'auto', 'manual']);
export const IntervalsConnectBodySchema = z.strictObject({ apiKey: z.string().trim().min(8).max(200).regex(/^[\x21-\x7e]+$/) });
export const IntervalsPreferencesBodySchema = z
  .strictObject({ mode: IntervalsModeSchema.optional(), wellness: z.boolean().optional() })
  .refine((b) => b.mode !== undefined || b.wellness !== undefined, { message: 'give mode or wellness' });
export const IntervalsUploadBodySchema = z.strictObject({ sessionId: IntervalsSessionIdSchema });
export const IntervalsUploadsQuerySchema = z
  .string()
  .max(100 * 37)
  .transform((s) => s.split(',').filter(Boolean))
  .pipe(z.array(IntervalsSessionIdSchema).max(100));

export const IntervalsStatusSchema = z.object({
  configured: z.boolean(),
  state: z.enum(['connected', 'needs_reconnect', 'not_connected']).optional(),
  connected: z.boolean().optional(),
  /** The server offers "Connect with intervals.icu" (OAuth) beside the personal key. */
  oauth: z.boolean().optional(),
  /** How the member is connected (null: not at all) and, by OAuth, the scopes granted. */
  method: z.enum(['key', 'oauth']).nullable().optional(),
  scopes: z.array(z.string()).nullable().optional(),
  /** False when an OAuth grant lacks WELLNESS:WRITE: wellness is off and cannot be turned on. */
  wellnessAllowed: z.boolean().optional(),
  mode: IntervalsModeSchema.optional(),
  wellness: z.boolean().optional(),
  connectedAt: z.string().nullable().optional(),
  waitingUntil: z.string().nullable().optional(),
  /** Where the member deletes (revokes) the key or removes the app: intervals.icu settings. */
  settingsUrl: z.string().optional(),
});
export type IntervalsStatus = z.infer<typeof IntervalsStatusSchema>;

export const IntervalsUploadSchema = z.object({
  sessionId: z.string(),
  state: z.enum(['queued', 'uploading', 'processing', 'done', 'duplicate', 'failed', 'cancelled']),
  attempts: z.number().int(),
  activityId: z.string().nullable(),
  activityUrl: z.string().nullable(),
  reason: z.string().nullable(),
  error: z.string().nullable(),
  waitingUntil: z.string().nullable(),
  updatedAt: z.string(),
});
export type IntervalsUpload = z.infer<typeof IntervalsUploadSchema>;
export const IntervalsUploadsSchema = z.object({ uploads: z.array(IntervalsUploadSchema), waitingUntil: z.string().nullable() });
export const IntervalsDisconnectSchema = z.object({ disconnected: z.literal(true), settingsUrl: z.string() });
