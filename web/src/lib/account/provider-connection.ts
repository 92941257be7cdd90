/**
 * What the account screen's provider sections (Strava, intervals.icu, Spotify) share with their
 * one shell, ProviderConnection.svelte: which state a provider's status is in, and the commands
 * a provider-specific part may run through the shell (so one busy flag and one error line serve
 * the whole section).
 */
import type { ApiResult } from '$lib/api/errors';

/** The shell's states once a status has loaded and the provider is set up on this server. */
export type ProviderView = 'connected' | 'needs_reconnect' | 'not_connected';

/** The status every provider answers with (the rest is the provider's own). */
export interface ProviderStatus {
  configured: boolean;
}

/** The two calls the shell makes itself, through the provider's API client module. */
export interface ProviderApi<S extends ProviderStatus, D> {
  status(): Promise<ApiResult<S>>;
  disconnect(): Promise<ApiResult<D>>;
}

export interface ProviderActions<S> {
  /** True while a call of the section is under way: controls are disabled. */
  readonly busy: boolean;
  /**
   * Runs one call with the section busy and its error cleared; on success the status becomes
   * `next(value, status)`, on failure the section shows the error.
   */
  run<T>(call: () => Promise<ApiResult<T>>, next: (value: T, status: S) => S): Promise<void>;
  /** Deletes HRM's access, then shows the "disconnected" note and reloads the status. */
  disconnect(): Promise<void>;
}
