/**
 * One stream of strap readings on the hub, whatever radio carried them: ANT+ straps heard by a
 * USB stick and Bluetooth straps the hub holds a link to. Whoever needs the readings (the tiles,
 * the crash-safe recorder, the room publisher in hub-link.ts) subscribes with one line:
 *
 *   const stop = hub.readings.subscribe((r) => publish(r));
 *
 * Strap keys are strings: `ant:<n>` (n = the 20-bit ANT key: the device number printed on the
 * strap, plus the transmission type's extension nibble × 65536, usually 0) and `ble:<id>` (the
 * browser's opaque per-origin Bluetooth device id).
 */
import type { HeartRateReading } from '$core/heart-rate';
import type { AntHrReading } from './ant-usb';

export interface HubReading {
  strapKey: string;
  /** Beats per minute; 0 = the strap sent no heart rate (no skin contact, still settling). */
  bpm: number;
  /** RR intervals of this message, ms (not rounded: a Bluetooth strap's are 1/1024 s). */
  rrMs: number[];
  /** Host receive time, ms since the epoch. */
  at: number;
  /** Battery %, when the strap reports it (ANT page 7, Bluetooth Battery Service 0x180F). */
  battery?: number;
  /** Signal in dBm: the stick's RSSI (ANT) or the strap's last advertisement (Bluetooth). */
  rssi?: number;
}

export type HubReadingListener = (reading: HubReading) => void;

export type StrapKind = 'ant' | 'ble';

export const antStrapKey = (antKey: number): string => `ant:${antKey}`;
export const bleStrapKey = (deviceId: string): string => `ble:${deviceId}`;

export function strapKind(strapKey: string): StrapKind | null {
  if (strapKey.startsWith('ant:')) return 'ant';
  if (strapKey.startsWith('ble:')) return 'ble';
  return null;
}

export function fromAnt(r: AntHrReading): HubReading {
  const out: HubReading = { strapKey: antStrapKey(r.key), bpm: r.bpm ?? 0, rrMs: r.rrMs, at: r.at };
  if (typeof r.battery === 'number') out.battery = r.battery;
  if (r.rssi !== undefined) out.rssi = r.rssi;
  return out;
}

export function fromBluetooth(deviceId: string, r: HeartRateReading, extra: { battery: number | null; rssi: number | null }): HubReading {
  const out: HubReading = { strapKey: bleStrapKey(deviceId), bpm: r.bpm, rrMs: r.rr1024.map((rr) => (rr * 1000) / 1024), at: r.t };
  if (extra.battery !== null) out.battery = extra.battery;
  if (extra.rssi !== null) out.rssi = extra.rssi;
  return out;
}

/** RR back to the 1/1024 s the sample codec stores (exact for a Bluetooth strap's values). */
export const rrTo1024 = (rrMs: readonly number[]): number[] => rrMs.map((ms) => Math.round((ms * 1024) / 1000));

/** A tiny synchronous fan-out: one broken listener never starves the others. */
export class ReadingStream {
  #listeners = new Set<HubReadingListener>();

  subscribe(listener: HubReadingListener): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  emit(reading: HubReading): void {
    for (const l of this.#listeners) {
      try {
        l(reading);
      } catch (error) {
        console.error('hub reading listener failed', error);
      }
    }
  }

  get listenerCount(): number {
    return this.#listeners.size;
  }
}
