/**
 * The app's service worker, built by SvelteKit (kit.files.serviceWorker) and given its precache
 * manifest by vite-plugin-pwa (`strategies: 'injectManifest'`, vite.config.ts), which writes
 * it to /sw.js. The first part is what the generateSW worker we shipped before did, line for
 * line: precache the app shell, drop caches of older Workbox versions, answer navigations
 * with index.html (never /api/), and activate a new version only when the page asks (the
 * update prompt posts SKIP_WAITING; no skipWaiting or clientsClaim on install). There is no
 * runtime caching: user data never goes to Cache Storage. The second part is ours: the
 * Background Sync handler (./background-sync.ts).
 */
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute, type PrecacheEntry } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { listenForBackgroundSync } from './background-sync';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<PrecacheEntry | string> };

self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'SKIP_WAITING') void self.skipWaiting();
});

precacheAndRoute(self.__WB_MANIFEST, {});
cleanupOutdatedCaches();
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html'), { denylist: [/^\/api\//] }));

listenForBackgroundSync(self);
