// <cinerag-chat lang="ko" catalogue-url="…" proxy-url="…" encoder="transformer">: the chat as a
// custom element for other sites (encoder: start in precise mode). Shadow DOM keeps the host's CSS out and ours in; a launcher button opens the panel.
// The engine worker comes from this script's origin; on another origin it is started through a
// same-origin blob that imports it (module workers must be same-origin).
import chatCss from './chat.css?inline';
import { Chat } from './chat';

const PANEL_CSS = `
:host { all: initial; position: fixed; right: 1rem; bottom: 1rem; z-index: 2147483000;
        display: block; font-family: system-ui, sans-serif; }
.launcher { all: unset; box-sizing: border-box; width: 3.5rem; height: 3.5rem; border-radius: 50%;
            background: #3457d5; color: #fff; display: grid; place-items: center; cursor: pointer;
            box-shadow: 0 4px 14px rgba(0,0,0,.25); font-size: 1.5rem; }
.launcher:focus-visible { outline: 3px solid #111; outline-offset: 2px; }
.panel { position: absolute; right: 0; bottom: 4.25rem; width: min(26rem, calc(100vw - 2rem));
         height: min(36rem, calc(100vh - 6rem)); border-radius: 0.8rem; overflow: hidden;
         box-shadow: 0 10px 30px rgba(0,0,0,.25); background: #f6f7fb; display: block; }
.panel[hidden] { display: none; }
`;

function workerFor(url: URL): Worker {
  if (url.origin === location.origin) return new Worker(url, { type: 'module' });
  const boot = new Blob([`import ${JSON.stringify(url.href)};`], { type: 'text/javascript' });
  return new Worker(URL.createObjectURL(boot), { type: 'module' });
}

class CineragChat extends HTMLElement {
  private chat: Chat | null = null;

  connectedCallback() {
    if (this.shadowRoot) return;
    const shadow = this.attachShadow({ mode: 'open' });
    const style = document.createElement('style');
    style.textContent = PANEL_CSS + chatCss;
    const launcher = document.createElement('button');
    launcher.className = 'launcher';
    launcher.type = 'button';
    // A drawn icon, not an emoji: hosts may have no emoji font.
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svg.setAttribute('viewBox', '0 0 64 64');
    svg.setAttribute('width', '28');
    svg.setAttribute('height', '28');
    svg.setAttribute('aria-hidden', 'true');
    const frame = document.createElementNS(svg.namespaceURI, 'path');
    frame.setAttribute('d', 'M14 20h36v24H14z');
    frame.setAttribute('fill', 'none');
    frame.setAttribute('stroke', '#fff');
    frame.setAttribute('stroke-width', '4');
    const play = document.createElementNS(svg.namespaceURI, 'path');
    play.setAttribute('d', 'M28 26l10 6-10 6z');
    play.setAttribute('fill', '#fff');
    svg.append(frame, play);
    launcher.append(svg);
    launcher.setAttribute('aria-label', 'Open the cinerag movie chat');
    launcher.setAttribute('aria-expanded', 'false');
    const panel = document.createElement('div');
    panel.className = 'panel';
    panel.hidden = true;
    panel.setAttribute('role', 'dialog');
    panel.setAttribute('aria-label', 'cinerag');
    shadow.append(style, panel, launcher);
    launcher.onclick = () => {
      panel.hidden = !panel.hidden;
      launcher.setAttribute('aria-expanded', String(!panel.hidden));
      if (!panel.hidden) {
        this.open(panel);
        panel.querySelector('textarea')?.focus();
      }
    };
    this.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && !panel.hidden) {
        panel.hidden = true;
        launcher.setAttribute('aria-expanded', 'false');
        launcher.focus();
      }
    });
    if (this.hasAttribute('open')) launcher.click();
  }

  private open(panel: HTMLElement) {
    if (this.chat) return;
    const here = new URL('./', import.meta.url);
    const lang = this.getAttribute('lang');
    const catalogueUrl = this.getAttribute('catalogue-url');
    const encoder = this.getAttribute('encoder');
    this.chat = new Chat(panel, {
      worker: () => workerFor(new URL('./engine.worker.js', here)),
      assetBase: new URL(this.getAttribute('asset-base') ?? './assets/', here).href,
      catalogueUrl: catalogueUrl ? new URL(catalogueUrl, document.baseURI).href : undefined,
      proxyUrl: this.getAttribute('proxy-url') ?? undefined,
      lang: lang === 'ko' || lang === 'en' ? lang : undefined,
      encoder: encoder === 'transformer' || encoder === 'static' ? encoder : undefined,
      historyKey: `widget:${catalogueUrl ?? 'default'}`,
    });
    this.chat.started.catch(() => {});
  }
}

if (!customElements.get('cinerag-chat')) customElements.define('cinerag-chat', CineragChat);
