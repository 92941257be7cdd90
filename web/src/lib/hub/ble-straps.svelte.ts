/**
 * The hub's Bluetooth side: many heart-rate straps at once, each one the phone's single-strap
 * stack (a StrapLink run by its own StrapController, i.e. core/heart-rate's connection machine,
 * reconnecting with backoff after a drop). One strap dropping never touches the others' links.
 *
 * - "Add a Bluetooth strap" opens the browser's chooser once per tap (a user gesture); the strap
 *   chosen is remembered (id and name, `PairedStrapStore`) for this hub.
 * - After a reload or crash every remembered strap is reconnected without prompts where the
 *   browser has navigator.bluetooth.getDevices() (and, if the adapter has not seen the strap
 *   since it started, waits for its advertisement: web-bluetooth-link.ts).
 * - Signal: where device.watchAdvertisements() works, the RSSI of the strap's advertisements.
 *   Many straps stop advertising while connected, so this is often absent: shown where known.
 * - Battery: the strap's Battery Service (0x180F) where it has one (read by the link).
 * - A hub never gives up: a strap the machine declared lost is tried again every
 *   RETRY_LOST_MS, so a member who left the room and comes back reappears by themselves.
 *
 * Concurrent connections: Chromium holds one GATT connection per strap, and the adapter and OS
 * cap how many can be open at once (often about 7 on common adapters; some hold more). There is
 * no API to read the cap, so the hub shows connected / limit with a limit set per hub
 * (DEFAULT_BLE_LIMIT until changed).
 */
import type { Capabilities, ConnectionState, ConnectionOptions, HeartRateReading } from '$core/heart-rate';
import { memoryLastStrap } from '$lib/strap/last-strap';
import { createSimulatedLink } from '$lib/strap/simulated-link';
import { createStrapController, type StrapController } from '$lib/strap/strap-controller.svelte';
import type { ChooseOutcome, StrapLink } from '$lib/strap/strap-link';
import type { Clock, StrapTimers } from '$lib/strap/timers';
import { bleStrapKey, fromBluetooth, type HubReading } from './hub-reading';
import type { LinkPhase } from './hub-tiles';

export const DEFAULT_BLE_LIMIT = 7;
export const RETRY_LOST_MS = 15_000;
const PAIRED_KEY = 'hrm.hub.bleStraps';
const LIMIT_KEY = 'hrm.hub.bleLimit';

export interface PairedStrap {
  id: string;
  name: string;
}

export interface PairedStrapStore {
  load(): PairedStrap[];
  save(straps: PairedStrap[]): void;
  loadLimit(): number | null;
  saveLimit(limit: number): void;
}

export function browserPairedStore(storage: Pick<Storage, 'getItem' | 'setItem'> | null = safeLocalStorage()): PairedStrapStore {
  const read = (key: string): unknown => {
    try {
      const raw = storage?.getItem(key);
      return raw ? JSON.parse(raw) : null;
    } catch {
      return null;
    }
  };
  const write = (key: string, value: unknown) => {
    try {
      storage?.setItem(key, JSON.stringify(value));
    } catch {
      // storage full or blocked: the straps are still in use this session
    }
  };
  return {
    load: () => parsePaired(read(PAIRED_KEY)),
    save: (straps) => write(PAIRED_KEY, straps.map(({ id, name }) => ({ id, name }))),
    loadLimit: () => parseLimit(read(LIMIT_KEY)),
    saveLimit: (limit) => write(LIMIT_KEY, limit),
  };
}

export function memoryPairedStore(initial: PairedStrap[] = [], limit: number | null = null): PairedStrapStore {
  let straps = [...initial];
  let l = limit;
  return { load: () => [...straps], save: (s) => (straps = [...s]), loadLimit: () => l, saveLimit: (n) => (l = n) };
}

export function parsePaired(value: unknown): PairedStrap[] {
  if (!Array.isArray(value)) return [];
  const out: PairedStrap[] = [];
  for (const v of value) {
    if (typeof v !== 'object' || v === null) continue;
    const { id, name } = v as Record<string, unknown>;
    if (typeof id !== 'string' || id === '' || id.length > 200 || typeof name !== 'string' || name.length > 200) continue;
    if (!out.some((s) => s.id === id)) out.push({ id, name });
  }
  return out;
}

export function parseLimit(value: unknown): number | null {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 64 ? n : null;
}

/** The connection machine's state, as a tile shows it. */
export function linkPhase(state: ConnectionState): LinkPhase {
  switch (state.kind) {
    case 'streaming':
    case 'silent':
      return 'streaming';
    case 'connecting':
    case 'reconnecting':
    case 'choosing':
      return 'reconnecting';
    case 'lost':
      return 'lost';
    default:
      return 'idle';
  }
}

