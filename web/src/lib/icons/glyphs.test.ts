import { describe, expect, it } from 'vitest';
import { iconGlyphs } from './glyphs';

describe('iconGlyphs', () => {
  it('finds media, shape, dingbat, private-use and emoji glyphs', () => {
    expect(iconGlyphs('⏮ prev ⏸ ▶ ⏭ ✓ \ue001 🎵')).toEqual(['⏮', '⏸', '▶', '⏭', '✓', '\ue001', '🎵']);
  });

  it('leaves ordinary text and typography alone', () => {
    expect(iconGlyphs('Zone 2 · 65 % max — 8 × 20 s, −3 bpm, ≥ 16 px, “Next”…')).toEqual([]);
  });
});
