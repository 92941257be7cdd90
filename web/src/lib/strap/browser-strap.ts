/**
 * The strap controller wired to this browser: Web Bluetooth where it exists, localStorage for the
 * remembered strap, real timers, and the page's visibility. Made once, in the root layout.
 */
import { detectCapabilities } from './capabilities';
import { createLastStrapMemory } from './last-strap';
import { createSimulatedLink } from './simulated-link';
import { createStrapController, type StrapController } from './strap-controller.svelte';
import { browserTimers, systemClock } from './timers';
import { createWebBluetoothLink } from './web-bluetooth-link';

export function createBrowserStrapController(win: Window = window): StrapController {
  const capabilities = detectCapabilities(win);
  const timers = browserTimers();
  const clock = systemClock;
  const bluetooth =
    capabilities.secureContext && capabilities.webBluetooth
      ? createWebBluetoothLink(win.navigator.bluetooth, { timers, clock })
      : null;
  return createStrapController({
    capabilities,
    bluetooth,
    simulated: (options) => createSimulatedLink(options, { timers, clock }),
    memory: createLastStrapMemory(localStorageOf(win)),
    clock,
    timers,
    random: Math.random,
    onVisible(callback) {
      const doc = win.document;
      // Android throttles hidden tabs and may swallow the disconnect event: re-check on return.
      const handler = () => {
        if (doc.visibilityState === 'visible') callback();
      };
      doc.addEventListener('visibilitychange', handler);
      return () => doc.removeEventListener('visibilitychange', handler);
    },
  });
}

function localStorageOf(win: Window): Storage | null {
  try {
    return win.localStorage;
  } catch {
    return null; // blocked storage (some privacy modes)
  }
}
