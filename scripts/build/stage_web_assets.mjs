// Copies what the browser fetches at run time (the WASM core, the tokenizer vocabulary, the
// models and the catalogue) into web/public/assets/ and writes assets.json with each file's
// bytes and sha256, which the app checks before use.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { root, vocabPath, wasmDir } from '../lib/core-node.mjs';

const out = path.join(root, 'web/public/assets');
fs.mkdirSync(out, { recursive: true });
const files = {
  'cinerag_core.mjs': path.join(wasmDir, 'cinerag_core.mjs'),
  'cinerag_core.wasm': path.join(wasmDir, 'cinerag_core.wasm'),
  'vocab.json': vocabPath,
  'static-en.bin': path.join(root, 'models/static-en.bin'),
  // The precise mode's transformer: fetched only when chosen.
  'use-lite-int8.onnx': path.join(root, 'models/use-lite-int8.onnx'),
  'sentiment-en.bin': path.join(root, 'models/sentiment-en.bin'),
  'sentiment-ko.bin': path.join(root, 'models/sentiment-ko.bin'),
  // The catalogue the app opens: the demo preset unless CINERAG_CATALOGUE names another.
  'catalogue.db': path.resolve(
    process.env.CINERAG_CATALOGUE || path.join(root, 'catalogue/demo.db'),
  ),
  // onnxruntime-web's WASM build, fetched by its own loader from env.wasm.wasmPaths.
  'ort-wasm-simd-threaded.wasm': path.join(
    root,
    'node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.wasm',
  ),
};
const manifest = {};
for (const [name, src] of Object.entries(files)) {
  if (!fs.existsSync(src))
    throw new Error(`${src} is missing: run npm run build (and npm run models)`);
  const bytes = fs.readFileSync(src);
  fs.writeFileSync(path.join(out, name), bytes);
  manifest[name] = {
    bytes: bytes.length,
    sha256: crypto.createHash('sha256').update(bytes).digest('hex'),
  };
}
fs.writeFileSync(path.join(out, 'assets.json'), JSON.stringify(manifest, null, 2) + '\n');
console.log(`staged ${Object.keys(files).length} assets in web/public/assets`);
