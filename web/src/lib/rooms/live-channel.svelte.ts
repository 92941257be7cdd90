/**
 * One class-mode live link (core/rooms/wire.ts) for a screen: the display, the coach's control
 * page or a participant's phone. It says hello with the screen's role, folds every server
 * message into a DisplayState (core's reduceDisplay: no second copy of the rules), measures the
 * server-clock offset with ping/pong (core's clock estimator), and reconnects with jittered
 * backoff until access ends (revoked, removed, room deleted, bad credentials). Each reconnect
 * gets a fresh snapshot, so nothing is replayed by hand.
 *
 * Every outside capability is a parameter: the socket, the clock, timers, randomness.
 */
import {
  LIVE_CLOSE,
  createClockEstimator,
  initialDisplayState,
  parseServerMessage,
  reduceDisplay,
  type ClientMessage,
  type DisplayState,
  type Hello,
  type ServerMessage,
} from '$core/rooms';
import { LIVE_BACKOFF, nextBackoffMs, type BackoffOptions } from './backoff';

/** connecting: first attempt; open: welcomed; reconnecting: lost, retrying; ended: no retry. */
export type LinkState = 'connecting' | 'open' | 'reconnecting' | 'ended';
export type EndReason = 'unauthorized' | 'revoked' | 'room-gone' | 'left' | 'stopped';

/** The part of WebSocket the channel uses (a fake in unit tests). */
export interface SocketLike {
  readonly readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export interface LiveChannelDeps {
  url: string;
  /** The hello to send on each connect (a participant may re-join first); null ends the link. */
  hello: () => Promise<Hello | null>;
  socket?: (url: string) => SocketLike;
  now?: () => number;
  random?: () => number;
  setTimeout?: (fn: () => void, ms: number) => unknown;
  clearTimeout?: (handle: unknown) => void;
  /** Calls back when retrying early makes sense (tab visible again, network back). */
  onWake?: (callback: () => void) => () => void;
  /** Every valid server message, after the channel has applied it. */
  onMessage?: (msg: ServerMessage) => void;
  backoff?: BackoffOptions;
  pingIntervalMs?: number;
  /** No frame at all for this long: the link is dead even if the socket does not say so. */
  silenceMs?: number;
}

const OPEN = 1;
/** Quick pings right after connecting give the clock filter several samples at once. */
const FIRST_PINGS_MS = [0, 250, 600, 1_200];

export class LiveChannel {
  state = $state<LinkState>('connecting');
  endReason = $state<EndReason | null>(null);
  #helloPending = false;
  room = $state.raw<DisplayState>(initialDisplayState);
  /** Server clock − this device's clock; null until measured. */
  offsetMs = $state<number | null>(null);
  /** Half the round trip of the sample the offset comes from. */
  offsetErrorMs = $state<number | null>(null);
  /** Failed attempts since the last welcome. */
  attempt = $state(0);
  /** Client time of the next reconnect attempt, while reconnecting. */
  retryAt = $state<number | null>(null);
  role = $state<Hello['role'] | null>(null);
  participantId = $state<string | null>(null);

  #deps: LiveChannelDeps;
  #clock = createClockEstimator();
  #ws: SocketLike | null = null;
  #timers = new Set<unknown>();
  #retryTimer: unknown = null;
  #silenceTimer: unknown = null;
  #lastDelay = 0;
  #pingId = 0;
  #helloSentAt = 0;
  #stopWake: (() => void) | null = null;
  #generation = 0;

  constructor(deps: LiveChannelDeps) {
    this.#deps = deps;
  }

  get #now() {
    return this.#deps.now ?? Date.now;
  }

  /** Server time now (this device's clock plus the measured offset; the device clock before any). */
  serverNow(clientNow: number = this.#now()): number {
    return clientNow + (this.offsetMs ?? 0);
  }

