// The chat: a message list, answers with a sentiment chip, the movie recognised and five result
// cards, feedback buttons that update the conversation state, history in IndexedDB, the gpt-4o
// fallback. Renders into any root (the page's <main> or the widget's shadow root); every piece of
// catalogue or model text goes in through textContent, never as HTML.
import { ENGINE_DIED, Engine, EngineError } from './engine';
import { askProxy } from './fallback';
import * as history from './history';
import { browserLang, strings, type Lang, type Strings } from './i18n';
import type {
  AskResult,
  ConversationState,
  EncoderName,
  RecommendResponse,
  Turn,
} from './protocol';

export interface ChatOptions {
  /** Starts an engine worker (again when one dies). */
  worker: () => Worker;
  assetBase: string;
  catalogueUrl?: string;
  proxyUrl?: string;
  lang?: Lang;
  /** The encoder to start with (the widget's `encoder` attribute, the page's ?encoder=); the
   * person's own choice, once made, is kept with the history. */
  encoder?: EncoderName;
  historyKey: string;
}

type Result = RecommendResponse['results'][number];

/** A message sent but not answered yet: while the engine loads, or behind the answer in progress. */
interface Queued extends history.QueuedMessage {
  /** The message in the log (replaced when the chat re-renders). */
  li?: HTMLElement;
  /** Its status line: "will answer when ready", or why it cannot be answered. */
  note?: HTMLElement;
  /** Times the engine died while answering it (it is tried once more, then given up). */
  deaths?: number;
}

/**
 * Entries (messages and answers) the chat keeps, shows and saves: older ones go, so a long session
 * keeps its memory and its per-message time flat (the conversation's state — liked, disliked,
 * seen — is kept whole).
 */
const MAX_ENTRIES = 100;

/** The line of an answer that the chat shows as the bot's words (the cards show the rest). */
const firstLine = (answer: RecommendResponse) => answer.answer.split('\n')[0];

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<Record<'className' | 'textContent' | 'id' | 'type' | 'title', string>> = {},
  ...children: (Node | null)[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  Object.assign(e, props);
  for (const c of children) if (c) e.append(c);
  return e;
}

export class Chat {
  readonly engine: Engine;
  private lang: Lang;
  private t: Strings;
  private state: ConversationState | undefined;
  private entries: history.Entry[] = [];
  private ready = false;
  /** Why the engine could not start (null while it loads or once it runs). */
  private failure: string | null = null;
  private busy = false;
  /** The saved history has been read (saving before that would overwrite it). */
  private loaded = false;
  /** Messages waiting for an answer, oldest first; answered one at a time, in order. */
  private queue: Queued[] = [];
  readonly root: HTMLElement;
  private status!: HTMLElement;
  private log!: HTMLElement;
  private input!: HTMLTextAreaElement;
  private send!: HTMLButtonElement;
  private progress!: HTMLElement;
  private bars = new Map<string, HTMLProgressElement>();
  private langButton!: HTMLButtonElement;
  private clearButton!: HTMLButtonElement;
  private preciseButton!: HTMLButtonElement;
  /** A standing notice (history not being saved). */
  private notice!: HTMLElement;
  private historyOff = false;
  private encoder: EncoderName;
  /** Resolves when the engine is ready (or rejects when it cannot start). */
  readonly started: Promise<void>;

  constructor(
    container: HTMLElement | ShadowRoot,
    private options: ChatOptions,
  ) {
    this.engine = new Engine(options.worker);
    this.lang = options.lang ?? browserLang();
    this.encoder = options.encoder ?? 'static';
    this.t = strings[this.lang];
    this.root = el('div', { className: 'cinerag-chat' });
    container.append(this.root);
    this.render();
    this.engine.onProgress = (p) => this.onProgress(p);
    this.engine.onRestart = (reason, ready) => this.onRestart(reason, ready);
    this.started = this.start();
  }

