/**
 * GET /v1/search for playlists and tracks. Limit default 5, max 10: the February 2026 migration
 * guide's reduced search page (from memory of that guide; not in our shared notes, so a knob is
 * left out until verified).
 */
import type { Context } from 'hono';
import { playlistJson, trackJson, type Playable, type Playlist } from './catalog';
import { apiError, json, type EmuEnv } from './responses';
import type { EmulatorState } from './state';

const SUPPORTED = new Set(['playlist', 'track']);

function matches(terms: string[], ...fields: string[]): boolean {
  const haystack = fields.join(' ').toLowerCase();
  return terms.every((t) => haystack.includes(t));
}

function page<T>(c: Context<EmuEnv>, kind: string, all: T[], offset: number, limit: number, toJson: (x: T) => unknown, nullChance: () => boolean) {
  const url = new URL(c.req.url);
  const at = (o: number) => {
    const u = new URL(url.href);
    u.searchParams.set('type', kind);
    u.searchParams.set('offset', String(o));
    u.searchParams.set('limit', String(limit));
    return u.href;
  };
  return {
    href: at(offset),
    items: all.slice(offset, offset + limit).map((x) => (nullChance() ? null : toJson(x))),
    limit,
    next: offset + limit < all.length ? at(offset + limit) : null,
    offset,
    previous: offset > 0 ? at(Math.max(0, offset - limit)) : null,
    total: all.length,
  };
}

export function searchHandler(emu: EmulatorState) {
  return (c: Context<EmuEnv>): Response => {
    const q = c.req.query('q');
    if (q === undefined || q.trim() === '') return apiError(400, 'No search query');
    const types = (c.req.query('type') ?? '').split(',').filter(Boolean);
    if (types.length === 0 || types.some((t) => !SUPPORTED.has(t))) return apiError(400, 'Bad search type field');
    const limit = Number(c.req.query('limit') ?? 5);
    if (!Number.isInteger(limit) || limit < 0 || limit > 10) return apiError(400, 'Invalid limit');
    const offset = Number(c.req.query('offset') ?? 0);
    if (!Number.isInteger(offset) || offset < 0 || offset > 1000) return apiError(400, 'Invalid offset');
    const terms = q.toLowerCase().split(/\s+/).filter(Boolean);
    const nullChance = () => emu.knobs.searchNullProbability > 0 && emu.chance.next() < emu.knobs.searchNullProbability;
    const body: Record<string, unknown> = {};
    if (types.includes('playlist')) {
      const found = [...emu.catalog.playlists.values()].filter((p) => matches(terms, p.name, p.description));
      body.playlists = page<Playlist>(c, 'playlist', found, offset, limit, playlistJson, nullChance);
    }
    if (types.includes('track')) {
      const found = [...emu.catalog.items.values()].filter((t) => t.kind === 'track' && matches(terms, t.name, ...t.artists, t.album));
      body.tracks = page<Playable>(c, 'track', found, offset, limit, trackJson, () => false);
    }
    return json(200, body);
  };
}
