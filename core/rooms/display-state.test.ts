import { describe, expect, it } from 'vitest';
import { createTimer, tabataPlan } from '../workout';
import { initialDisplayState, reduceDisplay, tilesAt, type DisplayState } from './display-state';
import { tileStatus } from './staleness';
import type { ServerMessage } from './wire';

const config = { staleMs: 10_000, goneMs: 60_000, hrMinIntervalMs: 750 };
const person = (id: string, joinedAt: number) => ({ id, name: `P ${id}`, age: 30, sex: null, weightKg: null, maxHr: null, member: false, joinedAt });
const A = 'aaaaaaaaaaaaaaa';
const B = 'bbbbbbbbbbbbbbb';

function run(msgs: ServerMessage[], from: DisplayState = initialDisplayState) {
  return msgs.reduce(reduceDisplay, from);
}

describe('staleness', () => {
  it('live, stale at staleMs, gone at goneMs', () => {
    expect(tileStatus(1_000, 10_999, config)).toBe('live');
    expect(tileStatus(1_000, 11_000, config)).toBe('stale');
    expect(tileStatus(1_000, 61_000, config)).toBe('gone');
  });
});

describe('display state', () => {
  const timer = createTimer(tabataPlan());
  const base = run([
    { type: 'welcome', v: 1, role: 'display', roomId: 'rrrrrrrrrrrrrrr', participantId: null, displayId: 'ddddddddddddddd', serverTime: 0, config },
    {
      type: 'snapshot',
      serverTime: 100,
      room: { id: 'rrrrrrrrrrrrrrr', name: 'Gym', joinCode: 'ABCD2345' },
      timer,
      participants: [{ ...person(A, 10), hr: { bpm: 120, kcal: null, at: 90 }, seenAt: 90 }],
    },
  ]);

  it('snapshot then deltas', () => {
    expect(base.ready).toBe(true);
    const s = run(
      [
        { type: 'participant', participant: person(B, 200), seenAt: 200 },
        { type: 'hr', participantId: B, bpm: 99, kcal: 1.5, at: 1_200 },
        { type: 'hr', participantId: B, bpm: 50, kcal: 1, at: 1_100 }, // late: ignored
        { type: 'hr', participantId: 'ccccccccccccccc', bpm: 80, kcal: null, at: 1_300 }, // unknown: ignored
      ],
      base,
    );
    const tiles = tilesAt(s, 2_000);
    expect(tiles.map((t) => [t.participant.id, t.hr?.bpm, t.status])).toEqual([
      [A, 120, 'live'],
      [B, 99, 'live'],
    ]);
    expect(tilesAt(s, 10_100).map((t) => t.status)).toEqual(['stale', 'live']);
    expect(tilesAt(s, 61_250).map((t) => t.participant.id)).toEqual([]);
    expect(tilesAt(s, 60_500).map((t) => t.participant.id)).toEqual([B]);
  });

  it('participant-left removes the tile; timer never goes back a revision', () => {
    const newer = { ...timer, revision: 3, startedAt: 500, updatedAt: 500 };
    const s = run(
      [
        { type: 'participant-left', participantId: A, reason: 'removed' },
        { type: 'timer', state: newer },
        { type: 'timer', state: { ...timer, revision: 2 } },
      ],
      base,
    );
    expect(s.tiles).toEqual({});
    expect(s.timer!.revision).toBe(3);
  });

  it('a reconnect snapshot replaces the tiles', () => {
    const s = run([{ type: 'snapshot', serverTime: 5, room: base.room!, timer, participants: [] }], base);
    expect(Object.keys(s.tiles)).toEqual([]);
  });
});
