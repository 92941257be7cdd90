import type { Capabilities } from '$core/heart-rate';

/**
 * What this browser offers. Web Bluetooth exists only in Chromium browsers (Chrome and Edge on
 * Android, desktop and ChromeOS; Bluefy on iOS) and only in a secure context (HTTPS or localhost).
 */
export function detectCapabilities(scope: { isSecureContext?: boolean; navigator?: Navigator } = globalThis): Capabilities {
  return {
    secureContext: scope.isSecureContext === true,
    webBluetooth: scope.navigator !== undefined && 'bluetooth' in scope.navigator && scope.navigator.bluetooth != null,
  };
}
