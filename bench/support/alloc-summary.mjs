/**
 * Sums up an allocation profile (bench/support/alloc-probe.mjs, or any .heapprofile): bytes by
 * allocating function (self) and by function on the stack (total), largest first.
 *   node bench/support/alloc-summary.mjs /tmp/prof/alloc-123.heapprofile [rows]
 */
import { readFileSync } from 'node:fs';

const profile = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const rows = Number(process.argv[3] ?? 30);
const self = new Map();
const total = new Map();
let all = 0;
const name = (f) => `${f.functionName || '(anonymous)'} ${f.url.replace(/.*node_modules\//, '').replace(/^file:\/\/.*?\/(sync-server|core|bench)\//, '$1/')}:${f.lineNumber + 1}`;
(function walk(node, stack) {
  const k = name(node.callFrame);
  const own = node.selfSize;
  all += own;
  self.set(k, (self.get(k) ?? 0) + own);
  const here = stack.includes(k) ? stack : [...stack, k];
  // Total: every distinct function on the path gets this node's own bytes.
  for (const f of here) total.set(f, (total.get(f) ?? 0) + own);
  for (const c of node.children ?? []) walk(c, here);
})(profile.head, []);
const top = (m) => [...m].sort((a, b) => b[1] - a[1]).slice(0, rows).map(([k, v]) => `${(v / 2 ** 20).toFixed(1).padStart(8)} MB ${((100 * v) / all).toFixed(1).padStart(5)} %  ${k}`).join('\n');
console.log(`allocated (sampled): ${(all / 2 ** 20).toFixed(1)} MB\n--- by allocating function\n${top(self)}\n--- by function on the stack\n${top(total)}`);