  private render() {
    const t = this.t;
    const draft = this.input?.value ?? '';
    this.root.lang = this.lang;
    this.root.replaceChildren();
    this.langButton = el('button', {
      type: 'button',
      className: 'lang',
      textContent: t.language,
      title: t.languageLabel,
    });
    this.langButton.setAttribute('aria-label', t.languageLabel);
    this.langButton.onclick = () => this.setLang(this.lang === 'en' ? 'ko' : 'en');
    this.clearButton = el('button', { type: 'button', className: 'clear', textContent: t.clear });
    this.clearButton.onclick = () => void this.clearHistory();
    this.preciseButton = el('button', {
      type: 'button',
      className: 'precise',
      textContent: t.precise,
      title: t.preciseLabel,
    });
    this.preciseButton.setAttribute('aria-pressed', String(this.encoder === 'transformer'));
    this.preciseButton.setAttribute('aria-label', t.preciseLabel);
    this.preciseButton.disabled = !this.ready;
    this.preciseButton.onclick = () =>
      void this.setEncoder(this.encoder === 'transformer' ? 'static' : 'transformer');
    this.status = el('p', {
      className: this.failure === null ? 'status' : 'status error',
      textContent:
        this.failure !== null ? `${t.failed} ${this.failure}` : this.ready ? '' : t.loading,
    });
    this.status.setAttribute('role', 'status');
    this.status.setAttribute('aria-live', 'polite');
    this.notice = el('p', {
      className: 'notice',
      textContent: this.historyOff ? t.historyOff : '',
    });
    this.notice.setAttribute('role', 'status');
    this.progress = el('div', { className: 'progress' });
    this.bars.clear();
    this.log = el('ol', { className: 'log' });
    this.log.setAttribute('role', 'log');
    this.log.setAttribute('aria-live', 'polite');
    this.log.setAttribute('aria-relevant', 'additions');
    this.input = el('textarea', { id: 'cinerag-input' });
    this.input.rows = 2;
    this.input.placeholder = t.placeholder;
    this.input.setAttribute('aria-label', t.placeholder);
    this.input.maxLength = 100 * 1024;
    this.input.value = draft;
    this.input.onkeydown = (e) => {
      if (e.key === 'Enter' && !e.shiftKey) {
        e.preventDefault();
        void this.submit();
      }
    };
    this.send = el('button', { type: 'submit', className: 'send', textContent: t.send });
    const form = el('form', { className: 'composer' }, this.input, this.send);
    form.onsubmit = (e) => (e.preventDefault(), void this.submit());
    this.root.append(
      el(
        'header',
        {},
        el('strong', { className: 'brand', textContent: t.title }),
        el('span', { className: 'spacer' }),
        this.preciseButton,
        this.langButton,
        this.clearButton,
      ),
      this.status,
      this.notice,
      this.progress,
      this.log,
      form,
    );
    for (const entry of this.entries) this.show(entry);
    for (const q of this.queue) this.showQueued(q);
  }

  private setLang(lang: Lang) {
    this.lang = lang;
    this.t = strings[lang];
    const statusText = this.status.textContent;
    this.render();
    if (this.ready) this.status.textContent = statusText;
    void this.persist();
  }

  /** The worker died: say so in words until the new one is ready (waiting messages stay queued). */
  private onRestart(reason: string, ready: Promise<unknown>) {
    this.status.classList.add('error');
    this.status.textContent = this.t.restarting(reason);
    ready.then(
      () => {
        this.status.classList.remove('error');
        this.status.textContent = this.t.restarted;
      },
      (e: Error) => {
        this.status.textContent = `${this.t.failed} ${e.message}`;
      },
    );
  }

  /** Switches the encoder of the next answers; the transformer downloads the first time. */
  private async setEncoder(encoder: EncoderName) {
    this.preciseButton.disabled = true;
    if (encoder === 'transformer') this.status.textContent = this.t.preciseLoading;
    try {
      this.encoder = await this.engine.setEncoder(encoder).then((r) => r.encoder);
      this.status.textContent = '';
      this.status.classList.remove('error');
      void this.persist();
    } catch (e) {
      this.status.textContent = `${this.t.preciseFailed} ${(e as Error).message}`;
      this.status.classList.add('error');
    }
    this.progress.replaceChildren();
    this.bars.clear();
    this.preciseButton.disabled = false;
    this.preciseButton.setAttribute('aria-pressed', String(this.encoder === 'transformer'));
  }

