/**
 * Uploads (README "Uploads"): POST /api/v3/uploads (multipart) creates an upload that is processed
 * asynchronously; GET /api/v3/uploads/{id} answers "still being processed" until `processingMs`
 * has passed, then the activity id, or the error (a duplicate names the existing activity).
 */
import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import { authError, badRequest, json, notFound } from './responses';
import type { Grant, StravaState, Upload } from './state';

export const DATA_TYPES = ['fit', 'fit.gz', 'tcx', 'tcx.gz', 'gpx', 'gpx.gz'] as const;
export const STATUS_PROCESSING = 'Your activity is still being processed.';
export const STATUS_READY = 'Your activity is ready.';
export const STATUS_ERROR = 'There was an error processing your activity.';
/** Polls of one upload closer together than this are counted (Strava asks for 1 s or more). */
export const MIN_POLL_MS = 1_000;

const truthy = (v: string | undefined) => v === '1' || v === 'true';

/** Finishes processing when its time has come: the activity is created, or the duplicate recorded. */
function settle(s: StravaState, u: Upload): void {
  if (u.activityId !== null || u.duplicateOf !== null || s.clock.now() < u.readyAt) return;
  const earlier = [...s.activities.values()].find((a) => a.athleteId === u.athleteId && (a.sha1 === u.sha1 || (s.knobs.duplicateByExternalId && u.externalId !== null && a.externalId === u.externalId)));
  if (earlier) {
    u.duplicateOf = earlier.id;
    return;
  }
  const id = s.nextId++;
  u.activityId = id;
  s.activities.set(id, { id, athleteId: u.athleteId, uploadId: u.id, externalId: u.externalId, name: u.name ?? 'Workout', description: u.description, trainer: u.trainer, sha1: u.sha1 });
}

/** Settles every upload whose time has come, oldest first (so the first of two identical files wins). */
export function settleAll(s: StravaState): void {
  for (const u of [...s.uploads.values()].sort((a, b) => a.readyAt - b.readyAt || a.id - b.id)) settle(s, u);
}

function view(u: Upload) {
  const base = { id: u.id, id_str: String(u.id), external_id: u.externalId };
  if (u.duplicateOf !== null) return { ...base, error: `${u.fileName} duplicate of activity ${u.duplicateOf}`, status: STATUS_ERROR, activity_id: null };
  if (u.activityId !== null) return { ...base, error: null, status: STATUS_READY, activity_id: u.activityId };
  return { ...base, error: null, status: STATUS_PROCESSING, activity_id: null };
}

const canWrite = (g: Grant) => g.scope.split(',').includes('activity:write');

export function createUploadHandler(s: StravaState) {
  return async (c: Context, grant: Grant, headers: Record<string, string>) => {
    if (!canWrite(grant)) return authError('activity:write_permission', 'missing', 'AccessToken');
    const type = c.req.header('content-type') ?? '';
    if (!type.includes('multipart/form-data')) return badRequest('Upload', 'file', 'empty');
    const body = await c.req.parseBody();
    const file = body.file;
    if (!(file instanceof File) || file.size === 0) return badRequest('Upload', 'file', 'empty');
    const dataType = typeof body.data_type === 'string' ? body.data_type : '';
    if (!(DATA_TYPES as readonly string[]).includes(dataType)) return badRequest('Upload', 'data_type', 'invalid');
    const bytes = Buffer.from(await file.arrayBuffer());
    const str = (k: string) => (typeof body[k] === 'string' && body[k] !== '' ? (body[k] as string) : null);
    const now = s.clock.now();
    const u: Upload = {
      id: s.nextId++,
      clientId: grant.clientId,
      athleteId: grant.athleteId,
      externalId: str('external_id') ?? file.name,
      fileName: file.name || 'upload',
      dataType,
      name: str('name'),
      description: str('description'),
      trainer: truthy(str('trainer') ?? undefined),
      sha1: createHash('sha1').update(bytes).digest('hex'),
      createdAt: now,
      readyAt: now + s.knobs.processingMs,
      duplicateOf: null,
      activityId: null,
      lastPollAt: null,
      fastPolls: 0,
    };
    s.uploads.set(u.id, u);
    settleAll(s);
    return json(201, view(u), headers);
  };
}

export function getUploadHandler(s: StravaState) {
  return (c: Context, grant: Grant, headers: Record<string, string>) => {
    if (!canWrite(grant)) return authError('activity:write_permission', 'missing', 'AccessToken');
    const u = s.uploads.get(Number(c.req.param('id')));
    if (!u || u.athleteId !== grant.athleteId) return notFound('Upload');
    const now = s.clock.now();
    if (u.lastPollAt !== null && now - u.lastPollAt < MIN_POLL_MS) u.fastPolls += 1;
    u.lastPollAt = now;
    settleAll(s);
    return json(200, view(u), headers);
  };
}

export function getActivityHandler(s: StravaState) {
  return (c: Context, grant: Grant, headers: Record<string, string>) => {
    settleAll(s);
    const a = s.activities.get(Number(c.req.param('id')));
    if (!a || a.athleteId !== grant.athleteId) return notFound('Activity');
    return json(200, { id: a.id, external_id: a.externalId, name: a.name, description: a.description, trainer: a.trainer, athlete: { id: a.athleteId } }, headers);
  };
}

/**
 * `GET /api/v3/athlete/activities?before&after&page&per_page`: the athlete's activities, newest
 * first, as SummaryActivity (with `external_id` and `upload_id`). The emulator does not read the
 * file's start time, so `before`/`after` are accepted and not applied (C).
 */
export function listActivitiesHandler(s: StravaState) {
  return (c: Context, grant: Grant, headers: Record<string, string>) => {
    settleAll(s);
    const perPage = Math.min(200, Math.max(1, Number(c.req.query('per_page') ?? 30) || 30));
    const page = Math.max(1, Number(c.req.query('page') ?? 1) || 1);
    const mine = [...s.activities.values()].filter((a) => a.athleteId === grant.athleteId).sort((a, b) => b.id - a.id);
    const items = mine.slice((page - 1) * perPage, page * perPage);
    return json(
      200,
      items.map((a) => ({ id: a.id, resource_state: 2, external_id: a.externalId, upload_id: a.uploadId, name: a.name, trainer: a.trainer, athlete: { id: a.athleteId } })),
      headers,
    );
  };
}
