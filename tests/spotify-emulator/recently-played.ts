/** GET /v1/me/player/recently-played (P12–P16). */
import type { Context } from 'hono';
import { trackJson } from './catalog';
import { requireScope } from './api-auth';
import { parseHistoryQuery, queryHistory } from './history';
import { apiError, json, type EmuEnv } from './responses';
import type { EmulatorState } from './state';
import { settledPlayer } from './user-playback';

export function recentlyPlayedHandler(emu: EmulatorState) {
  return (c: Context<EmuEnv>): Response => {
    const denied = requireScope(c, 'user-read-recently-played');
    if (denied) return denied;
    const q = parseHistoryQuery(c.req.query());
    if (typeof q === 'string') return apiError(400, q);
    const userId = c.get('auth').user.id;
    settledPlayer(emu, userId);
    const page = queryHistory(emu.history.get(userId) ?? [], emu.clock.now(), q);
    const self = new URL(c.req.url);
    const next = page.cursors && new URL(self.pathname, self.origin);
    next?.searchParams.set('before', page.cursors!.before);
    next?.searchParams.set('limit', String(q.limit));
    return json(200, {
      href: self.href,
      items: page.items.map((e) => ({
        track: trackJson(e.item),
        // e.g. 2026-09-01T07:12:03.512Z: ISO-8601 UTC with milliseconds.
        played_at: new Date(e.playedAt).toISOString(),
        context: e.context && { type: e.context.type, uri: e.context.uri, href: null, external_urls: {} },
      })),
      limit: q.limit,
      next: next?.href ?? null,
      cursors: page.cursors,
      total: page.total,
    });
  };
}
