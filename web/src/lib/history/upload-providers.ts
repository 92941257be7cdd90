/**
 * The providers a workout's history page shows an upload card for (ProviderUpload.svelte): each
 * gives its API client (lib/account/*-api.ts) and its words. Each page makes its own instances.
 */
import type { ApiResult } from '$lib/api/errors';
import { createBrowserIntervalsApi, describeIntervalsUpload } from '$lib/account/intervals-api';
import { createBrowserStravaApi, describeUpload, type StravaUpload } from '$lib/account/strava-api';

/** A workout's upload as both providers answer it (core/api/strava.ts, core/api/intervals.ts). */
export type ProviderUploadView = StravaUpload;
export type ProviderUploadStatus = { configured: boolean; connected?: boolean; mode?: 'off' | 'auto' | 'manual' };

export interface UploadProvider {
  /** Prefix of the card's test ids (`<id>-upload-state`, `<id>-retry`, …). */
  id: 'strava' | 'intervals';
  /** The provider's name as members read it. */
  name: string;
  api: {
    status(signal?: AbortSignal): Promise<ApiResult<ProviderUploadStatus>>;
    uploads(sessionIds: readonly string[], signal?: AbortSignal): Promise<ApiResult<{ uploads: ProviderUploadView[] }>>;
    upload(sessionId: string, signal?: AbortSignal): Promise<ApiResult<ProviderUploadView>>;
    retry(sessionId: string, signal?: AbortSignal): Promise<ApiResult<ProviderUploadView>>;
  };
  /** One line about the upload's state. */
  describe(u: ProviderUploadView): string;
}

export const stravaUploadProvider = (): UploadProvider => ({ id: 'strava', name: 'Strava', api: createBrowserStravaApi(), describe: describeUpload });

export const intervalsUploadProvider = (): UploadProvider => ({
  id: 'intervals',
  name: 'intervals.icu',
  api: createBrowserIntervalsApi(),
  describe: describeIntervalsUpload,
});
