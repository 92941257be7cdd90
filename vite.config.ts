import { sveltekit } from '@sveltejs/kit/vite';
import { SvelteKitPWA } from '@vite-pwa/sveltekit';
import { defineConfig } from 'vite';

// Colours shared by the web manifest and web/src/app.html (theme-color).
const BACKGROUND = '#12161c';

export default defineConfig({
  plugins: [
    sveltekit(),
    SvelteKitPWA({
      // The page decides when to reload (useRegisterSW + an update prompt that a running workout
      // can hold back), so no auto-update and no injected registration script (strict CSP).
      registerType: 'prompt',
      injectRegister: false,
      // Our own worker (web/src/service-worker/, built by SvelteKit as kit.files.serviceWorker)
      // gets the precache manifest injected: it does what the generated one did and also
      // handles Background Sync. It is written to /sw.js, the URL installed apps already know.
      strategies: 'injectManifest',
      filename: 'sw.js',
      // Absolute, so a first visit that lands on a deep link (/history/…) registers /sw.js with
      // scope / (relative paths would ask for /history/sw.js and fail quietly).
      base: '/',
      scope: '/',
      kit: { adapterFallback: 'index.html', spa: true },
      manifest: {
        id: '/',
        name: 'HRM — heart-rate training',
        short_name: 'HRM',
        description: 'Heart-rate training with any Bluetooth strap: intervals, zones, history, offline.',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        orientation: 'any',
        theme_color: BACKGROUND,
        background_color: BACKGROUND,
        lang: 'en',
        categories: ['health', 'fitness', 'sports'],
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      injectManifest: {
        // Paths are relative to .svelte-kit/output (see @vite-pwa/sveltekit); the SPA fallback
        // index.html is added to the precache by `kit.spa`. A modifyURLPrefix (even empty) stops
        // the integration from appending its `prerendered/**` pattern, which matches nothing in
        // a pure SPA and only produces a build warning. The navigation fallback (never for
        // /api/), no runtime caching and no skipWaiting/clientsClaim live in the worker itself.
        globPatterns: ['client/**/*.{js,css,html,svg,png,ico,webmanifest,woff2,txt}'],
        modifyURLPrefix: {},
      },
      devOptions: { enabled: false },
    }),
  ],
});
