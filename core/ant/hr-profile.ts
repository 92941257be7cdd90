/**
 * The ANT+ heart-rate profile (device type 120): page decoding and RR derivation.
 *
 * Source: ANT+ Device Profile "Heart Rate Monitor" rev 2.x (thisisant.com), §5 data pages, as
 * described publicly and cross-checked (offsets only, no code taken) against open-source
 * receivers: Nordic's nRF5 SDK ant_hrm pages (page 4 = manufacturer-specific byte + previous beat
 * time), antplus-arduino HeartRate pages, SmallEarthTech AntPlus HeartRate (toggle-bit detection
 * of legacy straps), openant.
 *
 * Every page is 8 bytes:
 *   byte 0  bit 7 page-change toggle, bits 0-6 data page number
 *   bytes 1-3 page-specific
 *   bytes 4-5 heart beat event time, uint16 LE, 1/1024 s, rolls over every 64 s
 *   byte 6    heart beat count, uint8, rolls over at 256
 *   byte 7    computed heart rate, 1..255 bpm (0 = invalid)
 * Page-specific bytes 1-3:
 *   0 default: reserved                    4 previous: byte 1 manufacturer specific,
 *   1 cumulative operating time (2 s, u24)              bytes 2-3 previous beat event time
 *   2 manufacturer id (byte 1),            5 swim interval: interval avg, interval max,
 *     serial number upper 16 bits (2-3)                session avg heart rate
 *   3 hardware ver, software ver, model    6 capabilities: byte 2 supported, byte 3 enabled
 *   7 battery: byte 1 level % (0xFF n/a), byte 2 fractional volts (1/256 V),
 *     byte 3 bits 0-3 coarse volts (0xF n/a), bits 4-6 battery status
 * A transmitter flips the toggle bit every 4 messages. Legacy straps (before the paged format)
 * never flip it and fill bytes 0-3 with other data: until the bit has been seen to change, only
 * bytes 4-7 mean anything.
 */

export type HrPage =
  | { page: 0 }
  | { page: 1; operatingTimeS: number }
  | { page: 2; manufacturerId: number; serialUpper16: number }
  | { page: 3; hardwareVersion: number; softwareVersion: number; modelNumber: number }
  | { page: 4; manufacturerSpecific: number; previousEventTime: number }
  | { page: 5; intervalAverageBpm: number; intervalMaxBpm: number; sessionAverageBpm: number }
  | { page: 6; featuresSupported: number; featuresEnabled: number }
  | { page: 7; battery: BatteryStatus }
  | { page: number; unknown: true };

export type BatteryState = 'new' | 'good' | 'ok' | 'low' | 'critical' | 'invalid';
const BATTERY_STATES: Record<number, BatteryState> = { 1: 'new', 2: 'good', 3: 'ok', 4: 'low', 5: 'critical' };

export interface BatteryStatus {
  /** 0..100 %, null when the strap does not report it (0xFF). */
  levelPercent: number | null;
  /** Volts, null when the coarse voltage is 0xF (invalid). */
  volts: number | null;
  state: BatteryState;
}

/** The four bytes every page carries. */
export interface HrMain {
  toggle: 0 | 1;
  /** Page number as sent (bits 0-6); meaningless for a legacy strap. */
  pageNumber: number;
  eventTime: number;
  eventCount: number;
  /** null when the strap sends 0 (invalid). */
  bpm: number | null;
}

export function decodeHrMain(data: Uint8Array): HrMain | null {
  if (data.length < 8) return null;
  const b7 = data[7]!;
  return {
    toggle: (data[0]! >> 7) as 0 | 1,
    pageNumber: data[0]! & 0x7f,
    eventTime: data[4]! | (data[5]! << 8),
    eventCount: data[6]!,
    bpm: b7 === 0 ? null : b7,
  };
}

