import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import { iconGlyphs } from '$lib/icons/glyphs';
import TransportControls from './TransportControls.svelte';

const noop = () => {};

/** Each <button …>…</button> in server-rendered HTML. */
function buttons(html: string): string[] {
  return html.match(/<button\b[\s\S]*?<\/button>/g) ?? [];
}

describe('Spotify transport controls', () => {
  for (const playing of [false, true]) {
    it(`draw SVG icons named by aria-label, with no glyph a font may lack (${playing ? 'playing' : 'paused'})`, () => {
      const { body } = render(TransportControls, { props: { playing, busy: false, onprevious: noop, ontoggle: noop, onnext: noop, testid: 'np' } });
      const all = buttons(body);
      expect(all).toHaveLength(3);
      const labels = all.map((b) => /aria-label="([^"]+)"/.exec(b)?.[1]);
      expect(labels).toEqual(['Previous track', playing ? 'Pause music' : 'Play music', 'Next track']);
      for (const b of all) {
        expect(b).toMatch(/<svg\b[^>]*aria-hidden="true"/);
        expect(iconGlyphs(b)).toEqual([]);
      }
      expect(all[1]).toContain(`data-icon="${playing ? 'pause' : 'play'}"`);
    });
  }
});
