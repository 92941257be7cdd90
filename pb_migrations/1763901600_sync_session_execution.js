/// <reference path="../pb_data/types.d.ts" />
// Sync protocol 3 (docs/sync-protocol.md §9): a live session record carries its execution record
// (the stopped timer, the phase spans, the profile, the summary with per-interval figures), at
// most MAX_EXECUTION_CHARS (96 KB) of JSON in core/sync/wire.ts, besides notes of up to 10 000
// characters. The record field's 64 KB limit would refuse such a record; 256 KB leaves room.

migrate(
  (app) => {
    const c = app.findCollectionByNameOrId('sync_sessions');
    c.fields.getByName('record').maxSize = 262144;
    app.save(c);
  },
  (app) => {
    const c = app.findCollectionByNameOrId('sync_sessions');
    c.fields.getByName('record').maxSize = 65536;
    app.save(c);
  },
);
