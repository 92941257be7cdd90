/**
 * The small part of WebUSB (https://wicg.github.io/webusb/) the ANT stick adapter uses, declared
 * here instead of depending on @types/w3c-web-usb. Structural: the browser's objects fit, and so
 * does the test double of a stick.
 */
export interface UsbEndpointLike {
  endpointNumber: number;
  direction: 'in' | 'out' | string;
  type: 'bulk' | 'interrupt' | 'isochronous' | string;
  packetSize: number;
}

export interface UsbInterfaceLike {
  interfaceNumber: number;
  alternate: { endpoints: UsbEndpointLike[] } | null;
}

export interface UsbConfigurationLike {
  configurationValue: number;
  interfaces: UsbInterfaceLike[];
}

export interface UsbInTransferResultLike {
  status?: string;
  data?: DataView | null;
}

export interface UsbDeviceLike {
  vendorId: number;
  productId: number;
  productName?: string | null;
  serialNumber?: string | null;
  opened: boolean;
  configuration: UsbConfigurationLike | null;
  open(): Promise<void>;
  close(): Promise<void>;
  selectConfiguration(value: number): Promise<void>;
  claimInterface(n: number): Promise<void>;
  releaseInterface?(n: number): Promise<void>;
  clearHalt?(direction: 'in' | 'out', endpoint: number): Promise<void>;
  transferIn(endpoint: number, length: number): Promise<UsbInTransferResultLike>;
  transferOut(endpoint: number, data: Uint8Array<ArrayBuffer>): Promise<unknown>;
}

export interface UsbDeviceFilter {
  vendorId?: number;
  productId?: number;
}

export interface UsbLike extends EventTarget {
  requestDevice(options: { filters: UsbDeviceFilter[] }): Promise<UsbDeviceLike>;
  getDevices(): Promise<UsbDeviceLike[]>;
}

/** The browser's navigator.usb, or null where WebUSB is missing (Firefox, Safari, iOS). */
export function browserUsb(): UsbLike | null {
  if (typeof navigator === 'undefined') return null;
  return ((navigator as unknown as { usb?: UsbLike }).usb ?? null) as UsbLike | null;
}
