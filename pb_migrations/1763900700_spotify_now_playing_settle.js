/// <reference path="../pb_data/types.d.ts" />
// After a player command, Spotify takes a moment to apply it, and a now-playing read already in
// flight may land after the command: `settle_until` (ms) makes any state fetched before that
// moment count as fresh only until it (sync-server/src/spotify/now-playing.ts isFresh).
migrate(
  (app) => {
    const c = app.findCollectionByNameOrId('spotify_now_playing');
    c.fields.add(new NumberField({ name: 'settle_until', onlyInt: true, min: 0 }));
    app.save(c);
  },
  (app) => {
    const c = app.findCollectionByNameOrId('spotify_now_playing');
    c.fields.removeByName('settle_until');
    app.save(c);
  },
);
