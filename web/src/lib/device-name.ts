/**
 * A readable default name for this device's session, "<device> · <browser>": "Pixel 8 · Chrome",
 * "iPhone · Safari", "Linux · Chrome". The device comes from User-Agent Client Hints where the
 * browser has them (Chromium: `navigator.userAgentData.getHighEntropyValues(['model',
 * 'platform'])`, https://wicg.github.io/ua-client-hints/), because Chrome's reduced user-agent
 * string no longer names the phone ("Android 10; K"); elsewhere from the user-agent string.
 * The browser always comes from the string. Order matters: Edge, Opera and Samsung Internet
 * also claim to be Chrome, and every iOS browser claims to be Safari.
 */
const BROWSERS: Array<[RegExp, string]> = [
  [/EdgA?\/|EdgiOS\//, 'Edge'],
  [/OPR\/|Opera/, 'Opera'],
  [/SamsungBrowser\//, 'Samsung Internet'],
  [/FxiOS\/|Firefox\//, 'Firefox'],
  [/CriOS\/|Chrome\/|Chromium\//, 'Chrome'],
  [/Safari\//, 'Safari'],
];

const PLATFORMS: Array<[RegExp, string]> = [
  [/iPad/, 'iPad'],
  [/iPhone|iPod/, 'iPhone'],
  [/Android/, 'Android'],
  [/CrOS/, 'ChromeOS'],
  [/Windows/, 'Windows'],
  [/Macintosh|Mac OS X/, 'Mac'],
  [/Linux/, 'Linux'],
];

/** Client-hint platform names (Sec-CH-UA-Platform) as this app writes them. */
const HINT_PLATFORMS: Record<string, string> = { macOS: 'Mac', 'Chrome OS': 'ChromeOS', ChromeOS: 'ChromeOS' };

/** The high-entropy client hints this needs; any may be missing or empty. */
export interface DeviceHints {
  model?: string;
  platform?: string;
}

/** Chrome's reduced user-agent string says "K" in place of the model. */
const REDUCED_MODEL = 'K';

function androidModel(userAgent: string): string | null {
  // "(Linux; Android 14; Pixel 8)" or "(Linux; Android 14; Pixel 8 Build/AP1A…)"
  const model = /Android [^;)]*;\s*([^;)]+?)(?:\s+Build\/[^;)]*)?\)/.exec(userAgent)?.[1]?.trim();
  return model && model !== REDUCED_MODEL ? model : null;
}

function deviceOf(userAgent: string, hints: DeviceHints | null): string | undefined {
  const model = hints?.model?.trim();
  if (model && model !== REDUCED_MODEL) return model;
  const fromString = PLATFORMS.find(([pattern]) => pattern.test(userAgent))?.[1];
  if (fromString === 'Android') return androidModel(userAgent) ?? 'Android';
  const platform = hints?.platform?.trim();
  if (platform && platform !== 'Unknown') return HINT_PLATFORMS[platform] ?? platform;
  return fromString;
}

/** The name from the user-agent string and, where known, the client hints. */
export function deviceName(userAgent: string, hints: DeviceHints | null = null): string {
  const browser = BROWSERS.find(([pattern]) => pattern.test(userAgent))?.[1];
  const device = deviceOf(userAgent, hints);
  if (browser && device) return `${device} · ${browser}`;
  return browser ?? device ?? 'This browser';
}

/** The name from the user-agent string alone (no hints: synchronous). */
export function deviceNameFromUserAgent(userAgent: string): string {
  return deviceName(userAgent);
}

/** `navigator` as far as this needs it; userAgentData exists in Chromium only. */
export interface NavigatorLike {
  userAgent: string;
  userAgentData?: { getHighEntropyValues(hints: string[]): Promise<DeviceHints> };
}

/** This device's name, asking for client hints where the browser has them. Never throws. */
export async function detectDeviceName(nav: NavigatorLike): Promise<string> {
  let hints: DeviceHints | null = null;
  try {
    hints = (await nav.userAgentData?.getHighEntropyValues(['model', 'platform'])) ?? null;
  } catch {
    // A browser may refuse high-entropy hints: the string is enough.
  }
  return deviceName(nav.userAgent, hints);
}
