import { describe, expect, it } from 'vitest';
import { applyReading, emptyTile, HUB_STALE_MS, isStale, orderedTiles, tileState, type HubTile } from './hub-tiles';

describe('hub tiles', () => {
  it('keeps the last battery, RSSI and RR when a reading lacks them; goes stale after 5 s; orders ANT by device number, then Bluetooth by name', () => {
    const tiles = new Map<string, HubTile>();
    applyReading(tiles, { strapKey: 'ant:9', bpm: 80, rrMs: [750], battery: 60, rssi: -70, at: 1000 });
    const t = applyReading(tiles, { strapKey: 'ant:9', bpm: 82, rrMs: [], at: 1250 });
    expect(t).toMatchObject({ kind: 'ant', label: 'Strap 9', deviceNumber: 9, bpm: 82, battery: 60, rssi: -70, lastRrMs: 750, readings: 2 });
    applyReading(tiles, { strapKey: 'ant:3', bpm: 0, rrMs: [], at: 1300 });
    expect(tiles.get('ant:3')!.bpm).toBeNull();
    tiles.set('ble:zz', emptyTile('ble:zz', 'Polar H10 A'));
    applyReading(tiles, { strapKey: 'ble:aa', bpm: 90, rrMs: [666.015625], at: 1300 });
    tiles.set('ble:aa', { ...tiles.get('ble:aa')!, label: 'Garmin HRM' });
    expect(orderedTiles(tiles.values()).map((x) => x.key)).toEqual(['ant:3', 'ant:9', 'ble:aa', 'ble:zz']);
    expect(isStale(t, 1250 + HUB_STALE_MS - 1)).toBe(false);
    expect(isStale(t, 1250 + HUB_STALE_MS)).toBe(true);
    expect(isStale(tiles.get('ble:zz')!, 0)).toBe(true);
  });

  it('an ANT key with a transmission-type extension keeps the printed device number', () => {
    const tile = emptyTile(`ant:${(1 << 16) + 4821}`);
    expect(tile).toMatchObject({ deviceNumber: 4821, label: 'Strap 4821', kind: 'ant' });
  });

  it('state: a link being re-established is reconnecting, a given-up one lost, else live or stale by the last reading', () => {
    const tile = { lastAt: 1000 };
    expect(tileState(tile, 2000)).toBe('live');
    expect(tileState(tile, 2000, 'streaming')).toBe('live');
    expect(tileState(tile, 1000 + HUB_STALE_MS, 'streaming')).toBe('stale');
    expect(tileState(tile, 2000, 'reconnecting')).toBe('reconnecting');
    expect(tileState(tile, 2000, 'lost')).toBe('lost');
    expect(tileState({ lastAt: null }, 2000, 'idle')).toBe('stale');
  });
});
