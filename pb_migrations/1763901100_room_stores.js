/// <reference path="../pb_data/types.d.ts" />
// Class mode without read-modify-write (issue 11). PocketBase rewrites EVERY column of a record on
// update, from a read taken at the start of the request, so two writers of different fields of
// one record can undo each other. Data with different writers therefore moves to its own records:
// - limiter_slots: the atomic rate limiter (auth/pb-limiter.ts); UNIQUE (key, n) is the decision.
// - room_codes: the join code (rotate-code) apart from the room's name (rename).
// - room_coaches: one row per co-coach (UNIQUE (room, user)) instead of rooms.co_coaches.
// - room_invitations: pending co-coach invitations by email (UNIQUE (room, email)).
// - room_display_claims: a pairing code is claimed once (UNIQUE code hash) in the same batch
//   that stores the paired display's token.
// - room_participant_versions: the version ledger that makes every participant update a
//   compare-and-set (UNIQUE (participant, version)), as spotify_grant_versions does for grants.
// - room_presence: last_seen apart from the participant row (the live hub writes it).

migrate(
  (app) => {
    const users = app.findCollectionByNameOrId('users');
    const rooms = app.findCollectionByNameOrId('rooms');
    const displays = app.findCollectionByNameOrId('room_displays');
    const participants = app.findCollectionByNameOrId('room_participants');
    const closed = { listRule: null, viewRule: null, createRule: null, updateRule: null, deleteRule: null };
    const created = { type: 'autodate', name: 'created', onCreate: true, onUpdate: false };
    const updated = { type: 'autodate', name: 'updated', onCreate: true, onUpdate: true };
    const room = { type: 'relation', name: 'room', required: true, collectionId: rooms.id, cascadeDelete: true, maxSelect: 1 };
    const save = (c) => {
      const col = new Collection({ ...closed, type: 'base', ...c });
      app.save(col);
      return col;
    };

    save({
      name: 'limiter_slots',
      fields: [
        { type: 'text', name: 'key', required: true, max: 200 },
        { type: 'number', name: 'n', required: false, min: 0, onlyInt: true },
        { type: 'number', name: 'until', required: true, onlyInt: true },
      ],
      indexes: ['CREATE UNIQUE INDEX idx_limiter_slots_key_n ON limiter_slots (key, n)', 'CREATE INDEX idx_limiter_slots_until ON limiter_slots (until)'],
    });

    const codes = save({
      name: 'room_codes',
      fields: [room, { type: 'text', name: 'code', required: true, min: 8, max: 8, pattern: '^[A-Z2-9]{8}$' }, created, updated],
      indexes: ['CREATE UNIQUE INDEX idx_room_codes_room ON room_codes (room)', 'CREATE UNIQUE INDEX idx_room_codes_code ON room_codes (code)'],
    });

    const coaches = save({
      name: 'room_coaches',
      fields: [room, { type: 'relation', name: 'user', required: true, collectionId: users.id, cascadeDelete: true, maxSelect: 1 }, created],
      indexes: ['CREATE UNIQUE INDEX idx_room_coaches_room_user ON room_coaches (room, user)', 'CREATE INDEX idx_room_coaches_user ON room_coaches (user)'],
    });

    save({
      name: 'room_invitations',
      fields: [
        room,
        // Lower-cased; matched against the invitee's own account email when they sign in.
        { type: 'email', name: 'email', required: true },
        { type: 'relation', name: 'invited_by', required: true, collectionId: users.id, cascadeDelete: true, maxSelect: 1 },
        created,
      ],
      indexes: ['CREATE UNIQUE INDEX idx_room_invitations_room_email ON room_invitations (room, email)', 'CREATE INDEX idx_room_invitations_email ON room_invitations (email)'],
    });

    save({
      name: 'room_display_claims',
      fields: [
        { type: 'relation', name: 'display', required: true, collectionId: displays.id, cascadeDelete: true, maxSelect: 1 },
        { type: 'text', name: 'pairing_code_hash', required: true, min: 64, max: 64, pattern: '^[0-9a-f]{64}$' },
        created,
      ],
      indexes: ['CREATE UNIQUE INDEX idx_room_display_claims_hash ON room_display_claims (pairing_code_hash)'],
    });

    save({
      name: 'room_participant_versions',
      fields: [
        { type: 'relation', name: 'participant', required: true, collectionId: participants.id, cascadeDelete: true, maxSelect: 1 },
        { type: 'number', name: 'version', required: false, min: 0, onlyInt: true },
      ],
      indexes: ['CREATE UNIQUE INDEX idx_room_participant_versions ON room_participant_versions (participant, version)'],
    });

    save({
      name: 'room_presence',
      fields: [
        { type: 'relation', name: 'participant', required: true, collectionId: participants.id, cascadeDelete: true, maxSelect: 1 },
        { type: 'number', name: 'last_seen', onlyInt: true },
      ],
      indexes: ['CREATE UNIQUE INDEX idx_room_presence_participant ON room_presence (participant)'],
    });

    participants.fields.add(new NumberField({ name: 'version', onlyInt: true, min: 0 }));
    app.save(participants);

    // Existing rooms: their code and co-coaches move to the new records.
    for (const r of app.findAllRecords('rooms')) {
      // The code record has the room's id: rotate-code writes it by id (pb-room-store.ts).
      const code = new Record(codes);
      code.set('id', r.id);
      code.set('room', r.id);
      code.set('code', r.get('join_code'));
      app.save(code);
      for (const userId of r.get('co_coaches') || []) {
        const c = new Record(coaches);
        c.set('room', r.id);
        c.set('user', userId);
        app.save(c);
      }
    }
    rooms.fields.removeByName('co_coaches');
    rooms.fields.removeByName('join_code');
    rooms.indexes = ['CREATE INDEX idx_rooms_owner ON rooms (owner)'];
    app.save(rooms);
  },
  (app) => {
    const users = app.findCollectionByNameOrId('users');
    const rooms = app.findCollectionByNameOrId('rooms');
    rooms.fields.add(new TextField({ name: 'join_code', max: 8 }));
    rooms.fields.add(new RelationField({ name: 'co_coaches', collectionId: users.id, cascadeDelete: false, maxSelect: 20 }));
    app.save(rooms);
    for (const c of app.findAllRecords('room_codes')) {
      const r = app.findRecordById('rooms', c.get('room'));
      r.set('join_code', c.get('code'));
      app.save(r);
    }
    for (const c of app.findAllRecords('room_coaches')) {
      const r = app.findRecordById('rooms', c.get('room'));
      r.set('co_coaches+', c.get('user'));
      app.save(r);
    }
    const participants = app.findCollectionByNameOrId('room_participants');
    participants.fields.removeByName('version');
    app.save(participants);
    for (const name of ['room_presence', 'room_participant_versions', 'room_display_claims', 'room_invitations', 'room_coaches', 'room_codes', 'limiter_slots']) {
      app.delete(app.findCollectionByNameOrId(name));
    }
  },
);
