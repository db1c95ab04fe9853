// The engine worker: owns the WASM core (which embeds messages with its static encoder) and, once
// the precise encoder is chosen, ONNX Runtime through encoder.ts; the page, the PWA and the widget
// talk to it only through messages (protocol.ts).
/// <reference lib="webworker" />
import type { CineragCore, Recommender, Tokenizer } from '../../wasm/bindings/cinerag_core';
import { createEncoder, type Encoder } from './encoder';
import {
  ENGINE_DIED,
  type AskResult,
  type EncoderName,
  type InitResult,
  type Request,
  type Response,
} from './protocol';
import { embeddingText, fitTurns, requestBody } from './request';

declare const self: DedicatedWorkerGlobalScope;

// A module whose one function is (i32.const 0; i8x16.splat; i8x16.popcnt): it validates only where
// WebAssembly SIMD128 runs.
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15,
  253, 98, 11,
]);

interface AssetInfo {
  bytes: number;
  sha256: string;
}

let core: CineragCore | null = null;
let tokenizer: Tokenizer | null = null;
let recommender: Recommender | null = null;
/** The transformer, loaded the first time it is chosen; null while the static encoder serves. */
let transformer: Encoder | null = null;
let chosen: EncoderName = 'static';
/** What setEncoder needs later: the asset base and assets.json. */
let assetsAt: { base: URL; assets: Record<string, AssetInfo> } | null = null;

async function sha256(bytes: ArrayBuffer): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function progress(name: string, loaded: number, total: number, done = false) {
  self.postMessage({ progress: { name, loaded, total, done } } satisfies Response);
}

/**
 * Streams one download, reporting bytes as they arrive. `checked`: the sha256 the service worker
 * checked these bytes against when it cached them (sw.js), read whole and at once; else null.
 */
async function download(
  url: URL,
  name: string,
  total: number,
): Promise<{ bytes: ArrayBuffer; checked: string | null }> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
  const checked = response.headers.get('x-cinerag-sha256');
  if (checked || !response.body) return { bytes: await response.arrayBuffer(), checked };
  const reader = response.body.getReader();
  const parts: Uint8Array[] = [];
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    loaded += value.byteLength;
    progress(name, loaded, total);
  }
  const out = new Uint8Array(loaded);
  let at = 0;
  for (const p of parts) (out.set(p, at), (at += p.byteLength));
  return { bytes: out.buffer, checked: null };
}

// Fetches an asset and checks it against assets.json before anything uses it; a failed or
// damaged download is tried once more (the service worker never caches a bad one). Bytes the
// service worker checked against the same hash are not hashed again (a repeat visit).
async function fetchChecked(url: URL, name: string, info: AssetInfo): Promise<ArrayBuffer> {
  let last: Error | null = null;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const { bytes, checked } = await download(url, name, info.bytes);
      const hashed = checked === info.sha256 ? checked : await sha256(bytes);
      if (bytes.byteLength !== info.bytes || hashed !== info.sha256) {
        throw new Error(
          `${name} is damaged or incomplete (${bytes.byteLength} of ${info.bytes} bytes)`,
        );
      }
      progress(name, info.bytes, info.bytes, true);
      return bytes;
    } catch (e) {
      last = e instanceof Error ? e : new Error(String(e));
    }
  }
  throw last!;
}

/** An asset named in assets.json, downloaded and checked (fetchChecked). */
function checkedAsset(name: string): Promise<ArrayBuffer> {
  if (!assetsAt) throw new Error('the engine is not ready');
  const { base, assets } = assetsAt;
  return fetchChecked(new URL(name, base), name, assets[name]);
}

async function init(
  assetBase: string,
  catalogueUrl: string | undefined,
  encoder: EncoderName,
): Promise<InitResult> {
  const t0 = performance.now();
  const since = () => Math.round(performance.now() - t0);
  const startup = { compiled: 0, downloaded: 0, instantiated: 0, opened: 0, ready: 0 };
  if (!WebAssembly.validate(SIMD_PROBE)) {
    throw new Error(
      'This browser cannot run WebAssembly SIMD, which cinerag needs. Try a current Chrome, Edge, Firefox or Safari.',
    );
  }
  const base = new URL(assetBase);
  const assets: Record<string, AssetInfo> = await (
    await fetch(new URL('assets.json', base))
  ).json();
  assetsAt = { base, assets };
  // A catalogue from elsewhere (the widget's catalogue-url) has no entry in assets.json: its
  // bytes are checked by the core when it opens them.
  const catalogue = catalogueUrl
    ? fetch(catalogueUrl).then((r) => {
        if (!r.ok) throw new Error(`catalogue: HTTP ${r.status}`);
        return r.arrayBuffer();
      })
    : checkedAsset('catalogue.db');
  // The core's module compiles while the rest downloads (streaming, from the HTTP cache or the
  // service worker's on a repeat visit).
  const compiled = compileCore(new URL('cinerag_core.wasm', base)).then((m) => {
    startup.compiled = since();
    return m;
  });
  const [module, vocab, staticModel, en, ko, db] = await Promise.all([
    compiled,
    checkedAsset('vocab.json'),
    checkedAsset('static-en.bin'),
    checkedAsset('sentiment-en.bin'),
    checkedAsset('sentiment-ko.bin'),
    catalogue,
  ]);
  startup.downloaded = since();
  const moduleUrl = new URL('cinerag_core.mjs', base).href;
  const { default: create } = await import(/* @vite-ignore */ moduleUrl);
  // The compiled module is instantiated here; a failure rejects (Emscripten would wait forever).
  let failed!: (e: unknown) => void;
  const instantiateFailed = new Promise<never>((_, reject) => (failed = reject));
  core = (await Promise.race([
    create({
      instantiateWasm: (imports: WebAssembly.Imports, done: (i: WebAssembly.Instance) => void) => {
        WebAssembly.instantiate(module, imports).then(done, failed);
        return {};
      },
    }),
    instantiateFailed,
  ])) as CineragCore;
  startup.instantiated = since();
  tokenizer = new core.Tokenizer();
  const loaded = tokenizer.load(new Uint8Array(vocab));
  if ('error' in loaded) throw new Error(loaded.error);
  recommender = new core.Recommender();
  const opened = recommender.load(new Uint8Array(db), new Uint8Array(en), new Uint8Array(ko));
  if ('error' in opened) {
    recommender = null;
    throw Object.assign(new Error(`The movie catalogue cannot be opened: ${opened.error}`), {
      code: opened.code,
    });
  }
  startup.opened = since();
  const used = recommender.useEncoder(new Uint8Array(vocab), new Uint8Array(staticModel));
  if ('error' in used) throw new Error(`The sentence encoder cannot be used: ${used.error}`);
  startup.ready = since();
  if (encoder === 'transformer') await setEncoder('transformer');
  return {
    kernel: core.kernelName(),
    unicode: core.unicodeVersion(),
    vocabSize: loaded.vocabSize,
    movieCount: opened.movieCount,
    newestYear: opened.newestYear,
    encoder: chosen,
    threads: transformer?.threads ?? 1,
    startup,
  };
}

