import type { BrowserContext, Page } from 'playwright-core';

/**
 * The leak scan of the provider tests (Spotify, Strava): everything a browser saw and kept,
 * searched for the tokens a provider's emulator issued. The browser must never hold a provider
 * token: not in a response (URL, headers, body), a cookie, Web Storage, IndexedDB or the console.
 */

/** The tokens found in any of the haystacks (an empty list is a clean scan). */
export function leaks(tokens: readonly string[], haystacks: readonly string[]): string[] {
  const all = haystacks.join('\n');
  return tokens.filter((t) => all.includes(t));
}

export interface BrowserWatch {
  /** Every response's URL, headers and body, and every console message, seen so far. */
  seen(): Promise<string[]>;
}

/** Records every response (URL, headers, body) and console message of every page of the context. */
export function watchBrowser(context: BrowserContext): BrowserWatch {
  const seen: string[] = [];
  const pending: Promise<void>[] = [];
  context.on('response', (r) => {
    pending.push(
      (async () => {
        seen.push(r.url(), JSON.stringify(await r.allHeaders().catch(() => ({}))));
        try {
          seen.push(await r.text());
        } catch {
          // redirects and aborted responses have no body
        }
      })(),
    );
  });
  context.on('console', (m) => seen.push(`console.${m.type()}: ${m.text()}`));
  return {
    async seen() {
      await Promise.all(pending);
      return [...seen];
    },
  };
}

/** Everything the browser keeps: cookies, Web Storage and every IndexedDB database's rows. */
export async function browserStorage(context: BrowserContext, page: Page): Promise<string[]> {
  const cookies = (await context.cookies()).map((c) => `${c.name}=${c.value}`);
  const stored = await page.evaluate(async () => {
    const out: string[] = [];
    for (const s of [localStorage, sessionStorage]) for (let i = 0; i < s.length; i++) out.push(`${s.key(i)}=${s.getItem(s.key(i)!)}`);
    for (const info of await indexedDB.databases()) {
      if (!info.name) continue;
      const db = await new Promise<IDBDatabase>((ok, fail) => {
        const req = indexedDB.open(info.name!);
        req.onsuccess = () => ok(req.result);
        req.onerror = () => fail(req.error);
      });
      for (const name of Array.from(db.objectStoreNames)) {
        const rows = await new Promise<unknown[]>((ok, fail) => {
          const req = db.transaction(name, 'readonly').objectStore(name).getAll();
          req.onsuccess = () => ok(req.result);
          req.onerror = () => fail(req.error);
        });
        out.push(`${info.name}/${name}: ${JSON.stringify(rows)}`);
      }
      db.close();
    }
    return out;
  });
  return [...cookies, ...stored];
}
