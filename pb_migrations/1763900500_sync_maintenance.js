/// <reference path="../pb_data/types.d.ts" />
// Background sync maintenance (docs/sync-protocol.md §5 "Purge", §7 "Trimming sync_commits";
// sync-server/src/sync/maintenance*.ts). Every API rule is null: only the sync server reads these.
//
// - Indexes for the queries across members: expired tombstones (tombstoned_at > 0 only on
//   tombstones, so the range (0, before) skips live sessions), expired applied-mutation ids,
//   and old commit rows. The existing indexes all start with `member` and cannot serve them.
// - sync_commits_superseded (view): the commit rows that are no longer a member's head, i.e.
//   some later commit was planned on their seq. Only these may be trimmed; the head row is
//   what head() reads, so it is never in this view. The EXISTS is one lookup in the unique
//   (member, base) index per row.
// - sync_leases: cross-process leases of the sync server's background jobs, the same shape as
//   spotify_leases (sync-server/src/spotify/lease.ts takes the collection name).

migrate(
  (app) => {
    const locked = { listRule: null, viewRule: null, createRule: null, updateRule: null, deleteRule: null };
    const addIndex = (name, index) => {
      const c = app.findCollectionByNameOrId(name);
      c.indexes = [...c.indexes, index];
      app.save(c);
    };
    addIndex('sync_sessions', 'CREATE INDEX idx_sync_sessions_tombstoned ON sync_sessions (tombstoned_at)');
    addIndex('sync_mutations', 'CREATE INDEX idx_sync_mutations_at ON sync_mutations (at)');
    addIndex('sync_commits', 'CREATE INDEX idx_sync_commits_created ON sync_commits (created)');

    app.save(
      new Collection({
        type: 'view',
        name: 'sync_commits_superseded',
        ...locked,
        viewQuery:
          'SELECT c.id, c.member, c.base, c.seq, c.created FROM sync_commits c ' +
          'WHERE EXISTS (SELECT 1 FROM sync_commits n WHERE n.member = c.member AND n.base = c.seq)',
      }),
    );

    app.save(
      new Collection({
        type: 'base',
        name: 'sync_leases',
        ...locked,
        fields: [
          { type: 'text', name: 'key', required: true, max: 200 },
          { type: 'text', name: 'holder', max: 100 },
          { type: 'number', name: 'locked_until', onlyInt: true, min: 0 },
          { type: 'autodate', name: 'created', onCreate: true, onUpdate: false },
          { type: 'autodate', name: 'updated', onCreate: true, onUpdate: true },
        ],
        indexes: ['CREATE UNIQUE INDEX idx_sync_leases_key ON sync_leases (key)'],
      }),
    );
  },
  (app) => {
    app.delete(app.findCollectionByNameOrId('sync_leases'));
    app.delete(app.findCollectionByNameOrId('sync_commits_superseded'));
    const dropIndex = (name, indexName) => {
      const c = app.findCollectionByNameOrId(name);
      c.indexes = c.indexes.filter((i) => !i.includes(indexName));
      app.save(c);
    };
    dropIndex('sync_sessions', 'idx_sync_sessions_tombstoned ');
    dropIndex('sync_mutations', 'idx_sync_mutations_at ');
    dropIndex('sync_commits', 'idx_sync_commits_created ');
  },
);
