/**
 * A small HTTP client for integration tests: JSON bodies, our own Origin (the server
 * refuses state changes without it), and a cookie jar per client (one client = one device).
 */
export interface Reply<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export function client(base: string, opts: { origin?: string | null } = {}) {
  const jar = new Map<string, string>();
  const origin = opts.origin === undefined ? base : opts.origin;
  async function request<T = any>(method: string, path: string, body?: unknown, extra: Record<string, string> = {}): Promise<Reply<T>> {
    const headers: Record<string, string> = { ...extra };
    if (origin) headers.origin = origin;
    if (jar.size) headers.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    let payload: string | undefined;
    if (body !== undefined) {
      payload = typeof body === 'string' ? body : JSON.stringify(body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(base + path, { method, headers, body: payload, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      const k = pair!.slice(0, eq).trim();
      const v = pair!.slice(eq + 1).trim();
      if (!v || /max-age=0/i.test(c) || /expires=Thu, 01 Jan 1970/i.test(c)) jar.delete(k);
      else jar.set(k, v);
    }
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON
    }
    return { status: res.status, headers: res.headers, body: parsed as T, text };
  }
  return {
    jar,
    request,
    get: <T = any>(p: string, h?: Record<string, string>) => request<T>('GET', p, undefined, h),
    post: <T = any>(p: string, b?: unknown, h?: Record<string, string>) => request<T>('POST', p, b ?? {}, h),
    patch: <T = any>(p: string, b?: unknown) => request<T>('PATCH', p, b ?? {}),
    put: <T = any>(p: string, b?: unknown) => request<T>('PUT', p, b ?? {}),
    del: <T = any>(p: string, b?: unknown) => request<T>('DELETE', p, b),
  };
}

let n = 0;
/** A unique, valid email and a strong password for a new test member. */
export function newMember(tag = 'm') {
  n += 1;
  const id = `${tag}${Date.now().toString(36)}${n}${Math.random().toString(36).slice(2, 6)}`;
  return { email: `${id}@example.com`, password: `violet tandem ${id} kettle`, name: `Member ${id}` };
}
