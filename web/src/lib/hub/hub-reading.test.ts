import { describe, expect, it, vi } from 'vitest';
import { fromAnt, fromBluetooth, ReadingStream, rrTo1024, strapKind } from './hub-reading';

describe('hub readings', () => {
  it('an ANT reading keeps its key as ant:<n>; no heart rate is bpm 0; battery and RSSI when sent', () => {
    expect(fromAnt({ key: 4821, deviceNumber: 4821, bpm: 72, rrMs: [833], battery: 80, rssi: -60, at: 5 })).toEqual({
      strapKey: 'ant:4821',
      bpm: 72,
      rrMs: [833],
      battery: 80,
      rssi: -60,
      at: 5,
    });
    expect(fromAnt({ key: 65536 + 12, deviceNumber: 12, bpm: null, rrMs: [], battery: null, at: 6 })).toEqual({ strapKey: 'ant:65548', bpm: 0, rrMs: [], at: 6 });
    expect(strapKind('ant:1')).toBe('ant');
    expect(strapKind('ble:x')).toBe('ble');
    expect(strapKind('x')).toBeNull();
  });

  it('a Bluetooth reading: RR from 1/1024 s to ms, exactly back again', () => {
    const r = fromBluetooth('dev/1', { t: 9, bpm: 120, rr1024: [512, 1023], contact: 'detected', energyKj: null }, { battery: 55, rssi: null });
    expect(r).toEqual({ strapKey: 'ble:dev/1', bpm: 120, rrMs: [500, 999.0234375], at: 9, battery: 55 });
    expect(rrTo1024(r.rrMs)).toEqual([512, 1023]);
  });

  it('one broken listener does not starve the others', () => {
    const s = new ReadingStream();
    const got: string[] = [];
    const err = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    s.subscribe(() => {
      throw new Error('boom');
    });
    const stop = s.subscribe((r) => got.push(r.strapKey));
    s.emit({ strapKey: 'ant:1', bpm: 1, rrMs: [], at: 0 });
    stop();
    s.emit({ strapKey: 'ant:2', bpm: 1, rrMs: [], at: 0 });
    expect(got).toEqual(['ant:1']);
    expect(err).toHaveBeenCalledTimes(2);
    err.mockRestore();
  });
});
