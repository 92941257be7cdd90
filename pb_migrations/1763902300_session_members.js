/// <reference path="../pb_data/types.d.ts" />
// The hot path of every authenticated request (issue 11): the session and the member's fields
// that /me and require-session need, as one record of a VIEW collection. Reading a session
// with `expand: 'user'` costs PocketBase a second query and the expand's JSON work on every
// request; a row of this view is one indexed SELECT (SQLite flattens the view: the sessions
// primary key, then the users primary key).
//
// Read only: the sessions collection stays the one that is written (create, touch, delete),
// so a revoked or expired session (a deleted row) is gone from this view in the same
// transaction. The inner join drops a session whose member is gone (the relation cascades
// anyway). No password hash or token key is selected. Every API rule is null: only the sync
// server (superuser) reads it.
migrate(
  (app) => {
    const view = new Collection({
      type: 'view',
      name: 'session_members',
      listRule: null,
      viewRule: null,
      viewQuery:
        'SELECT s.id AS id, s.user AS user, s.secret_hash AS secret_hash, s.device_name AS device_name, ' +
        's.last_seen AS last_seen, s.idle_expires AS idle_expires, s.expires AS expires, s.created AS created, ' +
        'u.email AS member_email, u.name AS member_name, u.verified AS member_verified ' +
        'FROM sessions s JOIN users u ON u.id = s.user',
    });
    app.save(view);
  },
  (app) => {
    app.delete(app.findCollectionByNameOrId('session_members'));
  },
);
