import { Hono, type Context } from 'hono';
import { IntervalsCallbackQuerySchema, IntervalsConnectBodySchema, IntervalsPreferencesBodySchema, IntervalsSessionIdSchema, IntervalsUploadBodySchema, IntervalsUploadsQuerySchema } from '../../../core/api/intervals';
import { readSessionCookie, requireSession } from '../auth/require-session';
import { AppError } from '../http/errors';
import { readJson } from '../http/json-body';
import type { AppEnv } from '../http/types';
import { INTERVALS_SETTINGS_URL, type IntervalsFeature } from '../intervals/feature';
import type { AuthDeps } from './auth';
import { uploadRoutes } from './upload-routes';

/**
 * /api/v1/intervals: connect with a personal API key (checked at intervals.icu, stored sealed,
 * never sent back) or by OAuth where configured (GET /connect/oauth → intervals.icu → GET
 * /callback, which lands on /account?intervals=connected or …=error&reason=…), status, disconnect, the upload choice and wellness opt-in, and uploads (by
 * hand, retry, states for history: upload-routes.ts).
 */
export function intervalsRoutes(deps: AuthDeps, intervals: IntervalsFeature | null) {
  const app = new Hono<AppEnv>();
  const auth = requireSession(deps.sessions, deps.now);
  const feature = () => {
    if (!intervals) throw new AppError('intervals_not_configured', 'intervals.icu is not set up on this server.');
    return intervals;
  };

  app.get('/status', async (c) => {
    if (!intervals) return c.json({ configured: false });
    const session = await deps.sessions.authenticate(readSessionCookie(c), deps.now());
    if (!session) throw new AppError('unauthenticated', 'Sign in to continue.');
    return c.json(await intervals.status(session.userId));
  });

  app.post('/connect', auth, async (c) => {
    const f = feature();
    const body = await readJson(c, IntervalsConnectBodySchema);
    const memberId = c.get('session').userId;
    const r = await f.connectKey(memberId, body.apiKey);
    if (!r.ok) {
      if (r.reason === 'invalid_key') throw new AppError('intervals_invalid_key', 'intervals.icu did not accept this API key. Copy it again from Settings → Developer Settings on intervals.icu.');
      throw new AppError('intervals_unavailable', 'intervals.icu is not answering. Try again shortly.', { retryAfterSec: 30 });
    }
    return c.json(await f.status(memberId));
  });

  const back = (c: Context, query: string) => c.redirect(`/account?${query}`, 302);

  app.get('/connect/oauth', auth, async (c) => {
    if (!intervals?.oauth) return back(c, 'intervals=error&reason=not_configured');
    return c.redirect(await intervals.oauth.start(c.get('session')), 302);
  });

  app.get('/callback', async (c) => {
    if (!intervals?.oauth) return back(c, 'intervals=error&reason=not_configured');
    const session = await deps.sessions.authenticate(readSessionCookie(c), deps.now());
    const q = IntervalsCallbackQuerySchema.safeParse(c.req.query());
    if (!q.success) return back(c, 'intervals=error&reason=state');
    const r = await intervals.oauth.finish(session, q.data);
    return back(c, r.ok ? 'intervals=connected' : `intervals=error&reason=${r.reason}`);
  });

  app.post('/disconnect', auth, async (c) => {
    await feature().disconnect(c.get('session').userId);
    return c.json({ disconnected: true, settingsUrl: INTERVALS_SETTINGS_URL });
  });

  app.put('/preferences', auth, async (c) => {
    const body = await readJson(c, IntervalsPreferencesBodySchema);
    const r = await feature().setPreferences(c.get('session').userId, body);
    if ('refused' in r) throw new AppError('intervals_scope_missing', 'intervals.icu did not grant HRM permission to write wellness. Connect again and leave WELLNESS:WRITE ticked.');
    return c.json(r);
  });

  app.route(
    '/',
    uploadRoutes({
      auth,
      feature,
      schemas: { sessionId: IntervalsSessionIdSchema, body: IntervalsUploadBodySchema, query: IntervalsUploadsQuerySchema },
      refusals: {
        notConnected: ['intervals_not_connected', 'Connect intervals.icu first.'],
        needsReconnect: ['intervals_needs_reconnect', 'intervals.icu needs you to connect again.'],
      },
    }),
  );

  return app;
}
