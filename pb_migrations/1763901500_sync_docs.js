/// <reference path="../pb_data/types.d.ts" />
// A member's documents for sync protocol 2 (docs/sync-protocol.md §8): the profile, the
// personal settings and each custom plan, one row each, holding the merged record (per-field
// HLC registers, or a plan's tombstone) and the seq of its latest change. Rows are written only
// inside a push's commit batch (after the (member, base) compare-and-set on sync_commits), like
// sync_sessions. Plan tombstones are kept (not purged): a member has few plans, and a kept
// tombstone is what makes a deleted plan stay deleted for a device offline for any time.
migrate(
  (app) => {
    const users = app.findCollectionByNameOrId('users');
    const int = (name) => ({ type: 'number', name, onlyInt: true, min: 0 });
    app.save(
      new Collection({
        type: 'base',
        name: 'sync_docs',
        listRule: null,
        viewRule: null,
        createRule: null,
        updateRule: null,
        deleteRule: null,
        fields: [
          { type: 'relation', name: 'member', required: true, collectionId: users.id, cascadeDelete: true, maxSelect: 1 },
          // docKey: `profile:profile`, `settings:settings`, `plan:<id>`
          { type: 'text', name: 'doc_key', required: true, min: 3, max: 80, pattern: '^[a-z]+:[A-Za-z0-9_-]+$' },
          { type: 'text', name: 'doc_type', required: true, max: 16 },
          // A plan is at most a few KB; 256 KB leaves room.
          { type: 'json', name: 'record', required: true, maxSize: 262144 },
          { type: 'bool', name: 'deleted' },
          int('seq'),
          int('bytes'),
          { type: 'autodate', name: 'created', onCreate: true, onUpdate: false },
          { type: 'autodate', name: 'updated', onCreate: true, onUpdate: true },
        ],
        indexes: [
          'CREATE UNIQUE INDEX idx_sync_docs_member_key ON sync_docs (member, doc_key)',
          'CREATE INDEX idx_sync_docs_member_seq ON sync_docs (member, seq)',
        ],
      }),
    );
  },
  (app) => {
    app.delete(app.findCollectionByNameOrId('sync_docs'));
  },
);
