/**
 * The hub after class (issue 15): when the room's run is over (the coach stopped it, or its plan
 * ran out, as the room says), every strap this hub recorded during the run becomes its wearer's
 * class workout (after-class.ts builds it, the server makes it theirs): a member's lands in their
 * history, a guest's is held and the hub shows its claim link and QR code.
 *
 * Each strap's upload is retried on its own (offline, server busy) until the server answered;
 * the server makes repeats harmless (one session per member or guest and run). The last run's
 * outcomes are kept on this device (`memory`), so a reload shows the guests' claim links again
 * instead of uploading anew (which would give a guest a new link and void the one they scanned).
 */
import type { HubWorkoutPosted } from '$core/api';
import { isRunOver, type ParticipantView } from '$core/rooms';
import type { TimerState } from '$core/workout';
import { isRetryable } from '$lib/api';
import type { HrmDatabase, RecordedReading } from '$lib/storage';
import { qrSvg } from '$lib/rooms/join-qr';
import { buildHubWorkout, runOnThisDevice, type RunContext } from './after-class';
import type { HubWorkoutApi } from './after-class-api';
import { hubRecordingReadings, roomHubRecordings } from './hub-recorder';

export type StrapOutcomeState = 'building' | 'uploading' | 'retrying' | 'member' | 'phone' | 'held' | 'failed' | 'too-short';

export interface StrapOutcome {
  strap: string;
  participantId: string;
  name: string;
  state: StrapOutcomeState;
  points: number | null;
  /** A guest's link that adds the workout to an account made later (a week). */
  claimLink: string | null;
  claimQr: string | null;
  error: string | null;
}

/** What the hub's room link knows (hub-link.ts HubLink). */
export interface AfterClassRoom {
  readonly participants: ReadonlyMap<string, string | null>;
  readonly channel: {
    readonly room: { readonly room: { name: string } | null; readonly timer: TimerState | null; readonly tiles: Readonly<Record<string, { participant: ParticipantView }>> };
    readonly offsetMs: number | null;
    serverNow(clientNow?: number): number;
  };
}

export interface HubAfterClassDeps {
  roomId: string;
  token: string;
  room: AfterClassRoom;
  db: () => HrmDatabase;
  /** Resolves once every reading received so far is in IndexedDB. */
  flush: () => Promise<void>;
  /** The room's key for a recording's strap key (RoomHub.roomKeyOf). */
  roomKeyOf: (strapKey: string) => string;
  api: HubWorkoutApi;
  origin: string;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  qr?: (text: string) => Promise<string>;
  /** Where the last run's outcomes are kept on this device (localStorage on the page). */
  memory?: AfterClassMemory;
}

export interface SavedRun {
  runStartedAt: number;
  outcomes: StrapOutcome[];
}

export interface AfterClassMemory {
  load(): SavedRun | null;
  save(run: SavedRun): void;
}

/** The hub page's memory: one localStorage entry per room (nothing kept where storage is refused). */
export function localAfterClassMemory(roomId: string): AfterClassMemory {
  const key = `hrm.hub.afterClass.${roomId}`;
  return {
    load() {
      try {
        const v = JSON.parse(localStorage.getItem(key) ?? 'null') as SavedRun | null;
        return v && typeof v.runStartedAt === 'number' && Array.isArray(v.outcomes) ? v : null;
      } catch {
        return null;
      }
    },
    save(run) {
      try {
        localStorage.setItem(key, JSON.stringify(run));
      } catch {
        // private mode or full: the outcomes last this page only
      }
    },
  };
}

const ATTEMPTS = 6;
const RETRY_BASE_MS = 2_000;

export class HubAfterClass {
  /** The run handled last (server start), and each strap's outcome. */
  runStartedAt = $state<number | null>(null);
  outcomes = $state<StrapOutcome[]>([]);
  #deps: HubAfterClassDeps;
  #handled = new Set<number>();
  #busy = false;
  /** Each strap's upload of the run handled last (null: too few readings). */
  #bodies = new Map<string, Awaited<ReturnType<typeof buildHubWorkout>>>();
  /** Participants as last seen on the room's tiles: a tile may go before the upload does. */
  #known = new Map<string, ParticipantView>();

  constructor(deps: HubAfterClassDeps) {
    this.#deps = deps;
    const saved = deps.memory?.load();
    if (saved) {
      this.runStartedAt = saved.runStartedAt;
      this.outcomes = saved.outcomes;
      // A run whose every strap was answered is done; one cut off mid-way is handled again.
      if (saved.outcomes.every((o) => o.state === 'member' || o.state === 'phone' || o.state === 'held' || o.state === 'too-short')) this.#handled.add(saved.runStartedAt);
    }
  }

