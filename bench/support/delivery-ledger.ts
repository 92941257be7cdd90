/**
 * Counts hr frames from participants to displays for bench/class-fanout.bench.ts, exactly:
 * every send is queued per participant with its send time; a display's frame for that
 * participant is matched to the oldest queued send with the same bpm (one socket each way and
 * one process in between keep each participant's frames in order; a queued send passed over
 * was lost). Only sends made while the window is open count: `sent` is how many, `delivered`
 * how many of those a display received, and latency is taken from those.
 */

export interface LedgerFigures {
  sent: number;
  delivered: number;
  /** Window sends known lost (a later frame from the same participant arrived first). */
  lost: number;
  /** Window sends neither delivered nor lost when the figures were taken (still in flight). */
  outstanding: number;
  /** Delivered frames whose `points` equal what the participant sent. */
  pointsMatched: number;
  /** The highest `points` a display received (0 everywhere would mean no points were earned). */
  maxPoints: number;
  /** Display frames that matched no send. */
  unmatched: number;
  /** Participant → display latencies, ms, sorted. */
  latenciesMs: number[];
  /** Per delivered window frame, in arrival order: [send time (the ledger's clock), latency ms]. */
  frames: Array<[number, number]>;
}

interface Sent {
  at: number;
  bpm: number;
  points: number;
  inWindow: boolean;
}

export function createDeliveryLedger(now: () => number = () => performance.now()) {
  const queues = new Map<string, Sent[]>();
  let measuring = false;
  const f = { sent: 0, delivered: 0, lost: 0, outstanding: 0, pointsMatched: 0, maxPoints: 0, unmatched: 0 };
  // Two arrays of doubles (stored unboxed), not a [sent, latency] pair per frame: 120 000 pairs
  // a window would be promoted into the load generator's old space and bring it a mark-compact,
  // which stalls every frame it receives meanwhile, in the middle of a window.
  const sentAt: number[] = [];
  const latency: number[] = [];
  return {
    start() {
      measuring = true;
    },
    stop() {
      measuring = false;
    },
    get outstanding() {
      return f.outstanding;
    },
    sent(participantId: string, frame: { bpm: number; points: number }) {
      let q = queues.get(participantId);
      if (!q) queues.set(participantId, (q = []));
      q.push({ at: now(), bpm: frame.bpm, points: frame.points, inWindow: measuring });
      if (measuring) {
        f.sent++;
        f.outstanding++;
      }
    },
    received(msg: { participantId: string; bpm: number; points?: number | null }) {
      const t = now();
      const q = queues.get(msg.participantId) ?? [];
      while (q.length > 0 && q[0]!.bpm !== msg.bpm) {
        if (q.shift()!.inWindow) {
          f.lost++;
          f.outstanding--;
        }
      }
      const s = q.shift();
      if (!s) {
        f.unmatched++;
        return;
      }
      if (!s.inWindow) return;
      f.delivered++;
      f.outstanding--;
      sentAt.push(s.at);
      latency.push(t - s.at);
      if (msg.points === s.points) f.pointsMatched++;
      f.maxPoints = Math.max(f.maxPoints, msg.points ?? 0);
    },
    figures(): LedgerFigures {
      return { ...f, latenciesMs: [...latency].sort((a, b) => a - b), frames: sentAt.map((at, i): [number, number] => [at, latency[i]!]) };
    },
  };
}

export type DeliveryLedger = ReturnType<typeof createDeliveryLedger>;
