/// <reference path="../pb_data/types.d.ts" />
// Deleting an account removes every row that names the member (README "Deleting an account").
// A member's participations in other coaches' rooms carried their name, body data and a live
// token hash; the `user` relation did not cascade, so PocketBase only emptied the relation and
// left the rest. Now it cascades. (rooms.co_coaches stays non-cascading: PocketBase removes the
// deleted id from the list and the room, which belongs to its owner, stays.)
migrate(
  (app) => {
    const c = app.findCollectionByNameOrId('room_participants');
    c.fields.getByName('user').cascadeDelete = true;
    app.save(c);
  },
  (app) => {
    const c = app.findCollectionByNameOrId('room_participants');
    c.fields.getByName('user').cascadeDelete = false;
    app.save(c);
  },
);
