/**
 * Behaviour knobs (set with `POST /__emu/mode`). Defaults are the "Spotify as of Sept 2026"
 * profile of spotify-emulator.md §2; the row each knob reproduces is in its comment.
 */
import { z } from 'zod';

export const rotationModes = ['none-2026', 'legacy-confidential', 'legacy-pkce', 'strict'] as const;
export type RotationMode = (typeof rotationModes)[number];

export const knobsSchema = z.object({
  /** T5–T8. */
  rotation: z.enum(rotationModes),
  /** T9: a rotated-out RT still works this long (legacy-pkce, strict). */
  graceMs: z.number().int().min(0),
  /** T5/T10: 'auto' = 6 months for none-2026 and strict, never for the legacy modes (T6). */
  refreshTokenExpiry: z.enum(['auto', 'six-months', 'never']),
  /** T12: a new code exchange leaves the user's older grants valid (pre-2026 behaviour). */
  reauthKeepsOldTokens: z.boolean(),
  /** T13 (and strict family revocation): revocation also kills issued access tokens at once. */
  revokeKillsAccessTokens: z.boolean(),
  /** T3: authorization code lifetime. */
  codeTtlMs: z.number().int().min(0),
  /** T2: accept client_id + client_secret in the form body, not only Basic auth. */
  acceptBodyClientSecret: z.boolean(),
  /** T15: the token endpoint waits this long before processing. */
  tokenDelayMs: z.number().int().min(0),
  /** X1: `The access token expired` (legacy) / `Missing/invalid/expired access token` (2026). */
  unauthorizedText: z.enum(['legacy', '2026']),
  /** X2: body of the not-allowlisted 403. */
  notAllowlistedBody: z.enum(['text', 'json']),
  /** P1: include product/country/email on GET /me. */
  meLegacyFields: z.boolean(),
  /** G3: rolling-window limit per Client ID; null = unlimited. */
  rateLimit: z
    .object({
      calls: z.number().int().min(0),
      windowMs: z.number().int().min(1).default(30_000),
      body: z.enum(['text', 'json']).default('text'),
      retryAfterS: z.number().int().min(0).nullable().default(null),
    })
    .nullable(),
  /** G4: calls per developer account per period; null = off. */
  quota: z
    .object({
      calls: z.number().int().min(0),
      periodMs: z.number().int().min(1).default(86_400_000),
      retryAfterS: z.number().int().min(0).nullable().default(null),
    })
    .nullable(),
  /** P8: successful player commands answer 204 empty, 200 with a 27-char opaque text, or either. */
  commandSuccess: z.enum(['204', '200-opaque', 'random']),
  /** P10: next/previous take effect after a uniform random delay in [min, max]. */
  skipDelayMs: z.object({ min: z.number().int().min(0), max: z.number().int().min(0) }),
  /** P11: a paused active device goes inactive after this long. */
  idleDeviceMs: z.number().int().min(1),
  /** P4: currently-playing answers 204 with this probability even while playing. */
  spurious204Probability: z.number().min(0).max(1),
  /** P5: currently-playing answers 204 when the active device is in a private session. */
  privateSession204: z.boolean(),
  /** P12: a skip counts as a play after this much listening; null = completed plays only. */
  skipCountsAfterMs: z.number().int().min(0).nullable(),
  /** P12: played_at is the end (observed) or the start of the play. */
  playedAt: z.enum(['end', 'start']),
  /** P14: entries appear this long after the play ends. */
  historyLagMs: z.number().int().min(0),
  /** P14: probability that a play never shows up. */
  historyDropProbability: z.number().min(0).max(1),
  /** Observed since 2024: playlist search results contain `null` items. */
  searchNullProbability: z.number().min(0).max(1),
});

export type Knobs = z.infer<typeof knobsSchema>;

export const defaultKnobs: Knobs = {
  rotation: 'none-2026',
  graceMs: 0,
  refreshTokenExpiry: 'auto',
  reauthKeepsOldTokens: true,
  revokeKillsAccessTokens: false,
  codeTtlMs: 10 * 60_000,
  acceptBodyClientSecret: true,
  tokenDelayMs: 0,
  unauthorizedText: '2026',
  notAllowlistedBody: 'text',
  meLegacyFields: false,
  rateLimit: null,
  quota: null,
  commandSuccess: '204',
  skipDelayMs: { min: 0, max: 500 },
  idleDeviceMs: 30 * 60_000,
  spurious204Probability: 0,
  privateSession204: true,
  skipCountsAfterMs: 30_000,
  playedAt: 'end',
  historyLagMs: 0,
  historyDropProbability: 0,
  searchNullProbability: 0,
};

/** Whether refresh tokens of this mode expire 6 months after the original authorization. */
export function refreshTokensExpire(knobs: Knobs): boolean {
  if (knobs.refreshTokenExpiry !== 'auto') return knobs.refreshTokenExpiry === 'six-months';
  return knobs.rotation === 'none-2026' || knobs.rotation === 'strict';
}
