/**
 * Redirect URI rules (spotify-emulator.md A2; Spotify "Redirect URIs" concept page, enforced for
 * all apps since Nov 2025): HTTPS, except loopback IP literals over http; `localhost` is banned;
 * the match is exact, except that a loopback literal may use any port (RFC 8252 §7.3).
 */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]']);

export type RedirectUriProblem = 'not-absolute' | 'localhost' | 'insecure' | 'fragment';

function parse(uri: string): URL | null {
  try {
    return new URL(uri);
  } catch {
    return null;
  }
}

function isLoopbackLiteral(url: URL): boolean {
  return LOOPBACK_HOSTS.has(url.hostname);
}

/** Why a URI may not be registered (or used), or null when it is acceptable. */
export function redirectUriProblem(uri: string): RedirectUriProblem | null {
  const url = parse(uri);
  if (!url) return 'not-absolute';
  if (url.hash) return 'fragment';
  if (url.hostname === 'localhost' || url.hostname.endsWith('.localhost')) return 'localhost';
  if (url.protocol === 'http:' && !isLoopbackLiteral(url)) return 'insecure';
  return null;
}

function withoutPort(url: URL): string {
  const copy = new URL(url.href);
  copy.port = '';
  return copy.href;
}

/** True when `requested` may be used given the registered list. */
export function redirectUriMatches(requested: string, registered: readonly string[]): boolean {
  if (redirectUriProblem(requested) !== null) return false;
  if (registered.includes(requested)) return true;
  const req = parse(requested);
  if (!req || !isLoopbackLiteral(req)) return false;
  return registered.some((candidate) => {
    const reg = parse(candidate);
    return reg !== null && isLoopbackLiteral(reg) && withoutPort(reg) === withoutPort(req);
  });
}
