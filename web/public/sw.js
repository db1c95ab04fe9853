// The service worker: makes the app work offline after the first visit. On install it fetches
// precache.json (every file of the build with its sha256, written by scripts/build/write_precache.mjs),
// checks each file's hash and only then caches it; the large .wasm/model/catalogue files are
// listed there explicitly. Its `optional` files (the precise mode's transformer) are cached the
// first time the app fetches them, after the same check. One cache per build version; older ones
// are removed on activate. What it caches carries the hash it was checked against
// (X-Cinerag-Sha256), so the app does not hash those bytes again on every start.
const PREFIX = 'cinerag-';
const CHECKED = 'X-Cinerag-Sha256';

async function sha256(buffer) {
  const digest = await crypto.subtle.digest('SHA-256', buffer);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

// The response to cache: `body` (its bytes, checked against `sha`) with the headers it came
// with, less the encoding (the bytes are decoded) and plus the hash.
function checked(response, body, sha) {
  const headers = new Headers(response.headers);
  headers.delete('content-encoding');
  headers.delete('content-length');
  headers.set(CHECKED, sha);
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}

async function precache() {
  const list = await (await fetch('precache.json', { cache: 'no-store' })).json();
  const cache = await caches.open(PREFIX + list.version);
  for (const file of list.files) {
    const url = new URL(file.path, self.registration.scope).href;
    if (await cache.match(url)) continue; // kept from an interrupted install of this version
    let ok = false;
    for (let attempt = 0; attempt < 2 && !ok; attempt++) {
      try {
        // First from the HTTP cache, revalidated (the page has just downloaded these files: a
        // 304 each), then, when that copy fails its check, from the network alone.
        const response = await fetch(url, { cache: attempt === 0 ? 'no-cache' : 'no-store' });
        if (!response.ok) continue;
        const body = await response.arrayBuffer();
        // Never cache a damaged or half-done download.
        if (body.byteLength !== file.bytes || (await sha256(body)) !== file.sha256) continue;
        await cache.put(url, checked(response, body, file.sha256));
        ok = true;
      } catch {
        /* network error: try again, then give up this install */
      }
    }
    if (!ok) throw new Error(`precache: ${file.path} failed`);
  }
  // The page's own URL ("./") answers with index.html offline.
  const index = await cache.match(new URL('index.html', self.registration.scope).href);
  if (index) await cache.put(self.registration.scope, index.clone());
}

// An optional file of precache.json, fetched by the app: cached when its bytes are the listed ones.
async function keepOptional(url, response) {
  if (!/\.(onnx|wasm)$/.test(new URL(url).pathname)) return;
  try {
    const list = await (await fetch('precache.json', { cache: 'no-store' })).json();
    const file = (list.optional ?? []).find(
      (f) => new URL(f.path, self.registration.scope).href === url,
    );
    if (!file) return;
    const body = await response.arrayBuffer();
    if (body.byteLength !== file.bytes || (await sha256(body)) !== file.sha256) return;
    await (await caches.open(PREFIX + list.version)).put(url, checked(response, body, file.sha256));
  } catch {
    /* offline or over quota: the precise mode then needs the network */
  }
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    precache().then(() => (self.registration.active ? undefined : self.skipWaiting())),
  );
});

self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const names = (await caches.keys()).filter((n) => n.startsWith(PREFIX));
      // This worker's cache is the one named by the current precache.json; older builds go.
      const current = await fetch('precache.json', { cache: 'no-store' })
        .then((r) => r.json())
        .then((j) => PREFIX + j.version)
        .catch(() => null);
      if (current)
        await Promise.all(names.filter((n) => n !== current).map((n) => caches.delete(n)));
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(
    (async () => {
      const cached = await caches.match(request, {
        ignoreSearch: request.mode === 'navigate',
        ignoreVary: true,
      });
      if (cached) return cached;
      try {
        const response = await fetch(request);
        if (response.ok) event.waitUntil(keepOptional(request.url, response.clone()));
        return response;
      } catch (e) {
        if (request.mode === 'navigate') {
          const index = await caches.match(new URL('index.html', self.registration.scope).href, {
            ignoreVary: true,
          });
          if (index) return index;
        }
        throw e;
      }
    })(),
  );
});
