/**
 * /api/v1/strava: request bodies as the server validates them (sync-server/src/routes/strava.ts)
 * and the answers the PWA checks (web/src/lib/account/strava-api.ts). The server is the only
 * holder of Strava tokens: these answers carry states, never credentials.
 */
import { z } from 'zod';

export const StravaSessionIdSchema = z.string().regex(/^[0-9a-f-]{36}$/);
export const StravaModeSchema = z.enum(['off', 'auto', 'manual']);
export const StravaPreferencesBodySchema = z.strictObject({ mode: StravaModeSchema });
export const StravaUploadBodySchema = z.strictObject({ sessionId: StravaSessionIdSchema });
/** GET /uploads?sessions=a,b (at most 100 ids). */
export const StravaUploadsQuerySchema = z
  .string()
  .max(100 * 37)
  .transform((s) => s.split(',').filter(Boolean))
  .pipe(z.array(StravaSessionIdSchema).max(100));
/** GET /callback (Strava's redirect back): every field optional, each bounded. */
export const StravaCallbackQuerySchema = z.object({
  state: z.string().max(200).optional(),
  code: z.string().max(2048).optional(),
  scope: z.string().max(500).optional(),
  error: z.string().max(200).optional(),
});

export const StravaStatusSchema = z.object({
  configured: z.boolean(),
  state: z.enum(['connected', 'needs_reconnect', 'not_connected']).optional(),
  connected: z.boolean().optional(),
  mode: StravaModeSchema.optional(),
  authorizedAt: z.string().nullable().optional(),
  /** Uploads wait for Strava's rate-limit window until then. */
  waitingUntil: z.string().nullable().optional(),
  manageAppsUrl: z.string().optional(),
});
export type StravaStatus = z.infer<typeof StravaStatusSchema>;

export const StravaUploadStateSchema = z.enum(['queued', 'uploading', 'processing', 'done', 'duplicate', 'failed', 'cancelled']);
export const StravaUploadSchema = z.object({
  sessionId: z.string(),
  state: StravaUploadStateSchema,
  attempts: z.number().int(),
  activityId: z.string().nullable(),
  activityUrl: z.string().nullable(),
  reason: z.string().nullable(),
  error: z.string().nullable(),
  waitingUntil: z.string().nullable(),
  updatedAt: z.string(),
});
export type StravaUpload = z.infer<typeof StravaUploadSchema>;
export const StravaUploadsSchema = z.object({ uploads: z.array(StravaUploadSchema), waitingUntil: z.string().nullable() });
export const StravaDisconnectSchema = z.object({ disconnected: z.literal(true), revokedAtStrava: z.boolean(), manageAppsUrl: z.string() });
