/// <reference path="../pb_data/types.d.ts" />
// The room hub's strap registry, continued (issue 15):
// - straps.strap_key takes the keys the app uses: `ant:<device number>` and `ble:<advertised
//   name>` (core/rooms/wire.ts STRAP_KEY_PATTERN); the first hub migration said `bt:`, so a
//   Bluetooth strap registered in Account → My straps was refused.
// - room_hub_straps: the strap key behind each participant a hub created (UNIQUE participant),
//   so the coach's list can tell conflicts (a strap registered by a member who has not opted in,
//   a strap named as a guest that a member registered), and when a phone last tried to claim a
//   strap another phone follows (contested_at, ms).
// Every API rule is null: only the sync server (superuser) reads them.
migrate(
  (app) => {
    const keyPattern = '^(ant|ble):[A-Za-z0-9:_.-]+$';
    const straps = app.findCollectionByNameOrId('straps');
    straps.fields.getByName('strap_key').pattern = keyPattern;
    app.save(straps);

    const participants = app.findCollectionByNameOrId('room_participants');
    app.save(
      new Collection({
        listRule: null,
        viewRule: null,
        createRule: null,
        updateRule: null,
        deleteRule: null,
        type: 'base',
        name: 'room_hub_straps',
        fields: [
          { type: 'relation', name: 'participant', required: true, collectionId: participants.id, cascadeDelete: true, maxSelect: 1 },
          { type: 'text', name: 'strap_key', required: true, min: 5, max: 80, pattern: keyPattern },
          { type: 'number', name: 'contested_at', onlyInt: true },
        ],
        indexes: ['CREATE UNIQUE INDEX idx_room_hub_straps_participant ON room_hub_straps (participant)'],
      }),
    );
  },
  (app) => {
    app.delete(app.findCollectionByNameOrId('room_hub_straps'));
    const straps = app.findCollectionByNameOrId('straps');
    straps.fields.getByName('strap_key').pattern = '^(ant|bt):[A-Za-z0-9:_.-]+$';
    app.save(straps);
  },
);
