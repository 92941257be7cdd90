/**
 * One recorded session for the detail screen: loads it with its readings, derives the summary
 * (the execution record's, synced with the session, on every device; else the row's; else
 * computed now for a session cut off before it finished), and runs the commands: rename, edit
 * notes, delete, export. Exporters load on first use (the FIT SDK is large), so opening a
 * session does not pay for them.
 */
import { recompute, recomputedSummary, summarizeWorkout, zonesFor, type PhaseSpan, type Profile, type Recomputation, type WorkoutSummary, type Zone } from '$core/workout';
import type { ExportFormat } from '$core/export/files';
import { DEFAULT_PROFILE } from '$lib/profile';
import type { SessionStore, SessionWithReadings } from '$lib/storage/sessions';
import { downloadFile } from './download';
import { executedView, lacksExecution, type ExecutedView } from './executed';
import { toExportSession } from './export-session';
import { recomputeChanges, type FigureChange } from './recompute-changes';

export type DetailStatus = 'loading' | 'ready' | 'not-found' | 'error';
/** For a workout pulled from another device whose readings are still on their way. */
export type ReadingsStatus = 'complete' | 'downloading' | 'failed';

/** Fetches a pulled workout's missing readings; false when that failed (offline, …). */
export type FetchReadings = (id: string) => Promise<boolean>;
export type CommandResult = 'done' | 'not-found' | 'failed';
/** This device's current profile (null: none set). */
export type CurrentProfile = () => Promise<Profile | null>;

/** "Recompute with my current profile", before it is confirmed: what would change. */
export interface RecomputePreview {
  value: Recomputation;
  /** Empty when the current profile gives the same figures. */
  changes: FigureChange[];
}

export class SessionDetail {
  status: DetailStatus = $state('loading');
  readings: ReadingsStatus = $state('complete');
  /** Replaced as a whole: thousands of readings must not become deep proxies. */
  data: SessionWithReadings | null = $state.raw(null);

  /** The stored execution record, when the session has one (docs/sync-protocol.md §9). */
  readonly executed: ExecutedView | null = $derived(this.data ? executedView(this.data.session) : null);
  /** Recorded by an older version on another device: no intervals, figures computed here. */
  readonly partial: boolean = $derived(this.data ? lacksExecution(this.data.session) : false);

  readonly summary: WorkoutSummary | null = $derived.by(() => {
    const d = this.data;
    if (!d) return null;
    if (this.executed) return this.executed.summary;
    if (d.session.summary) return d.session.summary;
    return summarizeWorkout({
      readings: d.readings,
      spans: d.phases,
      profile: d.session.profile ?? DEFAULT_PROFILE,
      startedAt: d.session.startedAt,
      endedAt: d.session.endedAt ?? d.session.lastWriteAt,
    });
  });

  readonly zones: Zone[] = $derived(zonesFor(this.executed?.profile ?? this.data?.session.profile ?? DEFAULT_PROFILE));
  readonly phases: PhaseSpan[] = $derived(this.executed?.spans ?? this.data?.phases ?? []);
  readonly profileIsDefault: boolean = $derived(this.executed?.profileIsDefault ?? this.data?.session.profileIsDefault ?? true);
  readonly profileFromClassJoin: boolean = $derived(this.executed?.profileFromClassJoin ?? false);
  readonly endedAt: number = $derived(this.data ? (this.data.session.endedAt ?? this.data.session.lastWriteAt) : 0);

  /** The workout's one address on every device: its wire id (a row id for an unsynced guest's). */
  readonly address: string | null = $derived(this.data ? (this.data.session.syncId ?? this.data.session.id) : null);

  /** Set by previewRecompute until confirmed or cancelled. */
  recomputePreview: RecomputePreview | null = $state.raw(null);

  readonly #store: SessionStore;
  readonly #id: string;
  readonly #fetchReadings: FetchReadings | undefined;
  readonly #currentProfile: CurrentProfile | undefined;

  constructor(store: SessionStore, id: string, fetchReadings?: FetchReadings, currentProfile?: CurrentProfile) {
    this.#store = store;
    this.#id = id;
    this.#fetchReadings = fetchReadings;
    this.#currentProfile = currentProfile;
  }

  /** Recomputing needs the execution record and every reading. */
  get canRecompute(): boolean {
    return !!this.executed && !!this.#currentProfile && this.readings === 'complete' && !this.#missingReadings();
  }

  /** Works out the figures with the current profile and what would change; stores nothing. */
  async previewRecompute(): Promise<CommandResult> {
    const d = this.data;
    const e = d?.session.record?.execution;
    if (!d || !e || !this.executed || !this.#currentProfile) return 'not-found';
    try {
      const profile = await this.#currentProfile();
      if (!profile) return 'not-found';
      const value = recompute(e, d.readings, profile);
      const changes = recomputeChanges(this.executed, { profile, summary: recomputedSummary(e, value) });
      this.recomputePreview = { value, changes };
      return 'done';
    } catch {
      return 'failed';
    }
  }

  cancelRecompute(): void {
    this.recomputePreview = null;
  }

  /** Stores the previewed figures (a stamped edit that syncs); the recording's stay in its record. */
  async confirmRecompute(): Promise<CommandResult> {
    const preview = this.recomputePreview;
    if (!preview) return 'not-found';
    try {
      if ((await this.#store.recompute(this.#id, preview.value)) === 'not-found') return 'not-found';
      const session = await this.#store.get(this.#id);
      if (session && this.data) this.data = { ...this.data, session };
      this.recomputePreview = null;
      return 'done';
    } catch {
      return 'failed';
    }
  }

  async load(): Promise<void> {
    this.status = 'loading';
    try {
      this.data = await this.#store.getWithReadings(this.#id);
      this.status = this.data ? 'ready' : 'not-found';
    } catch {
      this.status = 'error';
      return;
    }
    if (this.#missingReadings()) await this.downloadReadings();
  }

  /** Shows what is here at once, then the rest once it has been fetched. */
  async downloadReadings(): Promise<void> {
    if (!this.#fetchReadings) return;
    this.readings = 'downloading';
    await this.#fetchReadings(this.data?.session.id ?? this.#id).catch(() => false);
    try {
      const data = await this.#store.getWithReadings(this.#id);
      if (data) this.data = data;
    } catch {
      // Keep what is shown; the status tells the member.
    }
    // Still short after a fetch: offline, or the recording device has not sent them all yet.
    // The member can retry; the next sync brings them anyway.
    this.readings = this.#missingReadings() ? 'failed' : 'complete';
  }

  #missingReadings(): boolean {
    const s = this.data?.session;
    return !!s && s.origin === 'remote' && (this.data?.readings.length ?? 0) < s.readingCount;
  }

  async save(patch: { title?: string; notes?: string }): Promise<CommandResult> {
    try {
      if ((await this.#store.update(this.#id, patch)) === 'not-found') return 'not-found';
      const session = await this.#store.get(this.#id);
      if (session && this.data) this.data = { ...this.data, session };
      return 'done';
    } catch {
      return 'failed';
    }
  }

  async remove(): Promise<CommandResult> {
    try {
      return (await this.#store.delete(this.#id)) === 'deleted' ? 'done' : 'not-found';
    } catch {
      return 'failed';
    }
  }

  async exportAs(format: ExportFormat): Promise<CommandResult> {
    if (!this.data) return 'not-found';
    try {
      const { exportSession } = await import('$core/export/files');
      const file = exportSession(toExportSession(this.data), format);
      downloadFile(file.name, file.mime, file.data);
      return 'done';
    } catch {
      return 'failed';
    }
  }
}
