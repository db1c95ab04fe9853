// The benchmark report: runs the WASM core under Node side by side with a plain-JS baseline, merges
// the native Google Benchmark figures, prints a table and writes bench/results.json.
//   node scripts/bench/core.mjs [--native build/bench/native.json] [--calls 50]
// Figures are medians of repeated calls after warm-up, all measured in this one run.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { resultsFile, writeResults } from '../lib/bench-results.mjs';
import { loadCore, root, vocabPath } from '../lib/core-node.mjs';

const { values: args } = parseArgs({
  options: {
    calls: { type: 'string', default: '50' },
    native: { type: 'string', default: path.join(root, 'build/bench/native.json') },
    help: { type: 'boolean', short: 'h' },
  },
});
if (args.help) {
  console.log('usage: node scripts/bench/core.mjs [--native build/bench/native.json] [--calls 50]');
  process.exit(0);
}
const calls = Number(args.calls);
const nativeJson = args.native;
const ROWS = 87585; // MovieLens 32M: the full catalogue
const DIMS = 512;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
function timeIt(fn, n, warmup = 5) {
  for (let i = 0; i < warmup; i++) fn();
  const times = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

// A full-size synthetic catalogue (the real one is built by the catalogue issue's build-db).
const benchDir = path.join(root, 'build/bench');
fs.mkdirSync(benchDir, { recursive: true });
const dbPath = path.join(benchDir, `synthetic_${ROWS}x${DIMS}.db`);
const f32Path = dbPath.replace(/\.db$/, '.f32');
if (!fs.existsSync(dbPath) || !fs.existsSync(f32Path)) {
  const tool = path.join(root, 'build/native/make_fixture_db');
  execFileSync(
    tool,
    [dbPath, '--movies', String(ROWS), '--dims', String(DIMS), '--vectors-out', f32Path],
    {
      stdio: 'inherit',
    },
  );
}

const core = await loadCore();
const catalogue = new core.Catalogue();
const bytes = new Uint8Array(fs.readFileSync(dbPath));
let t0 = performance.now();
const loaded = catalogue.load(bytes);
const loadMs = performance.now() - t0;
if (!loaded.ok) throw new Error(`cannot load the bench catalogue: ${loaded.error}`);

const raw = fs.readFileSync(f32Path);
const vectors = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
const query = vectors.slice(42 * DIMS, 43 * DIMS);
for (let d = 0; d < DIMS; d++) query[d] += 0.001 * Math.sin(d); // near, not equal to, a row

const simd = timeIt(() => catalogue.search(query, { k: 10, kernel: 'simd' }), calls);
const scalar = timeIt(() => catalogue.search(query, { k: 10, kernel: 'scalar' }), calls);

// The baseline an in-browser demo would write: a plain Float32Array loop with a top-10 list.
function searchF32(q, k) {
  const best = [];
  for (let r = 0; r < ROWS; r++) {
    let dot = 0;
    const base = r * DIMS;
    for (let d = 0; d < DIMS; d++) dot += q[d] * vectors[base + d];
    if (best.length < k || dot > best[best.length - 1][1]) {
      best.push([r, dot]);
      best.sort((a, b) => b[1] - a[1]);
      if (best.length > k) best.pop();
    }
  }
  return best;
}
const f32js = timeIt(() => searchF32(query, 10), calls, 2);

// Same answers: the int8 SIMD top-10 against the exact f32 top-10.
const exact = new Set(searchF32(query, 10).map(([r]) => r + 1));
const got = catalogue.search(query, { k: 10, kernel: 'simd' });
const overlap = [...got.movieIds].filter((id) => exact.has(id)).length / 10;

const tokenizer = new core.Tokenizer();
tokenizer.load(new Uint8Array(fs.readFileSync(vocabPath)));
const message = 'I absolutely loved Titanic. It made me so emotional!';
const tokenizeUs = timeIt(() => tokenizer.encode(message), 2000, 100) * 1000;
// Encoding a message: the core's static encoder (WASM) beside the transformer in onnxruntime-web's
// WASM build (the precise mode's runtime, one thread as in a page that is not cross-origin
// isolated), on the same messages.
const MESSAGES = [
  message,
  'Recommend films directed by Christopher Nolan',
  "I didn't like The Notebook, too cheesy. I prefer action movies.",
  'Any good 90s comedies?',
  'something dark and gritty with a twist ending, like a psychological thriller',
];
const staticEncoder = new core.StaticEncoder();
staticEncoder.load(
  new Uint8Array(fs.readFileSync(vocabPath)),
  new Uint8Array(fs.readFileSync(path.join(root, 'models/static-en.bin'))),
);
const p50 = (fn) => {
  const times = [];
  return (async () => {
    for (let i = 0; i < 5; i++) await fn(MESSAGES[i % MESSAGES.length]);
    for (let i = 0; i < calls; i++) {
      const t0 = performance.now();
      await fn(MESSAGES[i % MESSAGES.length]);
      times.push(performance.now() - t0);
    }
    return median(times);
  })();
};
const encodeStaticMs = await p50((m) => staticEncoder.embed(m));
const ortWeb = await import('onnxruntime-web/wasm');
ortWeb.env.wasm.numThreads = 1;
const { encoderSessionOptions } = await import('../../web/src/encoder-options.js');
const session = await ortWeb.InferenceSession.create(
  new Uint8Array(fs.readFileSync(path.join(root, 'models/use-lite-int8.onnx'))),
  encoderSessionOptions,
);
const encodeTransformerMs = await p50(async (m) => {
  const ids = tokenizer.encode(m);
  const indices = new Int32Array(ids.length * 2);
  for (let j = 0; j < ids.length; j++) indices[2 * j + 1] = j;
  await session.run({
    indices: new ortWeb.Tensor('int32', indices, [ids.length, 2]),
    values: new ortWeb.Tensor('int32', ids, [ids.length]),
  });
});
staticEncoder.delete();
tokenizer.delete();
catalogue.delete();

const results = {
  search_int8_wasm_ms: +simd.toFixed(3),
  search_int8_scalar_wasm_ms: +scalar.toFixed(3),
  search_f32_js_ms: +f32js.toFixed(3),
  speedup_simd_vs_js: +(f32js / simd).toFixed(1),
  speedup_simd_vs_scalar_wasm: +(scalar / simd).toFixed(2),
  search_top10_overlap_vs_f32: overlap,
  catalogue_load_wasm_ms: +loadMs.toFixed(1),
  catalogue_bytes_synthetic_full: bytes.length,
  tokenize_message_wasm_us: +tokenizeUs.toFixed(2),
  encode_ms_p50: +encodeStaticMs.toFixed(4),
  encode_transformer_ms_p50: +encodeTransformerMs.toFixed(2),
  rows: ROWS,
  dims: DIMS,
  calls,
};

if (fs.existsSync(nativeJson)) {
  const native = JSON.parse(fs.readFileSync(nativeJson, 'utf8'));
  const ms = (name) => {
    const b = native.benchmarks.find((x) => x.name === name);
    if (!b) return undefined;
    const scale = { ns: 1e-6, us: 1e-3, ms: 1, s: 1e3 }[b.time_unit];
    return +(b.real_time * scale).toFixed(3);
  };
  results.search_int8_native_simd_ms = ms('BM_SearchInt8/simd');
  results.native_simd_kernel = native.benchmarks.find(
    (x) => x.name === 'BM_SearchInt8/simd',
  )?.label;
  results.search_int8_native_scalar_ms = ms('BM_SearchInt8/scalar');
  results.search_f32_native_ms = ms('BM_SearchF32BruteForce');
  results.tokenize_message_native_us = +(ms('BM_Tokenize') * 1000).toFixed(2);
}

console.log(`\ncinerag bench — ${ROWS} x ${DIMS}, median of ${calls} calls after warm-up\n`);
writeResults(results);
console.log(`\nwrote ${path.relative(root, resultsFile)}`);
