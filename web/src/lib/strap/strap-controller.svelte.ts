/**
 * The app's one strap: runs the connection state machine (core/heart-rate) over a StrapLink,
 * carries out the machine's effects, parses every notification, and hands readings and gaps to
 * whoever subscribes (the live view, the workout recorder). One instance lives in the root
 * layout, so a recording keeps its strap while the user moves between screens.
 *
 * Event order a subscriber sees for one notification: the gap edges it causes first (a 'gap-end'
 * when data comes back, a 'gap-start' for 0 bpm or lost skin contact), then the 'reading' with
 * its raw fields. Readings that open a gap (0 bpm, contact not detected) are still delivered, as
 * received; their bpm is not a heart rate.
 */
import {
  createConnectionReducer,
  initialConnectionState,
  isHeartRateParseError,
  parseHeartRateMeasurement,
  type BodySensorLocation,
  type Capabilities,
  type ConnectionEffect,
  type ConnectionEvent,
  type ConnectionOptions,
  type ConnectionReducer,
  type ConnectionState,
  type HeartRateReading,
  type ReadingSink,
  type StrapEvent,
  type StrapEventSource,
} from '$core/heart-rate';
import type { LastStrapMemory, RememberedStrap } from './last-strap';
import { ReadingHistory } from './reading-history';
import type { SimulatedLink, SimulatedStrap, SimulatedStrapOptions } from './simulated-link';
import type { ChooseRequest, LinkKind, LinkListener, StrapDeviceInfo, StrapLink } from './strap-link';
import type { Clock, StrapTimers } from './timers';

export interface StrapControllerDeps {
  capabilities: Capabilities;
  /** The Web Bluetooth link; null where the browser has none. */
  bluetooth: StrapLink | null;
  simulated(options: SimulatedStrapOptions): SimulatedLink;
  memory: LastStrapMemory;
  clock: Clock;
  timers: StrapTimers;
  random: () => number;
  /** Calls back when the page becomes visible again; returns the unsubscribe. */
  onVisible?: (callback: () => void) => () => void;
  connection?: Partial<ConnectionOptions>;
}

/** How often the machine is given the time (deadlines, silence, retries). */
const TICK_MS = 1_000;

export class StrapController implements StrapEventSource {
  readonly capabilities: Capabilities;
  /** The last 5 minutes, for the chart. Not reactive: subscribe() to learn of changes. */
  readonly history = new ReadingHistory();

  #deps: StrapControllerDeps;
  #reduce: ConnectionReducer;
  #state = $state.raw<ConnectionState>({ kind: 'idle', gap: null });
  #source = $state<LinkKind>('bluetooth');
  #device = $state.raw<StrapDeviceInfo | null>(null);
  #remembered = $state.raw<RememberedStrap | null>(null);
  #latest = $state.raw<HeartRateReading | null>(null);
  #battery = $state<number | null>(null);
  #location = $state<BodySensorLocation | null>(null);
  #chooserMessage = $state<string | null>(null);
  #gapTotal = $state(0);
  #parseErrors = $state(0);
  #now = $state(0);
  #simulated = $state.raw<SimulatedLink | null>(null);
  /** The remembered strap is being looked up (getDevices) to reconnect it without a tap. */
  #restoring = $state(false);

