/// <reference path="../pb_data/types.d.ts" />
// Issue 11 defect 1: PocketBase writes EVERY column of a record on update, from a read taken
// before. The grant row was written by the token compare-and-set and also by plain updates
// (failure counters, mute volume), so a plain update built on a read from before a refresh
// wrote the old tokens and version back and left the version ledger one ahead for good.
// From here on every record has one kind of writer:
//
// - spotify_grants keeps the token fields, version and status, written only through the
//   version-ledger CAS (sync-server/src/spotify/pb-grant-store.ts).
// - spotify_grant_events: the grant's health as an append-only log (a failure with its type and
//   backoff, or a success); the failure count is derived on read, so no increment can be lost.
// - spotify_mutes (id = member id): the volume before a mute; one field, one writer role.
// - spotify_player_commands (id = member id): when the last player command was sent and until
//   when states fetched around it are short-lived; was `settle_until` on spotify_now_playing,
//   which a fetcher's put could write back.
// - spotify_call_slots: the app-wide call budget as `limit` slots with a unique index, each
//   usable once per 30 s window (replaces spotify_calls, whose insert-then-count let parallel
//   callers all refuse or all pass).
//
// Existing values are copied; grants wedged by the old bug (ledger ahead of the grant) are
// moved to the ledger's highest version, so their next write succeeds.
migrate(
  (app) => {
    const locked = { listRule: null, viewRule: null, createRule: null, updateRule: null, deleteRule: null };
    const int = (name) => ({ type: 'number', name, onlyInt: true, min: 0 });
    const stamps = [
      { type: 'autodate', name: 'created', onCreate: true, onUpdate: false },
      { type: 'autodate', name: 'updated', onCreate: true, onUpdate: true },
    ];
    const grants = app.findCollectionByNameOrId('spotify_grants');
    const users = app.findCollectionByNameOrId('users');
    const grant = { type: 'relation', name: 'grant', required: true, collectionId: grants.id, cascadeDelete: true, maxSelect: 1 };

    const events = new Collection({
      type: 'base',
      name: 'spotify_grant_events',
      ...locked,
      fields: [
        grant,
        { type: 'text', name: 'kind', required: true, pattern: '^(failure|success)$' },
        { type: 'text', name: 'type', pattern: '^(|auth|network|rate|unknown)$' },
        int('at'),
        int('backoff_until'),
        ...stamps,
      ],
      indexes: ['CREATE INDEX idx_spotify_grant_events_grant ON spotify_grant_events (grant, at)', 'CREATE INDEX idx_spotify_grant_events_at ON spotify_grant_events (at)'],
    });
    app.save(events);

    const mutes = new Collection({
      type: 'base',
      name: 'spotify_mutes',
      ...locked,
      fields: [grant, { type: 'number', name: 'muted_from', onlyInt: true, min: 0, max: 100 }, ...stamps],
      indexes: ['CREATE UNIQUE INDEX idx_spotify_mutes_grant ON spotify_mutes (grant)'],
    });
    app.save(mutes);

    const commands = new Collection({
      type: 'base',
      name: 'spotify_player_commands',
      ...locked,
      fields: [
        { type: 'relation', name: 'member', required: true, collectionId: users.id, cascadeDelete: true, maxSelect: 1 },
        int('invalidated_at'),
        int('settle_until'),
        ...stamps,
      ],
      indexes: ['CREATE UNIQUE INDEX idx_spotify_player_commands_member ON spotify_player_commands (member)'],
    });
    app.save(commands);

    app.save(
      new Collection({
        type: 'base',
        name: 'spotify_call_slots',
        ...locked,
        fields: [int('slot'), int('at'), { type: 'text', name: 'route', max: 100 }],
        indexes: ['CREATE UNIQUE INDEX idx_spotify_call_slots_slot ON spotify_call_slots (slot)'],
      }),
    );

    for (const g of app.findAllRecords('spotify_grants')) {
      const id = g.id;
      const failures = Math.min(20, g.getInt('consecutive_failures'));
      if (g.getInt('last_success_at') > 0) {
        const e = new Record(events);
        e.set('grant', id);
        e.set('kind', 'success');
        e.set('at', g.getInt('last_success_at'));
        app.save(e);
      }
      for (let i = 0; i < failures; i++) {
        const e = new Record(events);
        e.set('grant', id);
        e.set('kind', 'failure');
        e.set('type', g.getString('last_failure_type') || 'unknown');
        // At least as new as the success above, so the count survives the fold.
        e.set('at', Math.max(g.getInt('last_failure_at'), g.getInt('last_success_at') + 1));
        e.set('backoff_until', i === failures - 1 ? g.getInt('backoff_until') : 0);
        app.save(e);
      }
      if (g.getInt('muted_from') > 0) {
        const m = new Record(mutes);
        m.set('id', id);
        m.set('grant', id);
        m.set('muted_from', Math.min(100, g.getInt('muted_from')));
        app.save(m);
      }
      const top = app.findRecordsByFilter('spotify_grant_versions', 'grant = {:g}', '-version', 1, 0, { g: id });
      if (top.length > 0 && top[0].getInt('version') > g.getInt('version')) {
        g.set('version', top[0].getInt('version'));
        app.save(g);
      }
    }

    for (const n of app.findAllRecords('spotify_now_playing')) {
      if (n.getInt('settle_until') > 0) {
        const c = new Record(commands);
        c.set('id', n.id);
        c.set('member', n.getString('member'));
        c.set('settle_until', n.getInt('settle_until'));
        app.save(c);
      }
    }

    for (const f of ['consecutive_failures', 'last_failure_type', 'last_failure_at', 'last_success_at', 'backoff_until', 'muted_from']) grants.fields.removeByName(f);
    app.save(grants);
    const np = app.findCollectionByNameOrId('spotify_now_playing');
    np.fields.removeByName('settle_until');
    app.save(np);
    app.delete(app.findCollectionByNameOrId('spotify_calls'));
  },
  (app) => {
    const grants = app.findCollectionByNameOrId('spotify_grants');
    for (const f of ['consecutive_failures', 'last_failure_at', 'last_success_at', 'backoff_until', 'muted_from']) grants.fields.add(new NumberField({ name: f, onlyInt: true, min: 0 }));
    grants.fields.add(new TextField({ name: 'last_failure_type', pattern: '^(|auth|network|rate|unknown)$' }));
    app.save(grants);
    for (const m of app.findAllRecords('spotify_mutes')) {
      const g = app.findRecordById('spotify_grants', m.getString('grant'));
      g.set('muted_from', m.getInt('muted_from'));
      app.save(g);
    }
    const np = app.findCollectionByNameOrId('spotify_now_playing');
    np.fields.add(new NumberField({ name: 'settle_until', onlyInt: true, min: 0 }));
    app.save(np);
    app.save(
      new Collection({
        type: 'base',
        name: 'spotify_calls',
        listRule: null,
        viewRule: null,
        createRule: null,
        updateRule: null,
        deleteRule: null,
        fields: [
          { type: 'number', name: 'at', onlyInt: true, min: 0 },
          { type: 'text', name: 'route', max: 100 },
        ],
        indexes: ['CREATE INDEX idx_spotify_calls_at ON spotify_calls (at)'],
      }),
    );
    for (const name of ['spotify_call_slots', 'spotify_player_commands', 'spotify_mutes', 'spotify_grant_events']) app.delete(app.findCollectionByNameOrId(name));
  },
);
