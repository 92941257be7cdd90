import { Hono, type MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import { AppError, type ErrorCode } from '../http/errors';
import { readJson } from '../http/json-body';
import type { AppEnv } from '../http/types';
import type { UploadActions, UploadJobView } from '../uploads/actions';

/** What the upload routes need of a provider's feature (uploads/provider-queue.ts `member`, and its status). */
export interface UploadRoutesFeature {
  status(memberId: string): Promise<{ state?: 'connected' | 'needs_reconnect' | 'not_connected' }>;
  uploadByHand(memberId: string, sessionId: string): Promise<UploadJobView | 'not_found' | 'not_finished'>;
  retry(memberId: string, sessionId: string): Promise<UploadJobView | null>;
  uploads: UploadActions['list'];
}

/** An error code and the member's message for it. */
type Refusal = readonly [code: ErrorCode, message: string];

export interface UploadRoutesOptions {
  auth: MiddlewareHandler<AppEnv>;
  /** The provider's feature; throws the provider's `<provider>_not_configured` when it is off. */
  feature: () => UploadRoutesFeature;
  schemas: {
    sessionId: z.ZodType<string>;
    body: z.ZodType<{ sessionId: string }>;
    query: z.ZodType<string[], string>;
  };
  /** What an upload by hand answers while the member is not connected, or must connect again. */
  refusals: { notConnected: Refusal; needsReconnect: Refusal };
}

/**
 * A provider's /uploads routes (issue 16), the same for every provider: the uploads for history,
 * an upload by hand, a retry. Mounted at the provider's root (routes/strava.ts, routes/intervals.ts).
 */
export function uploadRoutes({ auth, feature, schemas, refusals }: UploadRoutesOptions) {
  const app = new Hono<AppEnv>();

  app.get('/uploads', auth, async (c) => {
    const raw = c.req.query('sessions');
    const ids = raw === undefined ? undefined : schemas.query.safeParse(raw);
    if (ids && !ids.success) throw new AppError('invalid_query', 'sessions: give up to 100 workout ids, comma-separated.');
    return c.json(await feature().uploads(c.get('session').userId, ids?.data));
  });

  app.post('/uploads', auth, async (c) => {
    const f = feature();
    const body = await readJson(c, schemas.body);
    const memberId = c.get('session').userId;
    const st = await f.status(memberId);
    if (st.state === 'not_connected') throw new AppError(...refusals.notConnected);
    if (st.state === 'needs_reconnect') throw new AppError(...refusals.needsReconnect);
    const r = await f.uploadByHand(memberId, body.sessionId);
    if (r === 'not_found') throw new AppError('not_found', 'No such synced workout.');
    if (r === 'not_finished') throw new AppError('conflict', 'This workout has not finished syncing yet.');
    return c.json({ upload: r }, 202);
  });

  app.post('/uploads/:sessionId/retry', auth, async (c) => {
    const sessionId = c.req.param('sessionId');
    const r = schemas.sessionId.safeParse(sessionId).success ? await feature().retry(c.get('session').userId, sessionId) : null;
    if (!r) throw new AppError('not_found', 'No upload of that workout.');
    return c.json({ upload: r }, 202);
  });

  return app;
}
