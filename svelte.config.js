import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

// The PWA is a pure SPA shell (adapter-static + fallback): the sync server serves it and
// /api/v1 from one origin. Sources live in web/, public assets in static/.
/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  kit: {
    adapter: adapter({ pages: 'build', assets: 'build', fallback: 'index.html', strict: true }),
    files: {
      src: 'web/src',
      lib: 'web/src/lib',
      routes: 'web/src/routes',
      appTemplate: 'web/src/app.html',
      errorTemplate: 'web/src/error.html',
      assets: 'static',
      hooks: { client: 'web/src/hooks.client', server: 'web/src/hooks.server', universal: 'web/src/hooks' },
      params: 'web/src/params',
      serviceWorker: 'web/src/service-worker',
    },
    alias: { $core: 'core' },
    // SvelteKit builds web/src/service-worker/ (vite-plugin-pwa injects its precache list and
    // names it /sw.js); the page registers it through virtual:pwa-register, never through an
    // inline script of SvelteKit's.
    serviceWorker: { register: false },
  },
};

export default config;
