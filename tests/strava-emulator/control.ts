/**
 * The control plane (test-only): move the clock, change knobs, script consent, faults and
 * revocation, and read the call log, uploads and activities.
 */
import { Hono } from 'hono';
import { revokeGrant } from './oauth';
import { json } from './responses';
import type { Knobs, StravaState } from './state';
import { settleAll } from './uploads';

export function controlRoutes(s: StravaState, reset: () => void): Hono {
  const r = new Hono();
  const body = async (c: { req: { json(): Promise<unknown> } }) => ((await c.req.json().catch(() => ({}))) ?? {}) as Record<string, unknown>;

  r.post('/reset', (c) => {
    reset();
    return c.json({ ok: true });
  });
  /** {advanceMs} or {setMs}. */
  r.post('/clock', async (c) => {
    const b = await body(c);
    if (typeof b.advanceMs === 'number') s.clock.advance(b.advanceMs);
    if (typeof b.setMs === 'number') s.clock.set(b.setMs);
    return c.json({ now: s.clock.now() });
  });
  r.get('/clock', (c) => c.json({ now: s.clock.now() }));
  r.post('/mode', async (c) => {
    const b = (await body(c)) as Partial<Knobs>;
    for (const [k, v] of Object.entries(b)) if (k in s.knobs && typeof v === typeof s.knobs[k as keyof Knobs]) (s.knobs as unknown as Record<string, unknown>)[k] = v;
    return c.json(s.knobs);
  });
  /** {athleteId, decision: 'approve'|'deny', scope?}: the next /oauth/authorize answers so. */
  r.post('/consent', async (c) => {
    const b = await body(c);
    s.consents.push({ athleteId: Number(b.athleteId), decision: b.decision === 'deny' ? 'deny' : 'approve', ...(typeof b.scope === 'string' ? { scope: b.scope } : {}) });
    return c.json({ ok: true });
  });
  /** {route, statuses: [502, 0, 503], latencyMs}: the next matching calls fail in that order. */
  r.post('/faults', async (c) => {
    const b = await body(c);
    s.faults.push({ route: String(b.route ?? '*'), statuses: Array.isArray(b.statuses) ? b.statuses.map(Number) : [], latencyMs: Number(b.latencyMs ?? 0) });
    return c.json({ ok: true });
  });
  r.delete('/faults', (c) => {
    s.faults.length = 0;
    return c.json({ ok: true });
  });
  /** {athleteId}: the athlete revokes the app in their Strava settings (every grant of theirs). */
  r.post('/revoke', async (c) => {
    const b = await body(c);
    let n = 0;
    for (const g of s.grants.values()) if (g.athleteId === Number(b.athleteId) && !g.revoked) (revokeGrant(s, g), n++);
    return c.json({ revoked: n });
  });
  r.get('/calls', (c) => {
    const route = c.req.query('route');
    const entries = s.calls.filter((e) => route === undefined || e.route === route);
    const byRoute: Record<string, number> = {};
    const byRefreshToken: Record<string, number> = {};
    for (const e of entries) {
      byRoute[e.route] = (byRoute[e.route] ?? 0) + 1;
      if (e.refreshToken) byRefreshToken[e.refreshToken] = (byRefreshToken[e.refreshToken] ?? 0) + 1;
    }
    return c.json({ total: entries.length, byRoute, byRefreshToken, entries });
  });
  r.get('/uploads', (c) => {
    settleAll(s);
    return c.json([...s.uploads.values()]);
  });
  r.get('/activities', (c) => {
    settleAll(s);
    return c.json([...s.activities.values()]);
  });
  r.get('/tokens', () =>
    json(200, {
      access: [...s.access.values()],
      refresh: [...s.refresh.values()].map((t) => ({ ...t, live: t.rotatedAt === null || s.clock.now() < t.rotatedAt + s.knobs.oldRefreshGraceMs })),
      grants: [...s.grants.values()],
    }),
  );
  return r;
}
