/**
 * The room hub's model: the ANT stick (ant-hub), the Bluetooth straps (ble-straps), one reading
 * stream for both (hub-reading), one tile per strap (hub-tiles) and the crash-safe recording of
 * every strap (hub-recorder). On start it resumes by itself: the stick and every remembered
 * Bluetooth strap are reconnected without prompts where the browser allows, and the recordings a
 * cut-off page left are continued.
 *
 * Publishing to the room subscribes to `readings` (one line; hub-link.ts).
 */
import { bluetoothStrapKey } from '$core/rooms';
import { detectCapabilities } from '$lib/strap/capabilities';
import { browserTimers, systemClock } from '$lib/strap/timers';
import { createWebBluetoothLink } from '$lib/strap/web-bluetooth-link';
import type { HrmDatabase } from '$lib/storage';
import { AntHub } from './ant-hub.svelte';
import { BleHub, browserAdvertisementWatcher, browserPairedStore, type BleStrap } from './ble-straps.svelte';
import { ReadingStream, type HubReading } from './hub-reading';
import { HubRecorder } from './hub-recorder';
import { applyReading, emptyTile, orderedTiles, tileState, type HubTile, type TileState } from './hub-tiles';

/** The name web-bluetooth-link.ts gives a strap the browser names not (Chromium's emulated radio does so for every strap). */
const UNNAMED_STRAP = 'Heart-rate strap';

/**
 * The room's key for the Bluetooth strap with this browser id: `ble:<its advertised name>` when
 * it has one that no other strap on this hub shares; else `ble:<its id>`, so that two straps
 * never become one participant (straps with no name, or two "Polar H10" without a serial, are
 * then known by this hub's id only: a member cannot register them by name, the coach names them).
 */
export function bluetoothRoomKey(id: string, straps: ReadonlyArray<{ id: string | null; name: string }>): string {
  const name = straps.find((s) => s.id === id)?.name.trim() ?? '';
  const usable = name !== '' && name !== UNNAMED_STRAP && !straps.some((s) => s.id !== id && s.name.trim() === name);
  return bluetoothStrapKey(usable ? name : id);
}

export interface ShownTile extends HubTile {
  state: TileState;
  /** The Bluetooth strap behind the tile (for its controls); null for ANT. */
  ble: BleStrap | null;
}

/** Tiles are redrawn at most this often: 38 straps at 4 Hz would otherwise redraw 150 times a second. */
const TILE_FRAME_MS = 100;
const TILE_SAMPLES = 20_000;

export class RoomHub {
  readonly readings = new ReadingStream();
  readonly ant: AntHub;
  readonly ble: BleHub;
  readonly recorder: HubRecorder | null;
  now = $state(Date.now());
  /** Recordings continued from a page that was cut off. */
  resumed = $state(0);
  /**
   * The room timer's run the hub is carrying, when known (set by whoever follows the room, e.g.
   * the room link): recordings started from then on carry it. A run change does not split a
   * recording already under way (the after-class step, after-class.svelte.ts, cuts by time).
   */
  classRunId: string | null = null;
  #tileMap = new Map<string, HubTile>();
  #version = $state(0);
  #frame: ReturnType<typeof setTimeout> | null = null;
  #clock: ReturnType<typeof setInterval> | null = null;
  #stopRecorder: () => void = () => {};
  /** Arrival times of readings not yet drawn, and of those in the frame being drawn. */
  #waiting: number[] = [];
  #drawing: number[] = [];
  /** Reading arrival → its tile drawn, ms (the latest TILE_SAMPLES), for the bench and the tests. */
  readonly tileLatencyMs: number[] = [];

  /**
   * The key the room knows a strap by (core/rooms/wire.ts): ANT+ keys as they are; a Bluetooth
   * strap by its advertised name (what its wearer registers), not the browser's per-origin id
   * (bluetoothRoomKey: unless the name tells it from no other strap).
   */
  roomKeyOf(strapKey: string): string {
    if (!strapKey.startsWith('ble:')) return strapKey;
    return bluetoothRoomKey(strapKey.slice(4), this.ble.straps);
  }

