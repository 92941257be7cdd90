import { describe, expect, it } from 'vitest';
import type { Playable } from './catalog';
import { activate, createPlayer, currentItem, load, pause, progressAt, resume, scheduleSkip, settle, type PlayRecord } from './player';

const track = (id: string, durationMs: number): Playable => ({ kind: 'track', id, name: id, durationMs, artists: [], album: '' });
const rules = { idleDeviceMs: 30 * 60_000, skipCountsAfterMs: 30_000 };

function started(now = 0) {
  const p = createPlayer(now);
  p.devices = [{ id: 'd', name: 'd', type: 'Computer', volumePercent: 50, supportsVolume: true, isRestricted: false, isPrivateSession: false }];
  activate(p, now, 'd');
  const plays: PlayRecord[] = [];
  load(p, now, { queue: [track('a', 100_000), track('b', 200_000)], index: 0, positionMs: 0, context: null, play: true }, rules, (r) => plays.push(r));
  return { p, plays, run: (t: number) => settle(p, t, rules, (r) => plays.push(r)) };
}

describe('player simulation', () => {
  it('computes progress from the clock while playing and freezes it when paused', () => {
    const { p, run } = started();
    run(40_000);
    expect(progressAt(p, 40_000)).toBe(40_000);
    pause(p, 40_000);
    run(90_000);
    expect(progressAt(p, 90_000)).toBe(40_000);
    resume(p, 90_000);
    run(95_000);
    expect(progressAt(p, 95_000)).toBe(45_000);
  });

  it('records a completed item at its end and moves on', () => {
    const { p, plays, run } = started();
    run(150_000);
    expect(plays).toEqual([{ item: track('a', 100_000), startedAt: 0, endedAt: 100_000, context: null }]);
    expect(currentItem(p)?.id).toBe('b');
    expect(progressAt(p, 150_000)).toBe(50_000);
  });

  it('applies a delayed skip only when its time comes, and counts it after 30 s of listening', () => {
    const { p, plays, run } = started();
    run(40_000);
    scheduleSkip(p, 40_300, 'next');
    run(40_100);
    expect(currentItem(p)?.id).toBe('a');
    run(40_300);
    expect(currentItem(p)?.id).toBe('b');
    expect(plays.map((r) => r.endedAt)).toEqual([40_300]);
  });

  it('a skip within 30 s is not a play', () => {
    const { p, plays, run } = started();
    scheduleSkip(p, 10_000, 'next');
    run(20_000);
    expect(plays).toHaveLength(0);
  });

  it('stops at the end of the queue and the device goes idle later', () => {
    const { p, run } = started();
    run(300_000);
    expect(p.isPlaying).toBe(false);
    expect(p.activeDeviceId).toBe('d');
    run(300_000 + 30 * 60_000);
    expect(p.activeDeviceId).toBeNull();
  });

  it('survives a six-month jump with repeat on', () => {
    const { p, plays, run } = started();
    p.repeat = 'context';
    run(183 * 86_400_000);
    expect(p.isPlaying).toBe(true);
    expect(plays.length).toBeGreaterThanOrEqual(50);
    expect(plays.length).toBeLessThan(200);
  });
});
