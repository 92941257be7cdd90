import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openBrowser } from '../support/browser';
import { useTestServer } from '../support/test-server';

// The live workout screen in the built PWA, in Debian's Chromium, with the simulated strap:
// a custom plan with every kind of phase (prepare, work, rest, cool-down), walked through with
// Skip phase, measured in each phase at phone and tablet sizes, portrait and landscape, light
// and dark. It fails on sideways overflow, on cut text, on anything wider than the screen, on a
// heart rate that is not the largest text or is off screen (with the buttons), on a phase label
// used as the zone label, and on serious or critical axe violations. Then at 200 % text size the
// countdown and the heart rate must still be whole.
const server = useTestServer();
const tid = (page: Page, id: string) => page.getByTestId(id);
const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

const VIEWPORTS = [
  { width: 360, height: 740 },
  { width: 390, height: 844 },
  { width: 844, height: 390 },
  { width: 820, height: 1180 },
  { width: 1920, height: 1080 },
] as const;
const SCHEMES = ['light', 'dark'] as const;

async function seriousViolations(page: Page): Promise<string[]> {
  // addScriptTag would be an inline script, which the app's CSP blocks; evaluate is not a script tag.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(await readFile(AXE_PATH, 'utf8'));
  const result = (await page.evaluate(() => (window as unknown as { axe: { run(): Promise<unknown> } }).axe.run())) as {
    violations: Array<{ id: string; impact: string | null; nodes: Array<{ target: unknown }> }>;
  };
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${JSON.stringify(v.nodes.map((n) => n.target))}`);
}

interface Layout {
  problems: string[];
  bpmSize: number;
  largestOther: { size: number; text: string };
}

/** Everything the layout must hold, measured in the page after two frames. */
function measure(page: Page): Promise<Layout> {
  return page.evaluate(async () => {
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const problems: string[] = [];
    const vw = document.documentElement.clientWidth;
    const vh = window.innerHeight;
    if (document.documentElement.scrollWidth > vw + 1) problems.push(`page scrolls sideways: ${document.documentElement.scrollWidth} > ${vw}`);

    const hidden = (el: Element) => el.closest('.visually-hidden, [aria-hidden="true"]') !== null;
    const ownText = (el: Element) =>
      [...el.childNodes]
        .filter((n) => n.nodeType === Node.TEXT_NODE)
        .map((n) => n.textContent ?? '')
        .join('')
        .trim();
    const label = (el: Element) => `${el.tagName.toLowerCase()}${el.getAttribute('data-testid') ? `[${el.getAttribute('data-testid')}]` : ''} "${(el.textContent ?? '').trim().slice(0, 40)}"`;

    // Every element in the live screen that carries a number or a label (its own text).
    const live = document.querySelector('[data-testid="workout-live"]')!;
    for (const el of [live, ...live.querySelectorAll('*')]) {
      if (hidden(el) || !ownText(el)) continue;
      const rect = el.getBoundingClientRect();
      if (rect.width === 0 && rect.height === 0) continue;
      if (rect.left < -1 || rect.right > vw + 1) problems.push(`${label(el)} outside the screen: ${Math.round(rect.left)}..${Math.round(rect.right)} of ${vw}`);
      const range = document.createRange();
      range.selectNodeContents(el);
      const text = range.getBoundingClientRect();
      if (text.left < -1 || text.right > vw + 1) problems.push(`${label(el)} text outside the screen`);
      if (getComputedStyle(el).display !== 'inline' && el.scrollWidth > el.clientWidth + 1) problems.push(`${label(el)} cut: ${el.scrollWidth} > ${el.clientWidth}`);
    }

    // The heart rate and the buttons are on screen (the page may scroll for what is below).
    for (const id of ['hr-bpm', 'btn-pause', 'btn-skip', 'btn-stop']) {
      const r = document.querySelector(`[data-testid="${id}"]`)?.getBoundingClientRect();
      if (!r) problems.push(`${id} missing`);
      else if (r.top < -1 || r.bottom > vh + 1 || r.left < -1 || r.right > vw + 1) problems.push(`${id} off screen: top ${Math.round(r.top)} bottom ${Math.round(r.bottom)} of ${vh}`);
    }

    // The heart rate is the largest text on the page.
    const bpm = document.querySelector('[data-testid="hr-bpm"]')!;
    const bpmSize = parseFloat(getComputedStyle(bpm).fontSize);
    let largestOther = { size: 0, text: '' };
    for (const el of document.body.querySelectorAll('*')) {
      if (el === bpm || el.contains(bpm) || bpm.contains(el) || hidden(el) || !ownText(el)) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      const size = parseFloat(getComputedStyle(el).fontSize);
      if (size > largestOther.size) largestOther = { size, text: label(el) };
    }
    return { problems, bpmSize, largestOther };
  });
}

const phaseOf = async (page: Page) => (await tid(page, 'workout-live').getAttribute('data-kind')) ?? '';

describe('the live workout screen', () => {
  it('keeps the heart rate largest and every figure whole in every phase, size and colour scheme, with no serious axe violation', async () => {
    const b = await openBrowser({ viewport: VIEWPORTS[0] });
    try {
      const page = b.context.pages()[0] ?? (await b.context.newPage());
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(server.url + '/workout');
      await tid(page, 'strap-simulated').click();
      await expect.poll(() => tid(page, 'strap-status').textContent(), { timeout: 10_000 }).toMatch(/bpm/);

      // Long phases, walked with Skip: prepare, work, rest, work, cool-down.
      await tid(page, 'plan-new').click();
      await tid(page, 'plan-name').fill('Layout walk');
      await tid(page, 'plan-prepare').fill('600');
      await tid(page, 'block-0-work').fill('600');
      await tid(page, 'block-0-rest').fill('600');
      await tid(page, 'block-0-rounds').fill('2');
      await tid(page, 'plan-cooldown').fill('600');
      await tid(page, 'plan-start').click();
      await tid(page, 'workout-live').waitFor();
      await expect.poll(() => page.evaluate(() => Number(document.querySelector('[data-testid="hr-bpm"]')?.textContent)), { timeout: 10_000 }).toBeGreaterThan(30);
      await tid(page, 'live-hr-graph').waitFor();

      const seen = [await phaseOf(page)];
      for (const phase of ['prepare', 'work', 'rest', 'cooldown']) {
        while ((await phaseOf(page)) !== phase) {
          const before = await phaseOf(page);
          await tid(page, 'btn-skip').click();
          await expect.poll(() => phaseOf(page)).not.toBe(before);
          seen.push(await phaseOf(page));
        }
        // The phase says itself in text and with its own icon, not only in colour.
        await expect.poll(() => tid(page, 'phase-label').textContent()).toMatch({ prepare: /get ready/i, work: /work/i, rest: /rest/i, cooldown: /cool-down/i }[phase]!);
        expect(await tid(page, 'phase-label').locator(`[data-phase-icon="${phase}"]`).count()).toBe(1);

        for (const scheme of SCHEMES) {
          await page.emulateMedia({ colorScheme: scheme });
          for (const viewport of VIEWPORTS) {
            await page.setViewportSize(viewport);
            const where = `${phase} ${scheme} ${viewport.width}×${viewport.height}`;
            await expect.poll(() => page.evaluate(() => Number(document.querySelector('[data-testid="hr-bpm"]')?.textContent)), { timeout: 10_000 }).toBeGreaterThan(30);
            const layout = await measure(page);
            expect(layout.problems, where).toEqual([]);
            expect(layout.bpmSize, `${where}: heart rate ${layout.bpmSize}px vs ${layout.largestOther.text} ${layout.largestOther.size}px`).toBeGreaterThan(layout.largestOther.size);
            // The zone label is the heart rate's zone, never the phase.
            expect(await tid(page, 'hr-zone').textContent(), where).not.toMatch(/Zone 0|Rest/);
            expect(await tid(page, 'hr-percent').textContent(), where).toMatch(/^\d+ % max$/);
          }
          await page.setViewportSize(VIEWPORTS[1]);
          expect(await seriousViolations(page), `${phase} ${scheme}`).toEqual([]);
        }
      }
      expect(seen).toEqual(['prepare', 'work', 'rest', 'work', 'cooldown']);
      expect(errors, 'page errors').toEqual([]);
    } finally {
      await b.close();
    }
  });

  it('at 200 % text size the countdown and the heart rate are whole on a phone', async () => {
    const b = await openBrowser({ viewport: { width: 360, height: 740 } });
    try {
      const page = b.context.pages()[0] ?? (await b.context.newPage());
      await page.goto(server.url + '/workout');
      await tid(page, 'strap-simulated').click();
      await expect.poll(() => tid(page, 'strap-status').textContent(), { timeout: 10_000 }).toMatch(/bpm/);
      // 10 minutes of work: the countdown shows its widest form, "10:00".
      await tid(page, 'plan-new').click();
      await tid(page, 'plan-prepare').fill('0');
      await tid(page, 'block-0-work').fill('600');
      await tid(page, 'block-0-rest').fill('600');
      await tid(page, 'block-0-rounds').fill('2');
      await tid(page, 'plan-start').click();
      await tid(page, 'workout-live').waitFor();
      await expect.poll(() => page.evaluate(() => Number(document.querySelector('[data-testid="hr-bpm"]')?.textContent)), { timeout: 10_000 }).toBeGreaterThan(30);
      // The text size setting of a browser or OS scales rem: the root font size doubles.
      await page.evaluate(() => (document.documentElement.style.fontSize = '200%'));
      for (const viewport of [
        { width: 360, height: 740 },
        { width: 390, height: 844 },
        { width: 844, height: 390 },
      ]) {
        await page.setViewportSize(viewport);
        const where = `200 % ${viewport.width}×${viewport.height}`;
        const whole = await page.evaluate(async () => {
          await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
          const vw = document.documentElement.clientWidth;
          const out: Record<string, { cut: boolean; left: number; right: number; rootPx: number }> = {};
          for (const id of ['phase-countdown', 'hr-bpm']) {
            const el = document.querySelector(`[data-testid="${id}"]`)!;
            const box = id === 'hr-bpm' ? el.parentElement! : el;
            const range = document.createRange();
            range.selectNodeContents(el);
            const r = range.getBoundingClientRect();
            out[id] = { cut: box.scrollWidth > box.clientWidth + 1, left: r.left, right: r.right - vw, rootPx: parseFloat(getComputedStyle(document.documentElement).fontSize) };
          }
          return out;
        });
        for (const [id, m] of Object.entries(whole)) {
          expect(m.rootPx, where).toBe(32);
          expect(m.cut, `${where} ${id} cut`).toBe(false);
          expect(m.left, `${where} ${id} left edge`).toBeGreaterThanOrEqual(0);
          expect(m.right, `${where} ${id} right edge`).toBeLessThanOrEqual(0);
        }
        // What sticks out to the right, if anything (the page must not scroll sideways).
        const sticksOut = await page.evaluate(() => {
          const vw = document.documentElement.clientWidth;
          if (document.documentElement.scrollWidth <= vw + 1) return [];
          return Array.from(document.querySelectorAll('body *'))
            .filter((e) => e.getBoundingClientRect().right > vw + 1)
            .map((e) => `${e.tagName.toLowerCase()}.${String(e.className).split(' ')[0]} ${Math.round(e.getBoundingClientRect().right)}px`)
            .slice(-6);
        });
        expect(sticksOut, `${where}: the page scrolls sideways`).toEqual([]);
        expect(await tid(page, 'phase-countdown').textContent()).toMatch(/\d+:\d\d/);
      }
    } finally {
      await b.close();
    }
  });
});
