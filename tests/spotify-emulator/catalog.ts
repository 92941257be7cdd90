/**
 * The emulator's music: a few tracks, an episode and some playlists for search and
 * `PUT /me/player/play {context_uri}`. Tests add more with `POST /__emu/catalog`.
 */
export type PlayableKind = 'track' | 'episode' | 'ad';

export interface Playable {
  kind: PlayableKind;
  id: string;
  name: string;
  durationMs: number;
  artists: string[];
  album: string;
}

export interface Playlist {
  id: string;
  name: string;
  description: string;
  owner: string;
  itemIds: string[];
}

export interface Catalog {
  items: Map<string, Playable>;
  playlists: Map<string, Playlist>;
}

const track = (id: string, name: string, artist: string, album: string, durationMs: number): Playable => ({
  kind: 'track',
  id,
  name,
  durationMs,
  artists: [artist],
  album,
});

export function createDefaultCatalog(): Catalog {
  const items: Playable[] = [
    track('4uLU6hMCjMI75M1A2tKUQC', 'Warm-up Groove', 'The Intervals', 'Zone Two', 180_000),
    track('7ouMYWpwJ422jRcDASZB7P', 'Threshold', 'The Intervals', 'Zone Two', 215_000),
    track('0VjIjW4GlUZAMYd2vXMi3b', 'Cadence 160', 'Tempo Club', 'Run Club Vol. 1', 200_000),
    track('3n3Ppam7vgaVa1iaRUc9Lp', 'Hill Repeats', 'Tempo Club', 'Run Club Vol. 1', 240_000),
    track('6rqhFgbbKwnb9MLmUQDhG6', 'Sprint Finish', 'Redline', 'Max Effort', 150_000),
    track('2takcwOaAZWiXQijPHIx7B', 'Tabata Drop', 'Redline', 'Max Effort', 190_000),
    track('5ghIJDpPoe3CfHMGu71E6T', 'Cool Down', 'Slow Jog', 'Recovery', 260_000),
    track('1301WleyT98MSxVHPZCA6M', 'Stretch', 'Slow Jog', 'Recovery', 230_000),
    {
      kind: 'episode',
      id: '512ojhOuo1ktJprKbVcKyQ',
      name: 'Training Talk #12: Heart-rate zones',
      durationMs: 1_800_000,
      artists: ['Training Talk'],
      album: 'Training Talk',
    },
  ];
  const playlists: Playlist[] = [
    {
      id: '37i9dQZF1DX76Wlfdnj7AP',
      name: 'Running 160 BPM',
      description: 'Steady tempo for easy runs',
      owner: 'hrm-demo',
      itemIds: ['0VjIjW4GlUZAMYd2vXMi3b', '3n3Ppam7vgaVa1iaRUc9Lp', '4uLU6hMCjMI75M1A2tKUQC'],
    },
    {
      id: '37i9dQZF1DWZq91oLsHZvy',
      name: 'HIIT Power',
      description: 'Interval training bangers',
      owner: 'hrm-demo',
      itemIds: ['6rqhFgbbKwnb9MLmUQDhG6', '2takcwOaAZWiXQijPHIx7B', '7ouMYWpwJ422jRcDASZB7P'],
    },
    {
      id: '37i9dQZF1DX9uKNf5jGX6m',
      name: 'Cool Down Run',
      description: 'Recovery after a hard session',
      owner: 'hrm-demo',
      itemIds: ['5ghIJDpPoe3CfHMGu71E6T', '1301WleyT98MSxVHPZCA6M'],
    },
  ];
  return {
    items: new Map(items.map((i) => [i.id, i])),
    playlists: new Map(playlists.map((p) => [p.id, p])),
  };
}

export function ad(id: string, durationMs: number): Playable {
  return { kind: 'ad', id, name: 'Advertisement', durationMs, artists: [], album: '' };
}

const OPEN = 'https://open.spotify.com';
const API = 'https://api.spotify.com/v1';

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '');

function artistJson(name: string) {
  const id = slug(name).padEnd(22, '0').slice(0, 22);
  return {
    external_urls: { spotify: `${OPEN}/artist/${id}` },
    href: `${API}/artists/${id}`,
    id,
    name,
    type: 'artist',
    uri: `spotify:artist:${id}`,
  };
}

export function trackJson(t: Playable) {
  const albumId = slug(t.album).padEnd(22, '1').slice(0, 22);
  return {
    album: {
      album_type: 'album',
      artists: t.artists.map(artistJson),
      external_urls: { spotify: `${OPEN}/album/${albumId}` },
      href: `${API}/albums/${albumId}`,
      id: albumId,
      images: [],
      name: t.album,
      release_date: '2026-01-01',
      release_date_precision: 'day',
      total_tracks: 10,
      type: 'album',
      uri: `spotify:album:${albumId}`,
    },
    artists: t.artists.map(artistJson),
    disc_number: 1,
    duration_ms: t.durationMs,
    explicit: false,
    external_ids: {},
    external_urls: { spotify: `${OPEN}/track/${t.id}` },
    href: `${API}/tracks/${t.id}`,
    id: t.id,
    is_local: false,
    name: t.name,
    track_number: 1,
    type: 'track',
    uri: `spotify:track:${t.id}`,
  };
}

export function episodeJson(e: Playable) {
  const showId = slug(e.album).padEnd(22, '2').slice(0, 22);
  return {
    description: '',
    duration_ms: e.durationMs,
    explicit: false,
    external_urls: { spotify: `${OPEN}/episode/${e.id}` },
    href: `${API}/episodes/${e.id}`,
    id: e.id,
    images: [],
    is_playable: true,
    name: e.name,
    release_date: '2026-08-01',
    release_date_precision: 'day',
    show: { id: showId, name: e.album, type: 'show', uri: `spotify:show:${showId}` },
    type: 'episode',
    uri: `spotify:episode:${e.id}`,
  };
}

export function playlistJson(p: Playlist) {
  return {
    collaborative: false,
    description: p.description,
    external_urls: { spotify: `${OPEN}/playlist/${p.id}` },
    href: `${API}/playlists/${p.id}`,
    id: p.id,
    images: [],
    name: p.name,
    owner: {
      display_name: p.owner,
      external_urls: { spotify: `${OPEN}/user/${p.owner}` },
      href: `${API}/users/${p.owner}`,
      id: p.owner,
      type: 'user',
      uri: `spotify:user:${p.owner}`,
    },
    public: true,
    snapshot_id: 'AAAAAQ',
    tracks: { href: `${API}/playlists/${p.id}/tracks`, total: p.itemIds.length },
    type: 'playlist',
    uri: `spotify:playlist:${p.id}`,
  };
}

/** `spotify:track:ID` → {type, id}; null when malformed. */
export function parseUri(uri: string): { type: string; id: string } | null {
  const m = /^spotify:(track|episode|playlist|album):([A-Za-z0-9]+)$/.exec(uri);
  return m ? { type: m[1]!, id: m[2]! } : null;
}
