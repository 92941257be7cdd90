/**
 * The strap in the PWA: one controller (StrapController, a StrapEventSource) over one of two links
 * (Web Bluetooth, simulated), plus the reading history and texts the live view shows.
 */
export { StrapController, createStrapController, type StrapControllerDeps } from './strap-controller.svelte';
export { createBrowserStrapController } from './browser-strap';
export { createWebBluetoothLink, type WebBluetoothLinkOptions } from './web-bluetooth-link';
export { createSimulatedLink, SIMULATED_DEVICE, type SimulatedLink, type SimulatedStrap, type SimulatedStrapOptions } from './simulated-link';
export { createSimulatedClass, type SimulatedClass, type SimulatedParticipant } from './simulated-group';
export { createLastStrapMemory, memoryLastStrap, LAST_STRAP_KEY, type LastStrapMemory, type RememberedStrap } from './last-strap';
export { detectCapabilities } from './capabilities';
export { ReadingHistory, HISTORY_WINDOW_MS, type HistoryGap, type HistoryPoint } from './reading-history';
export { describeConnection, gapText, contactText, type StateText } from './state-text';
export { DEFAULT_MAX_HR, zoneDisplay, type ZoneDisplay } from './zone-display';
export type { ChooseOutcome, ChooseRequest, LinkKind, LinkListener, LinkOutcome, StrapDeviceInfo, StrapLink } from './strap-link';
export type { Clock, StrapTimers } from './timers';
