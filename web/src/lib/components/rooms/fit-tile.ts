/**
 * Makes a display tile's content fit its cell without cutting anything (issue 14: "no truncated
 * number or label"). Steps, each tried only while something still overflows:
 *   1. `data-compact`: optional words go (the zone's name after its number "Z4", the kcal);
 *   2. `--fit-name` < 1: a name with a word wider than the tile shrinks until that word fits
 *      (names wrap between words, never inside one);
 *   3. `--fit-bpm` < 1: the heart rate, the largest figure, gives up to half its size (its CSS
 *      keeps it at 4.9vh, 52 px at 1080p, or more);
 *   4. `--fit` < 1: every font in the tile scales down together.
 * "Overflows" means the content is taller than the tile, or a `[data-fit]` line is wider than its
 * box (scrollWidth > clientWidth, the browser test's own measure). Text is measured by the browser,
 * so this is DOM code; it runs when the tile's size or its words change, not on every reading.
 */
const STEP = 0.05;

const wide = (el: HTMLElement) => el.scrollWidth > el.clientWidth + 1;

function overflows(node: HTMLElement): boolean {
  if (node.scrollHeight > node.clientHeight + 1) return true;
  for (const el of node.querySelectorAll<HTMLElement>('[data-fit]')) if (wide(el)) return true;
  return false;
}

function shrink(node: HTMLElement, prop: string, min: number, still: () => boolean): void {
  let v = 1;
  while (still() && v > min) {
    v = Math.max(min, v - STEP);
    node.style.setProperty(prop, String(v));
  }
}

export function fitTile(node: HTMLElement): void {
  for (const prop of ['--fit', '--fit-name', '--fit-bpm']) node.style.setProperty(prop, '1');
  node.removeAttribute('data-compact');
  if (!overflows(node)) return;
  node.setAttribute('data-compact', '');
  const name = node.querySelector<HTMLElement>('[data-fit-name]');
  if (name) shrink(node, '--fit-name', 0.3, () => wide(name));
  shrink(node, '--fit-bpm', 0.5, () => overflows(node));
  shrink(node, '--fit', 0.4, () => overflows(node));
}

/** Re-fits `node` whenever its box changes size; returns the cleanup. */
export function observeFit(node: HTMLElement): () => void {
  let width = -1;
  let height = -1;
  const ro = new ResizeObserver(() => {
    if (node.clientWidth === width && node.clientHeight === height) return;
    width = node.clientWidth;
    height = node.clientHeight;
    fitTile(node);
  });
  ro.observe(node);
  return () => ro.disconnect();
}
