/** GET /v1/me (P1). product/country/email are deprecated (Feb 2026) and omitted unless the legacy knob is on. */
import type { Context } from 'hono';
import { json, type EmuEnv } from './responses';
import type { EmulatorState } from './state';

export function meHandler(emu: EmulatorState) {
  return (c: Context<EmuEnv>): Response => {
    const { user, grant } = c.get('auth');
    const body: Record<string, unknown> = {
      display_name: user.displayName,
      external_urls: { spotify: `https://open.spotify.com/user/${user.id}` },
      followers: { href: null, total: 0 },
      href: `https://api.spotify.com/v1/users/${user.id}`,
      id: user.id,
      images: [],
      type: 'user',
      uri: `spotify:user:${user.id}`,
    };
    if (emu.knobs.meLegacyFields) {
      if (grant.scopes.includes('user-read-private')) {
        body.product = user.product;
        body.country = user.country;
        body.explicit_content = { filter_enabled: false, filter_locked: false };
      }
      if (grant.scopes.includes('user-read-email')) body.email = user.email;
    }
    return json(200, body);
  };
}
