/**
 * The hub's link to its room (issue 15): every strap this device hears goes to the room over ONE
 * live socket (core/rooms/wire.ts "Room hub"), as `hub-readings` batches of each strap's latest
 * reading, about once a second per strap: a reading whose strap was last sent at least
 * HUB_STRAP_GAP_MS ago leaves within HUB_BATCH_WINDOW_MS (with the others arriving meanwhile),
 * so what a screen shows is the strap's newest beat, not one held for a tick. A reading that
 * comes inside its strap's gap is held; a fresher one replaces it (an ANT+ strap's next reading
 * comes about 250 ms later), and the held one leaves as it is once the gap is over and it has
 * waited HUB_HOLD_MS (the link looks every HUB_TICK_MS): a strap that stops has its last reading
 * on the screens at most a gap later. The server's per-strap pace
 * (half the heart-rate interval) never drops one. The server maps each strap to a participant of the room and
 * says which (`hub-strap`); from then on the hub also works out each strap's effort points over
 * the room's timer (as a phone does for its own strap, class-points.ts), so strap tiles show
 * points like everyone else's.
 *
 * The hub's credential is its token: from the coach's link (`/rooms/<id>/hub#hub=…`, kept on
 * this device afterwards) or from pairing by code (/hub). Revoked, the link ends (`revoked`).
 */
import type { Hello, HubReading, ServerMessage } from '$core/rooms';
import type { Reading } from '$core/workout';
import { classPoints, pointsProfileOf } from '$lib/rooms/class-points';
import { browserWake, liveUrl, LiveChannel, type LiveChannelDeps } from '$lib/rooms/live-channel.svelte';

/** One reading of one strap, as a hub's sources give it (ANT stick, Bluetooth straps). */
export interface HubLinkReading {
  strapKey: string;
  bpm: number;
  rrMs: number[];
  at: number;
  battery?: number | null;
  rssi?: number | null;
}

/** How often the link looks for readings to send. */
export const HUB_TICK_MS = 100;
/** A strap's readings leave at most this often (about once a second; the server keeps ≥ 375 ms apart). */
export const HUB_STRAP_GAP_MS = 800;
/** A reading free to leave waits at most this long, for the readings of other straps to share its frame. */
export const HUB_BATCH_WINDOW_MS = 20;
/** How long a held reading waits for a fresher one (longer than an ANT+ strap's ~246 ms period) before it leaves as it is, once its strap's gap is over. */
export const HUB_HOLD_MS = 300;
/** The server takes at most this many straps per frame (HubReadingsSchema). */
export const HUB_BATCH_MAX = 64;
/** Readings kept per strap for points: one per flush, a long class's worth. */
const POINTS_READINGS_MAX = 4 * 3600;

export interface HubLinkDeps {
  roomId: string;
  token: string;
  flushMs?: number;
  now?: () => number;
  setInterval?: (fn: () => void, ms: number) => unknown;
  clearInterval?: (handle: unknown) => void;
  setTimeout?: (fn: () => void, ms: number) => unknown;
  /** Overrides for the live channel (a fake socket in unit tests). */
  channel?: Partial<LiveChannelDeps>;
}

interface Pending {
  bpm: number;
  rr: number[];
  battery: number | null | undefined;
  at: number;
  /** When it came to the link (this device's clock). */
  arrivedAt: number;
}

export class HubLink {
  readonly channel: LiveChannel;
  /** strap key → its participant in the room (null: the coach removed it), as the server said. */
  readonly participants = new Map<string, string | null>();
  #pending = new Map<string, Pending>();
  #readings = new Map<string, Reading[]>();
  /** strap key → when its last reading left. */
  #lastSent = new Map<string, number>();
  #timer: unknown = null;
  /** A batch window is open (publish → flush within HUB_BATCH_WINDOW_MS). */
  #soon = false;
  #deps: HubLinkDeps;
  /** Readings sent (for the page and tests). */
  sent = 0;

  constructor(deps: HubLinkDeps) {
    this.#deps = deps;
    const hello: Hello = { type: 'hello', v: 1, role: 'hub', token: deps.token };
    this.channel = new LiveChannel({
      url: deps.channel?.url ?? liveUrl(deps.roomId),
      hello: async () => hello,
      onWake: typeof document === 'undefined' ? undefined : browserWake,
      ...deps.channel,
      onMessage: (msg) => {
        this.#onMessage(msg);
        deps.channel?.onMessage?.(msg);
      },
    });
  }

