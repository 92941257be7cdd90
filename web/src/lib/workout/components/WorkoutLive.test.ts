import 'fake-indexeddb/auto';
import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import { stopwatchPlan, tabataPlan, type Plan } from '$core/workout';
import { iconGlyphs } from '$lib/icons/glyphs';
import { fakeClock } from '$lib/recording';
import { createStorage } from '$lib/storage';
import { WorkoutController } from '../controller.svelte';
import { fakeCuePlayer } from '../cue-player';
import { fakeVibrator } from '../vibration';
import { fakeWakeLock } from '../wake-lock';
import { fakeWorkoutStrap } from '../workout-strap';
import { ReadingHistory } from '$lib/strap/reading-history';
import WorkoutLive from './WorkoutLive.svelte';

let n = 0;
async function running(plan: Plan = tabataPlan()) {
  const clock = fakeClock();
  const workout = new WorkoutController({
    storage: createStorage({ name: `live-view-${n++}`, now: clock.now }),
    clock,
    cues: fakeCuePlayer(),
    vibrator: fakeVibrator(),
    wakeLock: fakeWakeLock(),
    updates: { hold: () => () => {} },
    onError: () => {},
  });
  await workout.start(plan);
  return { workout, clock };
}

/** The <button> with `data-testid`, from server-rendered HTML. */
function button(html: string, testid: string): string {
  const found = (html.match(/<button\b[\s\S]*?<\/button>/g) ?? []).find((b) => b.includes(`data-testid="${testid}"`));
  if (!found) throw new Error(`no button ${testid}`);
  return found;
}

const classOf = (b: string) => /class="([^"]*)"/.exec(b)?.[1] ?? '';
const iconOf = (b: string) => /data-icon="([^"]*)"/.exec(b)?.[1];

describe('live workout controls', () => {
  it('draw SVG icons, no glyph a font may lack; Pause and Stop differ in style and icon', async () => {
    const { workout } = await running();
    const { body } = render(WorkoutLive, { props: { workout } });
    for (const id of ['btn-pause', 'btn-skip', 'btn-mute', 'btn-stop']) {
      const b = button(body, id);
      expect(b, id).toMatch(/<svg\b[^>]*aria-hidden="true"/);
      expect(iconGlyphs(b), id).toEqual([]);
      // Named by visible text beside the icon.
      expect(b.replace(/<[^>]+>/g, '').trim().length, id).toBeGreaterThan(2);
    }
    const pause = button(body, 'btn-pause');
    const stop = button(body, 'btn-stop');
    expect(iconOf(pause)).toBe('pause');
    expect(iconOf(stop)).toBe('stop');
    expect(classOf(pause).split(/\s+/)).not.toContain('stop');
    expect(classOf(stop).split(/\s+/)).toContain('stop');
    expect(classOf(pause)).not.toBe(classOf(stop));
    await workout.stop();
    workout.destroy();
  });

  it('a stopped workout shows Undo in place of the controls', async () => {
    const { workout } = await running(stopwatchPlan());
    await workout.stopWithUndo();
    const { body } = render(WorkoutLive, { props: { workout } });
    expect(body).toContain('data-testid="stop-undo"');
    expect(body).not.toContain('data-testid="btn-pause"');
    const undo = button(body, 'btn-undo-stop');
    expect(iconOf(undo)).toBe('undo');
    expect(iconGlyphs(body)).toEqual([]);
    await workout.stop();
    workout.destroy();
  });

  it('during WORK the zone label is the heart rate\'s zone ("Below zone 1"), never "Zone 0 · Rest"; % of max beside it', async () => {
    const { workout, clock } = await running(tabataPlan());
    workout.skip(); // prepare → work
    const strap = fakeWorkoutStrap();
    workout.useStrap(strap);
    strap.emit({ type: 'reading', reading: { t: clock.now(), bpm: 70, contact: 'detected', energyKj: null, rr1024: [] } });
    const { body } = render(WorkoutLive, { props: { workout } });
    expect(body).toMatch(/data-kind="work"/);
    expect(body).toMatch(/data-phase-icon="work"/);
    const zone = /data-testid="hr-zone"[^>]*>([^<]*)</.exec(body)?.[1];
    expect(zone).toBe('Below zone 1');
    expect(body).not.toMatch(/Zone 0/);
    // Default profile: 35 years, Tanaka 208 − 0.7 × 35 = 183.5 bpm.
    expect(/data-testid="hr-percent"[^>]*>([^<]*)</.exec(body)?.[1]).toBe('38 % max');
    expect(/data-testid="hr-bpm"[^>]*>([^<]*)</.exec(body)?.[1]).toBe('70');
    // The target-zone slot sits beside the heart rate for the target-zone status.
    expect(body).toContain('data-testid="target-slot"');
    await workout.stop();
    workout.destroy();
  });

  it('names a zone by number and name from zone 1 up', async () => {
    const { workout, clock } = await running(tabataPlan());
    const strap = fakeWorkoutStrap();
    workout.useStrap(strap);
    strap.emit({ type: 'reading', reading: { t: clock.now(), bpm: 150, contact: 'detected', energyKj: null, rr1024: [] } });
    const { body } = render(WorkoutLive, { props: { workout, strap: Object.assign(strap, { history: new ReadingHistory() }) } });
    expect(/data-testid="hr-zone"[^>]*>([^<]*)</.exec(body)?.[1]).toBe('Zone 4 · Threshold');
    await workout.stop();
    workout.destroy();
  });
});
