/// <reference path="../pb_data/types.d.ts" />
// intervals.icu (issue 16): the member's personal API key as a grant, and two queues of the
// upload queue's shape (sync-server/src/uploads/), one for activities and one for wellness.
// Each has collections of its own, named by its key, with the same rules as Strava's
// (1763902200_strava_grants.js, 1763902500_strava_uploads.js):
//
// - intervals_grants / _grant_versions / _grant_events: the grant engine's store. The API key is
//   sealed (AES-256-GCM, bound to `intervals:<member>:access_token`) in `access_token`; written
//   ONLY by the version-ledger compare-and-set (grants/pb-grant-store.ts).
// - intervals_upload_jobs / _upload_versions / intervals_prefs / intervals_scans: uploads (one
//   job per member and session, written only by compare-and-set on `version`, claimed with a
//   lease in `lease_until`); the member's choice (off | auto | manual); the discovery cursor.
// - intervals_rate_blocks: app-wide 429 back-offs (append-only), shared by both queues.
// - intervals_wellness_jobs / _wellness_versions / intervals_wellness_prefs /
//   intervals_wellness_scans: one wellness write per member and session (opt-in: mode auto).
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

    // ---- the grant ----
    const grants = new Collection({
      type: 'base',
      name: 'intervals_grants',
      ...locked,
      fields: [
        member,
        { type: 'text', name: 'access_token', required: true, max: 4000 },
        { type: 'text', name: 'refresh_token', required: true, max: 4000 },
        { type: 'text', name: 'key_id', required: true, max: 64 },
        int('authorized_at'),
        int('expires_at'),
        { type: 'text', name: 'scopes', max: 1000 },
        int('version'),
        { type: 'text', name: 'status', required: true, pattern: '^(ok|needs_reconnect)$' },
        int('status_at'),
        ...stamps,
      ],
      indexes: ['CREATE UNIQUE INDEX idx_intervals_grants_member ON intervals_grants (member)', 'CREATE INDEX idx_intervals_grants_due ON intervals_grants (status, expires_at)'],
    });
    app.save(grants);
    const grant = { type: 'relation', name: 'grant', required: true, collectionId: grants.id, cascadeDelete: true, maxSelect: 1 };
    app.save(
      new Collection({
        type: 'base',
        name: 'intervals_grant_versions',
        ...locked,
        fields: [grant, int('version'), ...stamps],
        indexes: ['CREATE UNIQUE INDEX idx_intervals_grant_versions ON intervals_grant_versions (grant, version)'],
      }),
    );
    app.save(
      new Collection({
        type: 'base',
        name: 'intervals_grant_events',
        ...locked,
        fields: [
          grant,
          { type: 'text', name: 'kind', required: true, pattern: '^(failure|success)$' },
          { type: 'text', name: 'type', pattern: '^(|auth|network|rate|unknown)$' },
          int('at'),
          int('backoff_until'),
          ...stamps,
        ],
        indexes: ['CREATE INDEX idx_intervals_grant_events_grant ON intervals_grant_events (grant, at)', 'CREATE INDEX idx_intervals_grant_events_at ON intervals_grant_events (at)'],
      }),
    );

    // ---- app-wide back-offs, shared by both queues ----
    app.save(
      new Collection({
        type: 'base',
        name: 'intervals_rate_blocks',
        ...locked,
        fields: [int('at'), int('until'), text('reason', 40), text('usage', 60), ...stamps],
        indexes: ['CREATE INDEX idx_intervals_rate_blocks_until ON intervals_rate_blocks (until)'],
      }),
    );

    // ---- a queue: jobs, their CAS ledger, the member's choice, the discovery cursor ----
    const queue = (jobsName, versionsName, prefsName, scansName) => {
      app.save(
        new Collection({
          type: 'base',
          name: prefsName,
          ...locked,
          fields: [member, text('mode', 10, { required: true, pattern: '^(off|auto|manual)$' }), int('since_seq'), ...stamps],
          indexes: [`CREATE UNIQUE INDEX idx_${prefsName}_member ON ${prefsName} (member)`, `CREATE INDEX idx_${prefsName}_mode ON ${prefsName} (mode)`],
        }),
      );
      app.save(
        new Collection({
          type: 'base',
          name: scansName,
          ...locked,
          fields: [member, int('seq'), ...stamps],
          indexes: [`CREATE UNIQUE INDEX idx_${scansName}_member ON ${scansName} (member)`],
        }),
      );
      const jobs = new Collection({
        type: 'base',
        name: jobsName,
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
        indexes: [`CREATE UNIQUE INDEX idx_${jobsName}_session ON ${jobsName} (member, session_id)`, `CREATE INDEX idx_${jobsName}_due ON ${jobsName} (state, next_run_at)`],
      });
      app.save(jobs);
      app.save(
        new Collection({
          type: 'base',
          name: versionsName,
          ...locked,
          fields: [{ type: 'relation', name: 'job', required: true, collectionId: jobs.id, cascadeDelete: true, maxSelect: 1 }, int('version'), ...stamps],
          indexes: [`CREATE UNIQUE INDEX idx_${versionsName} ON ${versionsName} (job, version)`],
        }),
      );
    };
    queue('intervals_upload_jobs', 'intervals_upload_versions', 'intervals_prefs', 'intervals_scans');
    queue('intervals_wellness_jobs', 'intervals_wellness_versions', 'intervals_wellness_prefs', 'intervals_wellness_scans');
  },
  (app) => {
    for (const name of [
      'intervals_wellness_versions',
      'intervals_wellness_jobs',
      'intervals_wellness_scans',
      'intervals_wellness_prefs',
      'intervals_upload_versions',
      'intervals_upload_jobs',
      'intervals_scans',
      'intervals_prefs',
      'intervals_rate_blocks',
      'intervals_grant_events',
      'intervals_grant_versions',
      'intervals_grants',
    ]) {
      app.delete(app.findCollectionByNameOrId(name));
    }
  },
);