  private onProgress(p: { name: string; loaded: number; total: number; done: boolean }) {
    const label = this.t.assets[p.name];
    if (!label) return; // small files: no bar of their own
    let bar = this.bars.get(p.name);
    if (!bar) {
      bar = el('progress');
      bar.max = p.total || 1;
      const id = `p-${p.name.replace(/[^a-z0-9]/gi, '')}`;
      bar.id = id;
      const lab = el('label', { textContent: label });
      lab.htmlFor = id;
      this.progress.append(
        el('div', { className: 'asset' }, lab, bar, el('span', { className: 'bytes' })),
      );
      this.bars.set(p.name, bar);
    }
    bar.value = p.loaded;
    const mb = (b: number) => (b / 1e6).toFixed(1);
    (bar.nextSibling as HTMLElement).textContent = `${mb(p.loaded)} / ${mb(p.total)} MB`;
  }

  private async start() {
    const saved = await history.load(this.options.historyKey);
    this.entries = saved.entries;
    this.state = saved.state;
    // Messages a closed page (or a failed start) left unanswered come back first.
    this.queue = [...(saved.queued ?? []), ...this.queue];
    this.loaded = true;
    if (this.queue.length) void this.persist();
    if (saved.lang && !this.options.lang) {
      this.lang = saved.lang;
      this.t = strings[saved.lang];
    }
    if (saved.encoder) this.encoder = saved.encoder;
    this.render();
    try {
      const requested = Math.round(performance.now());
      const info = await this.engine.init(
        this.options.assetBase,
        this.options.catalogueUrl,
        this.encoder,
      );
      this.encoder = info.encoder;
      this.ready = true;
      this.preciseButton.disabled = false;
      this.preciseButton.setAttribute('aria-pressed', String(this.encoder === 'transformer'));
      this.progress.replaceChildren();
      this.status.textContent = this.t.ready(info.movieCount);
      // Where the start-up went, for whoever looks (the bench reads it): when the page asked
      // for the engine (ms since navigation), then the worker's steps from that request.
      this.root.dataset.startup = [`requested=${requested}`]
        .concat(Object.entries(info.startup).map(([step, ms]) => `${step}=${ms}`))
        .join(',');
      this.root.dataset.ready = 'true';
      void this.drain();
    } catch (e) {
      this.failure = (e as Error).message;
      this.status.textContent = `${this.t.failed} ${this.failure}`;
      this.status.classList.add('error');
      this.root.dataset.ready = 'error';
      // The waiting messages say why; they stay queued (and saved) for the next start.
      for (const q of this.queue) this.markQueued(q);
      throw e;
    }
  }

  private async persist() {
    if (!this.loaded) return;
    const saved = await history.save(this.options.historyKey, {
      entries: this.entries.slice(-MAX_ENTRIES),
      state: this.state,
      lang: this.lang,
      encoder: this.encoder,
      queued: this.queue.map(({ text, feedback }) => ({ text, feedback })),
    });
    if (saved === this.historyOff) {
      // The notice changes only when saving starts or stops failing.
      this.historyOff = !saved;
      this.notice.textContent = this.historyOff ? this.t.historyOff : '';
    }
  }

  private async clearHistory() {
    this.entries = [];
    this.state = undefined;
    this.queue = [];
    this.log.replaceChildren();
    await history.clear(this.options.historyKey);
    this.input.focus();
  }

  /** The conversation as the chat shows it: the user's messages and each answer's words. */
  private turns(): Turn[] {
    return this.entries.map((e) =>
      e.role === 'user'
        ? { role: 'user', text: e.text }
        : { role: 'assistant', text: firstLine(e.answer) },
    );
  }

  /**
   * Sends `text` (or the composer's text) as the user's message. It shows at once; while the
   * engine loads (or another answer is on its way) it waits in the queue, and the queue is
   * answered in order, each message once. `feedback` goes into the state just before it is asked.
   */
  async submit(text?: string, feedback?: history.QueuedMessage['feedback']) {
    const message = (text ?? this.input.value).trim();
    if (!message) {
      this.status.textContent = this.t.emptyMessage;
      return;
    }
    if (text === undefined) this.input.value = '';
    const q: Queued = { text: message, feedback };
    this.queue.push(q);
    this.showQueued(q);
    if (!this.ready || this.busy) void this.persist();
    await this.drain();
  }

  /** Answers the queued messages one after another (once the engine is ready). */
  private async drain() {
    if (!this.ready || this.busy) return;
    this.busy = true;
    try {
      for (let q = this.queue.shift(); q; q = this.queue.shift()) await this.answer(q);
    } finally {
      this.busy = false;
    }
  }

