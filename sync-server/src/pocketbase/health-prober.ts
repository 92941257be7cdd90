import { Agent, request } from 'node:http';
/**
 * Whether PocketBase is up, as GET /api/v1/health reports it (issue 11, defect 15).
 *
 * A supervisor restarts a server whose health says 503, so 503 must mean "PocketBase is down",
 * not "PocketBase was slow once". A background loop probes PocketBase's /api/health one probe
 * at a time; PocketBase counts as down only after `failuresToDown` consecutive failed probes.
 * A probe fails when PocketBase refuses the connection or answers an error (a dead process is
 * seen at once, so `failuresToDown` probes `intervalMs` apart stay well inside 2 s), or when it
 * gets no answer within `hungAfterMs` (a hung process; a slow one answers before that). The
 * route only reads the state. The state is per process, which is what health describes.
 *
 * The loop starts with the first `up()` call (the first health request), which waits for
 * the first probe (until one answered, a single failure reads as down); timers are unref'd, so the prober never keeps a process alive.
 */
export type ProbeResult = 'ok' | 'failed';

export interface HealthProberOptions {
  /** One probe; resolves 'failed' (never rejects) when PocketBase refused or answered an error. */
  probe: (signal: AbortSignal) => Promise<ProbeResult>;
  intervalMs?: number;
  failuresToDown?: number;
  hungAfterMs?: number;
}

export interface HealthProber {
  /** True while PocketBase is up (fewer than failuresToDown consecutive failed probes). */
  up(): Promise<boolean>;
  stop(): void;
}

export function createHealthProber(opts: HealthProberOptions): HealthProber {
  const intervalMs = opts.intervalMs ?? 200;
  const failuresToDown = opts.failuresToDown ?? 3;
  const hungAfterMs = opts.hungAfterMs ?? 5_000;
  // No evidence yet: the first failed probe already reads as down, the first answer as up.
  let failures = failuresToDown - 1;
  let stopped = false;
  let first: Promise<void> | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const probeOnce = async () => {
    const ac = new AbortController();
    // An unanswered probe is a failure after hungAfterMs, whether or not the probe honours the signal.
    const hung = new Promise<ProbeResult>((resolve) => {
      const t = setTimeout(() => {
        ac.abort();
        resolve('failed');
      }, hungAfterMs);
      t.unref?.();
      ac.signal.addEventListener('abort', () => clearTimeout(t));
    });
    let result: ProbeResult;
    try {
      result = await Promise.race([opts.probe(ac.signal), hung]);
    } catch {
      result = 'failed';
    }
    ac.abort();
    failures = result === 'ok' ? 0 : failures + 1;
  };

  const loop = () => {
    if (stopped) return;
    timer = setTimeout(() => void probeOnce().finally(loop), intervalMs);
    timer.unref?.();
  };

  return {
    async up() {
      if (!first) {
        first = probeOnce();
        void first.finally(loop);
      }
      await first;
      return failures < failuresToDown;
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}

/**
 * PocketBase's own health endpoint as a probe: a keep-alive GET through node:http rather than
 * `fetch`. The loop probes five times a second for as long as the process runs, and through
 * undici each probe (with its AbortController and stream) cost the server about as much CPU as
 * a dozen heart rates: 3 % of its busy time under class fan-out (bench/class-fanout.bench.ts,
 * CPU profile, issue 14). An https PocketBase (another host) is probed through `fetch`.
 */
export function pocketBaseProbe(url: string): HealthProberOptions['probe'] {
  // Under the base's own path (a PocketBase behind a prefix), as the SDK and record-reader.ts do.
  const target = new URL(`${url.replace(/\/+$/, '')}/api/health`);
  if (target.protocol !== 'http:') return fetchProbe(target.href);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  return (signal) =>
    new Promise<ProbeResult>((resolve) => {
      const req = request(target, { agent, signal, headers: { accept: 'application/json' } }, (res) => {
        const ok = res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300;
        res.on('error', () => resolve('failed'));
        res.on('end', () => resolve(ok ? 'ok' : 'failed'));
        res.resume(); // read and drop the body, so the connection is reused
      });
      req.on('error', () => resolve('failed'));
      req.end();
    });
}

function fetchProbe(href: string): HealthProberOptions['probe'] {
  return async (signal) => {
    try {
      const res = await fetch(href, { signal });
      await res.body?.cancel();
      return res.ok ? 'ok' : 'failed';
    } catch {
      return 'failed';
    }
  };
}
