/**
 * A scriptable StrapLink for tests of the controller and of screens that embed the strap.
 */
import { encodeHeartRateMeasurement, type EncodeHeartRateInput } from '$core/heart-rate';
import type { ChooseOutcome, ChooseRequest, LinkListener, LinkOutcome, StrapLink } from './strap-link';

export interface FakeLink extends StrapLink {
  readonly calls: { choose: ChooseRequest[]; connect: number; subscribe: number; disconnect: number };
  connected: boolean;
  /** What the next choose / connect / subscribe answers; 'hang' never settles. */
  nextChoose: ChooseOutcome;
  nextConnect: LinkOutcome | 'hang';
  known: string[];
  notify(input: Partial<EncodeHeartRateInput> & { bpm: number }, at?: number): void;
  notifyBytes(bytes: number[], at?: number): void;
  /** The strap goes away without being asked. */
  drop(): void;
}

export function createFakeLink(kind: 'bluetooth' | 'simulated' = 'bluetooth', knowsDevices = false): FakeLink {
  let listener: LinkListener | null = null;
  const link: FakeLink = {
    kind,
    knowsDevices,
    calls: { choose: [], connect: 0, subscribe: 0, disconnect: 0 },
    connected: false,
    nextChoose: { type: 'chosen', device: { id: 'dev-1', name: 'Polar H10 1234' } },
    nextConnect: { ok: true },
    known: [],
    setListener(next) {
      listener = next;
    },
    findKnown: async (id) => link.known.includes(id),
    async choose(request) {
      link.calls.choose.push(request);
      return link.nextChoose;
    },
    connect() {
      link.calls.connect++;
      const outcome = link.nextConnect;
      if (outcome === 'hang') return new Promise<LinkOutcome>(() => undefined);
      if (outcome.ok) link.connected = true;
      return Promise.resolve(outcome);
    },
    async subscribe() {
      link.calls.subscribe++;
      return { ok: true };
    },
    isConnected: () => link.connected,
    disconnect() {
      link.calls.disconnect++;
      link.connected = false;
    },
    notify(input, at = Date.now()) {
      const bytes = encodeHeartRateMeasurement({ contact: 'detected', energyKj: null, rr1024: [], ...input });
      listener?.measurement(new DataView(bytes.buffer), at);
    },
    notifyBytes(bytes, at = Date.now()) {
      listener?.measurement(new DataView(new Uint8Array(bytes).buffer), at);
    },
    drop() {
      link.connected = false;
      listener?.disconnected();
    },
  };
  return link;
}