  get #now() {
    return this.#deps.now ?? Date.now;
  }

  start(): void {
    this.channel.start();
    const every = this.#deps.setInterval ?? ((fn, ms) => setInterval(fn, ms));
    this.#timer ??= every(() => this.flush(), this.#deps.flushMs ?? HUB_TICK_MS);
  }

  stop(): void {
    if (this.#timer !== null) (this.#deps.clearInterval ?? ((h) => clearInterval(h as ReturnType<typeof setInterval>)))(this.#timer);
    this.#timer = null;
    this.channel.stop();
  }

  /** Keeps the strap's latest reading (and its RR intervals) for the next batch. */
  publish(r: HubLinkReading): void {
    if (!Number.isInteger(r.bpm) || r.bpm < 1 || r.bpm > 255) return;
    const prev = this.#pending.get(r.strapKey);
    const rr = [...(prev?.rr ?? []), ...r.rrMs.filter((x) => x >= 100 && x <= 4000).map(Math.round)].slice(-32);
    const t = this.#now();
    this.#pending.set(r.strapKey, { bpm: r.bpm, rr, battery: r.battery ?? prev?.battery, at: r.at, arrivedAt: t });
    const last = this.#lastSent.get(r.strapKey);
    if (this.#timer !== null && !this.#soon && (last === undefined || t - last >= HUB_STRAP_GAP_MS)) {
      this.#soon = true;
      (this.#deps.setTimeout ?? ((fn, ms) => setTimeout(fn, ms)))(() => this.flush(), HUB_BATCH_WINDOW_MS);
    }
  }

  /**
   * Sends what came since each strap's last send, for the straps last sent at least
   * HUB_STRAP_GAP_MS ago whose reading came after the gap, or has been held HUB_HOLD_MS (the
   * others wait); the number of readings sent (0 while the link is down: they are dropped, as
   * stale).
   */
  flush(): number {
    this.#soon = false;
    if (this.#pending.size === 0) return 0;
    const t = this.#now();
    const readings: HubReading[] = [];
    for (const [strap, p] of this.#pending) {
      const last = this.#lastSent.get(strap);
      if (last !== undefined && (t - last < HUB_STRAP_GAP_MS || (p.arrivedAt - last < HUB_STRAP_GAP_MS && t - p.arrivedAt < HUB_HOLD_MS))) continue;
      this.#pending.delete(strap);
      this.#lastSent.set(strap, t);
      const points = this.#points(strap, p);
      readings.push({
        strap,
        bpm: p.bpm,
        ...(p.rr.length ? { rr: p.rr } : {}),
        ...(p.battery !== undefined ? { battery: p.battery } : {}),
        ...(points !== undefined ? { points } : {}),
        at: Math.round(p.at),
      });
    }
    let sent = 0;
    for (let i = 0; i < readings.length; i += HUB_BATCH_MAX) {
      const chunk = readings.slice(i, i + HUB_BATCH_MAX);
      if (this.channel.send({ type: 'hub-readings', readings: chunk })) sent += chunk.length;
    }
    this.sent += sent;
    return sent;
  }

  /** The strap's points in the room's current run, once its participant and the timer are known. */
  #points(strap: string, p: Pending): number | undefined {
    const list = this.#readings.get(strap) ?? [];
    list.push({ t: p.at, bpm: p.bpm, rr1024: [], contact: 'detected' });
    if (list.length > POINTS_READINGS_MAX) list.splice(0, list.length - POINTS_READINGS_MAX);
    this.#readings.set(strap, list);
    const participantId = this.participants.get(strap);
    const tile = participantId ? this.channel.room.tiles[participantId] : undefined;
    if (!tile) return undefined;
    const points = classPoints(list, pointsProfileOf(tile.participant), this.channel.room.timer, this.channel.offsetMs, this.#now());
    return points === undefined ? undefined : Math.max(0, Math.round(points));
  }

  #onMessage(msg: ServerMessage): void {
    if (msg.type === 'hub-strap') this.participants.set(msg.strap, msg.participantId);
  }
}

/** `ant:<device number>`: what a member registers for an ANT+ strap. */
export const antStrapKey = (deviceNumber: number) => `ant:${deviceNumber}`;

const tokenKey = (roomId: string) => `hrm.hub.token.${roomId}`;

/**
 * The hub token for this room: from the link's fragment (`#hub=…`, then kept on this device and
 * dropped from the address bar) or the one kept before; null when this device is not a hub.
 */
export function hubTokenFromLocation(roomId: string, loc: Pick<Location, 'hash'> = location, store: Pick<Storage, 'getItem' | 'setItem'> | null = safeLocalStorage()): string | null {
  const fromLink = new URLSearchParams(loc.hash.slice(1)).get('hub');
  if (fromLink) {
    try {
      store?.setItem(tokenKey(roomId), fromLink);
    } catch {
      // private mode: the token lasts this page only
    }
    return fromLink;
  }
  try {
    return store?.getItem(tokenKey(roomId)) ?? null;
  } catch {
    return null;
  }
}

export function forgetHubToken(roomId: string, store: Pick<Storage, 'removeItem'> | null = safeLocalStorage()): void {
  try {
    store?.removeItem(tokenKey(roomId));
  } catch {
    // nothing kept
  }
}

function safeLocalStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

/** The page's hook: a link for this room when this device holds a hub token, already started. */
export function startHubLink(roomId: string): HubLink | null {
  const token = hubTokenFromLocation(roomId);
  if (!token) return null;
  if (location.hash.includes('hub=')) history.replaceState(history.state, '', location.pathname + location.search);
  const link = new HubLink({ roomId, token });
  link.start();
  return link;
}

/**
 * Feeds the link from tiles that carry their last reading (the ANT hub's): each tile whose
 * reading is newer than the last one seen is published once.
 */
export function tilesFeeder(link: HubLink, keyOf: (tile: { deviceNumber: number }) => string = (t) => antStrapKey(t.deviceNumber)) {
  const seen = new Map<string, number>();
  return (tiles: ReadonlyArray<{ deviceNumber: number; bpm: number | null; lastAt: number; lastRrMs: number | null; battery: number | null; rssi: number | null }>) => {
    for (const t of tiles) {
      const key = keyOf(t);
      if (t.bpm === null || seen.get(key) === t.lastAt) continue;
      seen.set(key, t.lastAt);
      link.publish({ strapKey: key, bpm: t.bpm, rrMs: t.lastRrMs === null ? [] : [t.lastRrMs], at: t.lastAt, battery: t.battery, rssi: t.rssi });
    }
  };
}
