/// <reference path="../pb_data/types.d.ts" />
// After a class carried by a room hub (issue 15, "After class"):
// - class_recorders: who recorded a member's class workout, one row per recorder (UNIQUE user,
//   room, run, recorded_by: 'hub' | 'phone'). Each recorder writes only its own row, never the
//   other's, then reads the other's: with both rows written first, at least one side sees the
//   other, and the hub's copy is dropped (the phone's is kept: sync-server/src/hubs/after-class.ts).
// - hub_workouts: a guest's class workout carried by a hub, held until the guest claims it with
//   the class result's link (UNIQUE participant, run). Its only writer is that hub.
// Every API rule is null: only the sync server (superuser) reads them.
migrate(
  (app) => {
    const closed = { listRule: null, viewRule: null, createRule: null, updateRule: null, deleteRule: null };
    const created = { type: 'autodate', name: 'created', onCreate: true, onUpdate: false };
    const id15 = (name) => ({ type: 'text', name, required: true, min: 15, max: 15, pattern: '^[a-z0-9]{15}$' });
    app.save(
      new Collection({
        ...closed,
        type: 'base',
        name: 'class_recorders',
        fields: [
          id15('user'),
          id15('room'),
          { type: 'number', name: 'run_started_at', required: true, onlyInt: true },
          { type: 'select', name: 'recorded_by', required: true, maxSelect: 1, values: ['hub', 'phone'] },
          { type: 'text', name: 'session_id', max: 36 },
          created,
        ],
        indexes: ['CREATE UNIQUE INDEX idx_class_recorders_key ON class_recorders (user, room, run_started_at, recorded_by)'],
      }),
    );
    app.save(
      new Collection({
        ...closed,
        type: 'base',
        name: 'hub_workouts',
        fields: [
          id15('participant'),
          id15('room'),
          { type: 'number', name: 'run_started_at', required: true, onlyInt: true },
          { type: 'json', name: 'workout', required: true, maxSize: 4 * 1024 * 1024 },
          created,
        ],
        indexes: ['CREATE UNIQUE INDEX idx_hub_workouts_key ON hub_workouts (participant, run_started_at)'],
      }),
    );
  },
  (app) => {
    for (const name of ['hub_workouts', 'class_recorders']) app.delete(app.findCollectionByNameOrId(name));
  },
);
