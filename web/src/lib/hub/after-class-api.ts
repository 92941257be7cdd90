/** The hub's after-class upload (sync-server/src/routes/hubs.ts), with the hub's token. */
import { HubWorkoutPostedSchema, type HubWorkoutBody, type HubWorkoutPosted } from '$core/api';
import { createHttpClient, type ApiResult, type HttpClient } from '$lib/api';

export interface HubWorkoutApi {
  upload(roomId: string, hubToken: string, body: HubWorkoutBody): Promise<ApiResult<HubWorkoutPosted>>;
}

export function createHubWorkoutApi(http: HttpClient = createHttpClient()): HubWorkoutApi {
  return {
    upload: (roomId, hubToken, body) =>
      http.request(`/rooms/${encodeURIComponent(roomId)}/hub/workouts`, { method: 'POST', body, headers: { Authorization: `Bearer ${hubToken}` }, schema: HubWorkoutPostedSchema }),
  };
}
