// The page side of the engine worker: one promise per request, progress events while loading.
import type {
  AskResult,
  EncoderName,
  ConversationState,
  InitResult,
  Progress,
  Request,
  Response,
  TokenizeResult,
  Turn,
} from './protocol';

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

export class EngineError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

export class Engine {
  private worker: Worker;
  private nextId = 1;
  private pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void }
  >();
  onProgress: (p: Progress['progress']) => void = () => {};

  /** worker: the engine worker (the widget starts it through a blob when cross-origin). */
  constructor(worker: Worker) {
    this.worker = worker;
    this.worker.onmessage = (event: MessageEvent<Response>) => {
      const reply = event.data;
      if ('progress' in reply) return this.onProgress(reply.progress);
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      if ('error' in reply) waiter.reject(new EngineError(reply.error, reply.code));
      else waiter.resolve(reply.result);
    };
    this.worker.onerror = (e) => {
      for (const w of this.pending.values())
        w.reject(new EngineError(e.message || 'the engine stopped'));
      this.pending.clear();
    };
  }

  private call<T>(request: WithoutId<Request>): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ ...request, id });
    });
  }

  init(assetBase: string, catalogueUrl?: string, encoder: EncoderName = 'static') {
    return this.call<InitResult>({ action: 'init', assetBase, catalogueUrl, encoder });
  }

  /** The encoder of the next answers (the transformer downloads the first time). */
  setEncoder(encoder: EncoderName) {
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
