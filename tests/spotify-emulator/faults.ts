/**
 * Per-route fault injection (G5, T14): a scripted sequence of outcomes consumed one per call,
 * then an optional failure probability. A step either lets the call through ('pass', possibly
 * after latency), answers an error status with a JSON / HTML / text / empty body, or drops the
 * connection. `consume: true` runs the real handler first (e.g. rotates the refresh token) and
 * then fails: a response lost after the state change, the worst case of T14.
 */
import { z } from 'zod';
import type { Random } from './random';

const bodyStyle = z.enum(['json', 'html', 'text', 'empty']);
const action = z.union([z.number().int().min(100).max(599), z.literal('pass'), z.literal('drop')]);

const stepSchema = z.union([
  action,
  z.object({
    status: action,
    body: bodyStyle.optional(),
    latencyMs: z.number().int().min(0).optional(),
    consume: z.boolean().optional(),
    retryAfterS: z.number().int().min(0).optional(),
  }),
]);

export const faultRuleSchema = z.object({
  /** `METHOD /path` as Spotify spells it, e.g. `POST /api/token`, `GET /v1/me`; or `*`. */
  route: z.string().min(1),
  sequence: z.array(stepSchema).default([]),
  probability: z.number().min(0).max(1).default(0),
  status: action.default(503),
  body: bodyStyle.default('json'),
  latencyMs: z.number().int().min(0).default(0),
  consume: z.boolean().default(false),
  retryAfterS: z.number().int().min(0).nullable().default(null),
});

export type FaultRule = z.infer<typeof faultRuleSchema>;
export type FaultAction = z.infer<typeof action>;

export interface FaultStep {
  action: FaultAction;
  body: z.infer<typeof bodyStyle>;
  latencyMs: number;
  consume: boolean;
  retryAfterS: number | null;
}

/** The outcome for this call, or null when no rule applies. Consumes one sequence step. */
export function nextFault(rules: Map<string, FaultRule>, route: string, random: Random): FaultStep | null {
  const rule = rules.get(route) ?? rules.get('*');
  if (!rule) return null;
  const defaults: FaultStep = {
    action: rule.status,
    body: rule.body,
    latencyMs: rule.latencyMs,
    consume: rule.consume,
    retryAfterS: rule.retryAfterS,
  };
  const step = rule.sequence.shift();
  if (step !== undefined) {
    if (typeof step !== 'object') return { ...defaults, action: step };
    return {
      action: step.status,
      body: step.body ?? defaults.body,
      latencyMs: step.latencyMs ?? defaults.latencyMs,
      consume: step.consume ?? defaults.consume,
      retryAfterS: step.retryAfterS ?? defaults.retryAfterS,
    };
  }
  if (rule.probability > 0 && random.next() < rule.probability) return defaults;
  return null;
}

const MESSAGES: Record<number, string> = {
  429: 'API rate limit exceeded',
  500: 'Server error.',
  502: 'Bad gateway.',
  503: 'Service unavailable',
  504: 'Gateway timeout',
};

const REASONS: Record<number, string> = {
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Temporarily Unavailable',
  504: 'Gateway Time-out',
};

export function faultResponse(step: FaultStep & { action: number }): Response {
  const status = step.action;
  const headers = new Headers();
  if (step.retryAfterS !== null) headers.set('Retry-After', String(step.retryAfterS));
  const reason = REASONS[status] ?? 'Error';
  switch (step.body) {
    case 'json':
      headers.set('Content-Type', 'application/json; charset=utf-8');
      return new Response(JSON.stringify({ error: { status, message: MESSAGES[status] ?? reason } }), { status, headers });
    case 'html':
      headers.set('Content-Type', 'text/html');
      return new Response(
        `<html>\r\n<head><title>${status} ${reason}</title></head>\r\n<body>\r\n<center><h1>${status} ${reason}</h1></center>\r\n</body>\r\n</html>\r\n`,
        { status, headers },
      );
    case 'text':
      headers.set('Content-Type', 'text/plain');
      return new Response('upstream connect error or disconnect/reset before headers. reset reason: connection termination', {
        status,
        headers,
      });
    case 'empty':
      return new Response(null, { status, headers });
  }
}
