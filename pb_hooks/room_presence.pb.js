// POST /api/hrm/room-presence {rows: [{id, at}]}: the live hub's presence writes (last_seen of
// class participants), all rows in one SQL statement. Superusers only (the sync server).
//
// Why a route and not PocketBase's batch API (issue 14): at 100 rooms × 30 the hub writes
// about 100 rows a second. Through the batch API each row is a whole record request (load,
// validate, hooks, save, response): a 100-row batch cost PocketBase a median of 46 ms of CPU
// (upserts) or 39.5 ms (updates), this route 3.5 ms (bench/presence-write.bench.ts, 4 Dec 2026).
// On a 2-core machine that work competed with the fan-out itself.
//
// What the statement keeps from the records path:
// - a row is written only while its participant exists (the JOIN), so a participant deleted
//   meanwhile (with its room) gets no presence row, as the relation's cascade would ensure;
// - the row's id is the participant's id (pb-room-store.ts), and a row that exists is updated
//   in place (ON CONFLICT), so two processes writing at once both succeed, the later wins;
// - one statement is one transaction: a row is written whole or not at all.
// It skips PocketBase's record hooks and realtime events; nothing subscribes to room_presence.
routerAdd(
  'POST',
  '/api/hrm/room-presence',
  (e) => {
    // Handlers run in their own context: the limits live here, not at the top of the file.
    const MAX_ROWS = 1000;
    const body = e.requestInfo().body || {};
    const rows = body.rows;
    if (!Array.isArray(rows) || rows.length > MAX_ROWS) {
      throw new BadRequestError(`rows must be an array of at most ${MAX_ROWS} {id, at}`);
    }
    for (const r of rows) {
      if (!r || typeof r.id !== 'string' || !/^[a-z0-9]{15}$/.test(r.id) || !Number.isSafeInteger(r.at) || r.at < 0) {
        throw new BadRequestError('each row must be {id: a record id, at: a whole number of ms}');
      }
    }
    if (rows.length > 0) {
      e.app
        .db()
        .newQuery(
          "INSERT INTO room_presence (id, participant, last_seen) SELECT p.id, p.id, j.value ->> 'at' " +
            "FROM json_each({:rows}) AS j JOIN room_participants AS p ON p.id = j.value ->> 'id' WHERE true " +
            'ON CONFLICT (id) DO UPDATE SET last_seen = excluded.last_seen',
        )
        .bind({ rows: JSON.stringify(rows) })
        .execute();
    }
    return e.noContent(204);
  },
  $apis.requireSuperuserAuth(),
);
