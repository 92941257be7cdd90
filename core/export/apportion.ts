/**
 * Largest-remainder apportionment (Hamilton's method): split a whole `total` into integer parts
 * in proportion to `weights`, so the parts add up to the total exactly and each is its exact
 * share rounded down or up. Used where a file states both a total and its parts (a session's
 * calories and its laps'), which rounding each part on its own would make disagree.
 * All-zero weights share the total equally.
 */
export function apportion(weights: readonly number[], total: number): number[] {
  if (weights.length === 0) return [];
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (sum > 0 ? (total * w) / sum : total / weights.length));
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  // Largest remainder first; ties to the earlier part, so the result does not depend on sort stability.
  const order = exact.map((e, i) => ({ i, r: e - parts[i]! })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) parts[order[k]!.i]!++;
  return parts;
}
