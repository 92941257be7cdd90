import type { Context, MiddlewareHandler } from 'hono';

/**
 * Security headers on every response. The CSP allows only our own origin; inline scripts
 * only by the SHA-256 hashes of the ones SvelteKit writes into the app shell (computed from
 * the built index.html at start). Inline style attributes are allowed (Svelte transitions).
 * API answers (`/api/…`, JSON, never a document) get the set OWASP's REST Security Cheat Sheet
 * lists for APIs instead: a CSP that allows nothing and no framing, nosniff, DENY and HSTS. The
 * document headers (script hashes, permissions, opener, referrer) mean nothing on JSON, and at
 * about 500 bytes they were the bulk of every API answer (bench/me-throughput.bench.ts).
 */
export function securityHeaders(opts: { scriptHashes: () => string[]; https: boolean }): MiddlewareHandler {
  let key: string | undefined;
  let headers: [string, string][] = [];
  const current = (): [string, string][] => {
    const hashes = opts.scriptHashes();
    const k = hashes.join(' ');
    if (k !== key) {
      key = k;
      headers = build(hashes, opts.https);
    }
    return headers;
  };
  const api = build(null, opts.https);
  return async (c, next) => {
    const hs = c.req.path.startsWith('/api/') ? api : current();
    // Set before the handler runs, so they are part of the response it builds (c.json, ...).
    for (const [name, value] of hs) c.header(name, value);
    await next();
    // A handler may return a Response of its own (or overwrite one): then set them on that.
    ensureHeaders(c, hs);
  };
}

/**
 * Makes sure the final response carries exactly these headers. Cheap when it already does
 * (they were set on the context before the handler built its response): reading the headers
 * of the adapter's lightweight response does not materialize it, while `c.header()` on a
 * finished response re-creates the Response (and its body stream) on every call.
 */
export function ensureHeaders(c: Context, hs: readonly (readonly [string, string])[]): void {
  const res = c.res.headers;
  for (const [name, value] of hs) if (res.get(name) !== value) c.header(name, value);
}

/** The document set, or with `scriptHashes` null the API set. */
function build(scriptHashes: string[] | null, https: boolean): [string, string][] {
  if (scriptHashes === null) {
    const hs: [string, string][] = [
      ['Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'"],
      ['X-Content-Type-Options', 'nosniff'],
      ['X-Frame-Options', 'DENY'],
    ];
    if (https) hs.push(['Strict-Transport-Security', 'max-age=31536000; includeSubDomains']);
    return hs;
  }
  const hashes = scriptHashes.map((h) => `'sha256-${h}'`).join(' ');
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
  const hs: [string, string][] = [
    ['Content-Security-Policy', csp],
    ['X-Content-Type-Options', 'nosniff'],
    ['Referrer-Policy', 'strict-origin-when-cross-origin'],
    ['X-Frame-Options', 'DENY'],
    ['Cross-Origin-Opener-Policy', 'same-origin'],
    ['Permissions-Policy', 'camera=(), microphone=(), geolocation=(), bluetooth=(self)'],
  ];
  if (https) hs.push(['Strict-Transport-Security', 'max-age=31536000; includeSubDomains']);
  return hs;
}
