/// <reference path="../pb_data/types.d.ts" />
// Sync storage (docs/sync-protocol.md). Every record belongs to one member through a relation
// to users with cascadeDelete, so deleting an account removes its synced data. Every API rule
// is null: only the sync server, as superuser over loopback, reads and writes these.
//
// Record ids are derived from (member, natural key) by the sync server (sync/record-ids.ts),
// so two processes creating "the same" row collide on the primary key instead of duplicating.
//
// - sync_members: one row per member: log epoch, storage used, highest purged tombstone seq.
// - sync_commits: one row per applied push; `base` is the head it was planned on. The unique
//   (member, base) and (member, seq) indexes make the commit a compare-and-set on the head:
//   two concurrent pushes planned on the same head cannot both commit (the loser retries).
// - sync_sessions: the merged session record (json, per-field HLC stamps, or a tombstone) and
//   the seq of its latest change.
// - sync_chunks: sample chunks; payload is base64 text (see docs/sync-protocol.md §8).
// - sync_mutations: applied mutation ids, for idempotent replays.

migrate(
  (app) => {
    const users = app.findCollectionByNameOrId('users');
    const locked = { listRule: null, viewRule: null, createRule: null, updateRule: null, deleteRule: null };
    const member = { type: 'relation', name: 'member', required: true, collectionId: users.id, cascadeDelete: true, maxSelect: 1 };
    const uuid = (name) => ({ type: 'text', name, required: true, min: 36, max: 36, pattern: '^[0-9a-f-]{36}$' });
    const int = (name) => ({ type: 'number', name, onlyInt: true, min: 0 });
    const stamps = [
      { type: 'autodate', name: 'created', onCreate: true, onUpdate: false },
      { type: 'autodate', name: 'updated', onCreate: true, onUpdate: true },
    ];

    app.save(
      new Collection({
        type: 'base',
        name: 'sync_members',
        ...locked,
        fields: [
          member,
          { type: 'text', name: 'epoch', required: true, min: 1, max: 16, pattern: '^[a-z0-9]+$' },
          int('bytes'),
          int('purged_seq'),
          ...stamps,
        ],
        indexes: ['CREATE UNIQUE INDEX idx_sync_members_member ON sync_members (member)'],
      }),
    );

    app.save(
      new Collection({
        type: 'base',
        name: 'sync_commits',
        ...locked,
        fields: [member, int('base'), int('seq'), int('mutations'), ...stamps],
        indexes: [
          'CREATE UNIQUE INDEX idx_sync_commits_member_seq ON sync_commits (member, seq)',
          'CREATE UNIQUE INDEX idx_sync_commits_member_base ON sync_commits (member, base)',
        ],
      }),
    );

    app.save(
      new Collection({
        type: 'base',
        name: 'sync_sessions',
        ...locked,
        fields: [
          member,
          uuid('session_id'),
          // A live record is at most ~12 KB (notes ≤ 10 000 chars); 64 KB leaves room.
          { type: 'json', name: 'record', required: true, maxSize: 65536 },
          { type: 'bool', name: 'deleted' },
          // Server time (ms) at which the tombstone was written; 0 while live.
          int('tombstoned_at'),
          int('seq'),
          int('bytes'),
          ...stamps,
        ],
        indexes: [
          'CREATE UNIQUE INDEX idx_sync_sessions_member_session ON sync_sessions (member, session_id)',
          'CREATE INDEX idx_sync_sessions_member_seq ON sync_sessions (member, seq)',
          'CREATE INDEX idx_sync_sessions_member_tombstone ON sync_sessions (member, deleted, tombstoned_at)',
        ],
      }),
    );

    app.save(
      new Collection({
        type: 'base',
        name: 'sync_chunks',
        ...locked,
        fields: [
          member,
          uuid('session_id'),
          int('idx'),
          { type: 'bool', name: 'sealed' },
          { type: 'text', name: 'sha256', required: true, min: 64, max: 64, pattern: '^[0-9a-f]{64}$' },
          int('reading_count'),
          int('first_t'),
          int('last_t'),
          // Standard base64 of at most 256 KiB (MAX_CHUNK_BYTES): 349 528 characters.
          { type: 'text', name: 'payload', required: true, max: 349528 },
          int('bytes'),
          int('seq'),
          ...stamps,
        ],
        indexes: [
          'CREATE UNIQUE INDEX idx_sync_chunks_member_key ON sync_chunks (member, session_id, idx)',
          'CREATE INDEX idx_sync_chunks_member_seq ON sync_chunks (member, seq)',
        ],
      }),
    );

    app.save(
      new Collection({
        type: 'base',
        name: 'sync_mutations',
        ...locked,
        fields: [member, uuid('mutation_id'), int('seq'), int('at'), ...stamps],
        indexes: [
          'CREATE UNIQUE INDEX idx_sync_mutations_member_mutation ON sync_mutations (member, mutation_id)',
          'CREATE INDEX idx_sync_mutations_member_at ON sync_mutations (member, at)',
        ],
      }),
    );

    // One push is one batch: up to 500 mutations, each with its log row and its entity write,
    // plus the chunks of deleted sessions. Raised from the accounts migration's 500.
    const settings = app.settings();
    settings.batch.maxRequests = 5000;
    settings.batch.timeout = 30;
    app.save(settings);
  },
  (app) => {
    for (const name of ['sync_mutations', 'sync_chunks', 'sync_sessions', 'sync_commits', 'sync_members']) {
      app.delete(app.findCollectionByNameOrId(name));
    }
    const settings = app.settings();
    settings.batch.maxRequests = 500;
    settings.batch.timeout = 10;
    app.save(settings);
  },
);
