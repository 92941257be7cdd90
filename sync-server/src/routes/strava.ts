import { Hono, type Context } from 'hono';
import {
  StravaCallbackQuerySchema,
  StravaPreferencesBodySchema,
  StravaSessionIdSchema,
  StravaUploadBodySchema,
  StravaUploadsQuerySchema,
} from '../../../core/api/strava';
import { readSessionCookie, requireSession } from '../auth/require-session';
import { AppError } from '../http/errors';
import { readJson } from '../http/json-body';
import type { AppEnv } from '../http/types';
import { STRAVA_MANAGE_APPS_URL, type StravaFeature } from '../strava/feature';
import type { AuthDeps } from './auth';
import { uploadRoutes } from './upload-routes';

/**
 * /api/v1/strava: connect, status, disconnect, the member's upload choice, and uploads (by hand,
 * retry, states for history: upload-routes.ts). No token ever leaves the server.
 */
export function stravaRoutes(deps: AuthDeps, strava: StravaFeature | null) {
  const app = new Hono<AppEnv>();
  const auth = requireSession(deps.sessions, deps.now);

  app.get('/status', async (c) => {
    if (!strava) return c.json({ configured: false });
    const session = await deps.sessions.authenticate(readSessionCookie(c), deps.now());
    if (!session) throw new AppError('unauthenticated', 'Sign in to continue.');
    return c.json(await strava.status(session.userId));
  });

  const back = (c: Context, query: string) => c.redirect(`/account?${query}`, 302);

  app.get('/connect', auth, async (c) => {
    if (!strava) return back(c, 'strava=error&reason=not_configured');
    return c.redirect(await strava.connect.start(c.get('session')), 302);
  });

  app.get('/callback', async (c) => {
    if (!strava) return back(c, 'strava=error&reason=not_configured');
    const session = await deps.sessions.authenticate(readSessionCookie(c), deps.now());
    const q = StravaCallbackQuerySchema.safeParse(c.req.query());
    if (!q.success) return back(c, 'strava=error&reason=state');
    const r = await strava.connect.finish(session, q.data);
    if (r.ok) await strava.afterConnect(r.memberId);
    return back(c, r.ok ? 'strava=connected' : `strava=error&reason=${r.reason}`);
  });

  const feature = () => {
    if (!strava) throw new AppError('strava_not_configured', 'Strava is not set up on this server.');
    return strava;
  };

  app.post('/disconnect', auth, async (c) => {
    const r = await feature().disconnect(c.get('session').userId);
    return c.json({ disconnected: true, revokedAtStrava: r.revokedAtStrava, manageAppsUrl: STRAVA_MANAGE_APPS_URL });
  });

  app.put('/preferences', auth, async (c) => {
    const body = await readJson(c, StravaPreferencesBodySchema);
    return c.json(await feature().setMode(c.get('session').userId, body.mode));
  });

  app.route(
    '/',
    uploadRoutes({
      auth,
      feature,
      schemas: { sessionId: StravaSessionIdSchema, body: StravaUploadBodySchema, query: StravaUploadsQuerySchema },
      refusals: {
        notConnected: ['strava_not_connected', 'Connect your Strava account first.'],
        needsReconnect: ['strava_needs_reconnect', 'Strava needs you to connect again.'],
      },
    }),
  );

  return app;
}