  constructor(opts: { roomId: string; db: (() => HrmDatabase) | null; win?: Window }) {
    const win = opts.win ?? window;
    const emit = (r: HubReading) => this.readings.emit(r);
    this.ant = new AntHub(emit);
    const capabilities = detectCapabilities(win);
    const timers = browserTimers();
    const bluetooth = capabilities.secureContext && capabilities.webBluetooth ? win.navigator.bluetooth : null;
    this.ble = new BleHub({
      capabilities,
      makeLink: bluetooth ? () => createWebBluetoothLink(bluetooth, { timers, clock: systemClock }) : null,
      advertisements: bluetooth && typeof bluetooth.getDevices === 'function' ? browserAdvertisementWatcher(bluetooth) : null,
      store: browserPairedStore(),
      clock: systemClock,
      timers,
      random: Math.random,
      onReading: emit,
      onVisible(callback) {
        const doc = win.document;
        const handler = () => {
          if (doc.visibilityState === 'visible') callback();
        };
        doc.addEventListener('visibilitychange', handler);
        return () => doc.removeEventListener('visibilitychange', handler);
      },
    });
    this.recorder = opts.db ? new HubRecorder({ db: opts.db, roomId: opts.roomId, classRunId: () => this.classRunId }) : null;
    this.readings.subscribe((r) => {
      applyReading(this.#tileMap, r);
      this.#waiting.push(r.at);
      this.#frame ??= setTimeout(() => {
        this.#frame = null;
        this.#drawing.push(...this.#waiting);
        this.#waiting = [];
        this.#version++;
      }, TILE_FRAME_MS);
    });
  }

  get tiles(): ShownTile[] {
    void this.#version;
    const map = new Map(this.#tileMap);
    const byKey = new Map<string, BleStrap>();
    for (const s of this.ble.straps) {
      const key = s.key;
      if (key === null) continue;
      byKey.set(key, s);
      const t = map.get(key) ?? emptyTile(key);
      map.set(key, { ...t, label: s.name || t.label, battery: s.battery ?? t.battery, rssi: s.rssi ?? t.rssi });
    }
    return orderedTiles(map.values()).map((t) => {
      const ble = byKey.get(t.key) ?? null;
      return { ...t, ble, state: tileState(t, this.now, ble ? ble.phase : undefined) };
    });
  }

  /** The page calls this once the tiles are in the DOM (an $effect on `tiles`). */
  drawn(now = Date.now()): void {
    for (const at of this.#drawing) this.tileLatencyMs.push(now - at);
    this.#drawing = [];
    if (this.tileLatencyMs.length > TILE_SAMPLES) this.tileLatencyMs.splice(0, this.tileLatencyMs.length - TILE_SAMPLES);
  }

  /** Resumes everything without a prompt: recordings, the known stick, the remembered straps. */
  async start(): Promise<void> {
    this.#clock = setInterval(() => (this.now = Date.now()), 500);
    if (this.recorder) {
      // The recorder subscribes first: no reading reaches a tile before it is being written.
      const recorder = this.recorder;
      this.#stopRecorder = this.readings.subscribe(recorder.sink);
      try {
        this.resumed = await recorder.open();
      } catch (error) {
        console.error('hub recorder: could not open', error);
      }
    }
    this.ble.start();
    if (this.ant.supported && this.ant.networkKey) void this.ant.connect(true);
  }

  async destroy(): Promise<void> {
    if (this.#clock !== null) clearInterval(this.#clock);
    if (this.#frame !== null) clearTimeout(this.#frame);
    this.ble.destroy();
    await this.ant.destroy();
    this.#stopRecorder();
    await this.recorder?.detach();
  }
}
