// The fan-out bench's exact count of frames (delivery-ledger.ts): what it counts as sent,
// delivered and lost, and the latencies and frames it hands back, on a clock moved by hand.
// In the unit project (tests/vitest.config.ts includes bench/support/**/*.test.ts).
import { describe, expect, it } from 'vitest';
import { createDeliveryLedger } from './delivery-ledger';

function ledgerAt() {
  let now = 0;
  const ledger = createDeliveryLedger(() => now);
  return { ledger, at: (t: number) => void (now = t) };
}

describe('delivery ledger', () => {
  it('counts only window sends and hands back each delivered frame with its send time and latency', () => {
    const { ledger, at } = ledgerAt();
    at(1);
    ledger.sent('a', { bpm: 100, points: 1 }); // before the window: delivered but not counted
    ledger.start();
    at(2);
    ledger.sent('a', { bpm: 101, points: 2 });
    at(3);
    ledger.sent('b', { bpm: 90, points: 0 });
    at(4);
    ledger.received({ participantId: 'a', bpm: 100, points: 1 });
    at(6.5);
    ledger.received({ participantId: 'b', bpm: 90, points: 0 });
    at(12);
    ledger.received({ participantId: 'a', bpm: 101, points: 3 });
    ledger.stop();
    const f = ledger.figures();
    expect(f).toMatchObject({ sent: 2, delivered: 2, lost: 0, outstanding: 0, pointsMatched: 1, maxPoints: 3, unmatched: 0 });
    expect(f.latenciesMs).toEqual([3.5, 10]);
    expect(f.frames).toEqual([
      [3, 3.5],
      [2, 10],
    ]);
  });

  it('counts a send passed over by a later frame of the same participant as lost, and a frame nobody sent as unmatched', () => {
    const { ledger, at } = ledgerAt();
    ledger.start();
    ledger.sent('a', { bpm: 100, points: 0 });
    ledger.sent('a', { bpm: 101, points: 0 });
    ledger.sent('a', { bpm: 102, points: 0 });
    at(5);
    ledger.received({ participantId: 'a', bpm: 101, points: 0 });
    ledger.received({ participantId: 'z', bpm: 70, points: 0 });
    const f = ledger.figures();
    expect(f).toMatchObject({ sent: 3, delivered: 1, lost: 1, outstanding: 1, unmatched: 1 });
    expect(ledger.outstanding).toBe(1);
    expect(f.frames).toEqual([[0, 5]]);
  });
});
