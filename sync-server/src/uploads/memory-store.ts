import { randomBytes } from 'node:crypto';
import { ACTIVE_STATES, type JobUpdate, type RateBlock, type UploadJob, type UploadMode, type UploadStore } from './store';

/** The upload queue in memory, for unit tests: the same rules as PocketBase's (store.ts). */
export function createMemoryUploadStore(): UploadStore {
  const jobs = new Map<string, UploadJob>();
  const blocks: RateBlock[] = [];
  const modes = new Map<string, { mode: UploadMode; since: number }>();
  const scans = new Map<string, number>();
  const tick = () => new Promise<void>((r) => setImmediate(r));
  const copy = (j: UploadJob) => ({ ...j });
  const find = (m: string, s: string) => [...jobs.values()].find((j) => j.memberId === m && j.sessionId === s) ?? null;

  return {
    async enqueue(memberId, sessionId, now) {
      await tick();
      const existing = find(memberId, sessionId);
      if (existing) return { job: copy(existing), created: false };
      const job: UploadJob = {
        id: randomBytes(8).toString('hex').slice(0, 15),
        memberId,
        sessionId,
        state: 'queued',
        version: 0,
        attempts: 0,
        nextRunAt: now,
        leaseUntil: 0,
        holder: '',
        uploadId: null,
        activityId: null,
        reason: '',
        error: '',
        sent: false,
        createdAt: now,
        finishedAt: 0,
      };
      jobs.set(job.id, job);
      return { job: copy(job), created: true };
    },
    async get(id) {
      await tick();
      const j = jobs.get(id);
      return j ? copy(j) : null;
    },
    async ofSession(m, s) {
      await tick();
      const j = find(m, s);
      return j ? copy(j) : null;
    },
    async ofMember(m, opts = {}) {
      await tick();
      return [...jobs.values()]
        .filter((j) => j.memberId === m && (!opts.sessionIds || opts.sessionIds.includes(j.sessionId)))
        .sort((a, b) => b.createdAt - a.createdAt)
        .slice(0, opts.limit ?? 200)
        .map(copy);
    },
    async due(now, limit) {
      await tick();
      return [...jobs.values()]
        .filter((j) => ACTIVE_STATES.includes(j.state) && j.nextRunAt <= now && j.leaseUntil <= now)
        .sort((a, b) => a.nextRunAt - b.nextRunAt)
        .slice(0, limit)
        .map(copy);
    },
    async cas(job, update: JobUpdate) {
      await tick();
      const j = jobs.get(job.id);
      if (!j || j.version !== job.version) return null;
      const next = { ...j, ...update, version: j.version + 1 };
      jobs.set(j.id, next);
      return copy(next);
    },
    async removeMember(m) {
      await tick();
      for (const [id, j] of jobs) if (j.memberId === m) jobs.delete(id);
    },
    async rateBlock(now) {
      await tick();
      const live = blocks.filter((b) => b.until > now).sort((a, b) => b.until - a.until);
      return live[0] ? { ...live[0] } : null;
    },
    async addRateBlock(b) {
      await tick();
      blocks.push({ ...b });
    },
    async purgeRateBlocks(before) {
      await tick();
      for (let i = blocks.length - 1; i >= 0; i--) if (blocks[i]!.until < before) blocks.splice(i, 1);
    },
    async mode(m) {
      await tick();
      return modes.get(m)?.mode ?? 'off';
    },
    async setMode(m, mode, sinceSeq = 0) {
      await tick();
      modes.set(m, { mode, since: sinceSeq });
    },
    async autoMembers() {
      await tick();
      return new Map([...modes.entries()].filter(([, v]) => v.mode === 'auto').map(([k, v]) => [k, v.since]));
    },
    async scanCursor(m) {
      await tick();
      return scans.get(m) ?? 0;
    },
    async setScanCursor(m, seq) {
      await tick();
      scans.set(m, Math.max(scans.get(m) ?? 0, seq));
    },
  };
}
