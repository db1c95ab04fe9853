// The page side of the engine worker: one promise per request, progress events while loading, a
// new worker when one dies.
import {
  ENGINE_DIED,
  type AskResult,
  type ConversationState,
  type EncoderName,
  type InitResult,
  type Progress,
  type Request,
  type Response,
  type TokenizeResult,
  type Turn,
} from './protocol';

export { ENGINE_DIED };

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

export class EngineError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** A page whose worker died this often stops restarting it (a reload is the better cure). */
const MAX_RESTARTS = 3;

/**
 * The engine worker seen from the page. When the worker dies (an uncaught error, the core
 * aborting, a message it cannot read), every request in flight is rejected with ENGINE_DIED — it
 * was not answered, so the caller may send it again — and a new worker is started and
 * initialised as the first one was; requests wait for it.
 */
export class Engine {
  private worker!: Worker;
  private nextId = 1;
  private pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void }
  >();
  /** How the running worker was initialised (repeated on a restart), and its outcome. */
  private initArgs: WithoutId<Extract<Request, { action: 'init' }>> | null = null;
  private initialised: Promise<InitResult> | null = null;
  onProgress: (p: Progress['progress']) => void = () => {};
  /** The worker died (reason) and a new one is starting; `ready` settles when it is. */
  onRestart: (reason: string, ready: Promise<InitResult>) => void = () => {};
  /** Restarts so far. */
  restarts = 0;

  /** createWorker: starts an engine worker (the widget starts it through a blob when cross-origin). */
  constructor(private createWorker: () => Worker) {
    this.start();
  }

  private start() {
    this.worker = this.createWorker();
    this.worker.onmessage = (event: MessageEvent<Response>) => {
      const reply = event.data;
      if ('progress' in reply) return this.onProgress(reply.progress);
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      if ('error' in reply) waiter.reject(new EngineError(reply.error, reply.code));
      else waiter.resolve(reply.result);
      if ('error' in reply && reply.code === ENGINE_DIED) this.died(reply.error);
    };
    this.worker.onerror = (e) => {
      e.preventDefault();
      this.died(e.message || 'the engine stopped');
    };
    this.worker.onmessageerror = () => this.died('the engine sent a message that cannot be read');
  }

  private died(reason: string) {
    this.worker.terminate();
    for (const w of this.pending.values()) w.reject(new EngineError(reason, ENGINE_DIED));
    this.pending.clear();
    this.restarts++;
    if (this.restarts > MAX_RESTARTS) {
      this.initialised = Promise.reject(
        new EngineError(`the engine stopped ${this.restarts} times (${reason}); reload the page`),
      );
      this.initialised.catch(() => {});
      this.onRestart(reason, this.initialised);
      return;
    }
    this.start();
    if (!this.initArgs) return;
    const args = this.initArgs;
    this.initialised = this.post<InitResult>(args);
    this.onRestart(reason, this.initialised);
  }

  /** Sends a request to the current worker. */
  private post<T>(request: WithoutId<Request>): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ ...request, id });
    });
  }

  /** Sends a request once the worker is initialised (after a restart: the new one). */
  private async call<T>(request: WithoutId<Request>): Promise<T> {
    if (this.initialised) await this.initialised;
    return this.post<T>(request);
  }

  init(assetBase: string, catalogueUrl?: string, encoder: EncoderName = 'static') {
    this.initArgs = { action: 'init', assetBase, catalogueUrl, encoder };
    this.initialised = this.post<InitResult>(this.initArgs);
    return this.initialised;
  }

  /** The encoder of the next answers (the transformer downloads the first time). */
  setEncoder(encoder: EncoderName) {
    // A restarted worker starts with the encoder chosen last.
    if (this.initArgs) this.initArgs = { ...this.initArgs, encoder };
    return this.call<{ encoder: EncoderName }>({ action: 'setEncoder', encoder });
  }

  /** The core's token ids and pieces for `text` and its sentence embedding. */
  tokenize(text: string) {
    return this.call<TokenizeResult>({ action: 'tokenize', text });
  }

  /** The answer to the last user turn of `turns` (the whole conversation, oldest first). */
  ask(turns: Turn[], state: ConversationState | undefined, lang: 'en' | 'ko') {
    return this.call<AskResult>({ action: 'ask', turns, state, lang });
  }
}
