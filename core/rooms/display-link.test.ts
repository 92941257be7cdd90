import { describe, expect, it } from 'vitest';
import { DISPLAY_LIVE_FRESH_MS, displayLinkState, displaySeenKey, displaySocketKey } from './display-link';

const d = 'aaaaaaaaaaaaaaa';
const at = (entries: Array<[string, number]>) => new Map(entries.map(([k, seenAt]) => [k, { seenAt }]));

describe('displayLinkState', () => {
  it('is live while a socket key of the display is fresh, on any process', () => {
    const seen = at([[displaySocketKey(d, 'p1-1'), 1_000], [displaySeenKey(d), 1_000]]);
    expect(displayLinkState({ displayId: d, seen, pairingPending: true, now: 1_000 + DISPLAY_LIVE_FRESH_MS - 1 })).toBe('live');
  });

  it('is reconnecting once connected and no socket key is fresh (closed, or silent too long)', () => {
    expect(displayLinkState({ displayId: d, seen: at([[displaySeenKey(d), 1_000]]), pairingPending: false, now: 2_000 })).toBe('reconnecting');
    const silent = at([[displaySocketKey(d, 'x'), 1_000], [displaySeenKey(d), 1_000]]);
    expect(displayLinkState({ displayId: d, seen: silent, pairingPending: true, now: 1_000 + DISPLAY_LIVE_FRESH_MS })).toBe('reconnecting');
  });

  it('waits for pairing only if it never connected; offline when the code expired too', () => {
    expect(displayLinkState({ displayId: d, seen: at([]), pairingPending: true, now: 0 })).toBe('waiting');
    expect(displayLinkState({ displayId: d, seen: at([]), pairingPending: false, now: 0 })).toBe('offline');
  });

  it('ignores other displays and participants', () => {
    const seen = at([[displaySocketKey('bbbbbbbbbbbbbbb', 'x'), 0], ['aaaaaaaaaaaaaab', 0]]);
    expect(displayLinkState({ displayId: d, seen, pairingPending: false, now: 1 })).toBe('offline');
  });
});