  private async answer(q: Queued) {
    q.li?.classList.remove('queued');
    q.note?.remove();
    q.note = undefined;
    if (q.feedback && this.state) {
      const list = this.state[q.feedback.kind];
      if (!list.includes(q.feedback.movieId)) list.push(q.feedback.movieId);
    }
    this.entries.push({ role: 'user', text: q.text, at: Date.now() });
    // The answer goes right under its message, above the messages still waiting.
    const pending = el('li', { className: 'bot pending', textContent: this.t.thinking });
    this.log.insertBefore(pending, this.nextQueuedNode());
    try {
      const answer = await this.engine.ask(this.turns(), this.state, this.lang);
      this.state = answer.state;
      const entry: history.Entry = { role: 'bot', answer, at: Date.now() };
      this.entries.push(entry);
      pending.remove();
      const node = this.show(entry, this.nextQueuedNode());
      this.trim();
      if (answer.fallback) await this.fallback(entry, node);
    } catch (e) {
      pending.remove();
      const err = e as EngineError;
      if (err.code === ENGINE_DIED && (q.deaths = (q.deaths ?? 0) + 1) < 2) {
        // Not answered: asked again, first, once the new worker is ready.
        this.entries.pop();
        this.queue.unshift(q);
        q.li?.classList.add('queued');
        return;
      }
      this.log.insertBefore(
        el('li', { className: 'bot error', textContent: err.message }),
        this.nextQueuedNode(),
      );
    } finally {
      void this.persist();
    }
  }

  /** Drops the entries past MAX_ENTRIES, oldest first, from the chat and from the log. */
  private trim() {
    if (this.entries.length > MAX_ENTRIES)
      this.entries.splice(0, this.entries.length - MAX_ENTRIES);
    const shown = () => this.log.childElementCount - this.queue.length;
    while (shown() > MAX_ENTRIES && !this.log.firstElementChild?.classList.contains('queued'))
      this.log.firstElementChild?.remove();
  }

  /** The log node of the first message still waiting (answers go above it), or null. */
  private nextQueuedNode(): Node | null {
    const li = this.queue[0]?.li;
    return li && li.parentNode === this.log ? li : null;
  }

  /** Shows a waiting message at the end of the log, with its status. */
  private showQueued(q: Queued) {
    q.li = this.show({ role: 'user', text: q.text, at: 0 });
    q.li.classList.add('queued');
    q.note = el('span', { className: 'queued-note' });
    q.li.append(q.note);
    this.markQueued(q);
  }

  private markQueued(q: Queued) {
    if (!q.note) return;
    const failed = this.failure !== null;
    q.note.textContent = failed
      ? `${this.t.failed} ${this.failure} ${this.t.queuedKept}`
      : this.ready
        ? this.t.queuedNext
        : this.t.queued;
    q.note.classList.toggle('error', failed);
    q.note.setAttribute('role', failed ? 'alert' : 'status');
  }

  private async fallback(entry: Extract<history.Entry, { role: 'bot' }>, node: HTMLElement) {
    const note = el('p', { className: 'note' });
    node.querySelector('.answer-text')!.after(note);
    if (!this.options.proxyUrl) {
      note.textContent = entry.note = this.t.noProxy;
      return;
    }
    if (!navigator.onLine) {
      note.textContent = entry.note = this.t.offline;
      return;
    }
    note.textContent = this.t.askingLlm;
    const llm = el(
      'div',
      { className: 'llm' },
      el('span', { className: 'badge', textContent: this.t.fromLlm }),
      el('p', { className: 'llm-text' }),
    );
    llm.setAttribute('aria-live', 'polite');
    note.after(llm);
    const messages = this.entries
      .filter((e) => e.role === 'user')
      .slice(-8)
      .map((e) => ({ role: 'user' as const, text: (e as { text: string }).text }));
    try {
      const result = await askProxy(
        this.options.proxyUrl,
        this.lang,
        messages,
        entry.answer,
        (streamed) => {
          llm.querySelector('.llm-text')!.textContent = streamed;
        },
      );
      const text = [
        result.message,
        ...result.recommendations.map(
          (r, i) =>
            `${i + 1}. ${r.title}${r.year ? ` (${r.year})` : ''}${r.reason ? ` — ${r.reason}` : ''}`,
        ),
      ].join('\n');
      llm.querySelector('.llm-text')!.textContent = text;
      note.remove();
      entry.llm = { text, titles: result.recommendations.map((r) => r.title) };
      // Titles the catalogue knows become cards again (genres, why).
      const known = entry.answer.results.filter((r) =>
        result.recommendations.some((x) => x.title.toLowerCase() === r.title.toLowerCase()),
      );
      if (known.length) llm.append(this.cards(known));
    } catch (e) {
      llm.remove();
      note.textContent = entry.note = `${this.t.llmFailed} (${(e as Error).message})`;
    }
  }

