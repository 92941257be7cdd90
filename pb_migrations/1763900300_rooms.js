/// <reference path="../pb_data/types.d.ts" />
// Class mode: rooms, their timer (insert-only revisions: a unique (room, revision) index is the
// compare-and-swap that lets two server processes race on a command and only one win), paired
// displays and participants. Display and participant credentials are stored as SHA-256 only.
// Heart rate is never stored here (in-memory / Redis fan-out only); participants' last_seen is
// written at a low rate. Every API rule is null: only the sync server (superuser) reads them.

migrate(
  (app) => {
    const users = app.findCollectionByNameOrId('users');
    const closed = { listRule: null, viewRule: null, createRule: null, updateRule: null, deleteRule: null };
    const created = { type: 'autodate', name: 'created', onCreate: true, onUpdate: false };
    const updated = { type: 'autodate', name: 'updated', onCreate: true, onUpdate: true };
    const sha256 = (name, required) => ({ type: 'text', name, required, min: required ? 64 : 0, max: 64, pattern: '^([0-9a-f]{64})?$' });

    const rooms = new Collection({
      ...closed,
      type: 'base',
      name: 'rooms',
      fields: [
        { type: 'relation', name: 'owner', required: true, collectionId: users.id, cascadeDelete: true, maxSelect: 1 },
        { type: 'text', name: 'name', required: true, max: 100 },
        // Shown on the room's big screen, so kept readable; guessing is stopped by the per-address
        // limit on wrong codes (auth_events), and the coach can rotate it at any time.
        { type: 'text', name: 'join_code', required: true, min: 8, max: 8, pattern: '^[A-Z2-9]{8}$' },
        { type: 'relation', name: 'co_coaches', collectionId: users.id, cascadeDelete: false, maxSelect: 20 },
        created,
        updated,
      ],
      indexes: ['CREATE UNIQUE INDEX idx_rooms_join_code ON rooms (join_code)', 'CREATE INDEX idx_rooms_owner ON rooms (owner)'],
    });
    app.save(rooms);

    const timers = new Collection({
      ...closed,
      type: 'base',
      name: 'room_timer_states',
      fields: [
        { type: 'relation', name: 'room', required: true, collectionId: rooms.id, cascadeDelete: true, maxSelect: 1 },
        { type: 'number', name: 'revision', required: false, min: 0, onlyInt: true },
        // core/workout TimerState v1 (bounded to 1000 pauses and skips).
        { type: 'json', name: 'state', required: true, maxSize: 512 * 1024 },
        created,
      ],
      indexes: ['CREATE UNIQUE INDEX idx_room_timer_states_rev ON room_timer_states (room, revision)'],
    });
    app.save(timers);

    const displays = new Collection({
      ...closed,
      type: 'base',
      name: 'room_displays',
      fields: [
        { type: 'relation', name: 'room', required: true, collectionId: rooms.id, cascadeDelete: true, maxSelect: 1 },
        { type: 'text', name: 'name', max: 100 },
        sha256('token_hash', true),
        // One-time pairing code (typed on the gym browser), until pairing_expires (ms).
        sha256('pairing_code_hash', false),
        { type: 'number', name: 'pairing_expires', onlyInt: true },
        created,
      ],
      indexes: ['CREATE INDEX idx_room_displays_room ON room_displays (room)', 'CREATE INDEX idx_room_displays_pairing ON room_displays (pairing_code_hash)'],
    });
    app.save(displays);

    const participants = new Collection({
      ...closed,
      type: 'base',
      name: 'room_participants',
      fields: [
        { type: 'relation', name: 'room', required: true, collectionId: rooms.id, cascadeDelete: true, maxSelect: 1 },
        // Client-generated per device: (room, device_id) is the participant, across refreshes and rejoins.
        { type: 'text', name: 'device_id', required: true, min: 8, max: 64, pattern: '^[A-Za-z0-9_-]+$' },
        { type: 'relation', name: 'user', collectionId: users.id, cascadeDelete: false, maxSelect: 1 },
        { type: 'text', name: 'name', required: true, max: 100 },
        { type: 'number', name: 'age', onlyInt: true },
        { type: 'text', name: 'sex', max: 6, pattern: '^(male|female)?$' },
        { type: 'number', name: 'weight_kg' },
        { type: 'number', name: 'max_hr', onlyInt: true },
        sha256('token_hash', true),
        { type: 'text', name: 'status', required: true, pattern: '^(active|left|removed)$' },
        { type: 'number', name: 'joined_at', required: true, onlyInt: true },
        { type: 'number', name: 'last_seen', onlyInt: true },
        created,
        updated,
      ],
      indexes: [
        'CREATE UNIQUE INDEX idx_room_participants_device ON room_participants (room, device_id)',
        'CREATE INDEX idx_room_participants_room_status ON room_participants (room, status)',
      ],
    });
    app.save(participants);
  },
  (app) => {
    for (const name of ['room_participants', 'room_displays', 'room_timer_states', 'rooms']) {
      app.delete(app.findCollectionByNameOrId(name));
    }
  },
);
