/**
 * The `next` query parameter after sign-in: only same-origin paths, never `//host` or a scheme,
 * so a link cannot bounce a user to another site.
 */
export function safeNextPath(next: string | null, fallback = '/'): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  return next;
}
