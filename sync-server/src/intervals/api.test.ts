import { describe, expect, it } from 'vitest';
import { createIntervalsEmulator } from '../../../tests/intervals-emulator/emulator';
import { createManualClock } from '../../../tests/spotify-emulator/clock';
import { bearerAuthorization, createIntervalsApi, keyAuthorization, uploadAnswer } from './api';

const RAW_KEY = 'key-ann-0000000000000000';
const KEY = keyAuthorization(RAW_KEY);

function setup() {
  const clock = createManualClock(Date.UTC(2026, 8, 1, 7, 0, 0));
  const emu = createIntervalsEmulator({ athletes: [{ id: 'i77', name: 'Ann', apiKey: RAW_KEY }], clock });
  const fetchEmu = (async (input: string | URL | Request, init?: RequestInit) => emu.app.request(String(input), init)) as typeof fetch;
  return { emu, clock, api: createIntervalsApi('http://emu/api/v1/', { fetch: fetchEmu }) };
}
const input = (externalId: string, bytes = 'FIT') => ({ file: new TextEncoder().encode(bytes), fileName: externalId, externalId, name: 'Tabata', description: '8 x 20 s', trainer: true });

describe('the intervals.icu adapter against the emulator', () => {
  it('checks a key on athlete 0; a wrong key is unauthorized', async () => {
    const { api } = setup();
    expect(await api.athlete(KEY)).toMatchObject({ kind: 'ok', value: { id: 'i77', name: 'Ann' } });
    expect((await api.athlete(keyAuthorization('wrong-key-000'))).kind).toBe('unauthorized');
    // A key is not a Bearer token.
    expect((await api.athlete(bearerAuthorization(RAW_KEY))).kind).toBe('unauthorized');
  });

  it('an upload names its activity at once; the same external_id again is a duplicate of it; the list finds it by external_id', async () => {
    const { api, emu } = setup();
    const first = await api.upload(KEY, input('hrm-a.fit'));
    expect(first.kind).toBe('ok');
    const id = first.kind === 'ok' ? first.value.activityId : null;
    expect(id).toMatch(/^i\d+$/);
    const again = await api.upload(KEY, input('hrm-a.fit', 'other bytes'));
    expect(again).toMatchObject({ kind: 'ok', value: { activityId: null, duplicateOf: id } });
    expect(emu.state.activities[0]).toMatchObject({ name: 'Tabata', description: '8 x 20 s', externalId: 'hrm-a.fit' });
    const t = Date.UTC(2026, 8, 1, 7, 0, 0) / 1000;
    expect(await api.activities(KEY, t - 3600, t + 3600)).toMatchObject({ kind: 'ok', value: [{ id, externalId: 'hrm-a.fit' }] });
    expect((await api.getUpload(KEY, 'x')).kind).toBe('not_found');
  });

  it('a 429 carries Retry-After; a 5xx is transient; a revoked key is unauthorized', async () => {
    const { api, emu } = setup();
    emu.state.faults.push({ route: 'POST /api/v1/athlete/:id/activities', statuses: [429, 503], retryAfterSec: 7 });
    expect(await api.upload(KEY, input('b'))).toMatchObject({ kind: 'rate_limited', rate: { retryAfterSec: 7 } });
    expect(await api.upload(KEY, input('b'))).toMatchObject({ kind: 'transient', status: 503 });
    emu.state.revoked.add(RAW_KEY);
    expect((await api.upload(KEY, input('b'))).kind).toBe('unauthorized');
  });

  it('writes wellness for a date', async () => {
    const { api, emu } = setup();
    expect((await api.putWellness(KEY, '2026-09-01', { restingHR: 52, hrv: 61.5 })).kind).toBe('ok');
    expect(emu.state.wellness.get('i77/2026-09-01')).toEqual({ id: '2026-09-01', restingHR: 52, hrv: 61.5 });
  });

  it('reads an upload answer: new (201) or duplicate; no id is no answer', () => {
    expect(uploadAnswer({ id: 'u1', activities: [{ id: 'i5' }] }, 201)).toMatchObject({ activityId: 'i5', duplicateOf: null });
    expect(uploadAnswer({ id: 'i5', duplicate: true, activities: [{ id: 'i5' }] }, 200)).toMatchObject({ activityId: null, duplicateOf: 'i5' });
    expect(uploadAnswer({}, 201)).toBeNull();
  });
});
