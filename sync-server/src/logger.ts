import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * JSON logs (pino). Secrets are redacted by key wherever they appear: passwords, tokens,
 * cookies and Authorization headers. We never log request bodies or query strings.
 */
export const REDACT_PATHS = [
  'password',
  '*.password',
  'passwordConfirm',
  '*.passwordConfirm',
  'token',
  '*.token',
  'access_token',
  '*.access_token',
  'refresh_token',
  '*.refresh_token',
  'secret',
  '*.secret',
  'cookie',
  '*.cookie',
  'authorization',
  '*.authorization',
  'headers.cookie',
  'headers.authorization',
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
];

export function createLogger(level: string, dest?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { svc: 'hrm-sync', pid: process.pid },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    dest,
  );
}