  #link: StrapLink | null;
  #sinks = new Set<ReadingSink>();
  #queue: ConnectionEvent[] = [];
  #busy = false;
  /** Bumped by every connect and disconnect: a late answer from an older attempt is ignored. */
  #epoch = 0;
  #pendingChoose: ChooseRequest | null = null;
  #retryTimer: unknown = null;
  #deadlineTimer: unknown = null;
  #tickTimer: unknown = null;
  #stopVisibility: (() => void) | null = null;
  #listener: LinkListener = {
    measurement: (value, receivedAt) => this.#onMeasurement(value, receivedAt),
    disconnected: () => this.#dispatch({ type: 'disconnected' }),
    battery: (percent) => (this.#battery = percent),
    location: (location) => (this.#location = location),
  };

  constructor(deps: StrapControllerDeps) {
    this.#deps = deps;
    this.capabilities = deps.capabilities;
    this.#reduce = createConnectionReducer(deps.connection);
    this.#link = deps.bluetooth;
    this.#link?.setListener(this.#listener);
    this.#state = initialConnectionState(this.#bluetoothCapabilities());
    this.#remembered = deps.memory.load();
    this.#now = deps.clock.now();
  }

  // ---- what the UI reads -------------------------------------------------------------------

  get state(): ConnectionState {
    return this.#state;
  }
  /** Which link is in use: a real strap or the simulated one. */
  get source(): LinkKind {
    return this.#source;
  }
  /** Web Bluetooth can be used here (Chromium, secure context). */
  get bluetoothAvailable(): boolean {
    return this.#deps.bluetooth !== null && this.capabilities.secureContext && this.capabilities.webBluetooth;
  }
  get device(): StrapDeviceInfo | null {
    return this.#device;
  }
  /** The last real strap used on this device, offered as "Reconnect <name>". */
  get remembered(): RememberedStrap | null {
    return this.#remembered;
  }
  get latest(): HeartRateReading | null {
    return this.#latest;
  }
  /** The heart rate to show, or null during a gap or without a link: never a stale value. */
  get bpm(): number | null {
    const s = this.#state;
    return s.kind === 'streaming' && s.gap === null && this.#latest !== null ? this.#latest.bpm : null;
  }
  get battery(): number | null {
    return this.#battery;
  }
  get location(): BodySensorLocation | null {
    return this.#location;
  }
  /** Why the chooser closed without a strap, when the browser said more than "cancelled". */
  get chooserMessage(): string | null {
    return this.#chooserMessage;
  }
  /** Gaps since the app started (disconnects, silences, 0 bpm, no contact). */
  get gapTotal(): number {
    return this.#gapTotal;
  }
  /** Notifications that could not be decoded (and were dropped). */
  get parseErrors(): number {
    return this.#parseErrors;
  }
  /** The clock at the last tick, for countdowns. */
  get now(): number {
    return this.#now;
  }
  /**
   * The remembered strap is not connected and only a tap can bring it back: this browser has no
   * getDevices() (so it must show its chooser, which needs a user gesture), or the reconnect
   * without a tap did not work. The tap is `reconnectRemembered`.
   */
  get reconnectNeedsTap(): boolean {
    const s = this.#state.kind;
    return this.#remembered !== null && this.bluetoothAvailable && this.#source === 'bluetooth' && !this.#restoring && (s === 'idle' || s === 'lost');
  }
  /** The simulated strap's controls while it is in use. */
  get simulated(): SimulatedStrap | null {
    return this.#simulated;
  }

  // ---- StrapEventSource ----------------------------------------------------------------------

  subscribe(sink: ReadingSink): () => void {
    this.#sinks.add(sink);
    return () => void this.#sinks.delete(sink);
  }

  // ---- commands ------------------------------------------------------------------------------

  /** Opens the browser's chooser for a real strap (call from a user gesture). */
  pair(): void {
    this.#useLink(this.#deps.bluetooth, 'bluetooth');
    this.#select({ mode: 'chooser' });
  }

  /** "Reconnect Polar H10": without a chooser where the browser allows it, else a filtered one. */
  reconnectRemembered(): void {
    const remembered = this.#remembered;
    if (!remembered) return this.pair();
    this.#useLink(this.#deps.bluetooth, 'bluetooth');
    const link = this.#link;
    this.#select(
      link?.knowsDevices
        ? { mode: 'known', id: remembered.id, fallbackName: remembered.name }
        : { mode: 'chooser', name: remembered.name },
    );
  }

  /** Uses the simulated strap instead of a real one; returns its intensity control. */
  useSimulated(options: SimulatedStrapOptions = {}): SimulatedStrap {
    const link = this.#deps.simulated(options);
    this.#useLink(link, 'simulated');
    this.#simulated = link;
    this.#select({ mode: 'chooser' });
    return link;
  }

