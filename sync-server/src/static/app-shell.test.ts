import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { inlineScriptHashes } from './app-shell';

describe('inlineScriptHashes', () => {
  it('hashes inline scripts only, exactly as CSP does (SHA-256 of the text, base64)', () => {
    const body = '\n  import("/x.js")\n';
    const html = `<script src="/a.js"></script><script type="module">${body}</script><p>hi</p>`;
    expect(inlineScriptHashes(html)).toEqual([createHash('sha256').update(body).digest('base64')]);
  });
  it('finds none in a page without inline scripts', () => {
    expect(inlineScriptHashes('<script src="/a.js"></script>')).toEqual([]);
  });
});
