/** Human wording for ApiError codes, in one place so every screen says the same thing. */
import type { ApiError } from './errors';

function waitPhrase(seconds: number | undefined): string {
  if (seconds === undefined) return 'a little later';
  if (seconds < 60) return `in ${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `in ${minutes} minute${minutes === 1 ? '' : 's'}`;
}

export function describeError(error: ApiError): string {
  switch (error.code) {
    case 'network':
      return 'You seem to be offline, or the server is not answering. Try again when you are connected.';
    case 'invalid_credentials':
      return 'That email and password do not match an account.';
    case 'account_locked':
      return `Too many sign-in attempts for this account. Try again ${waitPhrase(error.retryAfterSeconds)}.`;
    case 'rate_limited':
      return `Too many requests. Try again ${waitPhrase(error.retryAfterSeconds)}.`;
    case 'invalid_token':
      return 'This link is invalid or has expired.';
    case 'weak_password':
      return error.message || 'Choose a longer, less common password (at least 10 characters).';
    case 'unauthenticated':
      return 'You are signed out. Sign in and try again.';
    case 'invalid_body':
      return error.message || 'Some of the details are not valid. Check them and try again.';
    case 'bad_response':
      return 'The server sent an unexpected answer. Try again later.';
    default:
      if (error.status >= 500) return 'Something went wrong on the server. Try again later.';
      return error.message || 'Something went wrong. Try again.';
  }
}

