import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS } from '../support/browser';
import { useTestServer } from '../support/test-server';

// Chromium's real Web Bluetooth stack, with the radio replaced by the experimental CDP domains
// BluetoothEmulation (browser session) and DeviceAccess (page session): requestDevice → chooser
// → connect → service → characteristic → startNotifications through the real API.
// Traps (stack-notes "Browser tests"): send every field of the scan record, add the 0x2902
// descriptor, answer each chooser prompt once, and push a value by answering a readValue().
const server = useTestServer();

const HR_SERVICE = '0000180d-0000-1000-8000-00805f9b34fb';
const HR_MEASUREMENT = '00002a37-0000-1000-8000-00805f9b34fb';
const CCCD = '00002902-0000-1000-8000-00805f9b34fb';
const ADDRESS = '09:09:09:09:09:09';
const NAME = 'Emulated HRM';

const b64 = (bytes: number[]) => Buffer.from(bytes).toString('base64');

async function enableEmulation(browser: Browser): Promise<CDPSession> {
  const session = await browser.newBrowserCDPSession();
  try {
    await session.send('BluetoothEmulation.enable', { state: 'powered-on', leSupported: true });
  } catch (error) {
    throw new Error(
      `The CDP BluetoothEmulation domain is not available in ${CHROMIUM} (${String(error)}). ` +
        'This smoke test needs a Chromium with it (launched with --enable-experimental-web-platform-features).',
    );
  }
  return session;
}

describe('Web Bluetooth through Chromium’s emulated radio (CDP BluetoothEmulation)', () => {
  it('chooser → connect → notifications started → a value shown', async () => {
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [...CHROMIUM_ARGS, '--enable-experimental-web-platform-features'],
    });
    const log: string[] = [];
    try {
      const bt = await enableEmulation(browser);
      const advertise = () =>
        bt.send('BluetoothEmulation.simulateAdvertisement', {
          entry: {
            deviceAddress: ADDRESS,
            rssi: -50,
            scanRecord: { name: NAME, uuids: [HR_SERVICE], appearance: 0x0341, txPower: 0, manufacturerData: [] },
          },
        });
      // A peripheral the system already knows, so services can be added before any scan; the
      // chooser's scan then sees it through the advertisement.
      await bt.send('BluetoothEmulation.simulatePreconnectedPeripheral', {
        address: ADDRESS,
        name: NAME,
        manufacturerData: [],
        knownServiceUuids: [HR_SERVICE],
      });
      const { serviceId } = await bt.send('BluetoothEmulation.addService', { address: ADDRESS, serviceUuid: HR_SERVICE });
      const { characteristicId } = await bt.send('BluetoothEmulation.addCharacteristic', {
        serviceId,
        characteristicUuid: HR_MEASUREMENT,
        properties: { notify: true, read: true },
      });
      await bt.send('BluetoothEmulation.addDescriptor', { characteristicId, descriptorUuid: CCCD });

      // The peripheral's side: accept connections and discovery, subscriptions, and answer reads
      // with the next packet (reads are how a value is pushed: no CDP command notifies).
      const reads: number[][] = [[0x00, 75]];
      let subscribed = false;
      bt.on('BluetoothEmulation.gattOperationReceived', (e) => {
        log.push(`gatt ${e.type}`);
        void bt.send('BluetoothEmulation.simulateGATTOperationResponse', { address: e.address, type: e.type, code: 0 });
      });
      bt.on('BluetoothEmulation.characteristicOperationReceived', (e) => {
        log.push(`characteristic ${e.type}`);
        if (e.type === 'subscribe-to-notifications') subscribed = true;
        const data = e.type === 'read' ? b64(reads.shift() ?? [0x00, 0]) : undefined;
        void bt.send('BluetoothEmulation.simulateCharacteristicOperationResponse', {
          characteristicId: e.characteristicId,
          type: e.type,
          code: 0,
          ...(data ? { data } : {}),
        });
      });
      bt.on('BluetoothEmulation.descriptorOperationReceived', (e) => {
        log.push(`descriptor ${e.type}`);
        void bt.send('BluetoothEmulation.simulateDescriptorOperationResponse', {
          descriptorId: e.descriptorId,
          type: e.type,
          code: 0,
          ...(e.type === 'read' ? { data: b64([0x01, 0x00]) } : {}),
        });
      });

      const context = await browser.newContext({ viewport: { width: 412, height: 860 } });
      const page: Page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      const access = await context.newCDPSession(page);
      await access.send('DeviceAccess.enable');
      let answered = false;
      access.on('DeviceAccess.deviceRequestPrompted', (e) => {
        log.push(`prompt ${JSON.stringify(e.devices)}`);
        const device = e.devices.find((d) => d.name.includes(NAME)) ?? e.devices[0];
        if (!device) return void advertise(); // scanning started after our first advertisement
        if (answered) return; // answering a prompt twice crashes Chromium
        answered = true;
        void access.send('DeviceAccess.selectPrompt', { id: e.id, deviceId: device.id });
      });

      await page.goto(`${server.url}/strap`);
      expect(await page.evaluate(() => typeof navigator.bluetooth?.requestDevice)).toBe('function');
      await page.getByTestId('strap-pair').click();
      await expect
        .poll(() => page.getByTestId('strap-state').getAttribute('data-state'), { timeout: 15_000, message: `log: ${log.join(' | ')}` })
        .toBe('streaming');
      await expect.poll(() => subscribed, { timeout: 5_000, message: `log: ${log.join(' | ')}` }).toBe(true);
      expect(await page.getByTestId('strap-state').textContent()).toContain(NAME);

      // Push a value: the same characteristic read through getDevices(); Chromium fires
      // characteristicvaluechanged on it, and the app's listener shows the value.
      const pushed = await page.evaluate(
        async ({ service, measurement }) => {
          const [device] = await navigator.bluetooth.getDevices();
          if (!device?.gatt) return 'no device from getDevices()';
          const char = await (await device.gatt.getPrimaryService(service)).getCharacteristic(measurement);
          const value = await char.readValue();
          return Array.from(new Uint8Array(value.buffer)).join(',');
        },
        { service: HR_SERVICE, measurement: HR_MEASUREMENT },
      );
      expect(pushed).toBe('0,75');
      await expect
        .poll(() => page.getByTestId('live-bpm').textContent(), { timeout: 5_000, message: `log: ${log.join(' | ')}` })
        .toBe('75');
      expect(errors).toEqual([]);
      await context.close();
    } finally {
      await browser.close();
    }
  });
});
