import { ANTPLUS_HR, extendedDeviceNumber, hostMessages, LibConfig, MessageId, parseReceivedData, type AntMessage } from './message';
import { HrStrapDecoder, type BatteryStatus, type HrUpdate, type StrapInfo } from './hr-profile';

/**
 * The host's side of ANT+ heart-rate scanning through one stick: the configuration sequence, and
 * the demultiplexer that turns every received broadcast into one strap's reading.
 */

export interface SetupStep {
  label: string;
  bytes: Uint8Array<ArrayBuffer>;
  /** The message id whose channel response (0x40) acknowledges this step. */
  answers: number;
}

/**
 * Continuous scan mode on channel 0, as the ANT Message Protocol describes it (§5.3 "continuous
 * scanning mode"): the network key on network 0, a receive channel with a wildcard channel id
 * (device number 0, device type 120, transmission type 0), ANT+ frequency 57 and period 8070,
 * extended data so every broadcast names its strap, then "open RX scan mode". The stick is reset
 * first (it answers with a startup message, not a channel response).
 */
export function scanModeSetup(networkKey: Uint8Array, extendedFlags: number = LibConfig.channelId | LibConfig.rssi): SetupStep[] {
  const ch = 0;
  const net = 0;
  return [
    { label: 'set network key', bytes: hostMessages.setNetworkKey(net, networkKey), answers: MessageId.setNetworkKey },
    { label: 'assign channel', bytes: hostMessages.assignChannel(ch, 0x00, net), answers: MessageId.assignChannel },
    { label: 'set channel id', bytes: hostMessages.setChannelId(ch, 0, ANTPLUS_HR.deviceType, ANTPLUS_HR.transmissionType), answers: MessageId.channelId },
    { label: 'set channel period', bytes: hostMessages.setChannelPeriod(ch, ANTPLUS_HR.channelPeriod), answers: MessageId.channelPeriod },
    { label: 'set RF frequency', bytes: hostMessages.setRfFrequency(ch, ANTPLUS_HR.rfFrequency), answers: MessageId.rfFrequency },
    { label: 'enable extended data', bytes: hostMessages.libConfig(extendedFlags), answers: MessageId.libConfig },
    { label: 'open RX scan mode', bytes: hostMessages.openRxScanMode(), answers: MessageId.openRxScanMode },
  ];
}

export interface StrapReading {
  /** 20-bit key (device number + transmission-type nibble) telling straps apart. */
  key: number;
  /** The 16-bit ANT device number, the one printed on a strap ("Strap 4821"). */
  deviceNumber: number;
  bpm: number | null;
  rrMs: number[];
  battery?: BatteryStatus;
  rssi?: number;
  /** Host receive time, ms. */
  at: number;
  update: HrUpdate;
}

export interface ScannerStats {
  broadcasts: number;
  /** Broadcasts without a channel id (the stick did not append one): no strap can be named. */
  anonymous: number;
  /** Broadcasts from other device types (a wildcard channel id still filters; kept for safety). */
  otherDevices: number;
}

export class HrScanner {
  private readonly straps = new Map<number, HrStrapDecoder>();
  readonly stats: ScannerStats = { broadcasts: 0, anonymous: 0, otherDevices: 0 };

  /** A received message, or null when it is not heart-rate data from a named strap. */
  receive(m: AntMessage, at: number): StrapReading | null {
    const rx = parseReceivedData(m);
    if (!rx) return null;
    this.stats.broadcasts++;
    if (!rx.id) {
      this.stats.anonymous++;
      return null;
    }
    if (rx.id.deviceType !== ANTPLUS_HR.deviceType && (rx.id.deviceType & 0x7f) !== ANTPLUS_HR.deviceType) {
      this.stats.otherDevices++;
      return null;
    }
    const key = extendedDeviceNumber(rx.id);
    let strap = this.straps.get(key);
    if (!strap) {
      strap = new HrStrapDecoder();
      this.straps.set(key, strap);
    }
    const update = strap.feed(rx.data, at);
    if (!update) return null;
    const reading: StrapReading = { key, deviceNumber: rx.id.deviceNumber, bpm: update.bpm, rrMs: update.rrMs, at, update };
    if (strap.info.battery) reading.battery = strap.info.battery;
    if (rx.rssi !== undefined) reading.rssi = rx.rssi;
    return reading;
  }

  info(key: number): StrapInfo | undefined {
    return this.straps.get(key)?.info;
  }

  get strapCount(): number {
    return this.straps.size;
  }
}
