/// <reference path="../pb_data/types.d.ts" />
// The room hub (issue 15): a gym device that carries many straps into a room.
// - room_hubs: a hub is a room credential like a display (token and one-time pairing code stored
//   as SHA-256 only); deleting it revokes it.
// - room_hub_claims: a hub's pairing code is claimed once (UNIQUE code hash), in the same batch
//   that stores the paired hub's token.
// - room_strap_claims: the phone that said "I am this strap" (UNIQUE participant): one phone per
//   strap participant.
// - straps: the strap registry, one member per strap key (UNIQUE key): another member cannot
//   claim it until the first releases it.
// - strap_prefs: a member's auto-join opt-in (off by default) and the profile a hub joins them
//   with; id = the member's id.
// Every API rule is null: only the sync server (superuser) reads them.
migrate(
  (app) => {
    const users = app.findCollectionByNameOrId('users');
    const rooms = app.findCollectionByNameOrId('rooms');
    const participants = app.findCollectionByNameOrId('room_participants');
    const closed = { listRule: null, viewRule: null, createRule: null, updateRule: null, deleteRule: null };
    const created = { type: 'autodate', name: 'created', onCreate: true, onUpdate: false };
    const sha256 = (name, required) => ({ type: 'text', name, required, min: required ? 64 : 0, max: 64, pattern: '^([0-9a-f]{64})?$' });
    const strapKey = { type: 'text', name: 'strap_key', required: true, min: 5, max: 80, pattern: '^(ant|bt):[A-Za-z0-9:_.-]+$' };

    const hubs = new Collection({
      ...closed,
      type: 'base',
      name: 'room_hubs',
      fields: [
        { type: 'relation', name: 'room', required: true, collectionId: rooms.id, cascadeDelete: true, maxSelect: 1 },
        { type: 'text', name: 'name', required: true, max: 100 },
        sha256('token_hash', true),
        sha256('pairing_code_hash', false),
        { type: 'number', name: 'pairing_expires', onlyInt: true },
        created,
      ],
      indexes: ['CREATE INDEX idx_room_hubs_room ON room_hubs (room)', 'CREATE INDEX idx_room_hubs_pairing ON room_hubs (pairing_code_hash)'],
    });
    app.save(hubs);

    app.save(
      new Collection({
        ...closed,
        type: 'base',
        name: 'room_hub_claims',
        fields: [{ type: 'relation', name: 'hub', required: true, collectionId: hubs.id, cascadeDelete: true, maxSelect: 1 }, sha256('pairing_code_hash', true), created],
        indexes: ['CREATE UNIQUE INDEX idx_room_hub_claims_hash ON room_hub_claims (pairing_code_hash)'],
      }),
    );

    app.save(
      new Collection({
        ...closed,
        type: 'base',
        name: 'room_strap_claims',
        fields: [
          { type: 'relation', name: 'participant', required: true, collectionId: participants.id, cascadeDelete: true, maxSelect: 1 },
          { type: 'text', name: 'device_id', required: true, min: 8, max: 64, pattern: '^[A-Za-z0-9_-]+$' },
          created,
        ],
        indexes: ['CREATE UNIQUE INDEX idx_room_strap_claims_participant ON room_strap_claims (participant)'],
      }),
    );

    app.save(
      new Collection({
        ...closed,
        type: 'base',
        name: 'straps',
        fields: [{ type: 'relation', name: 'user', required: true, collectionId: users.id, cascadeDelete: true, maxSelect: 1 }, strapKey, created],
        indexes: ['CREATE UNIQUE INDEX idx_straps_key ON straps (strap_key)', 'CREATE INDEX idx_straps_user ON straps (user)'],
      }),
    );

    app.save(
      new Collection({
        ...closed,
        type: 'base',
        name: 'strap_prefs',
        fields: [
          { type: 'relation', name: 'user', required: true, collectionId: users.id, cascadeDelete: true, maxSelect: 1 },
          { type: 'bool', name: 'auto_join' },
          { type: 'json', name: 'profile', maxSize: 2000 },
        ],
        indexes: ['CREATE UNIQUE INDEX idx_strap_prefs_user ON strap_prefs (user)'],
      }),
    );
  },
  (app) => {
    for (const name of ['strap_prefs', 'straps', 'room_strap_claims', 'room_hub_claims', 'room_hubs']) {
      app.delete(app.findCollectionByNameOrId(name));
    }
  },
);
