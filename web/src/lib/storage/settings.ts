/**
 * Settings rows: the athlete profile and the personal settings (cue preferences, units, default
 * plan), validated when read. Both belong to the person and sync as documents (storage/docs.ts,
 * docs/sync-protocol.md §8): every save writes the row, the document and its outbox row in one
 * transaction. Device settings (the paired strap, kiosk options) are kept elsewhere and stay local.
 */
import { DEFAULT_PERSONAL_SETTINGS, profileValues, type PersonalSettings } from '$core/sync';
import { ProfileSchema, type Profile } from '$core/workout';
import { z } from 'zod';
import type { HrmDatabase } from './database';
import { docTables, editDoc, viewSettings } from './docs';

export const CuePrefsSchema = z.object({
  muted: z.boolean(),
  vibrate: z.boolean(),
  /** Spoken cues; the device may not be able to speak (speech.ts says). */
  speech: z.boolean(),
});
export type CuePrefs = z.infer<typeof CuePrefsSchema>;
export const DEFAULT_CUE_PREFS: CuePrefs = {
  muted: DEFAULT_PERSONAL_SETTINGS.cueMuted,
  vibrate: DEFAULT_PERSONAL_SETTINGS.cueVibrate,
  speech: DEFAULT_PERSONAL_SETTINGS.cueSpeech,
};

export type ProfileSaveResult = { ok: true; profile: Profile } | { ok: false; code: 'invalid-profile'; issues: z.core.$ZodIssue[] };

export interface SettingsStore {
  /** The saved profile, or null when none was saved (or the stored one no longer validates). */
  profile(): Promise<Profile | null>;
  saveProfile(input: unknown): Promise<ProfileSaveResult>;
  cuePrefs(): Promise<CuePrefs>;
  saveCuePrefs(prefs: CuePrefs): Promise<void>;
  personal(): Promise<PersonalSettings>;
  /** Saves the given personal settings (the others keep their values). */
  savePersonal(patch: Partial<PersonalSettings>): Promise<PersonalSettings>;
}

export function createSettingsStore(db: () => HrmDatabase, now: () => number = Date.now): SettingsStore {
  async function savePersonal(patch: Partial<PersonalSettings>): Promise<PersonalSettings> {
    const d = db();
    return d.transaction('rw', docTables(d), async () => {
      const next = { ...(await viewSettings(d)), ...patch };
      await d.settings.bulkPut([
        { key: 'cues', value: { muted: next.cueMuted, vibrate: next.cueVibrate, speech: next.cueSpeech } },
        { key: 'units', value: next.units },
        { key: 'defaultPlan', value: next.defaultPlan },
        { key: 'firstDayOfWeek', value: next.firstDayOfWeek },
      ]);
      const changed = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
      await editDoc(d, 'settings', 'settings', changed, now());
      return next;
    });
  }

  return {
    async profile() {
      const row = await db().settings.get('profile');
      const parsed = ProfileSchema.safeParse(row?.value);
      return parsed.success ? parsed.data : null;
    },
    async saveProfile(input) {
      const parsed = ProfileSchema.safeParse(input);
      if (!parsed.success) return { ok: false, code: 'invalid-profile', issues: parsed.error.issues };
      const d = db();
      await d.transaction('rw', docTables(d), async () => {
        await d.settings.put({ key: 'profile', value: parsed.data });
        await editDoc(d, 'profile', 'profile', { ...profileValues(parsed.data) }, now());
      });
      return { ok: true, profile: parsed.data };
    },
    async cuePrefs() {
      const s = await viewSettings(db());
      return { muted: s.cueMuted, vibrate: s.cueVibrate, speech: s.cueSpeech };
    },
    async saveCuePrefs(prefs) {
      const p = CuePrefsSchema.parse(prefs);
      // Only the switches that changed: a register this device never set is never written, so
      // an app that predates one (cueSpeech) meets it only once a member has used that switch.
      const s = await viewSettings(db());
      const next = { cueMuted: p.muted, cueVibrate: p.vibrate, cueSpeech: p.speech };
      const patch = Object.fromEntries(Object.entries(next).filter(([k, v]) => s[k as keyof typeof next] !== v)) as Partial<PersonalSettings>;
      if (Object.keys(patch).length > 0) await savePersonal(patch);
    },
    personal: () => viewSettings(db()),
    savePersonal,
  };
}
