import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { iconGlyphs } from '../../web/src/lib/icons/glyphs';

// Icons are SVG (issue 13): a font may lack ⏮ ⏸ ▶ and they render as empty boxes. No component
// of the PWA writes such a glyph; lib/icons/Icon.svelte draws them instead.
const web = fileURLToPath(new URL('../../web/src', import.meta.url));

async function svelteFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) => {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) return svelteFiles(full);
      return Promise.resolve(e.name.endsWith('.svelte') ? [full] : []);
    }),
  );
  return nested.flat();
}

describe('PWA components', () => {
  it('draw no icon with a text glyph', async () => {
    const files = await svelteFiles(web);
    expect(files.length).toBeGreaterThan(20);
    const found: string[] = [];
    for (const file of files) {
      const glyphs = iconGlyphs(await readFile(file, 'utf8'));
      if (glyphs.length > 0) found.push(`${path.relative(web, file)}: ${glyphs.join(' ')}`);
    }
    expect(found).toEqual([]);
  });
});
