import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { missingNodeFlags, SERVER_NODE_FLAGS } from './node-flags';

const root = new URL('../../', import.meta.url);

describe('the sync server’s node flags', () => {
  it('are on the command line of `npm start` and of the supervisor line in the README', () => {
    const start = (JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { scripts: Record<string, string> }).scripts.start!;
    const readme = readFileSync(new URL('README.md', root), 'utf8');
    for (const flag of SERVER_NODE_FLAGS) {
      expect(start.split(' ')).toContain(flag);
      expect(readme).toContain(`node ${SERVER_NODE_FLAGS.join(' ')} --import tsx scripts/start.ts`);
    }
  });

  it('tells which are missing, from the command line or NODE_OPTIONS', () => {
    expect(missingNodeFlags([])).toEqual([...SERVER_NODE_FLAGS]);
    expect(missingNodeFlags([...SERVER_NODE_FLAGS])).toEqual([]);
    expect(missingNodeFlags(['--import', 'tsx'], `--enable-source-maps ${SERVER_NODE_FLAGS.join(' ')}`)).toEqual([]);
  });
});
