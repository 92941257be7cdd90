import { describe, expect, it } from 'vitest';
import type { ReadingSink, StrapEvent } from '$core/heart-rate';
import { parseClientMessage } from '$core/rooms';
import { hrMessage, publishHeartRate } from './hr-publisher';

describe('publishHeartRate', () => {
  it('sends the newest valid reading at most once per interval, never one from a gap', () => {
    let sink: ReadingSink = () => {};
    let tick = () => {};
    const sent: Array<[number, number | undefined, { seq: number; t: number }]> = [];
    let clock = 10_000;
    const stop = publishHeartRate({
      strap: { subscribe: (s) => ((sink = s), () => {}) },
      send: (bpm, kcal, pace) => (sent.push([bpm, kcal, pace]), true),
      now: () => (clock += 1_000),
      person: { sex: 'female', weightKg: 60, age: 40 },
      setInterval: (fn) => ((tick = fn), 1),
      clearInterval: () => {},
    });
    const reading = (bpm: number, t: number, contact: 'detected' | 'not-detected' = 'detected'): StrapEvent =>
      ({ type: 'reading', reading: { bpm, t, contact, rr1024: [], energyKj: null } }) as unknown as StrapEvent;
    sink(reading(120, 1_000));
    sink(reading(130, 1_500));
    tick();
    tick(); // nothing new
    sink(reading(0, 2_000, 'not-detected'));
    tick();
    sink(reading(140, 3_000));
    tick();
    expect(sent.map(([b]) => b)).toEqual([130, 140]);
    expect(sent[1]![1]).toBeGreaterThan(0);
    // Its own sequence and clock, for the server's pacing.
    expect(sent.map(([, , p]) => p.seq)).toEqual([0, 1]);
    expect(sent[1]![2].t).toBeGreaterThan(sent[0]![2].t);
    stop();
  });

  it('builds a frame the server accepts', () => {
    expect(hrMessage(131, 12.5, { seq: 3, t: 1234.56 })).toEqual({ type: 'hr', bpm: 131, kcal: 12.5, seq: 3, t: 1235 });
    expect(parseClientMessage(JSON.stringify(hrMessage(97, undefined, { seq: 0, t: 0 }))).ok).toBe(true);
    const withPoints = hrMessage(150, undefined, { seq: 1, t: 10 }, 17);
    expect(withPoints).toEqual({ type: 'hr', bpm: 150, points: 17, seq: 1, t: 10 });
    expect(parseClientMessage(JSON.stringify(withPoints)).ok).toBe(true);
    expect(parseClientMessage(JSON.stringify({ ...withPoints, points: -1 })).ok).toBe(false);
  });

  it('sends the points worked out from every reading so far, gaps included, with each heart rate', () => {
    let sink: ReadingSink = () => {};
    let tick = () => {};
    const sent: Array<number | undefined> = [];
    const seen: number[][] = [];
    publishHeartRate({
      strap: { subscribe: (s) => ((sink = s), () => {}) },
      send: (_bpm, _kcal, _pace, points) => (sent.push(points), true),
      person: null,
      points: (readings) => (seen.push(readings.map((r) => r.bpm)), readings.length > 2 ? readings.length : undefined),
      setInterval: (fn) => ((tick = fn), 1),
      clearInterval: () => {},
    });
    const reading = (bpm: number, t: number): StrapEvent => ({ type: 'reading', reading: { bpm, t, contact: bpm ? 'detected' : 'not-detected', rr1024: [], energyKj: null } }) as unknown as StrapEvent;
    sink(reading(120, 1_000));
    tick();
    sink(reading(0, 2_000));
    sink(reading(125, 3_000));
    tick();
    expect(sent).toEqual([undefined, 3]);
    expect(seen).toEqual([[120], [120, 0, 125]]);
  });
});
