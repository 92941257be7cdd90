/// <reference path="../pb_data/types.d.ts" />
// Class results (sync-server/src/rooms/result-store.ts): each participant's result of each
// class run, posted by their phone when the run ends. One row per (participant, run); only the
// participant writes it. Rows go with the room, with the participant, and with the member's
// account (account deletion leaves no row that names them).
migrate(
  (app) => {
    const rooms = app.findCollectionByNameOrId('rooms');
    const participants = app.findCollectionByNameOrId('room_participants');
    const users = app.findCollectionByNameOrId('users');
    const results = new Collection({
      type: 'base',
      name: 'room_results',
      listRule: null,
      viewRule: null,
      createRule: null,
      updateRule: null,
      deleteRule: null,
      fields: [
        { type: 'relation', name: 'room', required: true, collectionId: rooms.id, cascadeDelete: true, maxSelect: 1 },
        { type: 'relation', name: 'participant', required: true, collectionId: participants.id, cascadeDelete: true, maxSelect: 1 },
        { type: 'relation', name: 'user', collectionId: users.id, cascadeDelete: true, maxSelect: 1 },
        { type: 'text', name: 'name', required: true, max: 100 },
        { type: 'number', name: 'run_started_at', required: true, onlyInt: true },
        { type: 'json', name: 'result', required: true, maxSize: 4096 },
        { type: 'number', name: 'posted_at', onlyInt: true },
        // SHA-256 of the secret of a guest's claim link (rooms/results.ts); '' for members.
        { type: 'text', name: 'claim_hash', max: 64 },
      ],
      indexes: [
        'CREATE UNIQUE INDEX idx_room_results_run ON room_results (participant, run_started_at)',
        'CREATE INDEX idx_room_results_room ON room_results (room, run_started_at)',
      ],
    });
    app.save(results);

    // A guest's result attached to a member with its claim link: its own record, one per result.
    const claims = new Collection({
      type: 'base',
      name: 'room_result_claims',
      listRule: null,
      viewRule: null,
      createRule: null,
      updateRule: null,
      deleteRule: null,
      fields: [
        { type: 'relation', name: 'result', required: true, collectionId: results.id, cascadeDelete: true, maxSelect: 1 },
        { type: 'relation', name: 'user', required: true, collectionId: users.id, cascadeDelete: true, maxSelect: 1 },
        { type: 'autodate', name: 'created', onCreate: true, onUpdate: false },
      ],
      indexes: ['CREATE UNIQUE INDEX idx_room_result_claims_result ON room_result_claims (result)'],
    });
    app.save(claims);
  },
  (app) => {
    app.delete(app.findCollectionByNameOrId('room_result_claims'));
    app.delete(app.findCollectionByNameOrId('room_results'));
  },
);