/**
 * The core's module, compiled while it downloads. fetch checks it against assets.json through
 * its integrity attribute (the same sha256), so the bytes are never read twice. When that fails
 * (a damaged download, a server that does not say application/wasm) the bytes are fetched and
 * checked as every other asset is, which retries once and says what was wrong.
 */
async function compileCore(url: URL): Promise<WebAssembly.Module> {
  const info = assetsAt!.assets['cinerag_core.wasm'];
  try {
    const response = await fetch(url, { integrity: `sha256-${hexToBase64(info.sha256)}` });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const module = await WebAssembly.compileStreaming(response);
    progress('cinerag_core.wasm', info.bytes, info.bytes, true);
    return module;
  } catch {
    return WebAssembly.compile(await fetchChecked(url, 'cinerag_core.wasm', info));
  }
}

function hexToBase64(hex: string): string {
  let bin = '';
  for (let i = 0; i < hex.length; i += 2)
    bin += String.fromCharCode(parseInt(hex.slice(i, i + 2), 16));
  return btoa(bin);
}

/**
 * Chooses the encoder for the next answers. The transformer (ONNX Runtime Web and the int8 model,
 * about 10 MB) is fetched and started the first time it is chosen; until then the core's static
 * encoder serves.
 */
async function setEncoder(name: EncoderName): Promise<EncoderName> {
  if (name === 'transformer' && !transformer) {
    const [model, ortWasm] = await Promise.all([
      checkedAsset('use-lite-int8.onnx'),
      checkedAsset('ort-wasm-simd-threaded.wasm'),
    ]);
    transformer = await createEncoder(new Uint8Array(model), ortWasm);
  }
  chosen = name;
  return chosen;
}

/** The tokenizer's ids for `text` (none when it cannot say). */
function idsOf(text: string): Int32Array {
  const ids = tokenizer?.encode(text);
  return ids instanceof Int32Array ? ids : new Int32Array(0);
}

async function ask(request: Extract<Request, { action: 'ask' }>): Promise<AskResult> {
  if (!tokenizer || !recommender) throw new Error('the engine is not ready');
  const t0 = performance.now();
  // The same request as the Node engine's (request.js), from the turns cut to the core's limits.
  const { state, lang, k } = request;
  const message = { turns: fitTurns(request.turns), state, lang, k };
  // The static encoder runs inside ask(); the transformer's vector is computed here first.
  let embedding: Float32Array | null = null;
  if (chosen === 'transformer' && transformer) {
    const text = embeddingText(message);
    embedding = await transformer.embed(text.trim() ? idsOf(text) : new Int32Array(0));
  }
  const reply = JSON.parse(recommender.ask(requestBody(message), embedding));
  if ('error' in reply) throw Object.assign(new Error(reply.error), { code: reply.code });
  return { ...(reply as AskResult), encoder: chosen, ms: performance.now() - t0 };
}

self.onmessage = async (event: MessageEvent<Request>) => {
  const request = event.data;
  let reply: Response;
  try {
    if (request.action === 'init') {
      reply = {
        id: request.id,
        result: await init(request.assetBase, request.catalogueUrl, request.encoder ?? 'static'),
      };
    } else if (request.action === 'setEncoder') {
      reply = { id: request.id, result: { encoder: await setEncoder(request.encoder) } };
    } else if (request.action === 'ask') {
      reply = { id: request.id, result: await ask(request) };
    } else if (request.action === 'tokenize') {
      if (!tokenizer) throw new Error('the engine is not ready');
      const ids = idsOf(request.text);
      const embedding = transformer ? await transformer.embed(ids) : null;
      reply = {
        id: request.id,
        result: {
          ids: Array.from(ids),
          pieces: Array.from(ids, (id) => tokenizer!.piece(id)),
          embedding: embedding ? Array.from(embedding) : null,
        },
      };
    } else {
      reply = { id: (request as { id: number }).id, error: 'unknown action' };
    }
  } catch (e) {
    const err = e as Error & { code?: string };
    // A trap in the core (out of memory, an abort) leaves the module unusable: say so and end, and
    // the page starts a new worker (engine.ts).
    const died = e instanceof WebAssembly.RuntimeError;
    reply = {
      id: request.id,
      error: err.message ?? String(e),
      code: died ? ENGINE_DIED : err.code,
    };
    self.postMessage(reply);
    if (died) self.close();
    return;
  }
  self.postMessage(reply);
};
