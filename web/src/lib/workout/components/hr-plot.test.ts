import { describe, expect, it } from 'vitest';
import { ZONE_FRACTIONS } from '$core/workout/zones';
import { PlotFrame, fitBacking, gapLeft, gapRight, hatch, paintZoneBands, zoneBandFrom, zoneBandTo } from './hr-plot';

const box = { left: 30, right: 330, top: 4, bottom: 104 };

describe('fitBacking', () => {
  it('sizes the backing store to the CSS box times the pixel ratio', () => {
    const canvas = { width: 300, height: 150 };
    expect(fitBacking(canvas, 200.4, 50, 2)).toBe(true);
    expect(canvas).toEqual({ width: 401, height: 100 });
  });

  it('leaves a canvas of the right size alone (a write would clear it)', () => {
    let writes = 0;
    const canvas = {
      get width() {
        return 400;
      },
      set width(_: number) {
        writes++;
      },
      height: 100,
    };
    expect(fitBacking(canvas, 200, 50, 2)).toBe(true);
    expect(writes).toBe(0);
  });

  it('says an empty box has nothing to paint and does not touch the canvas', () => {
    const canvas = { width: 300, height: 150 };
    expect(fitBacking(canvas, 0, 50, 2)).toBe(false);
    expect(fitBacking(canvas, 50, 0, 2)).toBe(false);
    expect(canvas).toEqual({ width: 300, height: 150 });
  });
});

describe('PlotFrame', () => {
  const frame = new PlotFrame().set(box, 1_000, 300_000, 80, 180);

  it('maps the window onto the plot from left to right', () => {
    expect(frame.x(1_000)).toBe(30);
    expect(frame.x(151_000)).toBe(180);
    expect(frame.x(301_000)).toBe(330);
  });

  it('maps lo to the bottom and hi to the top', () => {
    expect(frame.y(80)).toBe(104);
    expect(frame.y(130)).toBe(54);
    expect(frame.y(180)).toBe(4);
  });

  it('is re-aimed by set, keeping the box', () => {
    const f = new PlotFrame();
    f.set(box, 0, 1000, 0, 100);
    f.set({ ...box, right: 130 }, 0, 1000, 0, 100);
    expect([f.left, f.right, f.top, f.bottom]).toEqual([30, 130, 4, 104]);
    expect(f.x(500)).toBe(80);
  });
});

describe('zone bands', () => {
  it('runs each zone from its fraction of HRmax to the next, the top one to hi', () => {
    const maxHr = 200;
    for (let i = 0; i < 4; i++) {
      expect(zoneBandFrom(i, 0, maxHr)).toBe(ZONE_FRACTIONS[i]! * maxHr);
      expect(zoneBandTo(i, 1000, maxHr)).toBe(ZONE_FRACTIONS[i + 1]! * maxHr);
    }
    expect(zoneBandTo(4, 230, maxHr)).toBe(230);
  });

  it('clips to the scale, so a band outside it has to ≤ from', () => {
    const maxHr = 200;
    expect(zoneBandFrom(0, 150, maxHr)).toBe(150);
    expect(zoneBandTo(0, 150, maxHr)).toBeLessThanOrEqual(zoneBandFrom(0, 150, maxHr));
    expect(zoneBandTo(3, 170, maxHr)).toBe(170);
  });
});

describe('gaps', () => {
  const frame = new PlotFrame().set(box, 0, 300_000, 80, 180);

  it('clips a gap that began before the window to the left edge', () => {
    expect(gapLeft(frame, -60_000)).toBe(30);
    expect(gapLeft(frame, 150_000)).toBe(180);
  });

  it('ends an open gap now, and keeps a short one 2 px wide', () => {
    expect(gapRight(frame, 180, null, 300_000)).toBe(330);
    expect(gapRight(frame, 180, 150_000, 300_000)).toBe(182);
    expect(gapRight(frame, 180, 240_000, 300_000)).toBe(270);
  });

  it('clips to the right edge, so a gap at the edge can end up empty', () => {
    expect(gapRight(frame, 330, null, 300_000)).toBe(330);
  });

  it('hatches the span with diagonals `spacing` apart, from bottom-left to top-right', () => {
    const calls: string[] = [];
    hatch({ moveTo: (x, y) => calls.push(`M${x},${y}`), lineTo: (x, y) => calls.push(`L${x},${y}`) }, frame, 100, 110, 6);
    // The plot is 100 px high: the first diagonal starts 100 px left of the span so it reaches in.
    expect(calls.slice(0, 2)).toEqual(['M0,104', 'L100,4']);
    const starts = calls.filter((c) => c.startsWith('M')).map((c) => Number(c.slice(1).split(',')[0]));
    expect(starts.every((s, i) => i === 0 || s - starts[i - 1]! === 6)).toBe(true);
    expect(starts.at(-1)).toBeLessThan(110);
    expect(starts.at(-1)! + 6).toBeGreaterThanOrEqual(110);
  });
});

describe('paintZoneBands', () => {
  it('fills each visible band across the plot in its colour at the given alpha, then resets alpha', () => {
    const frame = new PlotFrame().set(box, 0, 300_000, 80, 210);
    const fills: string[] = [];
    const sink = {
      globalAlpha: 1,
      fillStyle: '' as unknown,
      fillRect(x: number, y: number, w: number, h: number) {
        fills.push(`${this.fillStyle}@${this.globalAlpha} ${x},${y} ${w}x${h}`);
      },
    };
    paintZoneBands(sink, frame, 80, 210, 200, ['z1', 'z2', 'z3', 'z4', 'z5'], 0.25);
    // HRmax 200 on an 80…210 scale: every band is visible; the top one runs to hi.
    expect(fills).toHaveLength(5);
    expect(fills[0]).toMatch(/^z1@0\.25 30,/);
    const y = (bpm: number) => frame.y(bpm);
    expect(fills[0]).toBe(`z1@0.25 30,${y(zoneBandTo(0, 210, 200))} 300x${y(zoneBandFrom(0, 80, 200)) - y(zoneBandTo(0, 210, 200))}`);
    expect(fills[4]).toBe(`z5@0.25 30,${y(210)} 300x${y(zoneBandFrom(4, 80, 200)) - y(210)}`);
    expect(sink.globalAlpha).toBe(1);
  });

  it('skips a band entirely outside the scale', () => {
    const frame = new PlotFrame().set(box, 0, 300_000, 150, 180);
    let count = 0;
    paintZoneBands({ globalAlpha: 1, fillStyle: '', fillRect: () => count++ }, frame, 150, 180, 200, ['a', 'b', 'c', 'd', 'e'], 0.1);
    expect(count).toBe(5 - [0, 1, 2, 3, 4].filter((i) => zoneBandTo(i, 180, 200) <= zoneBandFrom(i, 150, 200)).length);
    expect(count).toBeLessThan(5);
  });
});
