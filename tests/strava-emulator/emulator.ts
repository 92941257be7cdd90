/**
 * A local Strava for tests (README): one Hono app serving
 *   /oauth/authorize, /oauth/token, /oauth/deauthorize   (STRAVA_OAUTH_URL = <base>/oauth)
 *   /api/v3/uploads, /api/v3/uploads/:id, /api/v3/activities/:id, /api/v3/athlete/activities   (STRAVA_API_URL = <base>/api/v3)
 *   /__emu/...                                              (control plane, test-only)
 * Every OAuth and API call is logged and may meet a scripted fault; every API call counts toward
 * the application's rate limits and carries the X-RateLimit headers. It never calls out.
 */
import { Hono, type Context } from 'hono';
import { createSystemClock, type ControllableClock } from '../spotify-emulator/clock';
import { controlRoutes } from './control';
import { authorizeHandler, bearer, deauthorizeHandler, tokenHandler } from './oauth';
import { countRequest } from './rate-limit';
import { fault, json } from './responses';
import { createState, type AthleteInput, type ClientInput, type Grant, type Knobs, type StravaState } from './state';
import { createUploadHandler, getActivityHandler, getUploadHandler, listActivitiesHandler } from './uploads';

export type Sleep = (ms: number) => Promise<void>;
const realSleep: Sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export const DEFAULT_CLIENT: ClientInput = { id: '1001', secret: 'strava-emulator-secret', callbackDomain: '127.0.0.1' };
export const DEFAULT_ATHLETE: AthleteInput = { id: 501, firstname: 'Demo', lastname: 'Rider' };

export interface StravaEmulatorOptions {
  clients?: ClientInput[];
  athletes?: AthleteInput[];
  knobs?: Partial<Knobs>;
  /** Default: wall time plus an offset that /__emu/clock moves. Tests pass a manual clock. */
  clock?: ControllableClock;
  /** For scripted latency; tests may pass an instant one. */
  sleep?: Sleep;
  /** Who /oauth/authorize approves when no consent is scripted; default the first athlete; null: a login page. */
  autoApproveAthlete?: number | null;
}

export interface StravaEmulator {
  app: Hono;
  state: StravaState;
  reset(): void;
}

/** `GET /api/v3/uploads/123` → `GET /api/v3/uploads/:id`, so faults and logs name routes, not ids. */
export function routeOf(method: string, path: string): string {
  return `${method} ${path.replace(/\/\d+(?=\/|$)/g, '/:id')}`;
}

export function createStravaEmulator(options: StravaEmulatorOptions = {}): StravaEmulator {
  const clock = options.clock ?? createSystemClock();
  const sleep = options.sleep ?? realSleep;
  const seed = { clients: options.clients ?? [DEFAULT_CLIENT], athletes: options.athletes ?? [DEFAULT_ATHLETE], knobs: options.knobs ?? {}, autoApproveAthlete: options.autoApproveAthlete };
  const s = createState(clock, seed);
  const reset = () => Object.assign(s, createState(clock, seed));

  const app = new Hono();

  // Call log and scripted faults, for OAuth and API alike.
  const gate = async (c: Context, next: () => Promise<void>) => {
    const route = routeOf(c.req.method, c.req.path);
    const entry = { seq: s.calls.length + 1, at: clock.now(), route, status: 0, clientId: null, athleteId: null, grantType: null, refreshToken: null };
    s.calls.push(entry);
    const f = s.faults.find((x) => x.route === route || x.route === '*');
    if (f) {
      if (f.latencyMs > 0) await sleep(f.latencyMs);
      const status = f.statuses.shift();
      if (f.statuses.length === 0 && f.latencyMs === 0) s.faults.splice(s.faults.indexOf(f), 1);
      if (status !== undefined && status !== 0) {
        entry.status = status;
        c.res = status === 401 ? fault(401, 'Authorization Error', 'Athlete', 'access_token', 'invalid') : new Response(`<html><body><h1>${status}</h1></body></html>`, { status, headers: { 'Content-Type': 'text/html' } });
        return;
      }
    }
    await next();
    entry.status = c.res.status;
  };
  app.use('/oauth/*', gate);
  app.use('/api/*', gate);

  app.get('/oauth/authorize', authorizeHandler(s));
  app.post('/oauth/token', tokenHandler(s));
  app.post('/oauth/deauthorize', deauthorizeHandler(s));

  /** Bearer check, then the application's rate limit (uploads count only toward the overall one). */
  const api = (isUpload: boolean, handler: (c: Context, g: Grant, headers: Record<string, string>) => Response | Promise<Response>) => async (c: Context) => {
    const auth = bearer(s, c);
    if ('error' in auth) return auth.error;
    const entry = s.calls[s.calls.length - 1];
    if (entry) {
      entry.clientId = auth.grant.clientId;
      entry.athleteId = auth.grant.athleteId;
    }
    const rate = countRequest(s, auth.grant.clientId, isUpload);
    if (rate.exceeded) return fault(429, 'Rate Limit Exceeded', 'Application', 'rate limit', 'exceeded', rate.headers);
    return handler(c, auth.grant, rate.headers);
  };
  app.post('/api/v3/uploads', api(true, createUploadHandler(s)));
  app.get('/api/v3/uploads/:id', api(false, getUploadHandler(s)));
  app.get('/api/v3/activities/:id', api(false, getActivityHandler(s)));
  app.get('/api/v3/athlete/activities', api(false, listActivitiesHandler(s)));
  app.get('/api/v3/athlete', api(false, (_c, g, headers) => json(200, { id: g.athleteId, resource_state: 2 }, headers)));

  app.route('/__emu', controlRoutes(s, reset));
  app.notFound(() => fault(404, 'Record Not Found', 'resource', 'path', 'invalid'));
  app.onError((err) => json(500, { message: `Emulator error: ${err instanceof Error ? err.message : String(err)}`, errors: [] }));
  return { app, state: s, reset };
}
