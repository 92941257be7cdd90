/** Reading control-plane bodies: JSON, validated by a zod schema, or a 400 listing the issues. */
import type { Context } from 'hono';
import type { z } from 'zod';
import { json } from './responses';

export async function body<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S> | Response> {
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    return json(400, { error: 'body must be JSON' });
  }
  const parsed = schema.safeParse(raw);
  return parsed.success ? parsed.data : json(400, { error: 'invalid body', issues: parsed.error.issues });
}

export const ok = (extra: Record<string, unknown> = {}) => json(200, { ok: true, ...extra });
