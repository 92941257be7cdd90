/// <reference path="../pb_data/types.d.ts" />
// Strava connect and the upload queue (issue 16).
//
// - provider_leases: the grant engine's cross-process leases for every provider added after
//   Spotify (sync-server/src/grants/lease-store.ts), keyed `<provider>-refresh:<member>`. Before
//   this, Strava's refresh leases lived in `spotify_leases` under another key prefix. Spotify
//   keeps `spotify_leases` (its refresh and now-playing leases): a process of the previous version
//   still takes them there during a rolling restart, so moving them would let two refreshes run.
// - strava_oauth_states: one-time `state` of a connect (only its SHA-256), bound to the session.
// - strava_prefs: the member's upload choice (off | auto | manual) and, for auto, the sync-log seq
//   it was turned on at (workouts synced after it go up by themselves; older ones by hand);
//   record id = member id; one writer (the member), the last write wins.
// - strava_scans: the discovery pass's cursor over each member's synced sessions.
// - strava_upload_jobs: one per member and session (unique index: 200 parallel enqueues make one
//   job). Written ONLY by a compare-and-set on `version`: one batch creates
//   strava_upload_versions (job, version) — unique — and updates the job, so of two writers that
//   read the same version exactly one wins (PocketBase writes every column on update). A worker
//   claims a job by such a write setting `lease_until`; a worker killed half-way loses it when
//   `lease_until` passes.
// - strava_rate_blocks: app-wide rate-limit back-offs, append-only (every process adds, none
//   rewrites): the newest `until` in the future means "wait for the window".
// Every API rule is null: only the sync server (superuser) reaches these. Times: epoch ms.
migrate(
  (app) => {
    const users = app.findCollectionByNameOrId('users');
    const locked = { listRule: null, viewRule: null, createRule: null, updateRule: null, deleteRule: null };
    const int = (name) => ({ type: 'number', name, onlyInt: true, min: 0 });
    const text = (name, max, extra = {}) => ({ type: 'text', name, max, ...extra });
    const member = { type: 'relation', name: 'member', required: true, collectionId: users.id, cascadeDelete: true, maxSelect: 1 };
    const stamps = [
      { type: 'autodate', name: 'created', onCreate: true, onUpdate: false },
      { type: 'autodate', name: 'updated', onCreate: true, onUpdate: true },
    ];

    app.save(
      new Collection({
        type: 'base',
        name: 'provider_leases',
        ...locked,
        fields: [text('key', 200, { required: true }), text('holder', 100), int('locked_until'), ...stamps],
        indexes: ['CREATE UNIQUE INDEX idx_provider_leases_key ON provider_leases (key)'],
      }),
    );

    app.save(
      new Collection({
        type: 'base',
        name: 'strava_oauth_states',
        ...locked,
        fields: [
          text('state_hash', 64, { required: true, min: 64, pattern: '^[0-9a-f]{64}$' }),
          member,
          text('session', 64, { required: true }),
          int('expires_at'),
          ...stamps,
        ],
        indexes: [
          'CREATE UNIQUE INDEX idx_strava_oauth_states_hash ON strava_oauth_states (state_hash)',
          'CREATE INDEX idx_strava_oauth_states_expires ON strava_oauth_states (expires_at)',
        ],
      }),
    );

    app.save(
      new Collection({
        type: 'base',
        name: 'strava_prefs',
        ...locked,
        fields: [member, text('mode', 10, { required: true, pattern: '^(off|auto|manual)$' }), int('since_seq'), ...stamps],
        indexes: ['CREATE UNIQUE INDEX idx_strava_prefs_member ON strava_prefs (member)', 'CREATE INDEX idx_strava_prefs_mode ON strava_prefs (mode)'],
      }),
    );

    // How far the discovery pass has read each member's synced sessions (the sync log's seq);
    // record id = member id; written only under the discovery lease, never by the member.
    app.save(
      new Collection({
        type: 'base',
        name: 'strava_scans',
        ...locked,
        fields: [member, int('seq'), ...stamps],
        indexes: ['CREATE UNIQUE INDEX idx_strava_scans_member ON strava_scans (member)'],
      }),
    );

    const jobs = new Collection({
      type: 'base',
      name: 'strava_upload_jobs',
      ...locked,
      fields: [
        member,
        text('session_id', 36, { required: true, min: 36, pattern: '^[0-9a-f-]{36}$' }),
        text('state', 12, { required: true, pattern: '^(queued|uploading|processing|done|duplicate|failed|cancelled)$' }),
        int('version'),
        int('attempts'),
        int('next_run_at'),
        int('lease_until'),
        text('holder', 100),
        text('upload_id', 40),
        text('activity_id', 40),
        text('reason', 40),
        text('error', 300),
        { type: 'bool', name: 'sent' },
        int('created_at'),
        int('finished_at'),
        ...stamps,
      ],
      indexes: [
        'CREATE UNIQUE INDEX idx_strava_upload_jobs_session ON strava_upload_jobs (member, session_id)',
        'CREATE INDEX idx_strava_upload_jobs_due ON strava_upload_jobs (state, next_run_at)',
      ],
    });
    app.save(jobs);

    app.save(
      new Collection({
        type: 'base',
        name: 'strava_upload_versions',
        ...locked,
        fields: [{ type: 'relation', name: 'job', required: true, collectionId: jobs.id, cascadeDelete: true, maxSelect: 1 }, int('version'), ...stamps],
        indexes: ['CREATE UNIQUE INDEX idx_strava_upload_versions ON strava_upload_versions (job, version)'],
      }),
    );

    app.save(
      new Collection({
        type: 'base',
        name: 'strava_rate_blocks',
        ...locked,
        fields: [int('at'), int('until'), text('reason', 40), text('usage', 60), ...stamps],
        indexes: ['CREATE INDEX idx_strava_rate_blocks_until ON strava_rate_blocks (until)'],
      }),
    );
  },
  (app) => {
    for (const name of ['strava_rate_blocks', 'strava_upload_versions', 'strava_upload_jobs', 'strava_scans', 'strava_prefs', 'strava_oauth_states', 'provider_leases']) {
      app.delete(app.findCollectionByNameOrId(name));
    }
  },
);
