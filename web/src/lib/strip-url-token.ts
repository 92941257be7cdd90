import { afterNavigate, replaceState } from '$app/navigation';
import { page } from '$app/state';

/**
 * Drops `?token=…` from the address bar once the router is ready, so a one-time token does not
 * stay in history. (Calling replaceState from onMount on a first load is too early: SvelteKit's
 * router is not initialised yet.) Call during component initialisation.
 */
export function stripTokenFromUrlAfterLoad(): void {
  afterNavigate(() => {
    if (!page.url.searchParams.has('token')) return;
    const url = new URL(page.url);
    url.searchParams.delete('token');
    replaceState(url, page.state);
  });
}
