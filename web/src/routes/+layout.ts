// A pure SPA shell: adapter-static writes one fallback index.html (strict mode is satisfied by
// the fallback), the service worker precaches it, and every route renders in the browser.
export const ssr = false;
export const prerender = false;
