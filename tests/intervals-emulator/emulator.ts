/**
 * A local intervals.icu for tests (README.md names the source of each behaviour): one Hono app
 * serving
 *   GET  /api/v1/athlete/:id                       the athlete (a connect checks a key with it)
 *   POST /api/v1/athlete/:id/activities            upload a file (multipart `file`, name, description, external_id)
 *   GET  /api/v1/athlete/:id/activities            activities between `oldest` and `newest` (ISO dates)
 *   PUT  /api/v1/athlete/:id/wellness/:date        update the wellness record of a day (restingHR, hrv…)
 *   GET  /api/v1/athlete/:id/wellness/:date
 *   GET  /oauth/authorize, POST /api/oauth/token   OAuth for registered apps (oauth.ts)
 *   /__emu/...                                     control plane (test-only)
 * Authentication: HTTP Basic with the literal user name `API_KEY` and a personal API key as the
 * password, or `Bearer <OAuth access token>` (limited to its granted scopes); athlete id `0` means
 * the key's or token's owner. Every API call is logged, counts toward a
 * per-second limit (429 beyond it) and may meet a scripted fault. It never calls out.
 */
import { createHash } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { createSystemClock, type ControllableClock } from '../spotify-emulator/clock';
import { authorizeHandler, createOAuthState, hasScope, revokeApp, scopeFor, tokenHandler, type OAuthClient } from './oauth';

export interface AthleteInput {
  id: string;
  name?: string;
  apiKey: string;
}

export interface Activity {
  id: string;
  athleteId: string;
  externalId: string | null;
  name: string;
  description: string | null;
  fileName: string;
  fileSha256: string;
  /** The emulator does not decode files: an activity starts when it was uploaded. */
  startedAt: number;
}

export interface CallEntry {
  seq: number;
  at: number;
  route: string;
  status: number;
  athleteId: string | null;
  /** How the call authenticated: a personal key (Basic) or an OAuth token (Bearer). */
  auth: 'basic' | 'bearer' | null;
}

export interface Fault {
  route: string;
  statuses: number[];
  retryAfterSec: number | null;
}

export interface IntervalsEmulatorOptions {
  athletes?: AthleteInput[];
  /** Requests per second per client before 429 (intervals.icu: about 10/s per address, with a short burst). */
  perSecond?: number;
  clock?: ControllableClock;
  /** Registered OAuth apps (client id and secret). */
  clients?: OAuthClient[];
  /** Who consents on the authorize page when no consent is scripted (default: the first athlete). */
  autoConsentAthlete?: string | null;
}

export const DEFAULT_ATHLETE: AthleteInput = { id: 'i501', name: 'Demo Rider', apiKey: 'demo-intervals-api-key-0123456789' };
export const DEFAULT_PER_SECOND = 10;
export const BURST = 3;

export function routeOf(method: string, path: string): string {
  return `${method} ${path.replace(/\/athlete\/[^/]+/, '/athlete/:id').replace(/\/wellness\/[^/]+/, '/wellness/:date')}`;
}

function createState(seed: Required<Pick<IntervalsEmulatorOptions, 'athletes' | 'perSecond' | 'clients'>>) {
  return {
    oauth: createOAuthState(seed.clients),
    athletes: seed.athletes.map((a) => ({ ...a, name: a.name ?? a.id })),
    /** Keys the owner deleted on intervals.icu: they stop working. */
    revoked: new Set<string>(),
    activities: [] as Activity[],
    wellness: new Map<string, Record<string, unknown>>(),
    /** Every PUT of wellness, in order (athlete, date, body). */
    wellnessPuts: [] as { athleteId: string; date: string; body: Record<string, unknown> }[],
    calls: [] as CallEntry[],
    faults: [] as Fault[],
    perSecond: seed.perSecond,
    /** Request times in the current second, for the limit. */
    window: [] as number[],
    nextActivity: 1000,
  };
}

export type IntervalsState = ReturnType<typeof createState>;

const err = (status: number, error: string, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ status, error }), { status, headers: { 'Content-Type': 'application/json', ...headers } });
const ok = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

