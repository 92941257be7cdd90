import { describe, expect, it } from 'vitest';
import { applyReading, HUB_STALE_MS, isStale, orderedTiles, type HubTile } from './hub-tiles';

describe('hub tiles', () => {
  it('keeps the last battery, RSSI and RR when a reading lacks them; goes stale after 5 s; orders by device number', () => {
    const tiles = new Map<number, HubTile>();
    applyReading(tiles, { key: 9, deviceNumber: 9, bpm: 80, rrMs: [750], battery: 60, rssi: -70, at: 1000 });
    const t = applyReading(tiles, { key: 9, deviceNumber: 9, bpm: 82, rrMs: [], at: 1250 });
    expect(t).toMatchObject({ bpm: 82, battery: 60, rssi: -70, lastRrMs: 750, readings: 2 });
    applyReading(tiles, { key: 3, deviceNumber: 3, bpm: null, rrMs: [], at: 1300 });
    expect(orderedTiles(tiles).map((x) => x.deviceNumber)).toEqual([3, 9]);
    expect(isStale(t, 1250 + HUB_STALE_MS - 1)).toBe(false);
    expect(isStale(t, 1250 + HUB_STALE_MS)).toBe(true);
  });
});
