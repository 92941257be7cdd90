import type { SessionRecord } from '../auth/session-store';
import type { RequestLogger } from './request-log';

/** Values the middlewares put on each request's context. */
export type AppEnv = {
  Variables: {
    requestId: string;
    log: RequestLogger;
    clientAddress: string;
    session: SessionRecord;
  };
};
