/// <reference path="../pb_data/types.d.ts" />
// Strava grants (issue 16), for the grant engine shared by every provider
// (sync-server/src/grants/). The same shape and rules as Spotify's grant collections
// (1763900200_spotify.js, 1763901000_spotify_split_grant.js), one set per provider so that no
// provider's writer ever touches another's records:
//
// - strava_grants: one row per member, record id = the member's id. Access and refresh tokens
//   are AES-256-GCM ciphertexts (grants/token-cipher.ts, bound to `strava:<member>:<field>`).
//   Written ONLY by the version-ledger compare-and-set (grants/pb-grant-store.ts): PocketBase
//   writes every column on update, so no other writer may update this record.
// - strava_grant_versions: the CAS ledger; the unique (grant, version) index lets exactly one
//   writer move a grant from v to v+1, in one batch with the grant's update.
// - strava_grant_events: the grant's health as an append-only log (failure with type and
//   backoff, or success); counts are derived on read.
// Every API rule is null: only the sync server (superuser) reaches these. Times: epoch ms.
migrate(
  (app) => {
    const users = app.findCollectionByNameOrId('users');
    const locked = { listRule: null, viewRule: null, createRule: null, updateRule: null, deleteRule: null };
    const int = (name) => ({ type: 'number', name, onlyInt: true, min: 0 });
    const stamps = [
      { type: 'autodate', name: 'created', onCreate: true, onUpdate: false },
      { type: 'autodate', name: 'updated', onCreate: true, onUpdate: true },
    ];

    const grants = new Collection({
      type: 'base',
      name: 'strava_grants',
      ...locked,
      fields: [
        { type: 'relation', name: 'member', required: true, collectionId: users.id, cascadeDelete: true, maxSelect: 1 },
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
      indexes: ['CREATE UNIQUE INDEX idx_strava_grants_member ON strava_grants (member)', 'CREATE INDEX idx_strava_grants_due ON strava_grants (status, expires_at)'],
    });
    app.save(grants);
    const grant = { type: 'relation', name: 'grant', required: true, collectionId: grants.id, cascadeDelete: true, maxSelect: 1 };

    app.save(
      new Collection({
        type: 'base',
        name: 'strava_grant_versions',
        ...locked,
        fields: [grant, int('version'), ...stamps],
        indexes: ['CREATE UNIQUE INDEX idx_strava_grant_versions ON strava_grant_versions (grant, version)'],
      }),
    );

    app.save(
      new Collection({
        type: 'base',
        name: 'strava_grant_events',
        ...locked,
        fields: [
          grant,
          { type: 'text', name: 'kind', required: true, pattern: '^(failure|success)$' },
          { type: 'text', name: 'type', pattern: '^(|auth|network|rate|unknown)$' },
          int('at'),
          int('backoff_until'),
          ...stamps,
        ],
        indexes: ['CREATE INDEX idx_strava_grant_events_grant ON strava_grant_events (grant, at)', 'CREATE INDEX idx_strava_grant_events_at ON strava_grant_events (at)'],
      }),
    );
  },
  (app) => {
    for (const name of ['strava_grant_events', 'strava_grant_versions', 'strava_grants']) {
      app.delete(app.findCollectionByNameOrId(name));
    }
  },
);
