import { describe, expect, it } from 'vitest';
import { detectDeviceName, deviceName, deviceNameFromUserAgent } from './device-name';

const PIXEL_FULL = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36';
// Chrome's reduced user-agent string: the model is always "K", the Android version always 10.
const ANDROID_REDUCED = 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36';
const LINUX_CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const MAC_CHROME = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

describe('deviceNameFromUserAgent', () => {
  const cases: Array<[string, string]> = [
    [PIXEL_FULL, 'Pixel 8 · Chrome'],
    ['Mozilla/5.0 (Linux; Android 9; SM-G960F Build/PPR1.180610.011) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/74.0.3729.157 Mobile Safari/537.36', 'SM-G960F · Chrome'],
    [ANDROID_REDUCED, 'Android · Chrome'],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1', 'iPhone · Safari'],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0 Mobile/15E148 Safari/604.1', 'iPhone · Chrome'],
    ['Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1', 'iPad · Safari'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0', 'Windows · Edge'],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:133.0) Gecko/20100101 Firefox/133.0', 'Mac · Firefox'],
    ['Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36', 'SM-S918B · Samsung Internet'],
    ['Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0', 'Android · Firefox'],
    ['Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36', 'ChromeOS · Chrome'],
    [LINUX_CHROME, 'Linux · Chrome'],
    ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36', 'Linux · Chrome'],
    ['curl/8.0', 'This browser'],
  ];
  for (const [ua, expected] of cases) {
    it(`names ${expected}`, () => expect(deviceNameFromUserAgent(ua)).toBe(expected));
  }
});

describe('deviceName with client hints', () => {
  it('takes the phone model from the hints when the string is reduced', () => {
    expect(deviceName(ANDROID_REDUCED, { model: 'Pixel 8', platform: 'Android' })).toBe('Pixel 8 · Chrome');
  });

  it('takes the platform from the hints on a desktop (no model)', () => {
    expect(deviceName(LINUX_CHROME, { model: '', platform: 'Linux' })).toBe('Linux · Chrome');
    expect(deviceName(MAC_CHROME, { model: '', platform: 'macOS' })).toBe('Mac · Chrome');
    expect(deviceName(LINUX_CHROME, { model: '', platform: 'Chrome OS' })).toBe('ChromeOS · Chrome');
  });

  it('ignores empty, reduced or unknown hints', () => {
    expect(deviceName(ANDROID_REDUCED, { model: 'K', platform: 'Android' })).toBe('Android · Chrome');
    expect(deviceName(LINUX_CHROME, { platform: 'Unknown' })).toBe('Linux · Chrome');
    expect(deviceName(PIXEL_FULL, {})).toBe('Pixel 8 · Chrome');
  });
});

describe('detectDeviceName', () => {
  it('asks for the model and platform hints where the browser has them', async () => {
    const asked: string[][] = [];
    const nav = {
      userAgent: ANDROID_REDUCED,
      userAgentData: {
        getHighEntropyValues: (hints: string[]) => {
          asked.push(hints);
          return Promise.resolve({ model: 'Pixel 8', platform: 'Android' });
        },
      },
    };
    expect(await detectDeviceName(nav)).toBe('Pixel 8 · Chrome');
    expect(asked).toEqual([['model', 'platform']]);
  });

  it('falls back to the string without hints, or when they are refused', async () => {
    const iphone = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
    expect(await detectDeviceName({ userAgent: iphone })).toBe('iPhone · Safari');
    const refusing = { userAgent: ANDROID_REDUCED, userAgentData: { getHighEntropyValues: () => Promise.reject(new Error('NotAllowedError')) } };
    expect(await detectDeviceName(refusing)).toBe('Android · Chrome');
  });
});
