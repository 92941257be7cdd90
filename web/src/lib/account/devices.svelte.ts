/** The account screen's list of signed-in devices, and revoking one of them. */
import { ABORTED, type ApiError, type ApiResult, type DeviceSession, type HrmApi } from '$lib/api';

export type DevicesStatus = 'idle' | 'loading' | 'ready' | 'error';

export interface Devices {
  readonly status: DevicesStatus;
  readonly items: DeviceSession[];
  readonly error: ApiError | null;
  /** Ids whose revoke request is in flight. */
  isRevoking(id: string): boolean;
  load(signal?: AbortSignal): Promise<void>;
  revoke(id: string): Promise<ApiResult<void>>;
}

export function createDevices(api: HrmApi, onSignedOut: () => void): Devices {
  let status = $state<DevicesStatus>('idle');
  let items = $state<DeviceSession[]>([]);
  let error = $state<ApiError | null>(null);
  let revoking = $state<string[]>([]);

  return {
    get status() {
      return status;
    },
    get items() {
      return items;
    },
    get error() {
      return error;
    },
    isRevoking: (id) => revoking.includes(id),
    async load(signal) {
      status = 'loading';
      const result = await api.listSessions(signal);
      if (result.ok) {
        // This device first, then most recently seen.
        items = [...result.value].sort(
          (a, b) => Number(b.current) - Number(a.current) || b.lastSeen.localeCompare(a.lastSeen),
        );
        error = null;
        status = 'ready';
      } else if (result.error.code !== ABORTED) {
        if (result.error.status === 401) onSignedOut();
        error = result.error;
        status = 'error';
      }
    },
    async revoke(id) {
      revoking = [...revoking, id];
      const result = await api.revokeSession(id);
      revoking = revoking.filter((r) => r !== id);
      // 404: already gone; either way it is no longer signed in.
      if (result.ok || result.error.status === 404) {
        items = items.filter((item) => item.id !== id);
        return { ok: true, value: undefined };
      }
      if (result.error.status === 401) onSignedOut();
      return result;
    },
  };
}
