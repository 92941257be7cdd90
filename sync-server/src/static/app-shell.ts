import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { MiddlewareHandler } from 'hono';

/**
 * Serves the built PWA (adapter-static output). Hashed assets under /_app/immutable/ are
 * cached for a year as immutable; the service worker, the HTML shell and the manifest are
 * revalidated on every load (no-cache), so an update is seen at once. Paths without a file
 * fall back to the SPA shell (index.html); /api/* never reaches this handler.
 */

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
  '.ogg': 'audio/ogg',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml',
};

export function inlineScriptHashes(html: string): string[] {
  const hashes: string[] = [];
  for (const m of html.matchAll(/<script(\s[^>]*)?>([\s\S]*?)<\/script>/gi)) {
    if (/\ssrc\s*=/.test(m[1] ?? '')) continue;
    hashes.push(createHash('sha256').update(m[2] ?? '').digest('base64'));
  }
  return hashes;
}

function cacheControl(urlPath: string): string {
  if (urlPath.startsWith('/_app/immutable/')) return 'public, max-age=31536000, immutable';
  return 'no-cache';
}

export interface AppShell {
  handler: MiddlewareHandler;
  scriptHashes(): string[];
}

export async function createAppShell(dir: string): Promise<AppShell> {
  const root = path.resolve(dir);
  let shell: { html: string; hashes: string[]; etag: string; mtimeMs: number } | null = null;
  // A new build replaces index.html, whose inline boot script (and so its CSP hash) changes
  // with every build: re-read it whenever the file changed, so a deploy needs no restart.
  const loadShell = async () => {
    try {
      const file = path.join(root, 'index.html');
      const { mtimeMs } = await stat(file);
      if (shell && shell.mtimeMs === mtimeMs) return;
      const html = await readFile(file, 'utf8');
      shell = { html, hashes: inlineScriptHashes(html), etag: `"${createHash('sha1').update(html).digest('hex').slice(0, 16)}"`, mtimeMs };
    } catch {
      shell = null;
    }
  };
  await loadShell();

  const sendShell: MiddlewareHandler = async (c) => {
    await loadShell();
    if (!shell) return c.text('The app is not built. Run `npm run build` (npm start does it for you).', 503);
    c.header('Cache-Control', 'no-cache');
    c.header('ETag', shell.etag);
    if (c.req.header('if-none-match') === shell.etag) return c.body(null, 304);
    return c.html(shell.html);
  };

  const handler: MiddlewareHandler = async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
    let urlPath: string;
    try {
      urlPath = decodeURIComponent(c.req.path);
    } catch {
      return c.text('Bad path', 400);
    }
    if (urlPath === '/' || urlPath === '/index.html') return sendShell(c, next);
    const file = path.join(root, path.normalize(urlPath));
    if (!file.startsWith(root + path.sep)) return c.text('Not found', 404);
    const ext = path.extname(file).toLowerCase();
    let info;
    try {
      info = await stat(file);
    } catch {
      info = null;
    }
    if (!info || !info.isFile()) {
      // A route of the SPA (no extension) gets the shell; a missing asset is a real 404.
      if (!ext) return sendShell(c, next);
      return c.text('Not found', 404);
    }
    const etag = `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
    c.header('Cache-Control', cacheControl(urlPath));
    c.header('ETag', etag);
    c.header('Content-Type', TYPES[ext] ?? 'application/octet-stream');
    if (urlPath === '/sw.js' || urlPath.endsWith('/sw.js')) c.header('Service-Worker-Allowed', '/');
    if (c.req.header('if-none-match') === etag) return c.body(null, 304);
    const body = await readFile(file);
    return c.body(body);
  };

  return { handler, scriptHashes: () => shell?.hashes ?? [] };
}
