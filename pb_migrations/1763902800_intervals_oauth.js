/// <reference path="../pb_data/types.d.ts" />
// intervals.icu by OAuth (issue 16): the one-time `state` of a connect attempt (only its
// SHA-256), bound to the member's session, as Strava's (1763902500_strava_uploads.js
// strava_oauth_states; sync-server/src/oauth/states.ts serves both). The OAuth token itself is an
// intervals_grants row (1763902700_intervals.js), marked by its scopes. Superusers only; epoch ms.
migrate(
  (app) => {
    const users = app.findCollectionByNameOrId('users');
    const int = (name) => ({ type: 'number', name, onlyInt: true, min: 0 });
    const text = (name, max, extra = {}) => ({ type: 'text', name, max, ...extra });
    app.save(
      new Collection({
        type: 'base',
        name: 'intervals_oauth_states',
        listRule: null,
        viewRule: null,
        createRule: null,
        updateRule: null,
        deleteRule: null,
        fields: [
          text('state_hash', 64, { required: true, min: 64, pattern: '^[0-9a-f]{64}$' }),
          { type: 'relation', name: 'member', required: true, collectionId: users.id, cascadeDelete: true, maxSelect: 1 },
          text('session', 64, { required: true }),
          int('expires_at'),
          { type: 'autodate', name: 'created', onCreate: true, onUpdate: false },
          { type: 'autodate', name: 'updated', onCreate: true, onUpdate: true },
        ],
        indexes: [
          'CREATE UNIQUE INDEX idx_intervals_oauth_states_hash ON intervals_oauth_states (state_hash)',
          'CREATE INDEX idx_intervals_oauth_states_expires ON intervals_oauth_states (expires_at)',
        ],
      }),
    );
  },
  (app) => {
    app.delete(app.findCollectionByNameOrId('intervals_oauth_states'));
  },
);
