// The chat page and PWA: mounts the chat, registers the service worker and offers updates.
import './chat.css';
import { Chat } from './chat';

const params = new URLSearchParams(location.search);
// The gpt-4o proxy: ?proxy=URL, or <meta name="cinerag-proxy" content="URL"> at deploy time.
const proxyUrl =
  params.get('proxy') ??
  document.querySelector<HTMLMetaElement>('meta[name="cinerag-proxy"]')?.content ??
  undefined;
const lang = params.get('lang');
const encoder = params.get('encoder');

const chat = new Chat(document.getElementById('app')!, {
  worker: () => new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module' }),
  assetBase: new URL('./assets/', document.baseURI).href,
  proxyUrl: proxyUrl || undefined,
  lang: lang === 'ko' || lang === 'en' ? lang : undefined,
  encoder: encoder === 'transformer' || encoder === 'static' ? encoder : undefined,
  historyKey: 'page',
});
const started = chat.started.catch(() => {}); // the chat shows the reason
(window as unknown as { cinerag: Chat }).cinerag = chat;

// Registered once the chat has started (or failed to): installing caches every file for offline
// use, and doing it after the engine's downloads lets it revalidate them from the HTTP cache
// instead of downloading all of them a second time beside the first.
if ('serviceWorker' in navigator && !params.has('no-sw')) void started.then(registerServiceWorker);

function registerServiceWorker() {
  navigator.serviceWorker.register('./sw.js').then((reg) => {
    reg.addEventListener('updatefound', () => {
      const next = reg.installing;
      next?.addEventListener('statechange', () => {
        // The first install failed (a cache that refused a large file, a download that broke):
        // the app runs from the network, and says it will not work offline.
        if (next.state === 'redundant' && !navigator.serviceWorker.controller) {
          const bar = document.createElement('div');
          bar.className = 'update';
          bar.setAttribute('role', 'status');
          bar.textContent =
            'cinerag could not be saved for offline use on this device: it works while you are online.';
          document.body.append(bar);
          return;
        }
        // A new version installed while an old one controls the page: offer to switch.
        if (next.state === 'installed' && navigator.serviceWorker.controller) {
          const bar = document.createElement('div');
          bar.className = 'update';
          bar.setAttribute('role', 'alert');
          bar.textContent = 'A new version of cinerag is ready.';
          const button = document.createElement('button');
          button.textContent = 'Reload';
          button.onclick = () => next.postMessage('skip-waiting');
          bar.append(button);
          document.body.append(bar);
        }
      });
    });
  });
  let reloading = false;
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (reloading || !document.querySelector('.update')) return;
    reloading = true;
    location.reload();
  });
}