const activityJson = (a: Activity) => ({
  id: a.id,
  icu_athlete_id: a.athleteId,
  name: a.name,
  description: a.description,
  external_id: a.externalId,
  start_date_local: new Date(a.startedAt).toISOString().slice(0, 19),
  type: 'Workout',
});

export function createIntervalsEmulator(options: IntervalsEmulatorOptions = {}) {
  const clock = options.clock ?? createSystemClock();
  const seed = { athletes: options.athletes ?? [DEFAULT_ATHLETE], perSecond: options.perSecond ?? DEFAULT_PER_SECOND, clients: options.clients ?? [] };
  const s = createState(seed);
  const reset = () => Object.assign(s, createState(seed));
  const app = new Hono();

  /** The owner of a live OAuth token, or an error answer (no, unknown or revoked token 401, scope not granted 403). */
  function bearer(c: Context, token: string): { athlete: IntervalsState['athletes'][number] } | { error: Response } {
    const t = s.oauth.tokens.get(token);
    const athlete = t && !t.revoked ? s.athletes.find((a) => a.id === t.athleteId) : undefined;
    if (!t || !athlete) return { error: err(401, 'Unauthorized') };
    const needed = scopeFor(routeOf(c.req.method, c.req.path));
    if (needed !== null && !hasScope(t.scopes, needed)) return { error: err(403, `Missing scope ${needed}`) };
    return { athlete };
  }

  /** The key's owner, or an error answer: no or bad credentials 401, another athlete's id 403. */
  function authenticate(c: Context): { athlete: IntervalsState['athletes'][number] } | { error: Response } {
    const h = c.req.header('authorization') ?? '';
    const b = /^Bearer\s+(\S+)$/i.exec(h);
    if (b) {
      const r = bearer(c, b[1]!);
      if ('error' in r) return r;
      const id = c.req.param('id');
      if (id !== undefined && id !== '0' && id !== r.athlete.id) return { error: err(403, 'Access denied') };
      return r;
    }
    const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(h);
    if (!m) return { error: err(401, 'Unauthorized') };
    const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const user = decoded.slice(0, colon);
    const key = decoded.slice(colon + 1);
    const athlete = s.athletes.find((a) => a.apiKey === key);
    if (colon < 0 || user !== 'API_KEY' || !athlete || s.revoked.has(key)) return { error: err(401, 'Unauthorized') };
    const id = c.req.param('id');
    if (id !== undefined && id !== '0' && id !== athlete.id) return { error: err(403, 'Access denied') };
    return { athlete };
  }

  app.use('/api/*', async (c, next) => {
    const route = routeOf(c.req.method, c.req.path);
    const scheme = /^(basic|bearer)\s/i.exec(c.req.header('authorization') ?? '')?.[1]?.toLowerCase();
    const entry: CallEntry = { seq: s.calls.length + 1, at: clock.now(), route, status: 0, athleteId: null, auth: scheme === 'basic' || scheme === 'bearer' ? scheme : null };
    s.calls.push(entry);
    const f = s.faults.find((x) => x.route === route || x.route === '*');
    if (f) {
      const status = f.statuses.shift();
      if (f.statuses.length === 0) s.faults.splice(s.faults.indexOf(f), 1);
      if (status !== undefined && status !== 0) {
        entry.status = status;
        c.res = err(status, status === 429 ? 'Too many requests' : `Scripted ${status}`, status === 429 && f.retryAfterSec !== null ? { 'Retry-After': String(f.retryAfterSec) } : {});
        return;
      }
    }
    const t = clock.now();
    s.window = s.window.filter((x) => x > t - 1_000);
    if (s.window.length >= s.perSecond * BURST) {
      entry.status = 429;
      c.res = err(429, 'Too many requests', { 'Retry-After': '1' });
      return;
    }
    s.window.push(t);
    await next();
    entry.status = c.res.status;
  });

  const authed = (handler: (c: Context, athlete: IntervalsState['athletes'][number]) => Response | Promise<Response>) => async (c: Context) => {
    const a = authenticate(c);
    if ('error' in a) return a.error;
    const entry = s.calls[s.calls.length - 1];
    if (entry) entry.athleteId = a.athlete.id;
    return handler(c, a.athlete);
  };

  const nameOf = (id: string) => s.athletes.find((a) => a.id === id)?.name ?? id;
  const autoConsent = () => (options.autoConsentAthlete === undefined ? (s.athletes[0]?.id ?? null) : options.autoConsentAthlete);
  app.get('/oauth/authorize', (c) => authorizeHandler(s.oauth, () => clock.now(), autoConsent)(c));
  app.post('/api/oauth/token', (c) => tokenHandler(s.oauth, () => clock.now(), nameOf)(c));

  app.get('/api/v1/athlete/:id', authed((_c, a) => ok(200, { id: a.id, name: a.name })));

  app.post(
    '/api/v1/athlete/:id/activities',
    authed(async (c, a) => {
      const form = await c.req.formData().catch(() => null);
      const file = form?.get('file');
      if (!form || !(file instanceof Blob)) return err(422, 'Missing file');
      const bytes = new Uint8Array(await file.arrayBuffer());
      if (bytes.length === 0) return err(422, 'Empty file');
      const sha = createHash('sha256').update(bytes).digest('hex');
      const field = (k: string) => {
        const v = form.get(k);
        return typeof v === 'string' && v !== '' ? v : null;
      };
      const externalId = field('external_id');
      // The same external_id, or the same file, is the activity already there: nothing new is made.
      const existing = s.activities.find((x) => x.athleteId === a.id && ((externalId !== null && x.externalId === externalId) || x.fileSha256 === sha));
      if (existing) return ok(200, { icu_athlete_id: a.id, id: existing.id, duplicate: true, activities: [{ icu_athlete_id: a.id, id: existing.id }] });
      const fileName = file instanceof File ? file.name : 'upload.fit';
      const activity: Activity = {
        id: `i${s.nextActivity++}`,
        athleteId: a.id,
        externalId,
        name: field('name') ?? fileName,
        description: field('description'),
        fileName,
        fileSha256: sha,
        startedAt: clock.now(),
      };
      s.activities.push(activity);
      return ok(201, { icu_athlete_id: a.id, id: activity.id, activities: [{ icu_athlete_id: a.id, id: activity.id }] });
    }),
  );

  app.get(
    '/api/v1/athlete/:id/activities',
    authed((c, a) => {
      const oldest = c.req.query('oldest');
      const newest = c.req.query('newest');
      if (!oldest || !/^\d{4}-\d{2}-\d{2}/.test(oldest)) return err(422, 'oldest is required');
      const from = Date.parse(oldest.length === 10 ? `${oldest}T00:00:00Z` : `${oldest}Z`);
      const to = newest ? Date.parse(newest.length === 10 ? `${newest}T23:59:59.999Z` : `${newest}Z`) : Infinity;
      const list = s.activities.filter((x) => x.athleteId === a.id && x.startedAt >= from && x.startedAt <= to).sort((x, y) => y.startedAt - x.startedAt);
      return ok(200, list.map(activityJson));
    }),
  );

  const DATE = /^\d{4}-\d{2}-\d{2}$/;
  app.put(
    '/api/v1/athlete/:id/wellness/:date',
    authed(async (c, a) => {
      const date = c.req.param('date')!;
      if (!DATE.test(date)) return err(422, 'Invalid date');
      const body = (await c.req.json().catch(() => null)) as Record<string, unknown> | null;
      if (!body || typeof body !== 'object' || Array.isArray(body)) return err(422, 'Expected a JSON object');
      const key = `${a.id}/${date}`;
      // Fields given replace those stored; the others stay (an update of the day's record).
      const record = { ...(s.wellness.get(key) ?? {}), ...body, id: date };
      s.wellness.set(key, record);
      s.wellnessPuts.push({ athleteId: a.id, date, body });
      return ok(200, record);
    }),
  );
  app.get(
    '/api/v1/athlete/:id/wellness/:date',
    authed((c, a) => {
      const r = s.wellness.get(`${a.id}/${c.req.param('date')}`);
      return r ? ok(200, r) : ok(200, { id: c.req.param('date') });
    }),
  );

  // ---- control plane ----------------------------------------------------------------------
  const ctl = new Hono();
  ctl.get('/calls', (c) => {
    const route = c.req.query('route');
    return c.json({ entries: route ? s.calls.filter((e) => e.route === route) : s.calls });
  });
  ctl.get('/activities', (c) => c.json(s.activities));
  ctl.get('/wellness', (c) => c.json({ records: Object.fromEntries(s.wellness), puts: s.wellnessPuts }));
  /** `{route, statuses:[429, 500…], retryAfterSec?}`: the next calls of the route answer these. */
  ctl.post('/faults', async (c) => {
    const b = (await c.req.json()) as { route?: unknown; statuses?: unknown; retryAfterSec?: unknown };
    if (typeof b.route !== 'string' || !Array.isArray(b.statuses) || !b.statuses.every((x) => Number.isInteger(x))) return c.json({ error: 'route and statuses[] required' }, 400);
    s.faults.push({ route: b.route, statuses: b.statuses as number[], retryAfterSec: typeof b.retryAfterSec === 'number' ? b.retryAfterSec : null });
    return c.json({ ok: true });
  });
  /** The athlete deletes (or regenerates) their API key on intervals.icu. */
  ctl.post('/revoke', async (c) => {
    const b = (await c.req.json()) as { athleteId?: unknown };
    const a = s.athletes.find((x) => x.id === b.athleteId);
    if (!a) return c.json({ error: 'no such athlete' }, 404);
    s.revoked.add(a.apiKey);
    return c.json({ ok: true });
  });
  /** `{athleteId, decision: 'approve'|'deny', scope?}`: how the athlete answers the next authorize page. */
  ctl.post('/consent', async (c) => {
    const b = (await c.req.json()) as { athleteId?: unknown; decision?: unknown; scope?: unknown };
    if (typeof b.athleteId !== 'string') return c.json({ error: 'athleteId required' }, 400);
    s.oauth.consents.push({ athleteId: b.athleteId, decision: b.decision === 'deny' ? 'deny' : 'approve', ...(typeof b.scope === 'string' ? { scope: b.scope } : {}) });
    return c.json({ ok: true });
  });
  /** The athlete removes the app on intervals.icu (settings): its tokens answer 401 from then on. */
  ctl.post('/revoke-app', async (c) => {
    const b = (await c.req.json()) as { athleteId?: unknown; clientId?: unknown };
    if (typeof b.athleteId !== 'string') return c.json({ error: 'athleteId required' }, 400);
    return c.json({ ok: true, revoked: revokeApp(s.oauth, b.athleteId, typeof b.clientId === 'string' ? b.clientId : undefined) });
  });
  /** Live (unrevoked) OAuth tokens, without the token itself: who, which app, which scopes. */
  ctl.get('/oauth-grants', (c) => c.json([...s.oauth.tokens.values()].map((t) => ({ athleteId: t.athleteId, clientId: t.clientId, scopes: t.scopes, revoked: t.revoked }))));
  ctl.post('/limit', async (c) => {
    const b = (await c.req.json()) as { perSecond?: unknown };
    if (typeof b.perSecond !== 'number' || b.perSecond < 1) return c.json({ error: 'perSecond ≥ 1' }, 400);
    s.perSecond = b.perSecond;
    return c.json({ ok: true });
  });
  ctl.post('/reset', (c) => {
    reset();
    return c.json({ ok: true });
  });
  app.route('/__emu', ctl);

  app.notFound((c) => err(404, `Not found: ${c.req.path}`));
  app.onError((e) => err(500, `Emulator error: ${e instanceof Error ? e.message : String(e)}`));
  return { app, state: s, reset, clock };
}

export type IntervalsEmulator = ReturnType<typeof createIntervalsEmulator>;

/** `Authorization` for a personal API key. */
export const basicAuth = (apiKey: string) => `Basic ${Buffer.from(`API_KEY:${apiKey}`).toString('base64')}`;
