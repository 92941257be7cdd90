/**
 * The one interface a strap connection is made through. Two implementations: the Web Bluetooth
 * link (a real strap) and the simulated link (core/heart-rate/simulated-heart). The controller
 * drives either from the connection state machine's effects; a link does the IO and nothing else.
 *
 * Outcomes are values (style.md §5): a cancelled chooser or a failed connect is expected.
 */
import type { BodySensorLocation } from '$core/heart-rate';

export interface StrapDeviceInfo {
  /** The browser's opaque device id (stable per origin), or 'simulated'. */
  id: string;
  name: string;
}

export type LinkKind = 'bluetooth' | 'simulated';

/** How to pick the device: the browser's chooser, or a device the browser already allows. */
export type ChooseRequest =
  | { mode: 'chooser'; /** Narrow the chooser to the remembered strap's name. */ name?: string }
  | { mode: 'known'; id: string; /** Fall back to a chooser filtered by this name. */ fallbackName?: string };

export type ChooseOutcome = { type: 'chosen'; device: StrapDeviceInfo } | { type: 'cancelled'; message: string };

export type LinkOutcome = { ok: true } | { ok: false; message: string; retryable: boolean };

/** What a link reports; set by the controller. */
export interface LinkListener {
  /** A Heart Rate Measurement value as received, stamped at receipt (ms since the epoch). */
  measurement(value: DataView, receivedAt: number): void;
  /** The link dropped without the controller asking. */
  disconnected(): void;
  battery(percent: number): void;
  location(location: BodySensorLocation): void;
}

export interface StrapLink {
  readonly kind: LinkKind;
  /** Whether `choose({ mode: 'known' })` can work without a chooser (navigator.bluetooth.getDevices). */
  readonly knowsDevices: boolean;
  setListener(listener: LinkListener | null): void;
  /** Is a device the browser already allows (by id) reachable without a chooser? */
  findKnown(id: string): Promise<boolean>;
  choose(request: ChooseRequest): Promise<ChooseOutcome>;
  /** Connect and look the services and characteristics up anew (a disconnect invalidates them). */
  connect(timeoutMs: number): Promise<LinkOutcome>;
  /** Start Heart Rate Measurement notifications; then read the optional characteristics. */
  subscribe(): Promise<LinkOutcome>;
  isConnected(): boolean;
  /** Drop the link, or abandon a connect in progress. Never reports `disconnected`. */
  disconnect(): void;
}
