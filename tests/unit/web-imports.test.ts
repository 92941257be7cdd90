import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// web/ imports nothing from sync-server/ (issue 11): shared rules and wire formats live in
// core/, and the PWA's tests meet the real server logic from tests/unit instead.
const root = fileURLToPath(new URL('../..', import.meta.url));

/** Module specifiers of static imports, re-exports, dynamic imports and side-effect imports. */
export function importsOf(source: string): string[] {
  const out: string[] = [];
  const patterns = [/\bfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g, /\bimport\s+['"]([^'"]+)['"]/g];
  for (const re of patterns) for (const m of source.matchAll(re)) out.push(m[1]!);
  return out;
}

const reachesServer = (specifier: string) => /(^|\/)sync-server(\/|$)/.test(specifier);

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) => {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) return sourceFiles(full);
      return Promise.resolve(/\.(ts|js|svelte)$/.test(e.name) ? [full] : []);
    }),
  );
  return nested.flat();
}

describe('web/ imports nothing from sync-server/', () => {
  it('finds such an import when there is one (control)', () => {
    expect(importsOf(`import { x } from '../../../../sync-server/src/sync/plan';\nconst y = await import("../sync-server/a");`).filter(reachesServer)).toHaveLength(2);
    expect(importsOf(`// see sync-server/src/routes/rooms.ts\nimport { a } from '$core/sync';`).filter(reachesServer)).toEqual([]);
  });

  it('no file under web/src imports a sync-server module', async () => {
    const offenders: string[] = [];
    for (const file of await sourceFiles(path.join(root, 'web/src'))) {
      for (const spec of importsOf(await readFile(file, 'utf8')).filter(reachesServer)) offenders.push(`${path.relative(root, file)}: ${spec}`);
    }
    expect(offenders).toEqual([]);
  });
});
