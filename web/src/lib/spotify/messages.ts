/** What the PWA says about Spotify outcomes, by the server's stable error codes. */
import { describeError, type ApiError } from '$lib/api';

export const MANAGE_APPS_URL = 'https://www.spotify.com/account/apps/';

function wait(seconds: number | undefined): string {
  if (seconds === undefined) return 'shortly';
  return seconds < 90 ? `in ${seconds} s` : `in ${Math.ceil(seconds / 60)} min`;
}

export function describeSpotifyError(error: ApiError): string {
  switch (error.code) {
    case 'spotify_premium_required':
      return 'Controlling playback needs Spotify Premium. Use the Spotify app to change songs.';
    case 'spotify_no_active_device':
      return 'No Spotify device is active. Open Spotify on your phone, computer or speaker, or pick a device here.';
    case 'spotify_limited_beta':
      return 'Spotify in HRM is a limited beta, and your Spotify account is not on its list of testers.';
    case 'spotify_rate_limited':
      return `Spotify is busy. HRM tries again ${wait(error.retryAfterSeconds)}.`;
    case 'spotify_quota_exceeded':
      return 'HRM has used up its Spotify allowance for now. Music controls come back later.';
    case 'spotify_unavailable':
      return 'Spotify is not answering right now. HRM keeps trying.';
    case 'spotify_needs_reconnect':
      return 'Spotify needs you to connect again (Account → Spotify).';
    case 'spotify_not_connected':
      return 'Connect your Spotify account first (Account → Spotify).';
    case 'spotify_not_configured':
      return 'Spotify is not set up on this server.';
    case 'spotify_volume_unsupported':
      return "This device's volume can't be changed from HRM.";
    case 'spotify_device_not_found':
      return 'That device is not available any more. Pick another one.';
    default:
      return describeError(error);
  }
}

/** The `?spotify=error&reason=…` the server's callback sends the browser back with. */
export function describeConnectFailure(reason: string | null): string {
  switch (reason) {
    case 'denied':
      return 'Spotify was not connected: access was not allowed.';
    case 'state':
      return 'That Spotify sign-in expired or came from another tab. Try connecting again.';
    case 'not_configured':
      return 'Spotify is not set up on this server.';
    case 'misconfigured':
      return "Spotify refused this server's app settings. Tell the operator.";
    case 'unavailable':
      return 'Spotify did not answer. Try again in a moment.';
    default:
      return 'Spotify could not be connected. Try again.';
  }
}
