// The engine worker: owns the WASM core; the page talks to it only through messages.
/// <reference lib="webworker" />
import type { CineragCore, Tokenizer } from '../../wasm/bindings/cinerag_core';
import { createEncoder, type Encoder } from './encoder';
import type { Request, Response } from './protocol';

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
let encoder: Encoder | null = null;

async function sha256(bytes: ArrayBuffer): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

// Fetches an asset and checks it against assets.json before anything uses it.
async function fetchChecked(base: URL, name: string, info: AssetInfo): Promise<ArrayBuffer> {
  const response = await fetch(new URL(name, base));
  if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
  const bytes = await response.arrayBuffer();
  if (bytes.byteLength !== info.bytes || (await sha256(bytes)) !== info.sha256) {
    throw new Error(
      `${name} is damaged or incomplete (${bytes.byteLength} of ${info.bytes} bytes)`,
    );
  }
  return bytes;
}

async function init(assetBase: string) {
  if (!WebAssembly.validate(SIMD_PROBE)) {
    throw new Error('This browser cannot run WebAssembly SIMD, which cinerag needs.');
  }
  const base = new URL(assetBase);
  const assets: Record<string, AssetInfo> = await (
    await fetch(new URL('assets.json', base))
  ).json();
  const [wasm, vocab, model, ortWasm] = await Promise.all([
    fetchChecked(base, 'cinerag_core.wasm', assets['cinerag_core.wasm']),
    fetchChecked(base, 'vocab.json', assets['vocab.json']),
    fetchChecked(base, 'use-lite-int8.onnx', assets['use-lite-int8.onnx']),
    fetchChecked(base, 'ort-wasm-simd-threaded.wasm', assets['ort-wasm-simd-threaded.wasm']),
  ]);
  const moduleUrl = new URL('cinerag_core.mjs', base).href;
  const { default: create } = await import(/* @vite-ignore */ moduleUrl);
  core = (await create({ wasmBinary: new Uint8Array(wasm) })) as CineragCore;
  tokenizer = new core.Tokenizer();
  const loaded = tokenizer.load(new Uint8Array(vocab));
  if ('error' in loaded) throw new Error(loaded.error);
  encoder = await createEncoder(new Uint8Array(model), ortWasm);
  return { kernel: core.kernelName(), unicode: core.unicodeVersion(), vocabSize: loaded.vocabSize };
}

self.onmessage = async (event: MessageEvent<Request>) => {
  const request = event.data;
  let reply: Response;
  try {
    if (request.action === 'init') {
      reply = { id: request.id, result: await init(request.assetBase) };
    } else if (request.action === 'tokenize') {
      if (!tokenizer) throw new Error('the engine is not ready');
      const ids = tokenizer.encode(request.text) ?? new Int32Array(0);
      const embedding = encoder ? await encoder.embed(ids) : null;
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
    reply = { id: request.id, error: e instanceof Error ? e.message : String(e) };
  }
  self.postMessage(reply);
};
