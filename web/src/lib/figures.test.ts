import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatBpm, formatCountdown, formatDuration, formatKcal, formatRestDrop, formatRmssd, formatTrimp } from './figures';

describe('figures: the one format of each figure', () => {
  it('durations: m:ss under an hour, h:mm:ss from an hour, truncated to the whole second', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(-5_000)).toBe('0:00');
    expect(formatDuration(999)).toBe('0:00');
    expect(formatDuration(84_600)).toBe('1:24');
    expect(formatDuration(84_999)).toBe('1:24');
    expect(formatDuration(245_000)).toBe('4:05');
    expect(formatDuration(3_599_999)).toBe('59:59');
    expect(formatDuration(3_723_000)).toBe('1:02:03');
    expect(formatDuration(36_000_000)).toBe('10:00:00');
  });

  it('countdowns round up, so the last 0.2 s reads 0:01, never 0:00 early', () => {
    expect(formatCountdown(200)).toBe('0:01');
    expect(formatCountdown(20_000)).toBe('0:20');
    expect(formatCountdown(0)).toBe('0:00');
  });

  it('heart rate, calories: whole numbers; TRIMP one decimal; RMSSD whole ms; "—" when absent', () => {
    expect(formatBpm(142.6)).toBe('143');
    expect(formatBpm(null)).toBe('—');
    expect(formatKcal(3.5)).toBe('4');
    expect(formatKcal(0.2)).toBe('0');
    expect(formatTrimp(12.345)).toBe('12.3');
    expect(formatTrimp(0)).toBe('0.0');
    expect(formatRmssd(27.4)).toBe('27');
    expect(formatRmssd(27.5)).toBe('28');
    expect(formatRmssd(null)).toBe('—');
  });

  it('rest drop: positive when heart rate falls, negative (U+2212) when it rises, never "−0"', () => {
    expect(formatRestDrop(4)).toBe('4 bpm');
    expect(formatRestDrop(58.4)).toBe('58 bpm');
    expect(formatRestDrop(-3)).toBe('−3 bpm');
    expect(formatRestDrop(0)).toBe('0 bpm');
    expect(formatRestDrop(-0)).toBe('0 bpm');
    expect(formatRestDrop(-0.4)).toBe('0 bpm');
    expect(formatRestDrop(0.4)).toBe('0 bpm');
    expect(formatRestDrop(null)).toBe('—');
    expect(formatRestDrop(undefined)).toBe('—');
  });
});

describe('figures are formatted only here', () => {
  const root = path.resolve(import.meta.dirname, '../../..');
  const sources = (dir: string) =>
    (readdirSync(path.join(root, dir), { recursive: true }) as string[])
      .filter((f) => /\.(ts|svelte)$/.test(f) && !f.endsWith('.test.ts'))
      .map((f) => ({ file: path.join(dir, f), text: readFileSync(path.join(root, dir, f), 'utf8') }));
  const files = sources('web/src');

  it('no other module (web/src or core) defines a duration or figure formatter', () => {
    const pattern = /function format(Duration|Countdown|Minutes|Seconds|TrackTime|Bpm|Kcal|Calories|Trimp|Rmssd|RestDrop)\b/;
    const defining = [...files, ...sources('core')].filter(({ text }) => pattern.test(text));
    expect(defining.map((d) => d.file)).toEqual(['web/src/lib/figures.ts']);
  });

  it('no component rounds a heart rate, calorie, TRIMP, RMSSD or drop by hand', () => {
    const byHand = files
      .filter(({ file }) => file.endsWith('.svelte'))
      .flatMap(({ file, text }) => text.split('\n').map((line, i) => ({ at: `${file}:${i + 1}`, line })))
      .filter(({ line }) => /toFixed\(|Math\.round\(/.test(line) && /bpm|kcal|rmssd|trimp|drop|maxHr/i.test(line));
    expect(byHand.map((b) => `${b.at}: ${b.line.trim()}`)).toEqual([]);
  });
});
