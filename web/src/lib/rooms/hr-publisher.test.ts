import { describe, expect, it } from 'vitest';
import type { ReadingSink, StrapEvent } from '$core/heart-rate';
import { publishHeartRate } from './hr-publisher';

describe('publishHeartRate', () => {
  it('sends the newest valid reading at most once per interval, never one from a gap', () => {
    let sink: ReadingSink = () => {};
    let tick = () => {};
    const sent: Array<[number, number | undefined]> = [];
    const stop = publishHeartRate({
      strap: { subscribe: (s) => ((sink = s), () => {}) },
      send: (bpm, kcal) => (sent.push([bpm, kcal]), true),
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
    stop();
  });
});
