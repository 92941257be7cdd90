import { describe, expect, it } from 'vitest';
import { bluetoothStrapKey, parseClientMessage, parseServerMessage, STRAP_KEY_PATTERN, strapLabel } from './wire';

describe('room hub wire messages', () => {
  it('names an unknown strap by the last four digits of its key', () => {
    expect(strapLabel('ant:14821')).toBe('Strap 4821');
    expect(strapLabel('ant:7')).toBe('Strap 7');
    expect(strapLabel('ble:Polar_H10_4E2D1A2B')).toBe('Polar H10 4E2D1A2B');
    expect(strapLabel('ble:Garmin-HRM')).toBe('Garmin-HRM');
    expect(strapLabel(bluetoothStrapKey(' Polar H10 / 4E2D '))).toBe('Polar H10 4E2D');
    expect(bluetoothStrapKey('a+b/c==')).toMatch(STRAP_KEY_PATTERN);
  });

  it('accepts a hub hello and a batch of strap readings; refuses bad keys, empty and oversized batches', () => {
    expect(parseClientMessage(JSON.stringify({ type: 'hello', v: 1, role: 'hub', token: 'x'.repeat(40) })).ok).toBe(true);
    const reading = { strap: 'ant:4821', bpm: 120, rr: [500, 510], battery: 80, points: 3, at: 1 };
    expect(parseClientMessage(JSON.stringify({ type: 'hub-readings', readings: [reading] }))).toEqual({ ok: true, message: { type: 'hub-readings', readings: [reading] } });
    for (const bad of [
      { type: 'hub-readings', readings: [] },
      { type: 'hub-readings', readings: Array.from({ length: 65 }, () => reading) },
      { type: 'hub-readings', readings: [{ ...reading, strap: 'usb:1' }] },
      { type: 'hub-readings', readings: [{ ...reading, bpm: 0 }] },
      { type: 'hub-readings', readings: [{ ...reading, participantId: 'p00000000000001' }] },
    ]) {
      expect(parseClientMessage(JSON.stringify(bad)).ok).toBe(false);
    }
    expect(parseServerMessage(JSON.stringify({ type: 'hub-strap', strap: 'ant:4821', participantId: null })).ok).toBe(true);
  });
});
