/**
 * Bluetooth heart-rate straps on Chromium's emulated radio (CDP BluetoothEmulation, browser
 * session) with the browser's chooser answered through DeviceAccess (page session), as in
 * strap-cdp.test.ts, for many straps at once: the room hub's test and bench. The peripherals
 * are the test's: it answers every GATT operation, and pushes a heart rate by answering a
 * readValue() it starts in the page (no CDP command notifies; a read answered with bytes fires
 * characteristicvaluechanged on the app's characteristic too). Needs
 * --enable-experimental-web-platform-features.
 */
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';

export const HR_SERVICE = '0000180d-0000-1000-8000-00805f9b34fb';
export const HR_MEASUREMENT = '00002a37-0000-1000-8000-00805f9b34fb';
const BATTERY_SERVICE = '0000180f-0000-1000-8000-00805f9b34fb';
const BATTERY_LEVEL = '00002a19-0000-1000-8000-00805f9b34fb';
const CCCD = '00002902-0000-1000-8000-00805f9b34fb';

export const b64 = (bytes: number[]) => Buffer.from(bytes).toString('base64');

export interface Peripheral {
  i: number;
  address: string;
  name: string;
  bpm: number;
  battery: number | null;
  rssi: number;
  /** Refuses connections (out of range) while true. */
  away: boolean;
  hrCharId: string;
  /** Wall times at which the test answered a heart-rate read (a reading sent to the page). */
  sent: number[];
}

export class EmulatedRoom {
  readonly straps: Peripheral[] = [];
  readonly log: string[] = [];
  readonly byChar = new Map<string, { strap: Peripheral; kind: 'hr' | 'battery' }>();
  constructor(readonly bt: CDPSession) {}

  static async create(browser: Browser, count: number): Promise<EmulatedRoom> {
    const bt = await browser.newBrowserCDPSession();
    await bt.send('BluetoothEmulation.enable', { state: 'powered-on', leSupported: true });
    const room = new EmulatedRoom(bt);
    for (let i = 0; i < count; i++) {
      const address = `0A:00:00:00:00:${(0x10 + i).toString(16).toUpperCase()}`;
      const strap: Peripheral = { i, address, name: `Emulated HRM ${i}`, bpm: 100 + i * 5, battery: i % 2 === 0 ? 90 - i : null, rssi: -40 - i * 3, away: false, hrCharId: '', sent: [] };
      await bt.send('BluetoothEmulation.simulatePreconnectedPeripheral', {
        address,
        name: strap.name,
        manufacturerData: [],
        knownServiceUuids: strap.battery === null ? [HR_SERVICE] : [HR_SERVICE, BATTERY_SERVICE],
      });
      await room.addServices(strap);
      room.straps.push(strap);
    }
    bt.on('BluetoothEmulation.gattOperationReceived', (e) => {
      const strap = room.straps.find((s) => s.address === e.address);
      const refuse = e.type === 'connection' && strap?.away === true;
      room.log.push(`gatt ${e.type} ${e.address}${refuse ? ' refused' : ''}`);
      void bt.send('BluetoothEmulation.simulateGATTOperationResponse', { address: e.address, type: e.type, code: refuse ? 0x08 : 0 }).catch(() => undefined);
    });
    bt.on('BluetoothEmulation.characteristicOperationReceived', (e) => {
      const c = room.byChar.get(e.characteristicId);
      let data: string | undefined;
      if (e.type === 'read' && c) {
        if (c.kind === 'hr') {
          data = b64([0x10, c.strap.bpm, 0x00, 0x02]); // flags: RR present; bpm; RR 512/1024 s
          c.strap.sent.push(Date.now());
        } else data = b64([c.strap.battery ?? 0]);
      }
      void bt
        .send('BluetoothEmulation.simulateCharacteristicOperationResponse', { characteristicId: e.characteristicId, type: e.type, code: 0, ...(data ? { data } : {}) })
        .catch(() => undefined);
    });
    bt.on('BluetoothEmulation.descriptorOperationReceived', (e) => {
      void bt
        .send('BluetoothEmulation.simulateDescriptorOperationResponse', { descriptorId: e.descriptorId, type: e.type, code: 0, ...(e.type === 'read' ? { data: b64([0x01, 0x00]) } : {}) })
        .catch(() => undefined);
    });
    return room;
  }

