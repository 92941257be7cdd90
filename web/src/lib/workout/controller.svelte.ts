/**
 * The workout on this device: runs core/workout's timer (a JSON state; the view is always
 * timerView(state, now), never a count of ticks), records through the crash-safe recorder, plays
 * the cues ahead of time, keeps the screen on and holds back the update prompt while a workout
 * runs. Made once in the root layout so a workout survives moving between screens.
 *
 * A class workout (`startFollowing`) uses the same machinery with the room's timer instead of
 * a local one: the class page hands every new room state in (`follow`), already on this
 * phone's clock (core/rooms recordingTimer); the phone never commands it and stays silent.
 *
 * Every outside capability is a parameter (clock, audio, vibration, wake lock, storage, strap).
 */
import {
  cuesBetween,
  createTimer,
  pauseTimer,
  resumeTimer,
  skipPhase,
  startTimer,
  stopTimer,
  timerView,
  undoStop,
  zoneFor,
  zonesFor,
  maxHrFor,
  phaseTarget,
  spokenCuesBetween,
  targetChangeText,
  targetRange,
  trackTarget,
  INITIAL_TARGET_TRACKER,
  isRestingCheckPlan,
  type HrTarget,
  type Plan,
  type Profile,
  type TimerResult,
  type TimerState,
  type TargetRange,
  type TargetStatus,
  type TargetTracker,
  type TimerView,
  type Zone,
} from '$core/workout';
import type { StrapEvent } from '$core/heart-rate';
import { finishCutOffSession, resumeRecording, sessionToAutoResume, startRecording, AUTO_RESUME_WINDOW_MS, type Clock, type PageHideSource, type Recorder, type WriteScheduler } from '$lib/recording';
import { DEFAULT_CUE_PREFS, type CuePrefs, type SessionGapReason, type SessionRoom, type SessionRow, type Storage } from '$lib/storage';
import { DEFAULT_PROFILE } from '$lib/profile/default-profile';
import type { CuePlayer } from './cue-player';
import { SoundGate } from './sound-gate.svelte';
import type { Speech } from './speech';
import { LONG_VIBRATION, SHORT_VIBRATION, TARGET_VIBRATION, type Vibrator } from './vibration';
import { beepWindows, VoiceCues } from './voice-cues';
import type { ScreenWakeLock } from './wake-lock';
import { PHASE_INTENSITY, type WorkoutStrap } from './workout-strap';

export interface WorkoutDeps {
  storage: Storage;
  clock: Clock;
  cues: CuePlayer;
  vibrator: Vibrator;
  /** Spoken cues; none: the workout never speaks. */
  speech?: Speech;
  wakeLock: ScreenWakeLock;
  updates: { hold(reason: string): () => void };
  pageHide?: PageHideSource;
  /** When the recorder starts writing a reading that just arrived (recording/write-scheduler.ts); default at once. */
  scheduleWrite?: WriteScheduler;
  /** Screen refresh while running; default 200 ms. The view never depends on it for accuracy. */
  tickMs?: number;
  /** How far ahead cues are handed to the audio clock; default 1500 ms. */
  cueLookaheadMs?: number;
  /** How long the member's Stop can be taken back before the workout is saved; default UNDO_STOP_MS. */
  undoStopMs?: number;
  /** A cut-off workout written this recently goes on by itself at init; default AUTO_RESUME_WINDOW_MS, 0: never. */
  autoResumeWithinMs?: number;
  onError?: (error: unknown) => void;
}

/**
 * idle: choosing a plan; starting/finishing: a write in progress; active: a timer and a
 * recording exist; stopped: the member stopped it and may still take that back until
 * `undoUntil` (the recording stays open); finished: `lastSession` holds the summary.
 */
export type WorkoutStatus = 'idle' | 'starting' | 'active' | 'stopped' | 'finishing' | 'finished';

/** How long a Stop can be undone: long enough to notice a mistaken tap, short enough to forget. */
export const UNDO_STOP_MS = 10_000;

export interface LiveHeartRate {
  bpm: number;
  zone: Zone;
  percentOfMax: number;
  at: number;
}