  start(): void {
    if (this.#ws || this.state === 'ended') return;
    this.#stopWake = this.#deps.onWake?.(() => this.retryNow()) ?? null;
    void this.#connect();
  }

  /** Reconnect at once instead of waiting out the backoff (not while a connect is under way). */
  retryNow(): void {
    if (this.state !== 'reconnecting' || this.#ws || this.#helloPending) return;
    this.#clear(this.#retryTimer);
    this.#retryTimer = null;
    void this.#connect();
  }

  /** Sends when open; false otherwise (the caller decides whether that matters). */
  send(msg: ClientMessage): boolean {
    if (this.state !== 'open' || !this.#ws || this.#ws.readyState !== OPEN) return false;
    this.#ws.send(JSON.stringify(msg));
    return true;
  }

  stop(reason: EndReason = 'stopped'): void {
    this.#end(reason);
  }

  async #connect(): Promise<void> {
    const generation = ++this.#generation;
    this.retryAt = null;
    let hello: Hello | null;
    // One hello at a time: a participant's hello re-joins, which issues a new token and retires
    // the old one, so two racing hellos could leave this page with the retired token.
    this.#helloPending = true;
    try {
      hello = await this.#deps.hello();
    } catch {
      if (generation === this.#generation && this.state !== 'ended') this.#scheduleRetry();
      return;
    } finally {
      this.#helloPending = false;
    }
    if (generation !== this.#generation || this.state === 'ended') return;
    if (!hello) return this.#end('unauthorized');
    const make = this.#deps.socket ?? ((url: string) => new WebSocket(url) as unknown as SocketLike);
    let ws: SocketLike;
    try {
      ws = make(this.#deps.url);
    } catch {
      return this.#scheduleRetry();
    }
    this.#ws = ws;
    ws.onopen = () => {
      this.#helloSentAt = this.#now();
      ws.send(JSON.stringify(hello));
      this.#armSilence();
    };
    ws.onmessage = (ev) => {
      if (this.#ws !== ws) return;
      this.#armSilence();
      if (typeof ev.data === 'string') this.#onFrame(ev.data);
    };
    ws.onerror = () => {
      // A close event always follows; that is where we decide.
    };
    ws.onclose = (ev) => {
      if (this.#ws !== ws) return;
      this.#ws = null;
      this.#clearAll();
      this.#onClose(ev.code, ev.reason);
    };
  }

  #onFrame(text: string): void {
    const parsed = parseServerMessage(text);
    if (!parsed.ok) {
      // Unexpected server data is surfaced, not silently dropped.
      console.warn('class live: ignored an invalid server message', parsed.message);
      return;
    }
    const msg = parsed.message;
    const t = this.#now();
    switch (msg.type) {
      case 'welcome':
        // hello → welcome is a (slow, since it includes the auth) round trip: a first estimate.
        this.#sample(this.#helloSentAt, msg.serverTime, t);
        this.role = msg.role;
        this.participantId = msg.participantId;
        break;
      case 'snapshot':
        // A later snapshot on the same socket is the server's resync after it lost events
        // (wire.ts): it replaces the room like the first, but the pings already run.
        if (this.state !== 'open') this.#startPings();
        this.state = 'open';
        this.attempt = 0;
        this.#lastDelay = 0;
        break;
      case 'pong':
        this.#sample(msg.t0, msg.serverTime, t);
        break;
    }
    this.room = reduceDisplay(this.room, msg);
    this.#deps.onMessage?.(msg);
  }

  #sample(t0: number, serverTime: number, t3: number): void {
    if (!this.#clock.addSample(t0, serverTime, t3)) return;
    const e = this.#clock.estimate();
    if (!e) return;
    this.offsetMs = e.offsetMs;
    this.offsetErrorMs = e.errorMs;
  }

  #startPings(): void {
    const ping = () => this.send({ type: 'ping', id: this.#pingId++, t0: this.#now() });
    for (const at of FIRST_PINGS_MS) this.#later(ping, at);
    const every = this.#deps.pingIntervalMs ?? 5_000;
    const loop = () => {
      ping();
      this.#later(loop, every);
    };
    this.#later(loop, FIRST_PINGS_MS.at(-1)! + every);
  }

  #armSilence(): void {
    this.#clear(this.#silenceTimer);
    const ws = this.#ws;
    this.#silenceTimer = this.#later(() => {
      // Pings every few seconds always get a pong on a live link.
      if (this.#ws === ws) ws?.close(4000, 'silent');
    }, this.#deps.silenceMs ?? 15_000);
  }

  #onClose(code: number, reason: string): void {
    if (this.state === 'ended') return;
    if (code === LIVE_CLOSE.unauthorized) return this.#end('unauthorized');
    if (code === LIVE_CLOSE.revoked) return this.#end('revoked');
    if (code === LIVE_CLOSE.roomGone) return this.#end('room-gone');
    if (code === 1000 && reason === 'left') return this.#end('left');
    this.#scheduleRetry(code === LIVE_CLOSE.restarting);
  }

  #scheduleRetry(soon = false): void {
    this.state = 'reconnecting';
    this.attempt += 1;
    const random = (this.#deps.random ?? Math.random)();
    // A restarting server is back in a moment: start low, but keep the jitter.
    const delay = soon && this.attempt === 1 ? Math.round(200 + random * 300) : nextBackoffMs(this.#lastDelay, random, this.#deps.backoff ?? LIVE_BACKOFF);
    this.#lastDelay = delay;
    this.retryAt = this.#now() + delay;
    this.#retryTimer = this.#later(() => {
      this.#retryTimer = null;
      void this.#connect();
    }, delay);
  }

  #end(reason: EndReason): void {
    if (this.state === 'ended') return;
    this.state = 'ended';
    this.endReason = reason;
    this.retryAt = null;
    this.#generation++;
    this.#clearAll();
    this.#stopWake?.();
    this.#stopWake = null;
    const ws = this.#ws;
    this.#ws = null;
    try {
      ws?.close(1000, 'bye');
    } catch {
      // already closed
    }
  }

  #later(fn: () => void, ms: number): unknown {
    const set = this.#deps.setTimeout ?? ((f: () => void, d: number) => globalThis.setTimeout(f, d));
    const handle: unknown = set(() => {
      this.#timers.delete(handle);
      fn();
    }, ms);
    this.#timers.add(handle);
    return handle;
  }

  #clear(handle: unknown): void {
    if (handle === null) return;
    this.#timers.delete(handle);
    (this.#deps.clearTimeout ?? ((h: unknown) => globalThis.clearTimeout(h as number)))(handle);
  }

  #clearAll(): void {
    for (const h of [...this.#timers]) this.#clear(h);
    this.#retryTimer = null;
    this.#silenceTimer = null;
  }
}

/** The live URL of a room on this page's origin (ws: or wss: to match the page). */
export function liveUrl(roomId: string, loc: Location = location): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/api/v1/rooms/${encodeURIComponent(roomId)}/live`;
}

/** Retry early when the tab comes back or the network returns. */
export function browserWake(callback: () => void): () => void {
  const onVisible = () => {
    if (document.visibilityState === 'visible') callback();
  };
  document.addEventListener('visibilitychange', onVisible);
  window.addEventListener('online', callback);
  return () => {
    document.removeEventListener('visibilitychange', onVisible);
    window.removeEventListener('online', callback);
  };
}
