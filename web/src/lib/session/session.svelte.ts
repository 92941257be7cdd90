/**
 * Who is signed in on this device. Loads /api/v1/me at start and after reconnecting; the auth
 * cookie is httpOnly, so the server's answer is the only truth. But a device that was signed
 * out when last seen does not ask (lib/account/session-hint.ts): a signed-out page makes no
 * request that must fail. Signing in here is how it learns otherwise.
 *
 * status:
 * - 'loading'    first check in flight
 * - 'signed-in'  `user` is set
 * - 'signed-out' the server said 401
 * - 'unknown'    the server could not be reached and we never learnt the answer (offline start)
 *
 * Commands return ApiResult values; screens show `describeError(result.error)` on failure.
 */
import type { SessionHint } from '$lib/account/session-hint';
import { ABORTED, type ApiResult, type HrmApi, type LoginRequest, type Registration, type User } from '$lib/api';

export type SessionStatus = 'loading' | 'signed-in' | 'signed-out' | 'unknown';

export interface Session {
  readonly status: SessionStatus;
  readonly user: User | null;
  /** Ask /me now. */
  refresh(): Promise<SessionStatus>;
  /**
   * At start: ask /me only when this device may hold a session. With no hint written yet,
   * `mayHaveSession` decides (e.g. a member owns this device's data).
   */
  start(mayHaveSession: () => Promise<boolean>): Promise<SessionStatus>;
  /** After reconnecting, or while the server did not answer: ask again unless signed out. */
  recheck(): Promise<SessionStatus>;
  signIn(input: LoginRequest): Promise<ApiResult<User>>;
  /** Register, then log in with the same credentials (register alone does not sign in). */
  signUp(input: Registration & { deviceName?: string }): Promise<SignUpResult>;
  signOut(): Promise<ApiResult<void>>;
  signOutEverywhere(): Promise<ApiResult<void>>;
  updateName(name: string): Promise<ApiResult<User>>;
  deleteAccount(password: string): Promise<ApiResult<void>>;
  requestVerification(): Promise<ApiResult<void>>;
  confirmVerification(token: string): Promise<ApiResult<{ verified: boolean }>>;
  /** Any module that gets a 401 `unauthenticated` tells the session. */
  noteSignedOut(): void;
}

/** Where sign-up stopped when it did not finish: the account request or the sign-in after it. */
export type SignUpResult = ApiResult<User> & { step?: 'register' | 'login' };

export function createSession(api: HrmApi, hint?: SessionHint): Session {
  let status = $state<SessionStatus>('loading');
  let user = $state<User | null>(null);
  let inFlight: AbortController | null = null;

  function signedIn(next: User) {
    user = next;
    status = 'signed-in';
    hint?.write(true);
  }

  function signedOut() {
    inFlight?.abort();
    user = null;
    status = 'signed-out';
    hint?.write(false);
  }

  /** A 401 on any signed-in call means the session ended elsewhere (revoked, expired). */
  function watch<T>(result: ApiResult<T>): ApiResult<T> {
    if (!result.ok && result.error.status === 401 && result.error.code !== 'invalid_credentials') signedOut();
    return result;
  }

  async function refresh(): Promise<SessionStatus> {
    inFlight?.abort();
    const controller = new AbortController();
    inFlight = controller;
    const result = await api.me(controller.signal);
    if (inFlight === controller) inFlight = null;
    if (result.ok) signedIn(result.value);
    else if (result.error.code === ABORTED) return status;
    else if (result.error.status === 401) signedOut();
    // Offline or a server error: keep what we knew; if we knew nothing, say so.
    else if (status === 'loading') status = 'unknown';
    return status;
  }

  async function start(mayHaveSession: () => Promise<boolean>): Promise<SessionStatus> {
    const known = hint?.read() ?? null;
    const ask = known ?? (await mayHaveSession().catch(() => true));
    if (ask) return refresh();
    // Unless something signed in meanwhile (a sign-in form is quick), this device is signed out.
    if (status === 'loading') signedOut();
    return status;
  }

  return {
    get status() {
      return status;
    },
    get user() {
      return user;
    },
    refresh,
    start,
    recheck: () => (status === 'signed-out' ? Promise.resolve(status) : refresh()),
    async signIn(input) {
      const result = await api.login(input);
      if (result.ok) signedIn(result.value);
      return result;
    },
    async signUp({ deviceName, ...registration }) {
      const registered = await api.register(registration);
      if (!registered.ok) return { ...registered, step: 'register' };
      const login = await api.login({ email: registration.email, password: registration.password, deviceName });
      if (!login.ok) return { ...login, step: 'login' };
      signedIn(login.value);
      return login;
    },
    async signOut() {
      const result = await api.logout();
      // 401: already signed out on the server; that is what we wanted.
      if (result.ok || result.error.status === 401) {
        signedOut();
        return { ok: true, value: undefined };
      }
      return result;
    },
    async signOutEverywhere() {
      const result = watch(await api.revokeAllSessions());
      if (result.ok) signedOut();
      return result;
    },
    async updateName(name) {
      const result = watch(await api.updateMe({ name }));
      if (result.ok) signedIn(result.value);
      return result;
    },
    async deleteAccount(password) {
      const result = await api.deleteMe({ password });
      if (result.ok) signedOut();
      else if (result.error.code === 'unauthenticated') signedOut();
      return result;
    },
    async requestVerification() {
      return watch(await api.requestVerification());
    },
    async confirmVerification(token) {
      const result = await api.confirmVerification(token);
      if (result.ok && result.value.verified) {
        if (user) user = { ...user, verified: true };
        // A /me answer already on its way may predate the confirmation: ask again.
        if (status === 'loading' || status === 'signed-in') void refresh();
      }
      return result;
    },
    noteSignedOut: signedOut,
  };
}
