/// <reference path="../pb_data/types.d.ts" />
// Spotify (../shared/docs/spotify-emulator.md §3). The sync server is the only holder of a
// member's Spotify tokens; every API rule is null, so no client can reach any of these.
//
// - spotify_grants: one row per member, record id = the member's id. Access and refresh tokens
//   are AES-256-GCM ciphertexts (sync-server/src/spotify/token-cipher.ts) under the key `key_id`.
//   `version` is bumped by every token write; writes are a compare-and-swap on it, enforced by
//   spotify_grant_versions below. Times are epoch milliseconds.
// - spotify_grant_versions: the CAS ledger. A token write is one batch (one transaction):
//   create (grant, version+1) here, then update the grant. The unique index lets exactly one
//   writer move a grant from version v to v+1; the loser's whole batch rolls back.
// - spotify_leases: cross-process locks (refresh per account, now-playing fetch per account).
//   The unique index on `key` means one holder; an expired lease is taken over by deleting it
//   and creating a new one in one batch (a second taker's delete fails, so its batch too).
// - spotify_oauth_states: one-time `state` of a connect attempt, bound to a member's session,
//   with the PKCE verifier (encrypted). Stored as SHA-256 of the state.
// - spotify_now_playing: the shared, debounced now-playing state per member (id = member id).
// - spotify_calls: one row per Web API call, app-wide, to budget Spotify's rolling 30 s window.
// - spotify_app_state: app-wide facts shared by all processes: the 429 circuit and the
//   invalid_client alarm.

migrate(
  (app) => {
    const users = app.findCollectionByNameOrId('users');
    const locked = { listRule: null, viewRule: null, createRule: null, updateRule: null, deleteRule: null };
    const member = { type: 'relation', name: 'member', required: true, collectionId: users.id, cascadeDelete: true, maxSelect: 1 };
    const int = (name) => ({ type: 'number', name, onlyInt: true, min: 0 });
    const text = (name, max) => ({ type: 'text', name, max });
    const stamps = [
      { type: 'autodate', name: 'created', onCreate: true, onUpdate: false },
      { type: 'autodate', name: 'updated', onCreate: true, onUpdate: true },
    ];

    const grants = new Collection({
      type: 'base',
      name: 'spotify_grants',
      ...locked,
      fields: [
        member,
        { type: 'text', name: 'access_token', required: true, max: 4000 },
        { type: 'text', name: 'refresh_token', required: true, max: 4000 },
        { type: 'text', name: 'key_id', required: true, max: 64 },
        int('authorized_at'),
        int('expires_at'),
        text('scopes', 1000),
        int('version'),
        { type: 'text', name: 'status', required: true, pattern: '^(ok|needs_reconnect)$' },
        int('status_at'),
        int('consecutive_failures'),
        { type: 'text', name: 'last_failure_type', pattern: '^(|auth|network|rate|unknown)$' },
        int('last_failure_at'),
        int('last_success_at'),
        int('backoff_until'),
        // Volume before a mute (0 = not muted), so unmute restores it.
        int('muted_from'),
        ...stamps,
      ],
      indexes: [
        'CREATE UNIQUE INDEX idx_spotify_grants_member ON spotify_grants (member)',
        'CREATE INDEX idx_spotify_grants_due ON spotify_grants (status, expires_at)',
      ],
    });
    app.save(grants);

    app.save(
      new Collection({
        type: 'base',
        name: 'spotify_grant_versions',
        ...locked,
        fields: [
          { type: 'relation', name: 'grant', required: true, collectionId: grants.id, cascadeDelete: true, maxSelect: 1 },
          int('version'),
          ...stamps,
        ],
        indexes: ['CREATE UNIQUE INDEX idx_spotify_grant_versions ON spotify_grant_versions (grant, version)'],
      }),
    );

    app.save(
      new Collection({
        type: 'base',
        name: 'spotify_leases',
        ...locked,
        fields: [{ type: 'text', name: 'key', required: true, max: 200 }, text('holder', 100), int('locked_until'), ...stamps],
        indexes: ['CREATE UNIQUE INDEX idx_spotify_leases_key ON spotify_leases (key)'],
      }),
    );

    app.save(
      new Collection({
        type: 'base',
        name: 'spotify_oauth_states',
        ...locked,
        fields: [
          { type: 'text', name: 'state_hash', required: true, min: 64, max: 64, pattern: '^[0-9a-f]{64}$' },
          member,
          { type: 'text', name: 'session', required: true, max: 64 },
          { type: 'text', name: 'verifier', required: true, max: 1000 },
          int('expires_at'),
          ...stamps,
        ],
        indexes: [
          'CREATE UNIQUE INDEX idx_spotify_oauth_states_hash ON spotify_oauth_states (state_hash)',
          'CREATE INDEX idx_spotify_oauth_states_expires ON spotify_oauth_states (expires_at)',
        ],
      }),
    );

    app.save(
      new Collection({
        type: 'base',
        name: 'spotify_now_playing',
        ...locked,
        fields: [member, { type: 'json', name: 'state', maxSize: 65536 }, int('fetched_at'), int('none_since'), ...stamps],
        indexes: ['CREATE UNIQUE INDEX idx_spotify_now_playing_member ON spotify_now_playing (member)'],
      }),
    );

    app.save(
      new Collection({
        type: 'base',
        name: 'spotify_calls',
        ...locked,
        fields: [int('at'), text('route', 100)],
        indexes: ['CREATE INDEX idx_spotify_calls_at ON spotify_calls (at)'],
      }),
    );

    app.save(
      new Collection({
        type: 'base',
        name: 'spotify_app_state',
        ...locked,
        fields: [
          { type: 'text', name: 'key', required: true, max: 100 },
          int('until'),
          int('at'),
          text('reason', 100),
          ...stamps,
        ],
        indexes: ['CREATE UNIQUE INDEX idx_spotify_app_state_key ON spotify_app_state (key)'],
      }),
    );
  },
  (app) => {
    for (const name of [
      'spotify_app_state',
      'spotify_calls',
      'spotify_now_playing',
      'spotify_oauth_states',
      'spotify_leases',
      'spotify_grant_versions',
      'spotify_grants',
    ]) {
      app.delete(app.findCollectionByNameOrId(name));
    }
  },
);