/** The target of the phase running now and where the heart rate is against it (debounced). */
export interface LiveTarget {
  target: HrTarget;
  range: TargetRange | null;
  /** null: no heart rate to compare. */
  status: TargetStatus | null;
}

/** A reading older than this no longer shows as the current heart rate. */
export const LIVE_STALE_MS = 5_000;

/**
 * How long a class workout may run past its plan's end, with no word from the room, before it
 * finishes by itself. With the live link down the coach may have paused meanwhile, so the local
 * end is a guess the next room state corrects (the summary still ends at the plan's end); with
 * the link up the class page finishes it at the room's end at once.
 */
export const CLASS_FINISH_GRACE_MS = 60_000;

export interface FollowStart {
  /** The room's timer as this recording sees it (core/rooms recordingTimer), on this clock. */
  timer: TimerState;
  room: SessionRoom;
  title?: string;
}

export class WorkoutController {
  status = $state<WorkoutStatus>('idle');
  timer = $state.raw<TimerState | null>(null);
  now = $state(0);
  profile = $state.raw<Profile | null>(null);
  prefs = $state.raw<CuePrefs>(DEFAULT_CUE_PREFS);
  /** Sessions cut off while recording (crash, closed tab, reload): offer resume or finish. */
  cutOff = $state.raw<SessionRow[]>([]);
  /** The session just finished, with its summary. */
  lastSession = $state.raw<SessionRow | null>(null);
  strap = $state.raw<WorkoutStrap | null>(null);
  /** The latest valid reading and the current gap, from the strap. */
  latest = $state.raw<{ bpm: number; at: number } | null>(null);
  gap = $state<SessionGapReason | null>(null);
  readingCount = $state(0);
  error = $state<string | null>(null);
  ready = $state(false);
  /** The class whose timer this workout follows; null for a workout of this phone's own. */
  following = $state.raw<SessionRoom | null>(null);
  /** While `stopped`: clock time the workout is saved unless the stop is undone. */
  undoUntil = $state<number | null>(null);
  /** The current phase's heart-rate target and the status against it; null without a target. */
  target = $state.raw<LiveTarget | null>(null);

  readonly view: TimerView | null = $derived(this.timer ? timerView(this.timer, this.now) : null);
  readonly zones: Zone[] = $derived(zonesFor(this.profile ?? DEFAULT_PROFILE));
  readonly live: LiveHeartRate | null = $derived.by(() => {
    const l = this.latest;
    if (!l || this.gap !== null || this.now - l.at > LIVE_STALE_MS) return null;
    const maxHr = maxHrFor(this.profile ?? DEFAULT_PROFILE);
    return { bpm: l.bpm, zone: zoneFor(l.bpm, this.zones), percentOfMax: (l.bpm / maxHr) * 100, at: l.at };
  });

  #deps: WorkoutDeps;
  #recorder: Recorder | null = null;
  #releaseHold: (() => void) | null = null;
  #stopTicking: (() => void) | null = null;
  #unsubscribeStrap: (() => void) | null = null;
  #cuesScheduledUntil = 0;
  #vibratedUntil = 0;
  #lastPhaseKey = '';
  #voice: VoiceCues | null = null;
  #spokenUntil = 0;
  #targetTracker: TargetTracker = INITIAL_TARGET_TRACKER;
  /** Clock time a followed timer was first seen finished (see CLASS_FINISH_GRACE_MS). */
  #finishedSince: number | null = null;
  /** The first init looked for a workout to resume by itself (only the first: the app opening). */
  #autoResumeChecked = false;
  /** Strap events that came while the recording was being opened or resumed: they belong to it. */
  #early: StrapEvent[] = [];

  /** Whether the browser lets the workout sound now; after a resume with no tap it may not. */
  readonly sound: SoundGate;

