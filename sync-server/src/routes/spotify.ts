import { Hono, type Context } from 'hono';
import {
  SpotifyCallbackQuerySchema,
  SpotifyPlayBodySchema,
  SpotifySearchQuerySchema,
  SpotifySessionIdSchema,
  SpotifyTransferBodySchema,
  SpotifyVolumeBodySchema,
} from '../../../core/api/spotify';
import { readSessionCookie, requireSession } from '../auth/require-session';
import { AppError, type ErrorCode } from '../http/errors';
import { readJson } from '../http/json-body';
import type { AppEnv } from '../http/types';
import type { Problem, SpotifyProblem } from '../spotify/problems';
import { MANAGE_APPS_URL, type SpotifyService } from '../spotify/service';
import type { AuthDeps } from './auth';

/**
 * /api/v1/spotify: the member's side of the Spotify feature. No token ever leaves the server:
 * responses carry states, never credentials. Every problem becomes one typed error here.
 */
const PROBLEMS: Record<SpotifyProblem, { code: ErrorCode; message: string }> = {
  not_configured: { code: 'spotify_not_configured', message: 'Spotify is not set up on this server.' },
  not_connected: { code: 'spotify_not_connected', message: 'Connect your Spotify account first.' },
  needs_reconnect: { code: 'spotify_needs_reconnect', message: 'Spotify needs you to connect again.' },
  rate_limited: { code: 'spotify_rate_limited', message: 'Spotify is busy. Try again shortly.' },
  quota_exceeded: { code: 'spotify_quota_exceeded', message: "This app has used up its Spotify quota for now." },
  unavailable: { code: 'spotify_unavailable', message: 'Spotify is temporarily unavailable.' },
  misconfigured: { code: 'spotify_misconfigured', message: "Spotify refused this server's app credentials. Tell the operator." },
  premium_required: { code: 'spotify_premium_required', message: 'Controlling playback needs Spotify Premium.' },
  no_active_device: { code: 'spotify_no_active_device', message: 'Open Spotify on a phone, computer or speaker first.' },
  limited_beta: { code: 'spotify_limited_beta', message: 'Spotify in this app is a limited beta: your Spotify account is not on its list of testers.' },
  forbidden: { code: 'spotify_forbidden', message: 'Spotify refused this request.' },
  volume_unsupported: { code: 'spotify_volume_unsupported', message: "This device's volume cannot be controlled." },
  device_not_found: { code: 'spotify_device_not_found', message: 'That device is not available any more.' },
  rejected: { code: 'spotify_rejected', message: 'Spotify did not accept the request.' },
  invalid_request: { code: 'spotify_invalid_request', message: 'Spotify could not do that.' },
};

export function problemError(p: Problem): AppError {
  const { code, message } = PROBLEMS[p.problem];
  const retryAfterSec = p.retryAfterMs === undefined ? undefined : Math.max(1, Math.ceil(p.retryAfterMs / 1000));
  return new AppError(code, message, retryAfterSec === undefined ? {} : { retryAfterSec });
}

// Request schemas: the REST contract's (core/api/spotify.ts), shared with the PWA. Ids are
// checked here, at the edge, before any store sees them (issue 11 defect 14).

