/**
 * What happens to every accounts and API call before its handler: it is logged (G6), and the
 * route's fault schedule (G5, T14) may add latency, fail it, drop the connection, or let the
 * handler run and then lose its response ("consume then fail").
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { CallEntry } from './call-log';
import { faultResponse, nextFault, type FaultStep } from './faults';
import type { EmuEnv } from './responses';
import type { EmulatorState } from './state';

export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Close the socket without answering, as a lost response looks to the client. Without a socket
 * (`app.request` in unit tests) the body stream errors instead, so reading the response throws.
 */
function dropConnection(c: Context<EmuEnv>): Response {
  const socket = c.env?.incoming?.socket;
  if (socket) {
    socket.destroy();
    return new Response(null, { status: 204 });
  }
  const body = new ReadableStream({
    start(controller) {
      controller.error(new Error('connection dropped by the emulator'));
    },
  });
  return new Response(body, { status: 200 });
}

function failure(c: Context<EmuEnv>, step: FaultStep, entry: CallEntry): Response {
  entry.fault = true;
  if (step.action === 'drop') {
    entry.status = 'dropped';
    return dropConnection(c);
  }
  return faultResponse({ ...step, action: step.action as number });
}

/** `prefix` is stripped so routes read as Spotify spells them: `POST /api/token`, `GET /v1/me`. */
export function routeKey(method: string, path: string, prefix: string): string {
  return `${method} ${path.slice(prefix.length) || '/'}`;
}

export function gate(
  state: EmulatorState,
  prefix: string,
  sleep: Sleep,
  inspect?: (c: Context<EmuEnv>, entry: CallEntry) => Promise<void>,
): MiddlewareHandler<EmuEnv> {
  return async (c, next) => {
    const entry: CallEntry = {
      seq: state.calls.length + 1,
      at: state.clock.now(),
      route: routeKey(c.req.method, c.req.path, prefix),
      status: 0,
      clientId: null,
      userId: null,
      grantType: null,
      refreshToken: null,
      fault: false,
    };
    state.calls.push(entry);
    c.set('call', entry);
    if (inspect) await inspect(c, entry);
    const step = nextFault(state.faults, entry.route, state.chance);
    if (step && step.latencyMs > 0) await sleep(step.latencyMs);
    if (step && step.action !== 'pass' && !step.consume) {
      const res = failure(c, step, entry);
      if (entry.status !== 'dropped') entry.status = res.status;
      return res;
    }
    await next();
    if (step && step.action !== 'pass' && step.consume) {
      const res = failure(c, step, entry);
      c.res = undefined;
      c.res = res;
    }
    if (entry.status !== 'dropped') entry.status = c.res.status;
  };
}
