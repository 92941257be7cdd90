/// <reference path="../pb_data/types.d.ts" />
// Tracks of every workout (../shared/docs/spotify-emulator.md §2.7 scenario 11, §3 rule 5;
// sync-server/src/spotify/annotate*.ts). Every API rule is null: only the sync server reads
// and writes these. Every row belongs to a member with cascadeDelete. Times are epoch ms.
//
// - spotify_track_jobs: one job per member and synced, finished session (unique). The
//   background pass runs jobs whose next_run_at has come (state pending), each under a
//   spotify_leases lease, at creation and again at +5 min, +30 min and +3 h for late entries;
//   `runs` counts completed looks, `attempts` consecutive failures (8 → failed). `incomplete`:
//   Spotify's 50-play window no longer reached back to the session's start at the first look.
//   state: pending | done | failed | gone (the session was deleted).
// - spotify_session_tracks: the plays that overlapped a session, with the average and peak
//   heart rate while each played (0 = no readings, with samples 0). Unique on
//   (member, session_id, track_id, played_at), so running a job again never duplicates.
// - spotify_track_scans: per member (record id = member id), the highest sync_sessions.seq
//   already looked at when discovering finished sessions.

migrate(
  (app) => {
    const users = app.findCollectionByNameOrId('users');
    const locked = { listRule: null, viewRule: null, createRule: null, updateRule: null, deleteRule: null };
    const member = { type: 'relation', name: 'member', required: true, collectionId: users.id, cascadeDelete: true, maxSelect: 1 };
    const uuid = (name) => ({ type: 'text', name, required: true, min: 36, max: 36, pattern: '^[0-9a-f-]{36}$' });
    const int = (name) => ({ type: 'number', name, onlyInt: true, min: 0 });
    const text = (name, max) => ({ type: 'text', name, max });
    const stamps = [
      { type: 'autodate', name: 'created', onCreate: true, onUpdate: false },
      { type: 'autodate', name: 'updated', onCreate: true, onUpdate: true },
    ];

    app.save(
      new Collection({
        type: 'base',
        name: 'spotify_track_jobs',
        ...locked,
        fields: [
          member,
          uuid('session_id'),
          { type: 'text', name: 'state', required: true, pattern: '^(pending|done|failed|gone)$' },
          int('runs'),
          int('attempts'),
          int('next_run_at'),
          int('created_at'),
          int('last_run_at'),
          { type: 'bool', name: 'incomplete' },
          text('last_error', 200),
          ...stamps,
        ],
        indexes: [
          'CREATE UNIQUE INDEX idx_spotify_track_jobs_session ON spotify_track_jobs (member, session_id)',
          'CREATE INDEX idx_spotify_track_jobs_due ON spotify_track_jobs (state, next_run_at)',
        ],
      }),
    );

    app.save(
      new Collection({
        type: 'base',
        name: 'spotify_session_tracks',
        ...locked,
        fields: [
          member,
          uuid('session_id'),
          { type: 'text', name: 'track_id', required: true, max: 200 },
          text('track_uri', 300),
          text('name', 300),
          { type: 'json', name: 'artists', maxSize: 4096 },
          text('album', 300),
          text('album_art_url', 1000),
          int('played_at'),
          int('start_at'),
          int('duration_ms'),
          { type: 'number', name: 'avg_bpm', min: 0 },
          int('peak_bpm'),
          int('samples'),
          ...stamps,
        ],
        indexes: [
          'CREATE UNIQUE INDEX idx_spotify_session_tracks_play ON spotify_session_tracks (member, session_id, track_id, played_at)',
          'CREATE INDEX idx_spotify_session_tracks_member ON spotify_session_tracks (member, played_at)',
        ],
      }),
    );

    app.save(
      new Collection({
        type: 'base',
        name: 'spotify_track_scans',
        ...locked,
        fields: [member, int('seq'), ...stamps],
        indexes: ['CREATE UNIQUE INDEX idx_spotify_track_scans_member ON spotify_track_scans (member)'],
      }),
    );
  },
  (app) => {
    for (const name of ['spotify_track_scans', 'spotify_session_tracks', 'spotify_track_jobs']) {
      app.delete(app.findCollectionByNameOrId(name));
    }
  },
);