/** Where the hub learns a strap's signal: its advertisements, if the browser lets it watch them. */
export interface AdvertisementWatcher {
  /** Calls back with each advertisement's RSSI (dBm); returns the stop. Resolves null if it cannot watch. */
  watch(deviceId: string, onRssi: (rssi: number) => void): Promise<(() => void) | null>;
}

export function browserAdvertisementWatcher(bluetooth: Bluetooth): AdvertisementWatcher {
  return {
    async watch(deviceId, onRssi) {
      if (typeof bluetooth.getDevices !== 'function') return null;
      try {
        const device = (await bluetooth.getDevices()).find((d) => d.id === deviceId);
        if (!device || typeof device.watchAdvertisements !== 'function') return null;
        const abort = new AbortController();
        const handler = (e: Event) => {
          const rssi = (e as Event & { rssi?: number | null }).rssi;
          if (typeof rssi === 'number') onRssi(rssi);
        };
        device.addEventListener('advertisementreceived', handler);
        await device.watchAdvertisements({ signal: abort.signal });
        return () => {
          device.removeEventListener('advertisementreceived', handler);
          abort.abort();
        };
      } catch {
        return null;
      }
    },
  };
}

export interface BleHubDeps {
  capabilities: Capabilities;
  /** A fresh link for one strap; null where this browser has no Web Bluetooth. */
  makeLink: (() => StrapLink) | null;
  advertisements: AdvertisementWatcher | null;
  store: PairedStrapStore;
  clock: Clock;
  timers: StrapTimers;
  random: () => number;
  onReading: (reading: HubReading) => void;
  onVisible?: (callback: () => void) => () => void;
  connection?: Partial<ConnectionOptions>;
}

/** One Bluetooth strap on the hub. */
export class BleStrap {
  name = $state('');
  id = $state<string | null>(null);
  rssi = $state<number | null>(null);
  readonly controller: StrapController;
  /** When the machine last entered 'lost' (the hub's own retry clock). */
  lostSince: number | null = null;
  /** It has sent a reading on this hub (so it is a heart-rate strap, whatever a reconnect says). */
  streamedOnce = false;
  stopSink: () => void = () => {};
  stopWatch: (() => void) | null = null;

  constructor(controller: StrapController, paired: PairedStrap | null) {
    this.controller = controller;
    if (paired) {
      this.id = paired.id;
      this.name = paired.name;
    }
  }

  get key(): string | null {
    return this.id === null ? null : bleStrapKey(this.id);
  }
  get phase(): LinkPhase {
    return linkPhase(this.controller.state);
  }
  get connected(): boolean {
    const k = this.controller.state.kind;
    return k === 'streaming' || k === 'silent';
  }
  get battery(): number | null {
    return this.controller.battery;
  }
}

export class BleHub {
  straps = $state<BleStrap[]>([]);
  limit = $state(DEFAULT_BLE_LIMIT);
  /** The limit came from this hub's setting, not the default. */
  limitSet = $state(false);
  message = $state<string | null>(null);
  #deps: BleHubDeps;
  #tick: unknown = null;

  constructor(deps: BleHubDeps) {
    this.#deps = deps;
    const limit = deps.store.loadLimit();
    if (limit !== null) {
      this.limit = limit;
      this.limitSet = true;
    }
  }

  get supported(): boolean {
    return this.#deps.makeLink !== null && this.#deps.capabilities.secureContext && this.#deps.capabilities.webBluetooth;
  }
  /** Reconnecting without a prompt after a reload needs getDevices(). */
  get remembersStraps(): boolean {
    return this.#deps.advertisements !== null;
  }
  get connectedCount(): number {
    return this.straps.filter((s) => s.connected).length;
  }

  setLimit(limit: number): void {
    const parsed = parseLimit(limit);
    if (parsed === null) return;
    this.limit = parsed;
    this.limitSet = true;
    this.#deps.store.saveLimit(parsed);
  }