  private show(entry: history.Entry, before: Node | null = null): HTMLElement {
    const t = this.t;
    if (entry.role === 'user') {
      const li = el(
        'li',
        { className: 'user' },
        el('span', { className: 'who', textContent: t.you }),
        el('p', { textContent: entry.text }),
      );
      this.log.insertBefore(li, before);
      li.scrollIntoView?.({ block: 'end' });
      return li;
    }
    const a = entry.answer;
    const chips = el('div', { className: 'chips' });
    const chip = el('span', {
      className: `chip sentiment ${a.sentiment.label}`,
      textContent: `${a.sentiment.label} ${a.sentiment.score.toFixed(2)}`,
    });
    chips.append(chip);
    // This message's films (answers saved before `inMessage` existed list every user mention).
    const recognised = a.mentioned.filter((m) => m.fromUser && (m.inMessage ?? true));
    chips.append(
      el('span', {
        className: 'chip recognised',
        textContent: recognised.length
          ? `${t.recognised}: ${recognised.map((m) => `${m.title} (${m.year})`).join(', ')}`
          : t.nothingRecognised,
      }),
    );
    for (const p of a.people ?? [])
      chips.append(el('span', { className: 'chip person', textContent: p.name }));
    for (const c of a.constraints)
      chips.append(el('span', { className: 'chip constraint', textContent: c }));
    const li = el(
      'li',
      { className: 'bot' },
      el('span', { className: 'who', textContent: t.bot }),
      chips,
      el('p', { className: 'answer-text', textContent: firstLine(a) }),
      this.cards(a.results),
    );
    li.dataset.fallback = String(a.fallback);
    if (entry.note)
      li.querySelector('.answer-text')!.after(
        el('p', { className: 'note', textContent: entry.note }),
      );
    if (entry.llm)
      li.append(
        el(
          'div',
          { className: 'llm' },
          el('span', { className: 'badge', textContent: t.fromLlm }),
          el('p', { className: 'llm-text', textContent: entry.llm.text }),
        ),
      );
    this.log.insertBefore(li, before);
    li.scrollIntoView?.({ block: 'end' });
    return li;
  }

  private cards(results: Result[]): HTMLElement {
    const t = this.t;
    const list = el('ol', { className: 'cards' });
    for (const r of results) {
      const poster = el('div', { className: 'poster' });
      const initials = el('span', { textContent: r.title.slice(0, 1) });
      poster.append(initials);
      if (r.posterPath && navigator.onLine) {
        const img = el('img');
        img.alt = '';
        img.crossOrigin = 'anonymous';
        img.loading = 'lazy';
        img.src = `https://image.tmdb.org/t/p/w185${r.posterPath}`;
        img.onload = () => initials.remove();
        img.onerror = () => img.remove();
        poster.append(img);
      }
      const title = el('h3', { textContent: `${r.title}${r.year ? ` (${r.year})` : ''}` });
      const meta = el('p', {
        className: 'meta',
        textContent: `${r.genres.join(', ')} · ${t.similarity} ${Math.round(r.similarity * 100)}%`,
      });
      const why = el('p', { className: 'why', textContent: r.why });
      const buttons = el('div', { className: 'actions' });
      const action = (label: string, kind: 'liked' | 'disliked' | 'seen', text: string) => {
        const b = el('button', { type: 'button', textContent: label });
        b.setAttribute('aria-label', `${label}: ${r.title}`);
        // The movie goes into the state when this message is asked (an answer still on its way
        // would otherwise overwrite it).
        b.onclick = () => void this.submit(text, { kind, movieId: r.movieId });
        buttons.append(b);
      };
      action(t.moreLike, 'liked', t.moreLikeText(r.title));
      action(t.notThis, 'disliked', t.notThisText(r.title));
      action(t.seen, 'seen', t.seenText(r.title));
      const card = el(
        'li',
        { className: 'card' },
        poster,
        el('div', { className: 'body' }, title, meta, why, buttons),
      );
      card.dataset.movieId = String(r.movieId);
      list.append(card);
    }
    return list;
  }
}
