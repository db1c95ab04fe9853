// The page: starts the engine worker and shows what the core makes of a message.
import type { InitResult, Request, Response, TokenizeResult } from './protocol';

const worker = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module' });
let nextId = 1;
const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

worker.onmessage = (event: MessageEvent<Response>) => {
  const reply = event.data;
  const waiter = pending.get(reply.id);
  if (!waiter) return;
  pending.delete(reply.id);
  if ('error' in reply) waiter.reject(new Error(reply.error));
  else waiter.resolve(reply.result);
};

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
function call<T>(request: WithoutId<Request>): Promise<T> {
  const id = nextId++;
  return new Promise<T>((resolve, reject) => {
    pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
    worker.postMessage({ ...request, id });
  });
}

const status = document.getElementById('status')!;
const message = document.getElementById('message') as HTMLTextAreaElement;
const pieces = document.getElementById('pieces')!;
const vector = document.getElementById('vector')!;

async function show() {
  const r = await call<TokenizeResult>({ action: 'tokenize', text: message.value });
  pieces.replaceChildren(
    ...r.pieces.map((piece, i) => {
      const li = document.createElement('li');
      li.textContent = `${piece} (${r.ids[i]})`; // text only: never parsed as HTML
      return li;
    }),
  );
  const e = r.embedding;
  vector.textContent = e
    ? `Embedding: ${e.length} dims, norm ${Math.hypot(...e).toFixed(3)}, first ${e
        .slice(0, 3)
        .map((x) => x.toFixed(5))
        .join(', ')}`
    : 'Embedding: none (no tokens)';
}

call<InitResult>({ action: 'init', assetBase: new URL('./assets/', document.baseURI).href })
  .then(async (info) => {
    status.textContent = `Ready: ${info.kernel} kernels, Unicode ${info.unicode}, ${info.vocabSize} pieces.`;
    message.disabled = false;
    message.addEventListener('input', () => void show());
    await show();
  })
  .catch((e: Error) => {
    status.textContent = `The engine could not start: ${e.message}`;
    status.classList.add('error');
  });
