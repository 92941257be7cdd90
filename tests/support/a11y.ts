import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** Serious and critical axe violations on the page as it is now, one line each. */
export async function seriousViolations(page: Page): Promise<string[]> {
  // addScriptTag would be an inline script, which the app's CSP blocks; evaluate is not a script tag.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(await readFile(AXE_PATH, 'utf8'));
  const result = (await page.evaluate(() => (window as unknown as { axe: { run(): Promise<unknown> } }).axe.run())) as {
    violations: Array<{ id: string; impact: string | null; nodes: Array<{ target: unknown }> }>;
  };
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${JSON.stringify(v.nodes.map((n) => n.target))}`);
}

/**
 * What a member cannot read on the page as laid out now, one line each:
 * - the document scrolls sideways (wider than the viewport);
 * - an element with text of its own (a number or a label) is cut: its content is wider or
 *   taller than its box where the box hides the overflow (overflow hidden/clip, an ellipsis,
 *   line clamping), or it sticks out of the viewport to the left or right.
 * Skipped: what is not rendered or visually hidden on purpose (1 px screen-reader text), and
 * what sits inside a container that scrolls sideways on purpose (a wide table), which the
 * member can scroll to.
 */
export function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const vw = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > vw + 1) problems.push(`the page scrolls sideways: ${document.documentElement.scrollWidth}px in a ${vw}px viewport`);
    const name = (el: Element) => `${el.tagName.toLowerCase()}${el.getAttribute('data-testid') ? `[data-testid=${el.getAttribute('data-testid')}]` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.split(/\s+/)[0]}` : ''} "${(el.textContent ?? '').trim().slice(0, 40)}"`;
    const scrollsSideways = (el: Element) => {
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        const o = getComputedStyle(a).overflowX;
        if ((o === 'auto' || o === 'scroll') && a.scrollWidth > a.clientWidth) return true;
      }
      return false;
    };
    for (const el of Array.from(document.body.querySelectorAll<HTMLElement>('*'))) {
      const ownText = Array.from(el.childNodes).some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== '');
      if (!ownText) continue;
      const style = getComputedStyle(el);
      if (style.display === 'none' || style.visibility === 'hidden' || el.getClientRects().length === 0) continue;
      const rect = el.getBoundingClientRect();
      if (rect.width <= 1 || rect.height <= 1) continue; // visually hidden on purpose
      if (el.closest('[aria-hidden="true"], dialog:not([open])')) continue;
      const hides = (o: string) => o === 'hidden' || o === 'clip';
      const clamps = style.textOverflow === 'ellipsis' || style.webkitLineClamp !== 'none';
      if ((hides(style.overflowX) || clamps) && el.scrollWidth > el.clientWidth + 1) problems.push(`${name(el)} is cut: ${el.scrollWidth}px of text in ${el.clientWidth}px`);
      else if ((hides(style.overflowY) || clamps) && el.scrollHeight > el.clientHeight + 1) problems.push(`${name(el)} is cut: ${el.scrollHeight}px of text in ${el.clientHeight}px high`);
      if ((rect.left < -1 || rect.right > vw + 1) && !scrollsSideways(el)) problems.push(`${name(el)} is outside the viewport (${Math.round(rect.left)}–${Math.round(rect.right)} of ${vw}px)`);
    }
    return problems;
  });
}
