/**
 * The hub screen's model: one ANT stick (chosen once, then found again without the chooser),
 * the tiles of every strap it hears, and a clock that turns silent straps stale. Local only:
 * publishing to the room comes later.
 */
import { AntError, isAntError, parseNetworkKey } from '$core/ant';
import { knownAntSticks, requestAntStick, type AntHeartRateSource, type AntStickState } from './ant-usb';
import { applyReading, isStale, orderedTiles, type HubTile } from './hub-tiles';
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
  now = $state(Date.now());
  private tileMap = $state(new Map<number, HubTile>());
  private stick: AntHeartRateSource | null = null;
  private clock: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly usb: UsbLike | null = browserUsb(),
    private readonly keys: KeyStore = browserKeyStore(),
  ) {
    this.networkKey = keys.load();
  }

  get supported(): boolean {
    return this.usb !== null;
  }

  get tiles(): (HubTile & { stale: boolean })[] {
    return orderedTiles(this.tileMap).map((t) => ({ ...t, stale: isStale(t, this.now) }));
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
      this.startClock();
      await stick.start(
        (r) => {
          applyReading(this.tileMap, r);
          this.tileMap = new Map(this.tileMap);
        },
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

  private startClock() {
    if (this.clock !== null) return;
    this.clock = setInterval(() => (this.now = Date.now()), 500);
  }

  async destroy(): Promise<void> {
    if (this.clock !== null) clearInterval(this.clock);
    this.clock = null;
    await this.disconnect();
  }
}
