import { describe, expect, it } from 'vitest';
import { DEFAULT_START_MS } from './clock';
import { playing, setup } from './test-support';

type Page = { items: { played_at: string; track: { id: string } }[]; cursors: { after: string; before: string } | null; next: string | null; limit: number };

async function recent(h: ReturnType<typeof setup>, token: string, query = '') {
  const res = await h.api(`/v1/me/player/recently-played${query}`, token);
  return { status: res.status, body: (await res.json()) as Page & { error?: { message: string } } };
}

const ALICE_TRACK = '4uLU6hMCjMI75M1A2tKUQC'; // 180 s

describe('GET /v1/me/player/recently-played (P12–P16)', () => {
  it('a play becomes an entry when it ends; played_at is the end, ISO with ms (P12)', async () => {
    const h = setup();
    const { access_token } = await h.login();
    await playing(h); // 10 s into a 180 s track
    h.clock.advance(170_000);
    const { body } = await recent(h, access_token);
    expect(body.items).toHaveLength(1);
    expect(body.items[0]!.track.id).toBe(ALICE_TRACK);
    expect(body.items[0]!.played_at).toBe(new Date(DEFAULT_START_MS + 170_000).toISOString());
    expect(body.items[0]!.played_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('played_at can be the start with the knob (P12)', async () => {
    const h = setup({ knobs: { playedAt: 'start' } });
    const { access_token } = await h.login();
    await playing(h);
    h.clock.advance(170_000);
    expect((await recent(h, access_token)).body.items[0]!.played_at).toBe(new Date(DEFAULT_START_MS - 10_000).toISOString());
  });

  it('validates limit and after/before, and returns empty pages as documented (P13)', async () => {
    const h = setup();
    const { access_token } = await h.login();
    const bad = await recent(h, access_token, '?limit=51');
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ error: { status: 400, message: 'Invalid limit' } });
    expect((await recent(h, access_token, '?after=1&before=2')).status).toBe(400);
    const empty = await recent(h, access_token);
    expect(empty.body).toMatchObject({ items: [], cursors: null, next: null, limit: 20 });
  });

  it('keeps 50 entries; cursors are strings and next carries before= (P13, P15)', async () => {
    const h = setup();
    const { access_token } = await h.login();
    const plays = Array.from({ length: 60 }, (_, i) => ({ trackId: ALICE_TRACK, startedAt: DEFAULT_START_MS - (60 - i) * 200_000 }));
    await h.control('/offline-plays', { user: 'alice', plays });
    const all = await recent(h, access_token, '?limit=50');
    expect(all.body.items).toHaveLength(50);
    const page = await recent(h, access_token, '?limit=10');
    const newest = Date.parse(page.body.items[0]!.played_at);
    const oldest = Date.parse(page.body.items[9]!.played_at);
    expect(page.body.cursors).toEqual({ after: String(newest), before: String(oldest) });
    expect(new URL(page.body.next!).searchParams.get('before')).toBe(String(oldest));
    const next = await recent(h, access_token, `?limit=10&before=${oldest}`);
    expect(Date.parse(next.body.items[0]!.played_at)).toBeLessThan(oldest);
    const after = await recent(h, access_token, `?after=${oldest}`);
    expect(after.body.items).toHaveLength(9);
  });

  it('ingestion lag hides entries for a while (P14)', async () => {
    const h = setup({ knobs: { historyLagMs: 120_000 } });
    const { access_token } = await h.login();
    await playing(h);
    h.clock.advance(170_000);
    expect((await recent(h, access_token)).body.items).toHaveLength(0);
    h.clock.advance(120_000);
    expect((await recent(h, access_token)).body.items).toHaveLength(1);
  });

  it('drop probability 1 loses every play (P14)', async () => {
    const h = setup({ knobs: { historyDropProbability: 1 } });
    const { access_token } = await h.login();
    await playing(h);
    h.clock.advance(1_000_000);
    expect((await recent(h, access_token)).body.items).toHaveLength(0);
  });

  it('offline plays appear at sync time, backdated, with an optional lag (P15)', async () => {
    const h = setup();
    const { access_token } = await h.login();
    const startedAt = DEFAULT_START_MS - 3_600_000;
    await h.control('/offline-plays', { user: 'alice', plays: [{ trackId: ALICE_TRACK, startedAt }], lagMs: 60_000 });
    expect((await recent(h, access_token)).body.items).toHaveLength(0);
    h.clock.advance(60_000);
    expect((await recent(h, access_token)).body.items[0]!.played_at).toBe(new Date(startedAt + 180_000).toISOString());
  });

  it('episodes are never included (P16)', async () => {
    const h = setup();
    const { access_token } = await h.login();
    await playing(h);
    await h.control('/playback', { user: 'alice', queue: ['512ojhOuo1ktJprKbVcKyQ'] });
    h.clock.advance(2_000_000);
    expect((await recent(h, access_token)).body.items).toHaveLength(0);
  });
});
