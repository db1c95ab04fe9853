// Writes dist/precache.json after the Vite build: every file the app needs offline with its bytes
// and sha256, and a version (a hash over them) that names the service worker's cache. Vite's
// hashed copy of onnxruntime's .wasm is left out: the app loads the checked one in assets/. The
// precise mode's files (the transformer and ONNX Runtime) are `optional`: the service worker
// caches them when the app first fetches them, so the first visit does not download them.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { root } from '../lib/core-node.mjs';

const dist = path.join(root, 'dist');
const files = [];
function walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full);
    else files.push(path.relative(dist, full).split(path.sep).join('/'));
  }
}
walk(dist);
const skip = (f) =>
  f === 'precache.json' ||
  f === 'sw.js' ||
  /^assets\/ort-wasm-simd-threaded-[A-Za-z0-9_-]{8}\.wasm$/.test(f) ||
  f.endsWith('.map');
const OPTIONAL = new Set(['assets/use-lite-int8.onnx', 'assets/ort-wasm-simd-threaded.wasm']);
const describe = (/** @type {string[]} */ paths) =>
  paths.sort().map((f) => {
    const bytes = fs.readFileSync(path.join(dist, f));
    return {
      path: f,
      bytes: bytes.length,
      sha256: crypto.createHash('sha256').update(bytes).digest('hex'),
    };
  });
const list = describe(files.filter((f) => !skip(f) && !OPTIONAL.has(f)));
const optional = describe(files.filter((f) => OPTIONAL.has(f)));
const version = crypto
  .createHash('sha256')
  .update(JSON.stringify([list, optional]))
  .digest('hex')
  .slice(0, 16);
fs.writeFileSync(
  path.join(dist, 'precache.json'),
  JSON.stringify({ version, files: list, optional }, null, 1) + '\n',
);
const mb = list.reduce((a, f) => a + f.bytes, 0) / 1e6;
console.log(`precache.json: ${list.length} files, ${mb.toFixed(1)} MB, version ${version}`);
