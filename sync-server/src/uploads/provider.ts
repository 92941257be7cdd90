import type { RateUsage as StravaRateUsage, UploadInput, UploadView } from '../strava/uploads-api';

/**
 * What the upload queue needs from a provider (issue 16): a small adapter per provider. Strava
 * (strava/uploads-api.ts) uploads asynchronously (poll the upload until it names an activity);
 * intervals.icu (intervals/api.ts) answers the upload with the activity at once, so its
 * `getUpload` is never reached. Both find an earlier attempt's activity by `external_id`.
 */
export type { UploadInput, UploadView };

/** A provider's rate-limit report: Strava's usage headers, or a 429's Retry-After (intervals.icu). */
export type RateUsage = StravaRateUsage & { retryAfterSec?: number | null };

export type ApiAnswer<T> =
  | { kind: 'ok'; value: T; rate: RateUsage }
  | { kind: 'unauthorized'; rate: RateUsage }
  | { kind: 'rate_limited'; rate: RateUsage }
  | { kind: 'not_found'; rate: RateUsage }
  | { kind: 'rejected'; status: number; error: string; rate: RateUsage }
  /** No answer or a server error: the request may or may not have taken effect. */
  | { kind: 'transient'; status: number; rate: RateUsage };

export interface UploadsApi {
  upload(token: string, input: UploadInput): Promise<ApiAnswer<UploadView>>;
  getUpload(token: string, uploadId: string): Promise<ApiAnswer<UploadView>>;
  /** Activities started between after and before (epoch s), newest first. */
  activities(token: string, afterSec: number, beforeSec: number): Promise<ApiAnswer<{ id: string; externalId: string | null }[]>>;
}

/** The provider as the worker names it. */
export interface UploadProviderInfo {
  /** Lower-case key: log prefix, lease keys (`<name>-uploads-scan`). */
  name: string;
  /** For the member: "Strava", "intervals.icu". */
  label: string;
  /** The `trainer` flag of an upload (every HRM workout is indoors unless it says otherwise). */
  trainer: boolean;
}

export const NO_RATE: RateUsage = { limit: null, usage: null, readLimit: null, readUsage: null };
