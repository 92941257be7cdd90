import { createServer, type Server } from 'node:http';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpSink, type SmtpSink } from '../../sync-server/src/mail/smtp-sink';
import { openBrowser, signUpInBrowser, type TestBrowser } from '../support/browser';
import { newMember } from '../support/http-client';
import { freePort } from '../support/ports';
import { startTestPocketBase, type TestPocketBase } from '../support/pocketbase';
import { startSyncServer, type TestServer } from '../support/sync-server';

// The real PWA (built by npm test) served by a real sync server on a real PocketBase, in
// Debian's Chromium: a member's whole account journey, install, offline and CSRF.
let pb: TestPocketBase;
let smtp: SmtpSink;
let server: TestServer;

beforeAll(async () => {
  pb = await startTestPocketBase();
  smtp = await startSmtpSink();
  server = await startSyncServer({ pb, smtpPort: smtp.port });
});

afterAll(async () => {
  await server?.stop();
  await smtp?.close();
  await pb?.dispose();
});

const tid = (page: Page, id: string) => page.getByTestId(id);

async function withBrowser(fn: (b: TestBrowser, page: Page) => Promise<void>) {
  const b = await openBrowser();
  try {
    const page = b.context.pages()[0] ?? (await b.context.newPage());
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) errors.push(m.text());
    });
    await fn(b, page);
    expect(errors, 'page errors and CSP violations').toEqual([]);
  } finally {
    await b.close();
  }
}

describe('a member in the browser', () => {
  it('signs up, verifies from the mail, reloads and stays signed in, sees devices, signs out and in', async () => {
    await withBrowser(async (_b, page) => {
      const m = newMember('web');
      await signUpInBrowser(page, server.url, m);
      await tid(page, 'verify-banner').waitFor();

      const mail = await smtp.waitFor((x) => x.to.includes(m.email) && /verify/i.test(x.subject));
      const link = mail.links.find((l) => l.includes('/verify-email?token='))!;
      expect(new URL(link).origin).toBe(server.url);
      await page.goto(link);
      await tid(page, 'verify-success').waitFor();
      expect(page.url()).not.toContain('token='); // the token leaves the address bar

      await page.goto(`${server.url}/account`);
      await expect.poll(() => tid(page, 'account-email-status').getAttribute('data-verified')).toBe('true');
      await page.reload();
      await expect.poll(() => tid(page, 'account-email').textContent()).toContain(m.email);
      const rows = tid(page, 'device-row');
      await expect.poll(() => rows.count()).toBe(1);
      expect(await rows.first().getAttribute('data-current')).toBe('true');

      await tid(page, 'account-signout').click();
      await page.waitForURL((u) => !u.pathname.startsWith('/account'));
      const me = await page.evaluate(async () => (await fetch('/api/v1/me')).status);
      expect(me).toBe(401);

      await page.goto(`${server.url}/signin`);
      await tid(page, 'signin-email').fill(m.email);
      await tid(page, 'signin-password').fill(m.password);
      await tid(page, 'signin-device-name').fill('Test Chromium');
      await tid(page, 'signin-submit').click();
      await tid(page, 'home-greeting').waitFor();
      await page.goto(`${server.url}/account`);
      await expect.poll(() => tid(page, 'device-name').first().textContent()).toContain('Test Chromium');
    });
  });

  it('shows a wrong password as an error and keeps the form', async () => {
    await withBrowser(async (_b, page) => {
      await page.goto(`${server.url}/signin`);
      await tid(page, 'signin-email').fill('nobody@example.com');
      await tid(page, 'signin-password').fill('not the password at all');
      await tid(page, 'signin-submit').click();
      await expect.poll(() => tid(page, 'signin-error').textContent()).toMatch(/\S/);
      expect(await tid(page, 'signin-error').getAttribute('data-code')).toBe('invalid_credentials');
    });
  });
});

describe('the PWA shell', () => {
  it('is installable (Chrome reports no installability errors)', async () => {
    await withBrowser(async (_b, page) => {
      await page.goto(server.url + '/');
      await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
      const cdp = await page.context().newCDPSession(page);
      const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as { installabilityErrors: unknown[] };
      expect(installabilityErrors).toEqual([]);
      const manifest = await (await page.request.get(server.url + '/manifest.webmanifest')).json();
      const sizes = manifest.icons.map((i: { sizes: string; purpose?: string }) => `${i.sizes}:${i.purpose ?? 'any'}`);
      expect(sizes).toEqual(expect.arrayContaining(['192x192:any', '512x512:any', '512x512:maskable']));
    });
  });

  it('reloads with the network off and says it is offline; /api is never served from cache', async () => {
    await withBrowser(async (b, page) => {
      await page.goto(server.url + '/');
      await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
      await page.reload();
      await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
      const cached = await page.evaluate(async () => {
        const names = await caches.keys();
        const urls: string[] = [];
        for (const n of names) for (const r of await (await caches.open(n)).keys()) urls.push(new URL(r.url).pathname);
        return urls;
      });
      expect(cached).toContain('/index.html');
      expect(cached.filter((u) => u.startsWith('/api/'))).toEqual([]);

      await b.context.setOffline(true);
      await page.reload();
      await tid(page, 'home-title').waitFor();
      await tid(page, 'offline-banner').waitFor();
      // A request the service worker does not answer really fails: we are offline.
      const apiFails = await page.evaluate(async () => {
        try {
          await fetch('/api/v1/health');
          return false;
        } catch {
          return true;
        }
      });
      expect(apiFails).toBe(true);
      await page.goto(server.url + '/account');
      await tid(page, 'offline-banner').waitFor();
      await b.context.setOffline(false);
    });
  });
});

describe('cross-site requests', () => {
  let evil: Server;
  let evilUrl: string;
  beforeAll(async () => {
    const port = await freePort();
    evilUrl = `http://localhost:${port}`;
    evil = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end(`<!doctype html><form id="f" method="POST" action="${server.url}/api/v1/auth/sessions/revoke-all"><input name="x" value="1"></form>`);
    });
    await new Promise<void>((r) => evil.listen(port, '127.0.0.1', () => r()));
  });
  afterAll(() => new Promise<void>((r) => evil.close(() => r())));

  it('a form POST from another site is refused with 403 and changes nothing', async () => {
    await withBrowser(async (b, page) => {
      const m = newMember('csrf');
      await signUpInBrowser(page, server.url, m);

      const attacker = await b.context.newPage();
      await attacker.goto(evilUrl);
      const [response] = await Promise.all([
        attacker.waitForResponse((r) => r.url().endsWith('/api/v1/auth/sessions/revoke-all')),
        // Submit after evaluate returns: the submission navigates the page away.
        attacker.evaluate(() => void setTimeout(() => (document.getElementById('f') as HTMLFormElement).submit(), 0)),
      ]);
      expect(response.status()).toBe(403);
      const attacker2 = await b.context.newPage();
      await attacker2.goto(evilUrl);
      const viaFetch = attacker2.waitForResponse((r) => r.url().endsWith('/api/v1/auth/logout'));
      await attacker2.evaluate((u) => fetch(`${u}/api/v1/auth/logout`, { method: 'POST', mode: 'no-cors', credentials: 'include' }).catch(() => null), server.url);
      expect((await viaFetch).status()).toBe(403);

      const me = await page.evaluate(async () => (await fetch('/api/v1/me')).status);
      expect(me).toBe(200);
    });
  });
});