  /** "Try again" on a lost link. */
  retry(): void {
    if (this.#state.kind === 'lost') this.#dispatch({ type: 'retry' });
  }

  disconnect(): void {
    this.#dispatch({ type: 'user-disconnect' });
  }

  forgetRemembered(): void {
    this.#deps.memory.forget();
    this.#remembered = null;
  }

  /** Starts the clock and the visibility re-check; reconnects the remembered strap if allowed. */
  start(): void {
    if (this.#tickTimer !== null) return;
    this.#tickTimer = this.#deps.timers.setInterval(() => this.#tick(), TICK_MS);
    this.#stopVisibility = this.#deps.onVisible?.(() => this.#dispatch({ type: 'visibility-visible' })) ?? null;
    void this.#restore();
  }

  destroy(): void {
    const { timers } = this.#deps;
    if (this.#tickTimer !== null) timers.clearInterval(this.#tickTimer);
    this.#tickTimer = null;
    this.#stopVisibility?.();
    this.#stopVisibility = null;
    this.#dispatch({ type: 'user-disconnect' });
    this.#clearRetry();
    this.#clearDeadline();
    this.#link?.setListener(null);
    this.#link?.disconnect();
  }

  // ---- internals -----------------------------------------------------------------------------

  #bluetoothCapabilities(): Capabilities {
    return this.#deps.bluetooth === null ? { ...this.capabilities, webBluetooth: false } : this.capabilities;
  }

  /** After a reload: connect the remembered strap if the browser still allows it (getDevices). */
  async #restore(): Promise<void> {
    const remembered = this.#remembered;
    const link = this.#link;
    if (!remembered || !link || link.kind !== 'bluetooth' || !link.knowsDevices) return;
    this.#restoring = true;
    try {
      if (!(await link.findKnown(remembered.id))) return;
      if (this.#link !== link || this.#state.kind !== 'idle') return;
      this.#select({ mode: 'known', id: remembered.id });
    } finally {
      this.#restoring = false;
    }
  }

  #useLink(link: StrapLink | null, kind: LinkKind): void {
    if (this.#link === link && this.#source === kind) return;
    const s = this.#state.kind;
    if (s !== 'idle' && s !== 'unsupported') this.#dispatch({ type: 'user-disconnect' });
    this.#link?.setListener(null);
    this.#link?.disconnect();
    this.#epoch += 1;
    this.#clearRetry();
    this.#clearDeadline();
    this.#link = link;
    this.#source = kind;
    link?.setListener(this.#listener);
    this.#simulated = null;
    this.#device = null;
    this.#battery = null;
    this.#location = null;
    this.#state =
      kind === 'simulated' ? initialConnectionState({ secureContext: true, webBluetooth: true }) : initialConnectionState(this.#bluetoothCapabilities());
  }

  #select(request: ChooseRequest): void {
    const s = this.#state.kind;
    if (s === 'unsupported') return;
    if (s !== 'idle' && s !== 'lost') this.#dispatch({ type: 'user-disconnect' });
    this.#pendingChoose = request;
    this.#chooserMessage = null;
    this.#dispatch({ type: 'user-select' });
    this.#pendingChoose = null;
  }

  #tick(): void {
    this.#now = this.#deps.clock.now();
    const s = this.#state.kind;
    if (s === 'connecting' || s === 'streaming' || s === 'silent' || s === 'reconnecting') this.#dispatch({ type: 'tick' });
  }

  /** Runs events through the reducer one at a time; effects may raise further events. */
  #dispatch(event: ConnectionEvent): void {
    this.#queue.push(event);
    if (this.#busy) return;
    this.#busy = true;
    try {
      for (let next = this.#queue.shift(); next !== undefined; next = this.#queue.shift()) {
        const { state, effects } = this.#reduce(this.#state, next, this.#deps.clock.now(), this.#deps.random);
        this.#state = state;
        for (const effect of effects) this.#run(effect);
      }
    } finally {
      this.#busy = false;
    }
  }

  #run(effect: ConnectionEffect): void {
    const { timers, clock } = this.#deps;
    switch (effect.type) {
      case 'open-chooser':
        return this.#openChooser(this.#pendingChoose ?? { mode: 'chooser' });
      case 'connect':
        return this.#connect(effect.deadline);
      case 'subscribe':
        return this.#subscribe();
      case 'disconnect':
        this.#epoch += 1;
        this.#clearDeadline();
        this.#link?.disconnect();
        return;
      case 'schedule-retry':
        this.#clearRetry();
        this.#retryTimer = timers.setTimeout(
          () => {
            this.#retryTimer = null;
            if (this.#state.kind === 'reconnecting') this.#dispatch({ type: 'retry' });
          },
          Math.max(0, effect.at - clock.now()),
        );
        return;
      case 'cancel-retry':
        return this.#clearRetry();
      case 'recheck-link':
        if (this.#link && !this.#link.isConnected()) this.#dispatch({ type: 'disconnected' });
        return;
      case 'report-gap':
        return this.#emit(
          effect.edge === 'start'
            ? { type: 'gap-start', reason: effect.reason, at: effect.at }
            : { type: 'gap-end', reason: effect.reason, at: effect.at },
        );
    }
  }

  #openChooser(request: ChooseRequest): void {
    const link = this.#link;
    if (!link) return;
    const epoch = ++this.#epoch;
    void link.choose(request).then((outcome) => {
      if (epoch !== this.#epoch || this.#state.kind !== 'choosing') return;
      if (outcome.type === 'chosen') {
        this.#device = outcome.device;
        this.#dispatch({ type: 'device-chosen' });
      } else {
        this.#chooserMessage = outcome.message;
        this.#dispatch({ type: 'chooser-cancelled' });
      }
    });
  }

  #connect(deadline: number): void {
    const link = this.#link;
    if (!link) return;
    const { timers, clock } = this.#deps;
    const epoch = ++this.#epoch;
    const ms = Math.max(0, deadline - clock.now());
    this.#clearDeadline();
    this.#deadlineTimer = timers.setTimeout(() => {
      this.#deadlineTimer = null;
      if (epoch === this.#epoch) this.#dispatch({ type: 'timeout' });
    }, ms);
    void link.connect(ms).then((outcome) => {
      if (epoch !== this.#epoch) return;
      this.#clearDeadline();
      if (!outcome.ok) return this.#dispatch({ type: 'gatt-error', message: outcome.message, retryable: outcome.retryable });
      if (link.kind === 'bluetooth' && this.#device) {
        this.#deps.memory.save(this.#device);
        this.#remembered = { ...this.#device };
      }
      this.#dispatch({ type: 'connected' });
    });
  }

