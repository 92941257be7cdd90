/// <reference path="../pb_data/types.d.ts" />
// A participant's resting heart rate, given at join: class effort points are bands of
// heart-rate reserve (core/workout/effort-points.ts), which needs it. 0 means not given.
migrate(
  (app) => {
    const participants = app.findCollectionByNameOrId('room_participants');
    participants.fields.add(new NumberField({ name: 'resting_hr', onlyInt: true }));
    app.save(participants);
  },
  (app) => {
    const participants = app.findCollectionByNameOrId('room_participants');
    participants.fields.removeByName('resting_hr');
    app.save(participants);
  },
);