  /** The strap's GATT table: Heart Rate (0x2A37 + CCCD) and, for some, Battery (0x2A19). */
  async addServices(strap: Peripheral) {
    const { bt } = this;
    const { address } = strap;
    const { serviceId } = await bt.send('BluetoothEmulation.addService', { address, serviceUuid: HR_SERVICE });
    const { characteristicId } = await bt.send('BluetoothEmulation.addCharacteristic', { serviceId, characteristicUuid: HR_MEASUREMENT, properties: { notify: true, read: true } });
    await bt.send('BluetoothEmulation.addDescriptor', { characteristicId, descriptorUuid: CCCD });
    strap.hrCharId = characteristicId;
    this.byChar.set(characteristicId, { strap, kind: 'hr' });
    if (strap.battery !== null) {
      const battery = await bt.send('BluetoothEmulation.addService', { address, serviceUuid: BATTERY_SERVICE });
      const level = await bt.send('BluetoothEmulation.addCharacteristic', { serviceId: battery.serviceId, characteristicUuid: BATTERY_LEVEL, properties: { read: true } });
      this.byChar.set(level.characteristicId, { strap, kind: 'battery' });
    }
  }

  /**
   * Back in range. Chromium's emulation forgets a peripheral's services when it simulates a
   * disconnection (a real strap keeps its GATT table), so they are added again first.
   */
  async comeBack(strap: Peripheral) {
    await this.addServices(strap);
    strap.away = false;
  }

  advertise(strap: Peripheral) {
    return this.bt.send('BluetoothEmulation.simulateAdvertisement', {
      entry: { deviceAddress: strap.address, rssi: strap.rssi, scanRecord: { name: strap.name, uuids: [HR_SERVICE], appearance: 0x0341, txPower: 0, manufacturerData: [] } },
    });
  }

  async drop(strap: Peripheral) {
    strap.away = true;
    await this.bt.send('BluetoothEmulation.simulateGATTDisconnection', { address: strap.address });
  }
}

/** The page's chooser, answered by the test: each prompt once, with the strap it was told to pick. */
export async function chooser(context: BrowserContext, page: Page, room: EmulatedRoom) {
  const access = await context.newCDPSession(page);
  await access.send('DeviceAccess.enable');
  const state = { want: null as Peripheral | null, prompts: 0, answered: new Set<string>() };
  access.on('DeviceAccess.deviceRequestPrompted', (e) => {
    state.prompts++;
    const want = state.want;
    if (!want || state.answered.has(e.id)) return;
    const device = e.devices.find((d) => d.id === want.address || (d.name !== '' && d.name.includes(want.name)));
    if (!device) return void room.advertise(want).catch(() => undefined);
    state.answered.add(e.id);
    state.want = null;
    void access.send('DeviceAccess.selectPrompt', { id: e.id, deviceId: device.id });
  });
  return state;
}

/**
 * The straps' heart rate at 1 Hz: the test reads each connected strap's measurement in the page;
 * its answer (EmulatedRoom) carries the strap's bpm, and the app's listener sees it.
 *
 * Every step has a time limit, on both sides. In a CI run on a busy machine a round's
 * evaluate never returned after one strap's simulated disconnection: every other Bluetooth
 * strap stopped reading and stopPump waited until the hook's timeout. So getDevices() is raced
 * too (the round then uses the last list it got), and a round the page does not finish in time
 * is left behind, logged in room.log, while the next one starts.
 */
export function pump(page: Page, room: EmulatedRoom, periodMs = 1_000) {
  let on = true;
  const limitMs = Math.max(500, periodMs);
  const loop = (async () => {
    while (on) {
      const started = Date.now();
      const round = page
        .evaluate(
          async ({ service, measurement, limitMs }) => {
            const w = window as unknown as { __pumpDevices?: BluetoothDevice[] };
            const late = <T>(p: Promise<T>) => Promise.race([p, new Promise<'late'>((r) => setTimeout(() => r('late'), limitMs))]);
            const listed = await late(navigator.bluetooth.getDevices()).catch(() => 'late' as const);
            if (listed !== 'late') w.__pumpDevices = listed;
            // Each strap on its own, with a time limit: a GATT operation caught by a dropped
            // connection can stay unanswered, and one such read must not stop every other
            // strap's heart rate (real straps notify independently of each other).
            const read = async (d: BluetoothDevice) => {
              if (!d.gatt?.connected) return;
              try {
                const c = await (await d.gatt.getPrimaryService(service)).getCharacteristic(measurement);
                await c.readValue();
              } catch {
                // busy or dropped: the next round
              }
            };
            await Promise.all((w.__pumpDevices ?? []).map((d) => late(read(d))));
            return listed === 'late' ? 'getDevices late' : null;
          },
          { service: HR_SERVICE, measurement: HR_MEASUREMENT, limitMs },
        )
        .catch((e: Error) => `evaluate failed: ${e.message.split('\n')[0]}`);
      const outcome = await Promise.race([round, new Promise<string>((r) => setTimeout(() => r('round late'), 4 * limitMs))]);
      if (outcome) room.log.push(`pump ${new Date().toISOString()} ${outcome}`);
      for (const s of room.straps) if (!s.away) void room.advertise(s).catch(() => undefined);
      await new Promise((r) => setTimeout(r, Math.max(0, periodMs - (Date.now() - started))));
    }
  })();
  return async () => {
    on = false;
    await loop;
  };
}