  #subscribe(): void {
    const link = this.#link;
    if (!link) return;
    const epoch = this.#epoch;
    void link.subscribe().then((outcome) => {
      if (epoch === this.#epoch && !outcome.ok) {
        this.#dispatch({ type: 'gatt-error', message: outcome.message, retryable: outcome.retryable });
      }
    });
  }

  #onMeasurement(value: DataView, receivedAt: number): void {
    const measurement = parseHeartRateMeasurement(value);
    if (isHeartRateParseError(measurement)) {
      this.#parseErrors += 1;
      return;
    }
    this.#dispatch({ type: 'notification', measurement });
    // A notification outside a live link (a late packet from a dropped one) is not a reading.
    if (this.#state.kind !== 'streaming') return;
    const reading: HeartRateReading = { ...measurement, t: receivedAt };
    this.#latest = reading;
    this.#emit({ type: 'reading', reading });
  }

  #emit(event: StrapEvent): void {
    this.history.apply(event);
    if (event.type === 'gap-start') this.#gapTotal += 1;
    for (const sink of this.#sinks) {
      try {
        sink(event);
      } catch (error) {
        // One broken subscriber must not starve the others (or the recorder) of readings.
        console.error('strap event subscriber failed', error);
      }
    }
  }

  #clearRetry(): void {
    if (this.#retryTimer !== null) this.#deps.timers.clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
  }

  #clearDeadline(): void {
    if (this.#deadlineTimer !== null) this.#deps.timers.clearTimeout(this.#deadlineTimer);
    this.#deadlineTimer = null;
  }
}

export function createStrapController(deps: StrapControllerDeps): StrapController {
  return new StrapController(deps);
}
