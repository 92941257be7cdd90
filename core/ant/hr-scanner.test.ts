import { describe, expect, it } from 'vitest';
import { HrScanner, scanModeSetup } from './hr-scanner';
import { MessageId } from './message';

const key = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]); // made up

/** A broadcast with channel id appended: device number, type 120, transmission type. */
function bc(deviceNumber: number, trans: number, page: number[]) {
  return { id: MessageId.broadcastData, payload: Uint8Array.from([0, ...page, 0x80, deviceNumber & 0xff, deviceNumber >> 8, 120, trans]) };
}

describe('scanModeSetup', () => {
  it('configures a wildcard heart-rate scan channel in the documented order', () => {
    const steps = scanModeSetup(key);
    expect(steps.map((s) => s.answers)).toEqual([0x46, 0x42, 0x51, 0x43, 0x45, 0x6e, 0x5b]);
    expect(Array.from(steps[2]!.bytes)).toEqual([0xa4, 5, 0x51, 0, 0, 0, 120, 0, 0x88]);
  });
});

describe('HrScanner', () => {
  it('keeps one decoder per strap and names each reading by its device number', () => {
    const s = new HrScanner();
    const a = s.receive(bc(4821, 1, [0x00, 0xff, 0xff, 0xff, 0x00, 0x04, 1, 60]), 0)!;
    s.receive(bc(77, 1, [0x00, 0xff, 0xff, 0xff, 0x00, 0x08, 5, 120]), 10);
    const a2 = s.receive(bc(4821, 1, [0x00, 0xff, 0xff, 0xff, 0x00, 0x08, 2, 60]), 1000)!;
    expect([a.deviceNumber, a.bpm, a2.rrMs]).toEqual([4821, 60, [1000]]);
    expect(s.strapCount).toBe(2);
    // Same 16-bit number, other transmission-type nibble: another strap.
    expect(s.receive(bc(4821, 0x11, [0x00, 0xff, 0xff, 0xff, 0x00, 0x04, 1, 99]), 1100)!.key).toBe(0x112d5);
    expect(s.strapCount).toBe(3);
  });

  it('counts broadcasts without a channel id and ignores other messages', () => {
    const s = new HrScanner();
    expect(s.receive({ id: MessageId.broadcastData, payload: Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 60]) }, 0)).toBeNull();
    expect(s.receive({ id: MessageId.channelEvent, payload: Uint8Array.from([0, 1, 2]) }, 0)).toBeNull();
    expect(s.stats).toEqual({ broadcasts: 1, anonymous: 1, otherDevices: 0 });
  });

  it('attaches battery once the strap has sent page 7 after toggling', () => {
    const s = new HrScanner();
    s.receive(bc(9, 1, [0x00, 0xff, 0xff, 0xff, 0, 0, 0, 70]), 0);
    const r = s.receive(bc(9, 1, [0x87, 64, 0x00, 0x33, 0, 0, 0, 70]), 250)!;
    expect(r.battery).toEqual({ levelPercent: 64, volts: 3, state: 'ok' });
  });
});
