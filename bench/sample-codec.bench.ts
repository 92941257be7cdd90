/**
 * Sample codec benchmark: size and speed on one hour of realistic 1 Hz readings.
 * Run: node --import tsx bench/sample-codec.bench.ts
 *
 * Size goal (sync issue): at most 3 bytes per reading, RR intervals included. The generator is
 * core/sync/testing/realistic-readings.ts (HR random walk, RR around 61440/bpm ± 3 %); jitter is
 * the BLE arrival delay added to each 1 s tick.
 */
import { decodeChunk, encodeChunk, type Reading } from '../core/sync/sample-codec';
import { realisticReadings, seededRandom } from '../core/sync/testing/realistic-readings';

const HOUR = 3600;
const START = 1_700_000_000_000;

function chunks(readings: readonly Reading[], size: number): Reading[][] {
  const out: Reading[][] = [];
  for (let i = 0; i < readings.length; i += size) out.push(readings.slice(i, i + size));
  return out;
}

function size(): void {
  console.log('bytes per reading (RR included), 1 h of 1 Hz data, seed 7');
  console.log('jitter ms | RR/reading | 60-reading chunks | 300-reading chunks | one 3600-reading chunk | JSON');
  for (const jitterMs of [0, 30, 50]) {
    const readings = realisticReadings({ count: HOUR, startT: START, random: seededRandom(7), jitterMs });
    const rrPerReading = readings.reduce((n, r) => n + r.rr1024.length, 0) / readings.length;
    const perReading = (chunkSize: number) =>
      chunks(readings, chunkSize).reduce((n, c) => n + encodeChunk(c).length, 0) / readings.length;
    const json = JSON.stringify(readings).length / readings.length;
    console.log(
      [jitterMs, rrPerReading.toFixed(2), perReading(60).toFixed(3), perReading(300).toFixed(3), perReading(HOUR).toFixed(3), json.toFixed(1)]
        .map(String)
        .join(' | '),
    );
  }
}

function throughput(): void {
  const readings = realisticReadings({ count: HOUR, startT: START, random: seededRandom(7), jitterMs: 30 });
  const parts = chunks(readings, 60);
  const rounds = 50;
  let encoded: Uint8Array[] = [];
  let start = performance.now();
  for (let i = 0; i < rounds; i++) encoded = parts.map(encodeChunk);
  const encodeMs = performance.now() - start;
  start = performance.now();
  for (let i = 0; i < rounds; i++) {
    for (const bytes of encoded) if (!decodeChunk(bytes).ok) throw new Error('decode failed');
  }
  const decodeMs = performance.now() - start;
  const total = rounds * readings.length;
  const rate = (ms: number) => `${((total / ms) * 1000 / 1e6).toFixed(2)} M readings/s (${(ms / rounds).toFixed(1)} ms per hour of data)`;
  console.log(`encode: ${rate(encodeMs)}`);
  console.log(`decode: ${rate(decodeMs)}`);
}

size();
throughput();
