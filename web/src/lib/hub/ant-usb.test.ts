import { describe, expect, it, vi } from 'vitest';
import { isAntError, parseNetworkKey } from '$core/ant';
import { createFakeAntUsb, fakeStraps, FAKE_ANTUSB2, FAKE_ANTUSB_M, TEST_NETWORK_KEY, type FakeAntUsbOptions } from '../../../../tests/browser/ant-fake-usb';
import { knownAntSticks, requestAntStick, type AntHrReading, type AntStickState } from './ant-usb';
import type { UsbLike } from './webusb';

// The adapter against the fake stick (a test double of the device speaking the ANT serial
// protocol), in Node: real timers, waits by polling.
const networkKey = parseNetworkKey(TEST_NETWORK_KEY);

function fake(over: Partial<FakeAntUsbOptions> = {}) {
  const f = createFakeAntUsb({ ...FAKE_ANTUSB_M, networkKeyHex: TEST_NETWORK_KEY, straps: fakeStraps(3), periodMs: 40, backgroundEvery: 1, ...over });
  return { ...f, usb: f.usb as unknown as UsbLike };
}

async function started(f: ReturnType<typeof fake>) {
  const stick = await requestAntStick(f.usb, { networkKey });
  const readings: AntHrReading[] = [];
  const states: AntStickState[] = [];
  const errors: string[] = [];
  await stick.start(
    (r) => readings.push(r),
    (s, e) => {
      states.push(s);
      if (e) errors.push(e.code);
    },
  );
  return { stick, readings, states, errors };
}

describe('AntUsbStick with a fake ANTUSB-m', () => {
  it('configures scan mode in order and streams every strap by device number, with RR, battery and RSSI', async () => {
    const f = fake();
    const { stick, readings, states } = await started(f);
    expect(stick.model).toBe('ANTUSB-m');
    expect(f.control.hostMessageIds()).toEqual([0x4a, 0x46, 0x42, 0x51, 0x43, 0x45, 0x6e, 0x5b]);
    expect(states).toEqual(['configuring', 'scanning']);
    await vi.waitFor(
      () => {
        const by = (n: number) => readings.filter((r) => r.deviceNumber === n);
        for (const s of fakeStraps(3)) {
          const rs = by(s.deviceNumber);
          expect(rs.at(-1)?.bpm).toBe(s.bpm);
          expect(rs.some((r) => r.rrMs.length > 0)).toBe(true);
          expect(rs.at(-1)?.battery).toBe(s.battery);
          expect(rs.at(-1)?.rssi).toBe(s.rssi);
        }
      },
      { timeout: 15_000, interval: 50 },
    );
    // RR near 60000 / bpm (the fake rounds beat times to 1/1024 s).
    const rr = readings.filter((r) => r.deviceNumber === 4800).flatMap((r) => r.rrMs);
    for (const x of rr) expect(Math.abs(x - 60000 / 70)).toBeLessThan(3);
    expect(stick.decoderStats.badChecksums).toBe(0);
    await stick.stop();
    expect(f.control.hostMessageIds().at(-1)).toBe(0x4c);
    expect(f.device.opened).toBe(false);
  }, 30_000);

  it('falls back to channel id only on a stick that refuses RSSI', async () => {
    const f = fake({ ...FAKE_ANTUSB2, supportsRssi: false });
    const { stick, readings } = await started(f);
    expect(stick.model).toBe('ANTUSB2');
    expect(f.control.hostMessageIds().filter((id) => id === 0x6e)).toHaveLength(2);
    await vi.waitFor(() => expect(new Set(readings.map((r) => r.deviceNumber)).size).toBe(3), { timeout: 15_000 });
    expect(readings.every((r) => r.rssi === undefined)).toBe(true);
    await stick.stop();
  }, 30_000);

  it('hears nothing with another network key, and says the stick is lost when unplugged', async () => {
    const f = fake({ networkKeyHex: 'FEDCBA9876543210' });
    const { readings, states, errors } = await started(f);
    expect(states.at(-1)).toBe('scanning');
    f.control.unplug();
    await vi.waitFor(() => expect(states.at(-1)).toBe('lost'));
    expect(errors).toEqual(['ant_stick_unavailable']);
    expect(readings).toEqual([]);
    expect(f.control.broadcastsSent()).toBe(0);
  });

  it('a strap that stops is no longer heard while the others go on', async () => {
    const f = fake();
    const { stick, readings } = await started(f);
    await vi.waitFor(() => expect(new Set(readings.map((r) => r.deviceNumber)).size).toBe(3), { timeout: 15_000 });
    f.control.stopStrap(4807);
    // Let what was already on the bus arrive: two more ticks of the two remaining straps.
    const sent = f.control.broadcastsSent();
    await vi.waitFor(() => expect(f.control.broadcastsSent()).toBeGreaterThanOrEqual(sent + 4));
    const mark = readings.length;
    await vi.waitFor(() => {
      const after = readings.slice(mark);
      expect(after.filter((r) => r.deviceNumber === 4800).length).toBeGreaterThan(5);
      expect(after.filter((r) => r.deviceNumber === 4814).length).toBeGreaterThan(5);
    }, { timeout: 15_000 });
    expect(readings.slice(mark).some((r) => r.deviceNumber === 4807)).toBe(false);
    await stick.stop();
  }, 30_000);

  it('names its errors: no WebUSB, no stick chosen; getDevices lists only permitted sticks', async () => {
    const code = (p: Promise<unknown>) => p.then(() => 'no error', (e) => (isAntError(e) ? e.code : String(e)));
    expect(await code(requestAntStick(null, { networkKey }))).toBe('ant_stick_unavailable');
    const other = createFakeAntUsb({ vendorId: 0x1234, productId: 0x1, productName: 'Other', networkKeyHex: TEST_NETWORK_KEY, straps: [] });
    expect(await code(requestAntStick(other.usb as unknown as UsbLike, { networkKey }))).toBe('ant_stick_unavailable');
    const f = fake();
    expect(await knownAntSticks(f.usb, { networkKey })).toEqual([]);
    await requestAntStick(f.usb, { networkKey });
    expect((await knownAntSticks(f.usb, { networkKey })).map((s) => s.model)).toEqual(['ANTUSB-m']);
  });
});