export function spotifyRoutes(deps: AuthDeps, spotify: SpotifyService | null) {
  const app = new Hono<AppEnv>();
  const auth = requireSession(deps.sessions, deps.now);

  app.get('/status', async (c) => {
    if (!spotify) return c.json({ configured: false });
    const session = await deps.sessions.authenticate(readSessionCookie(c), deps.now());
    if (!session) throw new AppError('unauthenticated', 'Sign in to continue.');
    return c.json(await spotify.status(session.userId));
  });

  const back = (c: Context, query: string) => c.redirect(`/account?${query}`, 302);

  app.get('/connect', auth, async (c) => {
    if (!spotify) return back(c, 'spotify=error&reason=not_configured');
    return c.redirect(await spotify.connect.start(c.get('session')), 302);
  });

  app.get('/callback', async (c) => {
    if (!spotify) return back(c, 'spotify=error&reason=not_configured');
    const session = await deps.sessions.authenticate(readSessionCookie(c), deps.now());
    const q = SpotifyCallbackQuerySchema.safeParse(c.req.query());
    if (!q.success) return back(c, 'spotify=error&reason=state');
    const r = await spotify.connect.finish(session, q.data);
    return back(c, r.ok ? 'spotify=connected' : `spotify=error&reason=${r.reason}`);
  });

  // Everything below needs Spotify set up and a signed-in member.
  const member = (c: Context<AppEnv>) => {
    if (!spotify) throw problemError({ ok: false, problem: 'not_configured' });
    return { s: spotify, id: c.get('session').userId };
  };
  const done = async <T extends { ok: boolean }>(r: T | Problem): Promise<Omit<T, 'ok'>> => {
    if (!r.ok) throw problemError(r as Problem);
    const { ok: _ok, ...rest } = r as T;
    return rest;
  };

  app.post('/disconnect', auth, async (c) => {
    const { s, id } = member(c);
    await s.disconnect(id);
    return c.json({ disconnected: true, manageAppsUrl: MANAGE_APPS_URL });
  });

  app.get('/now-playing', auth, async (c) => {
    const { s, id } = member(c);
    const r = await s.nowPlaying(id);
    if ('ok' in r) throw problemError(r);
    const { fetchedAt, retryAfterMs, ...rest } = r;
    if (retryAfterMs !== undefined) c.header('Retry-After', String(Math.max(1, Math.ceil(retryAfterMs / 1000))));
    return c.json({ ...rest, fetchedAt: new Date(fetchedAt).toISOString() });
  });

  app.get('/devices', auth, async (c) => {
    const { s, id } = member(c);
    return c.json(await done(await s.player.devices(id)));
  });

  app.post('/player/play', auth, async (c) => {
    const { s, id } = member(c);
    const hasBody = (c.req.header('content-length') ?? '0') !== '0' || c.req.header('transfer-encoding') !== undefined;
    const body = hasBody ? await readJson(c, SpotifyPlayBodySchema) : {};
    await done(await s.player.command(id, 'play', body.contextUri));
    return c.json({ ok: true });
  });

  for (const command of ['pause', 'next', 'previous'] as const) {
    app.post(`/player/${command}`, auth, async (c) => {
      const { s, id } = member(c);
      await done(await s.player.command(id, command));
      return c.json({ ok: true });
    });
  }

  app.put('/player/volume', auth, async (c) => {
    const { s, id } = member(c);
    const body = await readJson(c, SpotifyVolumeBodySchema);
    await done(await s.player.setVolume(id, body.percent));
    return c.json({ ok: true, volume: body.percent });
  });

  app.post('/player/mute', auth, async (c) => {
    const { s, id } = member(c);
    return c.json({ ok: true, ...(await done(await s.player.mute(id))) });
  });

  app.post('/player/unmute', auth, async (c) => {
    const { s, id } = member(c);
    return c.json({ ok: true, ...(await done(await s.player.unmute(id))) });
  });

  app.post('/player/transfer', auth, async (c) => {
    const { s, id } = member(c);
    const body = await readJson(c, SpotifyTransferBodySchema);
    await done(await s.player.transfer(id, body.deviceId, body.play ?? false));
    return c.json({ ok: true });
  });

  // Tracks of a synced workout: only its owner sees them; anyone else gets the same 404 as
  // for a session that does not exist.
  app.get('/sessions/:sessionId/tracks', auth, async (c) => {
    const { s, id } = member(c);
    const sessionId = c.req.param('sessionId');
    // `.success`, not the result object: that is always truthy and let any id through.
    const r = SpotifySessionIdSchema.safeParse(sessionId).success ? await s.sessionTracks(id, sessionId) : null;
    if (!r) throw new AppError('not_found', 'No such synced workout.');
    return c.json(r);
  });

  app.get('/power-songs', auth, async (c) => {
    const { s, id } = member(c);
    return c.json({ songs: await s.powerSongs(id) });
  });

  app.get('/search/playlists', auth, async (c) => {
    const { s, id } = member(c);
    const q = SpotifySearchQuerySchema.safeParse(c.req.query('q') ?? '');
    if (!q.success) throw new AppError('invalid_query', 'q: give 1 to 200 characters to search for.');
    return c.json(await done(await s.player.searchPlaylists(id, q.data)));
  });

  return app;
}