  constructor(deps: WorkoutDeps) {
    this.#deps = deps;
    this.now = deps.clock.now();
    this.#voice = deps.speech ? new VoiceCues(deps.speech, deps.clock.now) : null;
    // Beeps are scheduled again from the tap that turned sound back on (none sounded before it).
    this.sound = new SoundGate(deps.cues, deps.speech, () => {
      deps.cues.cancel();
      this.#cuesScheduledUntil = deps.clock.now();
    });
  }

  /** Turn sound back on after a resume with no tap: call from any tap or key on the page. */
  unlockSound(): Promise<void> {
    return this.sound.unlock();
  }

  /** Whether this device can speak cues (Settings says so). */
  get speechSupported(): boolean {
    return this.#voice?.supported ?? false;
  }

  /** Whether this device can vibrate (Settings says so). */
  get vibrationSupported(): boolean {
    return this.#deps.vibrator.supported;
  }

  /**
   * Load the profile, cue settings and any cut-off session. Safe to call again. The first call
   * (the app opening after a reload or a crash) resumes a workout cut off moments ago by itself,
   * with no tap (recording/resume-policy); older ones wait on the banner.
   */
  async init(): Promise<void> {
    await this.#load();
    if (this.#autoResumeChecked) return;
    this.#autoResumeChecked = true;
    const cut = this.status === 'idle' ? sessionToAutoResume(this.cutOff, this.#deps.clock.now(), this.#deps.autoResumeWithinMs ?? AUTO_RESUME_WINDOW_MS) : null;
    if (cut) await this.resumeCutOff(cut.id, { gesture: false });
  }

  async #load(): Promise<void> {
    try {
      const [profile, prefs, cutOff] = await Promise.all([
        this.#deps.storage.settings.profile(),
        this.#deps.storage.settings.cuePrefs(),
        this.#deps.storage.sessions.unfinished(),
      ]);
      this.profile = profile;
      this.prefs = prefs;
      this.cutOff = this.#recorder ? cutOff.filter((s) => s.id !== this.#recorder!.sessionId) : cutOff;
    } catch (error) {
      this.#fail('Could not open local storage.', error);
    } finally {
      this.ready = true;
    }
  }

  get active(): boolean {
    return this.status === 'active';
  }

  get sessionId(): string | null {
    return this.#recorder?.sessionId ?? null;
  }

  // ---- strap ----------------------------------------------------------------------------

  /** Listen to `strap` (or none); readings go to the live view and, while active, the recording. */
  useStrap(strap: WorkoutStrap | null): void {
    if (strap === this.strap) return;
    this.#unsubscribeStrap?.();
    this.strap?.close?.();
    this.strap = strap;
    this.latest = null;
    this.gap = null;
    this.#unsubscribeStrap = strap ? strap.subscribe((event) => this.#onStrapEvent(event)) : null;
    this.#lastPhaseKey = '';
    this.#followPhase();
  }

  #onStrapEvent(event: StrapEvent): void {
    if (!this.#recorder && this.status === 'starting') this.#early.push(event);
    this.#recorder?.sink(event);
    if (this.#recorder) this.readingCount = this.#recorder.readingCount;
    if (event.type === 'reading') {
      const r = event.reading;
      if (r.bpm > 0 && r.contact !== 'not-detected') {
        this.latest = { bpm: r.bpm, at: r.t };
        this.gap = null;
      }
    } else if (event.type === 'gap-start') {
      this.gap = event.reason;
    } else {
      this.gap = null;
    }
  }

  // ---- commands ---------------------------------------------------------------------------

  /** Start `plan` now. Call from the click handler: audio may only start inside a gesture. */
  async start(input: Plan): Promise<void> {
    const plan = $state.snapshot(input) as Plan;
    if (this.status === 'active' || this.status === 'starting' || this.status === 'finishing') return;
    const unlocked = this.sound.unlock();
    // A new workout ends the undo window of the last one: save that first.
    if (this.status === 'stopped') await this.stop();
    if (this.status !== 'idle' && this.status !== 'finished') return;
    const now = this.#deps.clock.now();
    await this.#open({ plan, timer: startTimer(createTimer(plan), now).state }, now, unlocked);
  }

  /**
   * Record a class: `timer` is the room's, and from now on only `follow` changes it. No beeps
   * or buzzes here: the room's display beeps for everyone, and phones a few ms apart would blur
   * its 3-2-1. False when it did not start (busy, or storage unavailable).
   */
  async startFollowing(input: FollowStart): Promise<boolean> {
    if (this.status === 'active' || this.status === 'starting' || this.status === 'finishing') return false;
    if (this.status === 'stopped') await this.stop();
    if (this.status !== 'idle' && this.status !== 'finished') return false;
    const timer = $state.snapshot(input.timer) as TimerState;
    const room = { ...input.room };
    return this.#open({ plan: timer.plan, timer, room, title: input.title ?? room.name }, this.#deps.clock.now());
  }

  /**
   * A new state of the followed room timer (this phone's clock), and the room with the run it
   * follows when that changed. A stopped timer finishes the workout.
   */
  async follow(next: TimerState, room?: SessionRoom): Promise<void> {
    if (!this.following || this.status !== 'active' || !this.#recorder) return;
    const recorder = this.#recorder;
    if (room) this.following = { ...room };
    this.timer = $state.snapshot(next) as TimerState;
    this.#finishedSince = null;
    if (next.stoppedAt !== null) return this.stop();
    this.#tick();
    try {
      await recorder.updateTimer(this.timer, room ? this.following : undefined);
    } catch (error) {
      this.#fail('Could not save the timer change.', error);
    }
  }

  async #open(options: { plan: Plan; timer: TimerState; room?: SessionRoom; title?: string }, now: number, unlocked?: Promise<void>): Promise<boolean> {
    this.status = 'starting';
    this.#early = [];
    this.error = null;
    this.lastSession = null;
    try {
      this.#recorder = await startRecording(this.#recorderDeps(), {
        ...options,
        source: this.strap ? (this.strap.kind === 'simulated' ? 'simulated' : 'strap') : 'none',
      });
      this.#takeEarly(this.#recorder);
    } catch (error) {
      this.status = 'idle';
      this.#fail('Could not start recording: local storage is not available.', error);
      return false;
    }
    await unlocked;
    this.timer = options.timer;
    this.following = options.room ?? null;
    this.readingCount = this.#recorder?.readingCount ?? 0;
    this.#begin(now);
    return true;
  }

