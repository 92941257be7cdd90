/**
 * Heart Rate Measurement parser throughput. A gym class of 30 straps sends ~30 packets/s, so
 * this only has to show a margin of orders of magnitude; it prints a figure and asserts nothing.
 *
 *   node --import tsx bench/heart-rate-parser.bench.ts
 */
import {
  createSimulatedGroup,
  encodeHeartRateMeasurement,
  isHeartRateParseError,
  parseHeartRateMeasurement,
  simulateSession,
} from '../core/heart-rate';

const DURATION_MS = 2_000;

/** Realistic packets: 8 simulated people through an interval session, in both HR formats. */
function packets(): DataView[] {
  const plan = [
    { at: 0, intensity: 0 },
    { at: 60_000, intensity: 0.8 },
    { at: 180_000, intensity: 0.2 },
    { at: 240_000, intensity: 0.9 },
  ];
  const views: DataView[] = [];
  createSimulatedGroup(8, 2026, { contactLoss: [{ from: 100_000, to: 103_000 }] }).forEach((heart, i) => {
    for (const { measurement } of simulateSession(heart, plan, 300_000)) {
      // Some straps send energy expended, some the uint16 format; mix them in.
      const bytes = encodeHeartRateMeasurement({
        ...measurement,
        energyKj: i % 4 === 0 ? 120 : null,
        uint16: i % 3 === 0,
      });
      views.push(new DataView(bytes.buffer));
    }
  });
  views.push(new DataView(new Uint8Array([0x01, 0x48]).buffer)); // one truncated packet
  return views;
}

const mix = packets();
let parsed = 0;
let checksum = 0;

// Warm up the JIT before timing.
for (let i = 0; i < 200_000; i++) parseHeartRateMeasurement(mix[i % mix.length]!);

const start = performance.now();
let elapsed = 0;
while (elapsed < DURATION_MS) {
  for (let i = 0; i < mix.length; i++) {
    const result = parseHeartRateMeasurement(mix[i]!);
    // Use the result so the work cannot be optimised away.
    checksum += isHeartRateParseError(result) ? 1 : result.bpm + result.rr1024.length;
  }
  parsed += mix.length;
  elapsed = performance.now() - start;
}

const perSecond = Math.round(parsed / (elapsed / 1000));
console.log(
  `heart-rate parser: ${perSecond.toLocaleString('en-US')} packets/s ` +
    `(${parsed.toLocaleString('en-US')} packets of ${mix.length} distinct in ${Math.round(elapsed)} ms, checksum ${checksum})`,
);
