import { describe, expect, it } from 'vitest';
import { DocRecordSchema, docForProtocol, PushRequestSchema, SETTINGS_VALUES } from './wire';
import { DEFAULT_PERSONAL_SETTINGS, settingsFromValues } from './doc-values';

// firstDayOfWeek (protocol 5) follows the rules cueSpeech (protocol 4) set for a settings
// register added later: older clients cannot push it, and their pulls never see it.
const HLC = '001700000000000-0000-phone-a1';
const settings = {
  type: 'settings' as const,
  id: 'settings',
  fields: { cueMuted: { value: true, hlc: HLC }, cueSpeech: { value: false, hlc: HLC }, firstDayOfWeek: { value: 7, hlc: HLC } },
};
const patch = (protocol: number, values: Record<string, unknown>) =>
  PushRequestSchema.safeParse({ protocol, deviceId: 'phone-a1', mutations: [{ id: '00000000-0000-4000-8000-000000000001', type: 'doc.patch', doc: 'settings', docId: 'settings', values, hlc: HLC }] });

describe('firstDayOfWeek settings register (protocol 5)', () => {
  it('is an ISO weekday or null (the locale decides)', () => {
    for (const ok of [1, 4, 7, null]) expect(SETTINGS_VALUES.firstDayOfWeek.safeParse(ok).success).toBe(true);
    for (const bad of [0, 8, 1.5, '1', 'monday']) expect(SETTINGS_VALUES.firstDayOfWeek.safeParse(bad).success).toBe(false);
  });

  it('only protocol 5 may push it; cueSpeech still needs 4', () => {
    expect(patch(5, { firstDayOfWeek: 7 }).success).toBe(true);
    expect(patch(5, { firstDayOfWeek: null }).success).toBe(true);
    const old = patch(4, { firstDayOfWeek: 7 });
    expect(old.success).toBe(false);
    expect(JSON.stringify(old.error?.issues)).toContain('firstDayOfWeek needs protocol 5');
    expect(patch(4, { cueSpeech: true }).success).toBe(true);
    expect(patch(3, { cueSpeech: true }).success).toBe(false);
  });

  it('a protocol 4 pull gets the settings without it; protocol 3 without cueSpeech too; each valid for its schema', () => {
    expect(docForProtocol(settings, 5)).toBe(settings);
    const v4 = docForProtocol(settings, 4);
    expect(Object.keys(v4.fields)).toEqual(['cueMuted', 'cueSpeech']);
    expect(Object.keys(docForProtocol(settings, 3).fields)).toEqual(['cueMuted']);
    expect(DocRecordSchema.safeParse(v4).success).toBe(true);
    // The document itself is untouched (the server keeps the register for newer clients).
    expect(settings.fields.firstDayOfWeek.value).toBe(7);
  });

  it('unset (or unreadable) means the locale decides', () => {
    expect(DEFAULT_PERSONAL_SETTINGS.firstDayOfWeek).toBeNull();
    expect(settingsFromValues({}).firstDayOfWeek).toBeNull();
    expect(settingsFromValues({ firstDayOfWeek: 7 }).firstDayOfWeek).toBe(7);
    expect(settingsFromValues({ firstDayOfWeek: 9 }).firstDayOfWeek).toBeNull();
    expect(settingsFromValues({ firstDayOfWeek: null }, { ...DEFAULT_PERSONAL_SETTINGS, firstDayOfWeek: 1 }).firstDayOfWeek).toBeNull();
  });
});
