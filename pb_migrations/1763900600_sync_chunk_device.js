/// <reference path="../pb_data/types.d.ts" />
// The device that pushed each chunk (docs/sync-protocol.md §3, "A device's own chunks"): a pull
// with a cursor leaves out chunks the asking device pushed itself, since it has them already.
// Rows from before this migration have no device and are always sent.
migrate(
  (app) => {
    const c = app.findCollectionByNameOrId('sync_chunks');
    c.fields.add(new TextField({ name: 'device', max: 64 }));
    app.save(c);
  },
  (app) => {
    const c = app.findCollectionByNameOrId('sync_chunks');
    c.fields.removeByName('device');
    app.save(c);
  },
);
