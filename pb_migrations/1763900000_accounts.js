/// <reference path="../pb_data/types.d.ts" />
// Accounts: PocketBase's `users` auth collection holds the people (password hashing, email
// verification and reset mail); the sync server owns the per-device sessions and the login
// throttling, stored here so that every server process sees the same state.
// No collection is reachable by clients: every API rule is null (superusers only) and only
// the sync server, as superuser over loopback, reads and writes them.

migrate(
  (app) => {
    const users = app.findCollectionByNameOrId('users');
    users.listRule = null;
    users.viewRule = null;
    users.createRule = null;
    users.updateRule = null;
    users.deleteRule = null;
    users.manageRule = null;
    // Links in PocketBase's mails lead to the PWA's own screens, which call /api/v1.
    users.verificationTemplate.subject = 'Verify your {APP_NAME} email';
    users.verificationTemplate.body =
      '<p>Hello,</p><p>Confirm your email address for {APP_NAME}:</p>' +
      '<p><a class="btn" href="{APP_URL}/verify-email?token={TOKEN}" target="_blank" rel="noopener">Verify email</a></p>' +
      '<p>{APP_URL}/verify-email?token={TOKEN}</p>' +
      '<p>If you did not create an account, ignore this mail.</p>';
    users.resetPasswordTemplate.subject = 'Reset your {APP_NAME} password';
    users.resetPasswordTemplate.body =
      '<p>Hello,</p><p>Choose a new password for {APP_NAME}:</p>' +
      '<p><a class="btn" href="{APP_URL}/reset-password?token={TOKEN}" target="_blank" rel="noopener">Reset password</a></p>' +
      '<p>{APP_URL}/reset-password?token={TOKEN}</p>' +
      '<p>Every device signed in to your account will be signed out. If you did not ask for this, ignore this mail.</p>';
    app.save(users);

    const sessions = new Collection({
      type: 'base',
      name: 'sessions',
      listRule: null,
      viewRule: null,
      createRule: null,
      updateRule: null,
      deleteRule: null,
      fields: [
        { type: 'relation', name: 'user', required: true, collectionId: users.id, cascadeDelete: true, maxSelect: 1 },
        // SHA-256 of the cookie's secret: a stolen database does not yield usable cookies.
        { type: 'text', name: 'secret_hash', required: true, min: 64, max: 64, pattern: '^[0-9a-f]{64}$' },
        { type: 'text', name: 'device_name', max: 100 },
        { type: 'date', name: 'last_seen', required: true },
        { type: 'date', name: 'idle_expires', required: true },
        { type: 'date', name: 'expires', required: true },
        { type: 'autodate', name: 'created', onCreate: true, onUpdate: false },
        { type: 'autodate', name: 'updated', onCreate: true, onUpdate: true },
      ],
      indexes: ['CREATE INDEX idx_sessions_user ON sessions (user)'],
    });
    app.save(sessions);

    // Insert-only log of auth events (failed logins per account, requests per client
    // address). Counting rows in a window is race-free across processes, unlike a counter.
    const events = new Collection({
      type: 'base',
      name: 'auth_events',
      listRule: null,
      viewRule: null,
      createRule: null,
      updateRule: null,
      deleteRule: null,
      fields: [
        { type: 'text', name: 'key', required: true, max: 200 },
        { type: 'number', name: 'at', required: true, onlyInt: true },
        { type: 'autodate', name: 'created', onCreate: true, onUpdate: false },
      ],
      indexes: ['CREATE INDEX idx_auth_events_key_at ON auth_events (key, at)', 'CREATE INDEX idx_auth_events_at ON auth_events (at)'],
    });
    app.save(events);

    const locks = new Collection({
      type: 'base',
      name: 'auth_locks',
      listRule: null,
      viewRule: null,
      createRule: null,
      updateRule: null,
      deleteRule: null,
      fields: [
        { type: 'text', name: 'key', required: true, max: 200 },
        { type: 'number', name: 'locked_until', required: true, onlyInt: true },
        { type: 'autodate', name: 'created', onCreate: true, onUpdate: false },
        { type: 'autodate', name: 'updated', onCreate: true, onUpdate: true },
      ],
      indexes: ['CREATE UNIQUE INDEX idx_auth_locks_key ON auth_locks (key)'],
    });
    app.save(locks);

    // Batch requests run in one transaction: the sync protocol applies a push all or nothing.
    const settings = app.settings();
    settings.batch.enabled = true;
    settings.batch.maxRequests = 500;
    settings.batch.timeout = 10;
    app.save(settings);
  },
  (app) => {
    for (const name of ['auth_locks', 'auth_events', 'sessions']) {
      app.delete(app.findCollectionByNameOrId(name));
    }
  },
);
