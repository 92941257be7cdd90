import { describe, expect, it } from 'vitest';
import { formatRestDrop } from './figures';

describe('figures', () => {
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