export function decodeHrPage(data: Uint8Array): HrPage | null {
  if (data.length < 8) return null;
  const page = data[0]! & 0x7f;
  const [b1, b2, b3] = [data[1]!, data[2]!, data[3]!];
  switch (page) {
    case 0:
      return { page: 0 };
    case 1:
      return { page: 1, operatingTimeS: (b1 | (b2 << 8) | (b3 << 16)) * 2 };
    case 2:
      return { page: 2, manufacturerId: b1, serialUpper16: b2 | (b3 << 8) };
    case 3:
      return { page: 3, hardwareVersion: b1, softwareVersion: b2, modelNumber: b3 };
    case 4:
      return { page: 4, manufacturerSpecific: b1, previousEventTime: b2 | (b3 << 8) };
    case 5:
      return { page: 5, intervalAverageBpm: b1, intervalMaxBpm: b2, sessionAverageBpm: b3 };
    case 6:
      return { page: 6, featuresSupported: b2, featuresEnabled: b3 };
    case 7: {
      const coarse = b3 & 0x0f;
      return {
        page: 7,
        battery: {
          levelPercent: b1 === 0xff || b1 > 100 ? null : b1,
          volts: coarse === 0x0f ? null : coarse + b2 / 256,
          state: BATTERY_STATES[(b3 >> 4) & 0x07] ?? 'invalid',
        },
      };
    }
    default:
      return { page, unknown: true };
  }
}

/** Encodes a page (for fakes, tests and benches): the inverse of decodeHrMain + decodeHrPage. */
export function encodeHrPage(main: { toggle: 0 | 1; eventTime: number; eventCount: number; bpm: number }, page: Exclude<HrPage, { unknown: true }>): Uint8Array {
  const d = new Uint8Array(8);
  d[0] = (main.toggle << 7) | page.page;
  d[1] = 0xff;
  d[2] = 0xff;
  d[3] = 0xff;
  switch (page.page) {
    case 1: {
      const t = Math.floor(page.operatingTimeS / 2);
      [d[1], d[2], d[3]] = [t & 0xff, (t >> 8) & 0xff, (t >> 16) & 0xff];
      break;
    }
    case 2:
      [d[1], d[2], d[3]] = [page.manufacturerId, page.serialUpper16 & 0xff, page.serialUpper16 >> 8];
      break;
    case 3:
      [d[1], d[2], d[3]] = [page.hardwareVersion, page.softwareVersion, page.modelNumber];
      break;
    case 4:
      [d[1], d[2], d[3]] = [page.manufacturerSpecific, page.previousEventTime & 0xff, (page.previousEventTime >> 8) & 0xff];
      break;
    case 5:
      [d[1], d[2], d[3]] = [page.intervalAverageBpm, page.intervalMaxBpm, page.sessionAverageBpm];
      break;
    case 6:
      [d[1], d[2], d[3]] = [0xff, page.featuresSupported, page.featuresEnabled];
      break;
    case 7: {
      const b = page.battery;
      const states = { new: 1, good: 2, ok: 3, low: 4, critical: 5, invalid: 7 } as const;
      const coarse = b.volts === null ? 0x0f : Math.floor(b.volts);
      const frac = b.volts === null ? 0xff : Math.round((b.volts - coarse) * 256) & 0xff;
      [d[1], d[2], d[3]] = [b.levelPercent ?? 0xff, frac, (states[b.state] << 4) | coarse];
      break;
    }
  }
  d[4] = main.eventTime & 0xff;
  d[5] = (main.eventTime >> 8) & 0xff;
  d[6] = main.eventCount & 0xff;
  d[7] = main.bpm & 0xff;
  return d;
}

export const TICKS_PER_SECOND = 1024;
/** Plausible beat-to-beat interval: 20..300 bpm. Outside it an interval is a strap reset or noise. */
export const RR_MIN_MS = 200;
export const RR_MAX_MS = 3000;
/**
 * A longer silence than this makes the rollover arithmetic ambiguous (the event time wraps
 * every 64 s, the count every 256 beats): the next message starts afresh, no RR across it.
 */
export const MAX_SILENCE_MS = 30_000;
/** A toggle bit that has not changed in this many messages marks a legacy strap. */
export const LEGACY_AFTER_MESSAGES = 8;

export interface HrUpdate {
  /** Computed heart rate of this message, null when the strap sent 0. */
  bpm: number | null;
  /** Beat-to-beat intervals that became known with this message, oldest first, in ms. */
  rrMs: number[];
  /** Beats the strap counted since the previous message (0: a repeat of the same beat). */
  newBeats: number;
  /** Beats that happened but whose intervals cannot be known (messages missed). */
  beatsWithoutRr: number;
  /** The decoded page, once the strap is known to send pages (toggle seen), else null. */
  page: HrPage | null;
  format: 'unknown' | 'paged' | 'legacy';
}

