import type { Context } from 'hono';
import type { z } from 'zod';
import { AppError } from './errors';

/**
 * Reads and validates a JSON body. Malformed JSON → invalid_json; wrong types, missing or
 * unknown fields (schemas are strict) → invalid_body with the first problem named.
 */
export async function readJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/(.+\+)?json\b/i.test(type)) {
    throw new AppError('invalid_json', 'Send a JSON body with Content-Type: application/json.');
  }
  let value: unknown;
  try {
    value = JSON.parse(await c.req.text());
  } catch {
    throw new AppError('invalid_json', 'The body is not valid JSON.');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? issue.path.join('.') : 'body';
    const what = issue.code === 'unrecognized_keys' ? `unknown field ${issue.keys.map((k) => `'${k}'`).join(', ')}` : issue.message;
    throw new AppError('invalid_body', `${where}: ${what}`);
  }
  return parsed.data;
}
