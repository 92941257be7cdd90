import { describe, expect, it } from 'vitest';
import { formatBpm, formatDuration, formatMinutes } from './format';

describe('history formatting', () => {
  it('durations', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(245_000)).toBe('4:05');
    expect(formatDuration(3_723_000)).toBe('1:02:03');
  });
  it('minutes and bpm', () => {
    expect(formatMinutes(40_000)).toBe('40 s');
    expect(formatMinutes(200_000)).toBe('3 min 20 s');
    expect(formatMinutes(120_000)).toBe('2 min');
    expect(formatMinutes(720_000)).toBe('12 min');
    expect(formatMinutes(3_900_000)).toBe('1 h 05 min');
    expect(formatBpm(null)).toBe('—');
    expect(formatBpm(142.6)).toBe('143');
  });
});
