/**
 * The hub's ANT side: one ANT stick (chosen once, then found again without the chooser) whose
 * readings go into the hub's one reading stream (hub-reading.ts) as `ant:<key>` straps. The
 * tiles, the clock and the recording are the room hub's (room-hub.svelte.ts).
 */
import { AntError, isAntError, parseNetworkKey } from '$core/ant';
import { knownAntSticks, requestAntStick, type AntHeartRateSource, type AntStickState } from './ant-usb';
import { fromAnt, type HubReading } from './hub-reading';
import { browserUsb, type UsbLike } from './webusb';

const KEY_SETTING = 'hrm.hub.antNetworkKey';

export interface KeyStore {
  load(): string;
  save(key: string): void;
}

export function browserKeyStore(): KeyStore {
  return {
    load: () => {
      try {
        return localStorage.getItem(KEY_SETTING) ?? '';
      } catch {
        return '';
      }
    },
    save: (key) => {
      try {
        localStorage.setItem(KEY_SETTING, key);
      } catch {
        // private mode: the key lasts this session only
      }
    },
  };
}

export class AntHub {
  networkKey = $state('');
  state = $state<AntStickState>('idle');
  model = $state<string | null>(null);
  error = $state<{ code: string; message: string } | null>(null);
  private stick: AntHeartRateSource | null = null;

  constructor(
    private readonly onReading: (r: HubReading) => void,
    private readonly usb: UsbLike | null = browserUsb(),
    private readonly keys: KeyStore = browserKeyStore(),
  ) {
    this.networkKey = keys.load();
  }

  get supported(): boolean {
    return this.usb !== null;
  }

  /** With the chooser (a user gesture) unless `known`: a stick this browser may already use. */
  async connect(known = false): Promise<void> {
    this.error = null;
    try {
      const networkKey = parseNetworkKey(this.networkKey);
      this.keys.save(this.networkKey.trim());
      const stick = known ? (await knownAntSticks(this.usb, { networkKey }))[0] : await requestAntStick(this.usb, { networkKey });
      if (!stick) return;
      await this.stick?.stop();
      this.stick = stick;
      this.model = stick.model;
      await stick.start(
        (r) => this.onReading(fromAnt(r)),
        (s, e) => {
          this.state = s;
          if (e) this.error = { code: e.code, message: e.message };
        },
      );
    } catch (e) {
      const err = isAntError(e) ? e : new AntError('ant_stick_failed', String(e));
      this.error = { code: err.code, message: err.message };
    }
  }

  async disconnect(): Promise<void> {
    await this.stick?.stop();
    this.stick = null;
  }

  async destroy(): Promise<void> {
    await this.disconnect();
  }
}
