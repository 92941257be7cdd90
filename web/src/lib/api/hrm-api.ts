/**
 * Typed calls for the account endpoints of /api/v1 (/auth, /me). Each returns an ApiResult; none
 * throws. Answers are checked with the REST contract's schemas (core/api/auth.ts).
 */
import type { HttpClient } from './http';
import type { ApiResult } from './errors';
import {
  DeviceSessionsResponseSchema,
  LoginResponseSchema,
  MeResponseSchema,
  VerifyResponseSchema,
  type DeleteMeBody,
  type ResetPasswordBody,
  type UpdateMeBody,
} from '$core/api/auth';
import type { DeviceSession, LoginRequest, Registration, User } from './types';

export interface HrmApi {
  register(input: Registration, signal?: AbortSignal): Promise<ApiResult<void>>;
  login(input: LoginRequest, signal?: AbortSignal): Promise<ApiResult<User>>;
  logout(signal?: AbortSignal): Promise<ApiResult<void>>;
  me(signal?: AbortSignal): Promise<ApiResult<User>>;
  updateMe(input: UpdateMeBody, signal?: AbortSignal): Promise<ApiResult<User>>;
  deleteMe(input: DeleteMeBody, signal?: AbortSignal): Promise<ApiResult<void>>;
  listSessions(signal?: AbortSignal): Promise<ApiResult<DeviceSession[]>>;
  revokeSession(id: string, signal?: AbortSignal): Promise<ApiResult<void>>;
  revokeAllSessions(signal?: AbortSignal): Promise<ApiResult<void>>;
  requestVerification(signal?: AbortSignal): Promise<ApiResult<void>>;
  confirmVerification(token: string, signal?: AbortSignal): Promise<ApiResult<{ verified: boolean }>>;
  forgotPassword(email: string, signal?: AbortSignal): Promise<ApiResult<void>>;
  resetPassword(input: ResetPasswordBody, signal?: AbortSignal): Promise<ApiResult<void>>;
}

export function createHrmApi(http: HttpClient): HrmApi {
  return {
    register: (input, signal) => http.request('/auth/register', { method: 'POST', body: input, signal }),
    login: async (input, signal) => {
      const result = await http.request('/auth/login', { method: 'POST', body: input, signal, schema: LoginResponseSchema });
      return result.ok ? { ok: true, value: result.value.user } : result;
    },
    logout: (signal) => http.request('/auth/logout', { method: 'POST', signal }),
    me: (signal) => http.request('/me', { signal, schema: MeResponseSchema }),
    updateMe: (input, signal) => http.request('/me', { method: 'PATCH', body: input, signal, schema: MeResponseSchema }),
    deleteMe: (input, signal) => http.request('/me', { method: 'DELETE', body: input, signal }),
    listSessions: async (signal) => {
      const result = await http.request('/auth/sessions', { signal, schema: DeviceSessionsResponseSchema });
      return result.ok ? { ok: true, value: result.value.sessions } : result;
    },
    revokeSession: (id, signal) =>
      http.request(`/auth/sessions/${encodeURIComponent(id)}`, { method: 'DELETE', signal }),
    revokeAllSessions: (signal) => http.request('/auth/sessions/revoke-all', { method: 'POST', signal }),
    requestVerification: (signal) => http.request('/auth/verify/request', { method: 'POST', signal }),
    confirmVerification: (token, signal) =>
      http.request('/auth/verify/confirm', { method: 'POST', body: { token }, signal, schema: VerifyResponseSchema }),
    forgotPassword: (email, signal) => http.request('/auth/password/forgot', { method: 'POST', body: { email }, signal }),
    resetPassword: (input, signal) => http.request('/auth/password/reset', { method: 'POST', body: input, signal }),
  };
}