  get #now() {
    return (this.#deps.now ?? Date.now)();
  }

  /** Called every second or so (and on room changes): handles a run that just ended, once. */
  check(): void {
    const { channel, participants } = this.#deps.room;
    for (const pid of participants.values()) {
      const tile = pid ? channel.room.tiles[pid] : undefined;
      if (tile) this.#known.set(pid!, tile.participant);
    }
    const timer = channel.room.timer;
    const offset = channel.offsetMs;
    if (this.#busy || !timer || timer.startedAt === null || offset === null || this.#handled.has(timer.startedAt)) return;
    if (!isRunOver(timer, channel.serverNow(this.#now))) return;
    this.#busy = true;
    this.#handled.add(timer.startedAt);
    void this.#handle(timer, offset).finally(() => (this.#busy = false));
  }

  /** Uploads again the straps whose upload failed. */
  async retryFailed(): Promise<void> {
    const failed = this.outcomes.filter((o) => o.state === 'failed');
    await Promise.all(failed.map((o) => this.#uploadOne(o.strap)));
    this.#remember();
  }

  async #handle(timer: TimerState, offsetMs: number): Promise<void> {
    const d = this.#deps;
    this.runStartedAt = timer.startedAt;
    this.outcomes = [];
    this.#bodies.clear();
    await d.flush();
    const ctx: RunContext = { room: { id: d.roomId, name: d.room.channel.room.room?.name ?? 'Class' }, timer, offsetMs, deviceId: `hub-${d.roomId}`, now: this.#now };
    const local = runOnThisDevice(ctx);
    if (!local) return;
    const db = d.db();
    // One strap may have several recordings (the page was reloaded, or the hub closed and opened).
    const byStrap = new Map<string, RecordedReading[]>();
    for (const row of await roomHubRecordings(db, d.roomId)) {
      const key = d.roomKeyOf(row.strapKey);
      const readings = await hubRecordingReadings(db, row.id, local.startedAt!, local.stoppedAt!);
      if (readings.length) byStrap.set(key, [...(byStrap.get(key) ?? []), ...readings]);
    }
    for (const [strap, readings] of [...byStrap].sort(([a], [b]) => a.localeCompare(b))) {
      const pid = d.room.participants.get(strap);
      const participant = pid ? this.#known.get(pid) : undefined;
      if (!pid || !participant) continue;
      const outcome: StrapOutcome = { strap, participantId: pid, name: participant.name, state: 'building', points: null, claimLink: null, claimQr: null, error: null };
      this.outcomes = [...this.outcomes, outcome];
      const body = await buildHubWorkout({ strap, participant, readings }, ctx);
      this.#bodies.set(strap, body);
      if (!body) this.#set(strap, { state: 'too-short' });
      else this.#set(strap, { points: body.result.points });
    }
    await Promise.all(this.outcomes.filter((o) => o.state === 'building').map((o) => this.#uploadOne(o.strap)));
    this.#remember();
  }

  #remember(): void {
    if (this.runStartedAt !== null) this.#deps.memory?.save({ runStartedAt: this.runStartedAt, outcomes: this.outcomes });
  }

  async #uploadOne(strap: string): Promise<void> {
    const d = this.#deps;
    const body = this.#bodies.get(strap);
    if (!body) return;
    const sleep = d.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      this.#set(strap, { state: attempt === 1 ? 'uploading' : 'retrying', error: null });
      const r = await d.api.upload(d.roomId, d.token, body);
      if (r.ok) return this.#done(strap, r.value);
      if (!isRetryable(r.error) || attempt === ATTEMPTS) {
        this.#set(strap, { state: 'failed', error: r.error.message });
        return;
      }
      await sleep((r.error.retryAfterSeconds ?? 0) * 1000 || RETRY_BASE_MS * attempt);
    }
  }

  async #done(strap: string, posted: HubWorkoutPosted): Promise<void> {
    if (!posted.claimToken) return this.#set(strap, { state: posted.delivered });
    const claimLink = `${this.#deps.origin}/claim#${posted.claimToken}`;
    this.#set(strap, { state: 'held', claimLink });
    const claimQr = await (this.#deps.qr ?? qrSvg)(claimLink);
    this.#set(strap, { claimQr });
    this.#remember();
  }

  #set(strap: string, patch: Partial<StrapOutcome>): void {
    this.outcomes = this.outcomes.map((o) => (o.strap === strap ? { ...o, ...patch } : o));
  }
}
