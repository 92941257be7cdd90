import { describe, expect, it } from 'vitest';
import { joinLink, qrSvg } from './join-qr';

describe('join QR', () => {
  it('links to /join with the code', () => {
    expect(joinLink('https://gym.example', 'ABCD2345')).toBe('https://gym.example/join?code=ABCD2345');
  });
  it('renders an SVG with dark modules on a light quiet zone', async () => {
    const svg = await qrSvg('https://gym.example/join?code=ABCD2345');
    expect(svg).toMatch(/^<svg[^>]*viewBox/);
    expect(svg).toContain('#ffffff');
    expect(svg).toContain('#000000');
  });
});
