/**
 * The room's music on a class screen: what the bar shows, polled from the server (the room
 * owner's Spotify; the server asks Spotify at most once per few seconds however many screens
 * poll), and, on the control page, the player commands. Network calls go through the RoomApi
 * the caller binds; the screen decides when to poll (see pollMusic).
 */
import type { MusicCommand, RoomMusic } from '$core/rooms';
import { ABORTED, NETWORK, type ApiError, type ApiResult } from '$lib/api';
import { describeSpotifyError } from '$lib/spotify/messages';

export const MUSIC_POLL_MS = 4_000;
/** Spotify applies a skip a moment after accepting it (emulator P10): read after this. */
export const SKIP_SETTLE_MS = 1_000;

/**
 * unknown: not asked yet; ready: `music` is the owner's state; not-connected / reconnect /
 * not-configured: no Spotify for this room (displays hide, the control page says why);
 * unavailable: this screen may not read it, or Spotify refuses this account (hidden).
 */
export type MusicConnection = 'unknown' | 'ready' | 'not-connected' | 'reconnect' | 'not-configured' | 'unavailable';

export interface MusicSource {
  read(signal?: AbortSignal): Promise<ApiResult<RoomMusic>>;
}

/** Only coaches have these. */
export interface MusicControls {
  command(command: MusicCommand): Promise<ApiResult<void>>;
  setVolume(percent: number): Promise<ApiResult<void>>;
}

const CONNECTION_BY_CODE: Record<string, MusicConnection> = {
  spotify_not_configured: 'not-configured',
  spotify_not_connected: 'not-connected',
  spotify_needs_reconnect: 'reconnect',
  spotify_limited_beta: 'unavailable',
  not_found: 'unavailable',
  unauthenticated: 'unavailable',
};

export class RoomMusicModel {
  connection = $state<MusicConnection>('unknown');
  music = $state<RoomMusic | null>(null);
  /** The last problem worth telling on the control page (a failed command, a degraded poll). */
  notice = $state<{ code: string; text: string } | null>(null);
  busy = $state(false);
  #quietUntil = 0;
  #reading = 0;
  #started = 0;
  #applied = 0;
  #noticeFromPoll = false;

  constructor(
    private readonly source: MusicSource,
    private readonly controls: MusicControls | null = null,
    private readonly clock: { now: () => number; sleep: (ms: number) => Promise<void> } = {
      now: Date.now,
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    },
  ) {}

  /** Something to show: the bar is hidden otherwise. */
  get playing(): RoomMusic | null {
    return this.connection === 'ready' && this.music && this.music.type !== 'none' ? this.music : null;
  }

  #tell(error: ApiError, fromPoll: boolean): void {
    this.notice = { code: error.code, text: describeSpotifyError(error) };
    this.#noticeFromPoll = fromPoll;
  }

  #fail(error: ApiError, fromPoll: boolean): void {
    if (error.code === ABORTED || error.code === NETWORK) return; // the link banner says it
    const connection = CONNECTION_BY_CODE[error.code];
    if (connection) {
      this.connection = connection;
      this.music = null;
      if (error.code === 'spotify_limited_beta') this.#tell(error, fromPoll);
      return;
    }
    if (error.retryAfterSeconds !== undefined) this.#quietUntil = this.clock.now() + error.retryAfterSeconds * 1000;
    this.#tell(error, fromPoll);
  }

  /**
   * One read; a poll is skipped while another read is in flight or Spotify asked us to wait.
   * `force` (after a command) reads anyway, and an older read that ends later is dropped.
   */
  async refresh(signal?: AbortSignal, force = false): Promise<void> {
    if ((!force && this.#reading > 0) || this.clock.now() < this.#quietUntil) return;
    const seq = ++this.#started;
    this.#reading++;
    try {
      const r = await this.source.read(signal);
      if (seq < this.#applied) return;
      this.#applied = seq;
      if (!r.ok) return this.#fail(r.error, true);
      this.connection = 'ready';
      this.music = r.value;
      // A poll's own notice (Spotify degraded: the last known state) clears when it recovers.
      if (r.value.degraded) this.#tell({ status: 0, code: `spotify_${r.value.degraded}`, message: '', requestId: null }, true);
      else if (this.#noticeFromPoll) {
        this.notice = null;
        this.#noticeFromPoll = false;
      }
    } finally {
      this.#reading--;
    }
  }

  async #run(action: (c: MusicControls) => Promise<ApiResult<void>>, settleMs = 0): Promise<boolean> {
    if (!this.controls || this.busy) return false;
    this.busy = true;
    this.notice = null;
    this.#noticeFromPoll = false;
    try {
      const r = await action(this.controls);
      if (!r.ok) {
        this.#fail(r.error, false);
        return false;
      }
      if (settleMs > 0) await this.clock.sleep(settleMs);
    } finally {
      this.busy = false;
    }
    await this.refresh(undefined, true);
    return true;
  }

  command(command: MusicCommand): Promise<boolean> {
    return this.#run((c) => c.command(command), command === 'next' || command === 'previous' ? SKIP_SETTLE_MS : 0);
  }

  togglePlay(): Promise<boolean> {
    return this.command(this.music?.isPlaying ? 'pause' : 'play');
  }

  setVolume(percent: number): Promise<boolean> {
    return this.#run((c) => c.setVolume(Math.round(Math.min(100, Math.max(0, percent)))));
  }
}

/**
 * Polls now and every `intervalMs` until the returned stop is called (which also cancels a read
 * in flight). The screen starts it while it is visible.
 */
export function pollMusic(model: RoomMusicModel, intervalMs = MUSIC_POLL_MS): () => void {
  const controller = new AbortController();
  void model.refresh(controller.signal);
  const timer = setInterval(() => void model.refresh(controller.signal), intervalMs);
  return () => {
    clearInterval(timer);
    controller.abort();
  };
}
