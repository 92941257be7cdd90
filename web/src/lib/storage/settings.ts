/** Settings rows: the athlete profile and cue preferences, validated when read. */
import { ProfileSchema, type Profile } from '$core/workout';
import { z } from 'zod';
import type { HrmDatabase } from './database';

export const CuePrefsSchema = z.object({
  muted: z.boolean(),
  vibrate: z.boolean(),
});
export type CuePrefs = z.infer<typeof CuePrefsSchema>;
export const DEFAULT_CUE_PREFS: CuePrefs = { muted: false, vibrate: true };

export type ProfileSaveResult = { ok: true; profile: Profile } | { ok: false; code: 'invalid-profile'; issues: z.core.$ZodIssue[] };

export interface SettingsStore {
  /** The saved profile, or null when none was saved (or the stored one no longer validates). */
  profile(): Promise<Profile | null>;
  saveProfile(input: unknown): Promise<ProfileSaveResult>;
  cuePrefs(): Promise<CuePrefs>;
  saveCuePrefs(prefs: CuePrefs): Promise<void>;
}

export function createSettingsStore(db: () => HrmDatabase): SettingsStore {
  return {
    async profile() {
      const row = await db().settings.get('profile');
      const parsed = ProfileSchema.safeParse(row?.value);
      return parsed.success ? parsed.data : null;
    },
    async saveProfile(input) {
      const parsed = ProfileSchema.safeParse(input);
      if (!parsed.success) return { ok: false, code: 'invalid-profile', issues: parsed.error.issues };
      await db().settings.put({ key: 'profile', value: parsed.data });
      return { ok: true, profile: parsed.data };
    },
    async cuePrefs() {
      const row = await db().settings.get('cues');
      const parsed = CuePrefsSchema.safeParse(row?.value);
      return parsed.success ? parsed.data : DEFAULT_CUE_PREFS;
    },
    async saveCuePrefs(prefs) {
      await db().settings.put({ key: 'cues', value: CuePrefsSchema.parse(prefs) });
    },
  };
}
