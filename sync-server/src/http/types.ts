import type { Logger } from 'pino';
import type { SessionRecord } from '../auth/session-store';

/** Values the middlewares put on each request's context. */
export type AppEnv = {
  Variables: {
    requestId: string;
    log: Logger;
    clientAddress: string;
    session: SessionRecord;
  };
};
