/// <reference path="../pb_data/types.d.ts" />
// The room's screen settings (issue 14): the order of the tiles on every display of the room,
// chosen by a coach on the control page. Its own record (id = the room's id) rather than a field
// of `rooms`: PocketBase rewrites a whole record on update, so a rename racing a sort change
// could undo it (docs: stack-notes, "PocketBase saves the whole record on an update").
migrate(
  (app) => {
    const rooms = app.findCollectionByNameOrId('rooms');
    const settings = new Collection({
      type: 'base',
      name: 'room_settings',
      listRule: null,
      viewRule: null,
      createRule: null,
      updateRule: null,
      deleteRule: null,
      fields: [
        { type: 'relation', name: 'room', required: true, collectionId: rooms.id, cascadeDelete: true, maxSelect: 1 },
        { type: 'select', name: 'tile_sort', required: true, maxSelect: 1, values: ['name', 'zone', 'points'] },
        { type: 'autodate', name: 'created', onCreate: true, onUpdate: false },
        { type: 'autodate', name: 'updated', onCreate: true, onUpdate: true },
      ],
      indexes: ['CREATE UNIQUE INDEX idx_room_settings_room ON room_settings (room)'],
    });
    app.save(settings);
  },
  (app) => {
    app.delete(app.findCollectionByNameOrId('room_settings'));
  },
);
