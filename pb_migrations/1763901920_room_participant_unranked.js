/// <reference path="../pb_data/types.d.ts" />
// A participant may leave themselves out of rankings on the room's screens (issue 14); the
// coach's report still lists them. false (the default) means ranked.
migrate(
  (app) => {
    const participants = app.findCollectionByNameOrId('room_participants');
    participants.fields.add(new BoolField({ name: 'unranked' }));
    app.save(participants);
  },
  (app) => {
    const participants = app.findCollectionByNameOrId('room_participants');
    participants.fields.removeByName('unranked');
    app.save(participants);
  },
);