  /** Reconnects every remembered strap without prompts (where getDevices allows) and starts the retry clock. */
  start(): void {
    if (!this.supported || this.#tick !== null) return;
    this.#tick = this.#deps.timers.setInterval(() => this.#retryLost(), 1_000);
    for (const paired of this.#deps.store.load()) {
      const strap = this.#create(paired);
      this.straps = [...this.straps, strap];
      strap.controller.start();
      void this.#watch(strap);
    }
  }

  /** "Add a Bluetooth strap": the browser's chooser (call from a tap). */
  add(): void {
    if (!this.supported) return;
    this.message = null;
    if (this.connectedCount >= this.limit) {
      this.message = `This hub holds ${this.limit} Bluetooth straps at once (its setting); raise it if the adapter takes more.`;
    }
    const strap = this.#create(null);
    this.straps = [...this.straps, strap];
    strap.controller.start();
    strap.controller.pair();
  }

  /** Forget a strap on this hub (it stays allowed in the browser). */
  remove(strap: BleStrap): void {
    this.#dispose(strap);
    this.#deps.store.save(this.#paired());
  }

  destroy(): void {
    if (this.#tick !== null) this.#deps.timers.clearInterval(this.#tick);
    this.#tick = null;
    for (const s of this.straps) this.#dispose(s, false);
    this.straps = [];
  }

  #paired(): PairedStrap[] {
    return this.straps.filter((s) => s.id !== null).map((s) => ({ id: s.id!, name: s.name }));
  }

  #dispose(strap: BleStrap, drop = true): void {
    strap.stopSink();
    strap.stopWatch?.();
    strap.controller.destroy();
    if (drop) this.straps = this.straps.filter((s) => s !== strap);
  }

  #create(paired: PairedStrap | null): BleStrap {
    const d = this.#deps;
    const inner = d.makeLink!();
    let discarded = false;
    // The hub's view of the chooser: a new strap is registered (or, already here, discarded).
    const link: StrapLink = {
      get kind() {
        return inner.kind;
      },
      get knowsDevices() {
        return inner.knowsDevices;
      },
      setListener: (l) => inner.setListener(l),
      findKnown: (id) => inner.findKnown(id),
      choose: async (request) => {
        const outcome: ChooseOutcome = await inner.choose(request);
        if (outcome.type === 'cancelled') {
          if (strap.id === null) queueMicrotask(() => this.#dispose(strap));
          return outcome;
        }
        const { id, name } = outcome.device;
        if (strap.id === null) {
          if (this.straps.some((s) => s !== strap && s.id === id)) {
            discarded = true;
            this.message = `${name} is already on this hub.`;
            queueMicrotask(() => this.#dispose(strap));
            return { type: 'cancelled', message: 'already on this hub' };
          }
          strap.id = id;
          strap.name = name;
          d.store.save(this.#paired());
          void this.#watch(strap);
        }
        return outcome;
      },
      connect: async (ms) => {
        const outcome = await inner.connect(ms);
        // A strap that streamed on this hub has the heart-rate service: "no such service" right
        // after a reconnect is the stack not having rediscovered it yet, not a reason to give up.
        if (!outcome.ok && !outcome.retryable && strap.streamedOnce) return { ...outcome, retryable: true };
        return outcome;
      },
      subscribe: () => inner.subscribe(),
      isConnected: () => inner.isConnected(),
      disconnect: () => {
        // A duplicate's link shares the device object with the strap already here: leave it.
        if (!discarded) inner.disconnect();
      },
    };
    const controller = createStrapController({
      capabilities: d.capabilities,
      bluetooth: link,
      simulated: (options) => createSimulatedLink(options, { timers: d.timers, clock: d.clock }),
      memory: memoryLastStrap(paired),
      clock: d.clock,
      timers: d.timers,
      random: d.random,
      onVisible: d.onVisible,
      connection: d.connection,
    });
    const strap = new BleStrap(controller, paired);
    strap.stopSink = controller.subscribe((event) => {
      if (event.type !== 'reading' || strap.id === null) return;
      strap.streamedOnce = true;
      d.onReading(this.#reading(strap, event.reading));
    });
    return strap;
  }

  #reading(strap: BleStrap, r: HeartRateReading): HubReading {
    return fromBluetooth(strap.id!, r, { battery: strap.battery, rssi: strap.rssi });
  }

  async #watch(strap: BleStrap): Promise<void> {
    const watcher = this.#deps.advertisements;
    if (!watcher || strap.id === null || strap.stopWatch) return;
    const stop = await watcher.watch(strap.id, (rssi) => (strap.rssi = rssi));
    if (!this.straps.includes(strap)) stop?.();
    else strap.stopWatch = stop;
  }

  #retryLost(): void {
    const now = this.#deps.clock.now();
    for (const s of this.straps) {
      const state = s.controller.state;
      if (state.kind !== 'lost' || s.id === null) {
        s.lostSince = null;
        continue;
      }
      s.lostSince ??= now;
      if (now - s.lostSince >= RETRY_LOST_MS) {
        s.lostSince = null;
        s.controller.retry();
      }
    }
  }
}

function safeLocalStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}
