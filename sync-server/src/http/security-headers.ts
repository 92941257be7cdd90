import type { MiddlewareHandler } from 'hono';

/**
 * Security headers on every response. The CSP allows only our own origin; inline scripts
 * only by the SHA-256 hashes of the ones SvelteKit writes into the app shell (computed from
 * the built index.html at start). Inline style attributes are allowed (Svelte transitions).
 */
export function securityHeaders(opts: { scriptHashes: () => string[]; https: boolean }): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const hashes = opts.scriptHashes().map((h) => `'sha256-${h}'`).join(' ');
    const csp = [
      "default-src 'self'",
      `script-src 'self'${hashes ? ' ' + hashes : ''}`,
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data: blob: https://i.scdn.co",
      "font-src 'self'",
      "connect-src 'self'",
      "media-src 'self'",
      "worker-src 'self'",
      "manifest-src 'self'",
      "object-src 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ].join('; ');
    c.header('Content-Security-Policy', csp);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'strict-origin-when-cross-origin');
    c.header('X-Frame-Options', 'DENY');
    c.header('Cross-Origin-Opener-Policy', 'same-origin');
    c.header('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), bluetooth=(self)');
    if (opts.https) c.header('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
  };
}
