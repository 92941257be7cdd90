/**
 * Now playing on the workout screen: the state the bar shows, polled from the server (which
 * asks Spotify at most once per few seconds per member, however many tabs ask), and the
 * player commands. Network calls go through the SpotifyApi; the bar decides when to poll
 * (visible and online only).
 */
import { ABORTED, NETWORK, type ApiError, type ApiResult } from '$lib/api';
import type { NowPlaying, PlayerCommand, SpotifyApi, SpotifyDevice, SpotifyPlaylist } from '$lib/api/spotify-api';
import { describeSpotifyError } from './messages';

export const POLL_MS = 5_000;

/** unknown: not asked yet; off: Spotify not set up or not connected (the bar hides). */
export type Connection = 'unknown' | 'off' | 'reconnect' | 'ready';

export class NowPlayingModel {
  connection = $state<Connection>('unknown');
  playing = $state<NowPlaying | null>(null);
  /** The last problem worth telling (a failed command, a degraded poll). */
  notice = $state<{ code: string; text: string } | null>(null);
  devices = $state<SpotifyDevice[]>([]);
  playlists = $state<SpotifyPlaylist[]>([]);
  muted = $state(false);
  busy = $state(false);
  /** Poll no sooner than this (a Retry-After from the server). */
  #quietUntil = 0;
  #noticeFromPoll = false;

  constructor(
    private readonly api: SpotifyApi,
    private readonly now: () => number = Date.now,
    /** The server no longer knows this session (revoked, expired): tell the app. */
    private readonly onSignedOut?: () => void,
  ) {}

  #fail(error: ApiError): void {
    if (error.code === ABORTED) return;
    if (error.status === 401 && error.code === 'unauthenticated') {
      // Signed out: nothing to poll until someone signs in (a new bar, a new model).
      this.connection = 'off';
      this.onSignedOut?.();
      return;
    }
    if (error.code === 'spotify_not_configured' || error.code === 'spotify_not_connected') {
      this.connection = 'off';
      return;
    }
    if (error.code === 'spotify_needs_reconnect') {
      this.connection = 'reconnect';
      return;
    }
    if (error.code === NETWORK) return; // the offline banner says it; the bar hides
    if (error.retryAfterSeconds !== undefined) this.#quietUntil = this.now() + error.retryAfterSeconds * 1000;
    this.notice = { code: error.code, text: describeSpotifyError(error) };
  }

  async refresh(signal?: AbortSignal): Promise<void> {
    if (this.now() < this.#quietUntil) return;
    const r = await this.api.nowPlaying(signal);
    if (!r.ok) return this.#fail(r.error);
    this.connection = 'ready';
    this.playing = r.value;
    // A poll's own notice (Spotify degraded, showing the last known state) clears when it recovers.
    if (r.value.degraded) {
      const code = `spotify_${r.value.degraded}`;
      this.notice = { code, text: describeSpotifyError({ status: 0, code, message: '', requestId: null }) };
      this.#noticeFromPoll = true;
    } else if (this.#noticeFromPoll) {
      this.notice = null;
      this.#noticeFromPoll = false;
    }
  }

  async #run(action: () => Promise<ApiResult<unknown>>, after?: () => void): Promise<boolean> {
    this.busy = true;
    this.notice = null;
    this.#noticeFromPoll = false;
    const r = await action();
    this.busy = false;
    if (!r.ok) {
      this.#fail(r.error);
      return false;
    }
    after?.();
    await this.refresh();
    return true;
  }

  command(c: PlayerCommand): Promise<boolean> {
    return this.#run(() => this.api.command(c));
  }

  togglePlay(): Promise<boolean> {
    return this.command(this.playing?.isPlaying ? 'pause' : 'play');
  }

  setVolume(percent: number): Promise<boolean> {
    return this.#run(() => this.api.setVolume(percent), () => (this.muted = false));
  }

  toggleMute(): Promise<boolean> {
    const muting = !this.muted;
    return this.#run(() => (muting ? this.api.mute() : this.api.unmute()), () => (this.muted = muting));
  }

  async loadDevices(): Promise<void> {
    const r = await this.api.devices();
    if (r.ok) this.devices = r.value;
    else this.#fail(r.error);
  }

  async transfer(deviceId: string): Promise<boolean> {
    const ok = await this.#run(() => this.api.transfer(deviceId, true));
    if (ok) await this.loadDevices();
    return ok;
  }

  async search(q: string): Promise<void> {
    if (q.trim() === '') {
      this.playlists = [];
      return;
    }
    const r = await this.api.searchPlaylists(q.trim());
    if (r.ok) this.playlists = r.value;
    else this.#fail(r.error);
  }

  startPlaylist(uri: string): Promise<boolean> {
    return this.#run(() => this.api.playPlaylist(uri));
  }

  get activeDevice(): SpotifyDevice | null {
    return this.devices.find((d) => d.isActive) ?? null;
  }
}
