import type { Context } from 'hono';
import { AppError } from '../http/errors';

/**
 * CSRF for WebSocket upgrades. A handshake is a GET, so the API's sameOriginOnly lets it pass,
 * and browsers do not apply CORS to WebSockets: any page could open one with our cookie
 * (cross-site WebSocket hijacking). Browsers always send Origin on a handshake (RFC 6455
 * §4.1, item 8); it must be ours, or Fetch Metadata must say same-origin.
 */
export function checkUpgradeOrigin(c: Context, ownOrigin: (url: URL, headers: Headers) => string): void {
  const site = c.req.header('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin') throw new AppError('csrf_rejected', 'Cross-site WebSocket connections are not allowed.');
  if (site === 'same-origin') return;
  const origin = c.req.header('origin');
  if (origin && origin === ownOrigin(new URL(c.req.url), c.req.raw.headers)) return;
  throw new AppError('csrf_rejected', 'This connection must come from the app (Origin header missing or foreign).');
}