export interface StrapInfo {
  battery?: BatteryStatus;
  manufacturerId?: number;
  serialUpper16?: number;
  hardwareVersion?: number;
  softwareVersion?: number;
  modelNumber?: number;
  operatingTimeS?: number;
}

const ticksToMs = (ticks: number) => (ticks * 1000) / TICKS_PER_SECOND;

/**
 * One strap's receiver state: feed every data page it sends with the time it arrived; get its
 * heart rate and the RR intervals that are really known. Rules:
 * - count +1 since the previous message: one RR = event time difference (mod 65536);
 * - count +n > 1 (messages missed): the intervals between are unknown, none are invented; a page 4
 *   still gives the last interval (its event time minus the previous beat's);
 * - count +0: the same beat repeated (4 Hz messages, ~1 Hz beats), nothing new;
 * - the first message, or one after more than MAX_SILENCE_MS: no RR (no reference);
 * - intervals outside RR_MIN_MS..RR_MAX_MS are dropped.
 */
export class HrStrapDecoder {
  private last: { eventTime: number; eventCount: number; at: number } | null = null;
  private firstToggle: 0 | 1 | null = null;
  private sameToggleRun = 0;
  format: 'unknown' | 'paged' | 'legacy' = 'unknown';
  readonly info: StrapInfo = {};

  feed(data: Uint8Array, atMs: number): HrUpdate | null {
    const main = decodeHrMain(data);
    if (!main) return null;
    this.trackToggle(main.toggle);
    const page = this.format === 'paged' ? decodeHrPage(data) : null;
    if (page) this.remember(page);

    const update: HrUpdate = { bpm: main.bpm, rrMs: [], newBeats: 0, beatsWithoutRr: 0, page, format: this.format };
    const prev = this.last;
    this.last = { eventTime: main.eventTime, eventCount: main.eventCount, at: atMs };
    if (!prev || atMs - prev.at > MAX_SILENCE_MS || atMs < prev.at) return update;

    const beats = (main.eventCount - prev.eventCount + 256) & 0xff;
    update.newBeats = beats;
    if (beats === 0) return update;
    if (beats === 1) {
      const rr = ticksToMs((main.eventTime - prev.eventTime + 65536) & 0xffff);
      if (rr >= RR_MIN_MS && rr <= RR_MAX_MS) update.rrMs.push(rr);
      else update.beatsWithoutRr = 1;
      return update;
    }
    // Missed messages: only the last interval can be known, and only from page 4.
    if (page && 'previousEventTime' in page) {
      const rr = ticksToMs((main.eventTime - page.previousEventTime + 65536) & 0xffff);
      if (rr >= RR_MIN_MS && rr <= RR_MAX_MS) {
        update.rrMs.push(rr);
        update.beatsWithoutRr = beats - 1;
        return update;
      }
    }
    update.beatsWithoutRr = beats;
    return update;
  }

  private trackToggle(toggle: 0 | 1): void {
    if (this.format === 'paged') return;
    if (this.firstToggle === null) {
      this.firstToggle = toggle;
      this.sameToggleRun = 1;
      return;
    }
    if (toggle !== this.firstToggle) {
      this.format = 'paged';
      return;
    }
    this.sameToggleRun++;
    if (this.sameToggleRun >= LEGACY_AFTER_MESSAGES) this.format = 'legacy';
  }

  private remember(page: HrPage): void {
    switch (page.page) {
      case 1:
        if ('operatingTimeS' in page) this.info.operatingTimeS = page.operatingTimeS;
        break;
      case 2:
        if ('manufacturerId' in page) [this.info.manufacturerId, this.info.serialUpper16] = [page.manufacturerId, page.serialUpper16];
        break;
      case 3:
        if ('modelNumber' in page) [this.info.hardwareVersion, this.info.softwareVersion, this.info.modelNumber] = [page.hardwareVersion, page.softwareVersion, page.modelNumber];
        break;
      case 7:
        if ('battery' in page) this.info.battery = page.battery;
        break;
    }
  }
}