  pause(): Promise<void> {
    return this.#command(pauseTimer);
  }

  resume(): Promise<void> {
    return this.#command(resumeTimer);
  }

  skip(): Promise<void> {
    return this.#command(skipPhase);
  }

  /**
   * The member's Stop: the timer stops now, but the workout is saved only when the undo window
   * (UNDO_STOP_MS) has passed, so `undoStop` can take it back. The stopped timer is written at
   * once, so a reload meanwhile finds the session stopped and resuming it undoes the stop. A
   * class workout follows the room's timer, which this phone cannot take back: it ends at once.
   */
  async stopWithUndo(): Promise<void> {
    const windowMs = this.#deps.undoStopMs ?? UNDO_STOP_MS;
    if (this.status !== 'active' || !this.timer || !this.#recorder) return;
    if (this.following || windowMs <= 0) return this.stop();
    const recorder = this.#recorder;
    const clock = this.#deps.clock;
    const now = clock.now();
    const result = stopTimer(this.timer, now);
    if (!result.ok) return;
    this.timer = result.state;
    this.now = now;
    this.status = 'stopped';
    this.undoUntil = now + windowMs;
    this.#deps.cues.cancel();
    this.#voice?.clear();
    this.target = null;
    this.strap?.setIntensity?.(PHASE_INTENSITY.rest);
    this.#stopTicking?.();
    this.#stopTicking = clock.every(this.#deps.tickMs ?? 200, () => {
      this.now = clock.now();
      if (this.status === 'stopped' && this.undoUntil !== null && this.now >= this.undoUntil) void this.stop();
    });
    try {
      await recorder.updateTimer(result.state);
    } catch (error) {
      this.#fail('Could not save the timer change.', error);
    }
  }

  /** Take back the member's Stop within the undo window: the workout runs on from where it stopped. */
  async undoStop(): Promise<void> {
    if (this.status !== 'stopped' || !this.timer || !this.#recorder) return;
    const now = this.#deps.clock.now();
    const result = undoStop(this.timer, now);
    if (!result.ok) return;
    this.timer = result.state;
    this.undoUntil = null;
    this.#begin(now);
    try {
      await this.#recorder.updateTimer(result.state);
    } catch (error) {
      this.#fail('Could not save the timer change.', error);
    }
  }

  /** End the workout now and show its summary (also: save a stopped one without waiting). */
  async stop(): Promise<void> {
    if ((this.status !== 'active' && this.status !== 'stopped') || !this.timer || !this.#recorder) return;
    this.status = 'finishing';
    this.undoUntil = null;
    const recorder = this.#recorder;
    const stopped = stopTimer(this.timer, this.#deps.clock.now()).state;
    this.timer = stopped;
    this.#end();
    try {
      // A class recording is computed with the profile given when joining (SessionRoom.profile).
      const profile = this.following?.profile ?? this.profile;
      this.lastSession = await recorder.finish(stopped, profile ?? DEFAULT_PROFILE, profile === null);
      this.#recorder = null;
      this.following = null;
      this.status = 'finished';
    } catch (error) {
      this.#recorder = null;
      this.following = null;
      this.status = 'idle';
      this.#fail('The workout could not be saved completely.', error);
      void this.init();
    }
  }

  /**
   * Continue a cut-off session (call from a click handler, for audio). A class workout goes on
   * following its room (silent, so no gesture needed): the class page re-attaches it. Without a
   * gesture (`gesture: false`, the resume at init) sound starts only where the browser lets it.
   */
  async resumeCutOff(id: string, options: { gesture: boolean } = { gesture: true }): Promise<void> {
    if (this.status !== 'idle' && this.status !== 'finished') return;
    const room = this.cutOff.find((s) => s.id === id)?.room;
    // Outside a gesture, resume() of a suspended AudioContext never settles: a silent class
    // workout, or a resume no one tapped, must not wait for it.
    const unlocked = room || !options.gesture ? undefined : this.sound.unlock();
    if (!room && !options.gesture) void this.sound.check();
    this.status = 'starting';
    this.#early = [];
    this.error = null;
    this.lastSession = null;
    const result = await resumeRecording(this.#recorderDeps(), id).catch((error: unknown) => {
      this.#fail('Could not resume the workout.', error);
      return null;
    });
    await unlocked;
    if (!result || !result.ok) {
      this.status = 'idle';
      if (result && !result.ok) this.error = 'That workout is no longer waiting to be resumed.';
      await this.init();
      return;
    }
    this.#recorder = result.recorder;
    this.#takeEarly(result.recorder);
    const now = this.#deps.clock.now();
    // Cut off while a Stop could still be undone: resuming it is that undo.
    const undone = result.session.timer.stoppedAt !== null ? undoStop(result.session.timer, now) : null;
    this.timer = undone?.ok ? undone.state : result.session.timer;
    this.following = result.session.room ?? null;
    this.readingCount = result.recorder.readingCount;
    this.cutOff = this.cutOff.filter((s) => s.id !== id);
    this.#begin(now);
    if (undone?.ok) await this.#recorder.updateTimer(undone.state).catch((error: unknown) => this.#fail('Could not save the timer change.', error));
  }

  /** Close a cut-off session at its last write and show its summary. */
  async finishCutOff(id: string): Promise<void> {
    if (this.status !== 'idle' && this.status !== 'finished') return;
    this.status = 'finishing';
    try {
      const profile = this.profile;
      const row = await finishCutOffSession(this.#recorderDeps(), id, profile ?? DEFAULT_PROFILE, profile === null);
      this.cutOff = this.cutOff.filter((s) => s.id !== id);
      this.lastSession = row;
      this.status = row ? 'finished' : 'idle';
    } catch (error) {
      this.status = 'idle';
      this.#fail('Could not finish that workout.', error);
    }
  }

  /** Leave the summary and go back to choosing a plan. */
  reset(): void {
    if (this.status !== 'finished') return;
    this.status = 'idle';
    this.timer = null;
    this.lastSession = null;
  }

  async setMuted(muted: boolean): Promise<void> {
    this.prefs = { ...this.prefs, muted };
    if (muted) this.#deps.cues.cancel();
    else this.#cuesScheduledUntil = this.#deps.clock.now();
    await this.#savePrefs();
  }

  async setVibrate(vibrate: boolean): Promise<void> {
    this.prefs = { ...this.prefs, vibrate };
    await this.#savePrefs();
  }

  async setSpeech(speech: boolean): Promise<void> {
    this.prefs = { ...this.prefs, speech };
    if (!speech) this.#voice?.clear();
    else this.#spokenUntil = this.#deps.clock.now();
    await this.#savePrefs();
  }

  /** Re-read the profile after Settings saved it. */
  setProfile(profile: Profile | null): void {
    this.profile = profile;
  }

  /** Flush buffered readings now (tests, page hide). */
  async flush(): Promise<void> {
    await this.#recorder?.flush();
  }

  destroy(): void {
    this.#stopTicking?.();
    this.#unsubscribeStrap?.();
    void this.#recorder?.close();
    this.#releaseHold?.();
    void this.#deps.wakeLock.release();
    this.#deps.cues.close();
  }

  // ---- internals --------------------------------------------------------------------------

  #takeEarly(recorder: Recorder): void {
    for (const event of this.#early) recorder.sink(event);
    this.#early = [];
    this.readingCount = recorder.readingCount;
  }

  #recorderDeps() {
    const { storage, clock, pageHide, scheduleWrite, onError } = this.#deps;
    return { db: storage.db, sessions: storage.sessions, clock, pageHide, scheduleWrite, onError };
  }

  async #savePrefs(): Promise<void> {
    try {
      await this.#deps.storage.settings.saveCuePrefs(this.prefs);
    } catch (error) {
      this.#fail('Could not save the sound setting.', error);
    }
  }

  #begin(now: number): void {
    this.status = 'active';
    this.now = now;
    this.#releaseHold ??= this.#deps.updates.hold('workout');
    void this.#deps.wakeLock.acquire();
    this.#cuesScheduledUntil = now;
    this.#vibratedUntil = now;
    this.#spokenUntil = now;
    this.#targetTracker = INITIAL_TARGET_TRACKER;
    this.#lastPhaseKey = '';
    this.#stopTicking?.();
    this.#stopTicking = this.#deps.clock.every(this.#deps.tickMs ?? 200, () => this.#tick());
    this.#tick();
  }

  #end(): void {
    this.#stopTicking?.();
    this.#stopTicking = null;
    this.#deps.cues.cancel();
    this.#voice?.clear();
    this.target = null;
    this.#releaseHold?.();
    this.#releaseHold = null;
    void this.#deps.wakeLock.release();
    this.strap?.setIntensity?.(PHASE_INTENSITY.rest);
  }

  async #command(command: (state: TimerState, now: number) => TimerResult): Promise<void> {
    // A class timer is the coach's to pause or skip.
    if (this.status !== 'active' || !this.timer || !this.#recorder || this.following) return;
    const now = this.#deps.clock.now();
    const result = command(this.timer, now);
    if (!result.ok) return;
    this.timer = result.state;
    this.now = now;
    // The past was rewritten: drop beeps scheduled for the old future and plan again from now.
    this.#deps.cues.cancel();
    this.#voice?.clear();
    this.#cuesScheduledUntil = now;
    this.#vibratedUntil = now;
    this.#spokenUntil = now;
    this.#tick();
    try {
      await this.#recorder.updateTimer(result.state);
    } catch (error) {
      this.#fail('Could not save the timer change.', error);
    }
  }

  #tick(): void {
    const timer = this.timer;
    if (!timer || this.status !== 'active') return;
    const now = this.#deps.clock.now();
    this.now = now;
    if (!this.following) this.#scheduleCues(timer, now);
    this.#coach(timer, now);
    this.#followPhase();
    const view = this.view;
    if (view?.status !== 'finished') this.#finishedSince = null;
    else if (this.#finishDue(now)) void this.stop();
  }

  #finishDue(now: number): boolean {
    if (!this.following) return true;
    this.#finishedSince ??= now;
    return now - this.#finishedSince >= CLASS_FINISH_GRACE_MS;
  }

  #scheduleCues(timer: TimerState, now: number): void {
    const lookahead = this.#deps.cueLookaheadMs ?? 1_500;
    if (!this.prefs.muted && now + lookahead > this.#cuesScheduledUntil) {
      const cues = cuesBetween(timer, this.#cuesScheduledUntil, now + lookahead);
      if (cues.length > 0) this.#deps.cues.schedule(cues, now);
      this.#cuesScheduledUntil = now + lookahead;
    }
    // Vibration cannot be scheduled ahead: buzz for the cues that came due since the last tick.
    if (now > this.#vibratedUntil) {
      const due = cuesBetween(timer, this.#vibratedUntil, now + 1);
      this.#vibratedUntil = now + 1;
      const cue = due[due.length - 1];
      if (cue && this.prefs.vibrate && now - cue.at < 1_000) this.#deps.vibrator.vibrate(cue.kind === 'long' ? LONG_VIBRATION : SHORT_VIBRATION);
    }
  }

  /**
   * The heart-rate target of the running phase (core/workout target-zone: debounced), with a
   * buzz and a spoken hint when the member leaves it or comes back; and the spoken timer cues.
   * A class workout shows its target but stays silent, as it does for beeps.
   */
  #coach(timer: TimerState, now: number): void {
    const view = this.view;
    const phase = view?.mode === 'intervals' && view.status === 'running' ? view : null;
    const target = phase ? phaseTarget(timer.plan, phase.phase) : null;
    const { tracker, change } = trackTarget(this.#targetTracker, { at: now, bpm: this.live?.bpm ?? null, target, key: String(phase?.phaseIndex ?? -1), zones: this.zones });
    this.#targetTracker = tracker;
    const current = this.target;
    if (!target) {
      if (current) this.target = null;
    } else if (!current || current.status !== tracker.shown || JSON.stringify(current.target) !== JSON.stringify(target)) {
      this.target = { target, range: targetRange(target, this.zones), status: tracker.shown };
    }
    if (this.following) return;
    if (change && this.prefs.vibrate) this.#deps.vibrator.vibrate(change.to === 'on' ? SHORT_VIBRATION : TARGET_VIBRATION);
    const voice = this.#voice;
    if (!voice || !voice.supported || !this.prefs.speech) return;
    const incoming = spokenCuesBetween(timer, this.#spokenUntil, now + 1);
    this.#spokenUntil = now + 1;
    if (change) incoming.push({ id: `target:${change.at}`, kind: 'target', at: change.at, text: targetChangeText(change) });
    voice.update(incoming, this.prefs.muted ? [] : beepWindows(cuesBetween(timer, now - 1_000, now + 10_000)));
  }

  /** A simulated strap follows the plan: work → high intensity, rest → low; a resting check rests. */
  #followPhase(): void {
    const strap = this.strap;
    const view = this.view;
    if (!strap?.setIntensity || !view || this.status !== 'active') return;
    const kind = view.mode === 'stopwatch' ? 'stopwatch' : this.timer && isRestingCheckPlan(this.timer.plan) ? 'rest' : view.phase.kind;
    const paused = view.status === 'paused';
    const key = `${kind}:${view.mode === 'intervals' ? view.phaseIndex : 0}:${paused}`;
    if (key === this.#lastPhaseKey) return;
    this.#lastPhaseKey = key;
    strap.setIntensity(paused ? PHASE_INTENSITY.rest : PHASE_INTENSITY[kind]);
  }

  #fail(message: string, error: unknown): void {
    this.error = message;
    (this.#deps.onError ?? ((e: unknown) => console.error(message, e)))(error);
  }
}
