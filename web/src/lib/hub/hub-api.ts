/**
 * Room hubs and the strap registry over HTTP (sync-server/src/routes/hubs.ts), through the app's
 * one fetch caller: every answer is validated (core/api/hubs.ts) and comes back as an ApiResult.
 */
import {
  CreatedHubSchema,
  MyStrapsSchema,
  PairedHubSchema,
  RoomHubsResponseSchema,
  RoomStrapsResponseSchema,
  StrapClaimedSchema,
  StrapListSchema,
  type AssignStrapInput,
  type CreatedHub,
  type MyStraps,
  type RoomHub,
} from '$core/api';
import { ParticipantViewSchema, type ParticipantView } from '$core/rooms';
import { z } from 'zod';
import { createHttpClient, type HttpClient } from '$lib/api';
import type { ApiResult } from '$lib/api';

export type { CreatedHub, MyStraps, RoomHub };
export type RoomStrap = z.infer<typeof RoomStrapsResponseSchema>['straps'][number];
export type StrapList = z.infer<typeof StrapListSchema>;
export type StrapClaimed = z.infer<typeof StrapClaimedSchema>;
export type StrapProfile = MyStraps['profile'];

const room = (id: string) => `/rooms/${encodeURIComponent(id)}`;
const map = <T, U>(r: ApiResult<T>, f: (v: T) => U): ApiResult<U> => (r.ok ? { ok: true, value: f(r.value) } : r);

export function createHubApi(http: HttpClient = createHttpClient()) {
  return {
    listHubs: async (roomId: string) => map(await http.request(`${room(roomId)}/hubs`, { schema: RoomHubsResponseSchema }), (v) => v.hubs),
    createHub: (roomId: string, name: string) => http.request(`${room(roomId)}/hubs`, { method: 'POST', body: { name }, schema: CreatedHubSchema }),
    revokeHub: (roomId: string, hubId: string) => http.request(`${room(roomId)}/hubs/${encodeURIComponent(hubId)}`, { method: 'DELETE' }),
    pairHub: (code: string) => http.request('/hubs/pair', { method: 'POST', body: { code }, schema: PairedHubSchema }),
    listStraps: async (roomId: string) => map(await http.request(`${room(roomId)}/straps`, { schema: RoomStrapsResponseSchema }), (v) => v.straps),
    assignStrap: async (roomId: string, participantId: string, input: AssignStrapInput): Promise<ApiResult<ParticipantView>> =>
      map(await http.request(`${room(roomId)}/straps/${encodeURIComponent(participantId)}`, { method: 'PUT', body: input, schema: z.object({ participant: ParticipantViewSchema }) }), (v) => v.participant),
    strapsForPhone: (code: string, deviceId: string) => http.request('/rooms/straps', { method: 'POST', body: { code, deviceId }, schema: StrapListSchema }),
    claimStrap: (code: string, deviceId: string, participantId: string) =>
      http.request('/rooms/straps/claim', { method: 'POST', body: { code, deviceId, participantId }, schema: StrapClaimedSchema }),
    releaseClaim: (code: string, deviceId: string, participantId: string) => http.request('/rooms/straps/release', { method: 'POST', body: { code, deviceId, participantId } }),
    releaseStrapClaim: (roomId: string, participantId: string) => http.request(`${room(roomId)}/straps/${encodeURIComponent(participantId)}/claim`, { method: 'DELETE' }),
    myStraps: () => http.request('/straps', { schema: MyStrapsSchema }),
    registerStrap: (key: string) => http.request('/straps', { method: 'POST', body: { key }, schema: MyStrapsSchema }),
    releaseStrap: (key: string) => http.request(`/straps/${encodeURIComponent(key)}`, { method: 'DELETE' }),
    setStrapPrefs: (autoJoin: boolean, profile: StrapProfile) => http.request('/straps/prefs', { method: 'PUT', body: { autoJoin, profile }, schema: MyStrapsSchema }),
  };
}

export type HubApi = ReturnType<typeof createHubApi>;
