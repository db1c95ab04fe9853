// Precompression of the built site: file.br and file.gz beside each compressible file of dist/
// (or the directory given), for scripts/lib/serve.mjs to send as they are.
//
// Brotli quality: 11 saves real bytes on the files the first visit downloads (measured on the
// 12.9 MB demo catalogue: q9 6.62 MB in 4 s, q11 6.13 MB in 28 s; the core's .wasm 679 KB ->
// 624 KB), but quantised weights barely compress at any quality (static-en.bin 4.13 MB: q5
// 3.775 MB in 0.07 s, q11 3.757 MB in 10 s; the int8 .onnx 6.46 vs 6.44 MB, 0.07 vs 19 s). So a
// quick q5 probe decides: under 20% saved (the weights save 9-11%, everything else 35% or more),
// the probe is kept; otherwise q11. A first run over dist/ took 60 s (73 s CPU) on the 2-core
// machine while it was busy, both onnxruntime .wasm copies compressed once. Results are cached by
// content in build/precompress/ because Vite empties dist/ on every build: then only changed
// files cost time (0.2 s when none did).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { root } from '../lib/core-node.mjs';

const brotliAsync = promisify(zlib.brotliCompress);
const gzipAsync = promisify(zlib.gzip);
/** Types worth compressing; images and fonts are compressed formats already. */
const COMPRESSIBLE = /\.(html|js|mjs|css|json|webmanifest|svg|wasm|db|bin|onnx|txt|map)$/;
const MIN_BYTES = 1024;
/** Part of every cache key: changing the rule below invalidates the cache. */
const SETTINGS = 'br:q5-probe-0.8-else-q11;gz:9';
const CACHE_DAYS = 14;

const brotliAt = (bytes, quality) =>
  brotliAsync(bytes, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: quality,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  });

/** `bytes` compressed as the build serves them with Content-Encoding: br. */
export async function brotli(bytes) {
  const probe = await brotliAt(bytes, 5);
  return probe.length > 0.8 * bytes.length ? probe : brotliAt(bytes, 11);
}

/** `bytes` compressed as the build serves them with Content-Encoding: gzip. */
export const gzip = (bytes) => gzipAsync(bytes, { level: 9 });

const ENCODERS = { br: brotli, gz: gzip };

/** Whether a file of this name and size gets siblings (when they come out smaller). */
export const isCompressible = (name, bytes) => COMPRESSIBLE.test(name) && bytes > MIN_BYTES;

/**
 * A content-addressed cache of compressed results under `dir` (hits are touched; entries unused
 * for CACHE_DAYS are pruned). `compress(bytes, ext)` dedupes equal contents within a run too.
 */
export function compressionCache(dir = path.join(root, 'build/precompress')) {
  fs.mkdirSync(dir, { recursive: true });
  const running = new Map();
  async function compute(file, bytes, ext) {
    if (fs.existsSync(file)) {
      const now = new Date();
      fs.utimesSync(file, now, now);
      return fs.readFileSync(file);
    }
    const out = await ENCODERS[ext](bytes);
    fs.writeFileSync(`${file}.tmp`, out);
    fs.renameSync(`${file}.tmp`, file);
    return out;
  }
  return {
    compress(bytes, ext) {
      const key = crypto.createHash('sha256').update(SETTINGS).update(bytes).digest('hex');
      const file = path.join(dir, `${key}.${ext}`);
      if (!running.has(file)) running.set(file, compute(file, bytes, ext));
      return running.get(file);
    },
    prune() {
      const old = Date.now() - CACHE_DAYS * 86400e3;
      for (const name of fs.readdirSync(dir)) {
        const file = path.join(dir, name);
        if (fs.statSync(file).mtimeMs < old) fs.rmSync(file);
      }
    },
  };
}

function listFiles(dir) {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

const isFresh = (sibling, source) =>
  fs.existsSync(sibling) && fs.statSync(sibling).mtimeMs >= fs.statSync(source).mtimeMs;

/**
 * Writes `file.ext` when it is smaller than the file, removes a stale one when it is not.
 * Returns the bytes the sibling holds (the file's own size when there is none).
 */
async function writeSibling(file, bytes, ext, cache) {
  const sibling = `${file}.${ext}`;
  const out = await cache.compress(bytes, ext);
  if (out.length < bytes.length) fs.writeFileSync(sibling, out);
  else fs.rmSync(sibling, { force: true });
  return Math.min(out.length, bytes.length);
}

/** Precompresses every compressible file of `dir` over MIN_BYTES; returns one row per file. */
export async function precompress(dir, cache = compressionCache()) {
  const files = listFiles(dir)
    .map((file) => ({ file, bytes: fs.statSync(file).size }))
    .filter((f) => isCompressible(f.file, f.bytes))
    .sort((a, b) => b.bytes - a.bytes); // the longest jobs first on zlib's thread pool
  return Promise.all(
    files.map(async ({ file, bytes }) => {
      const row = { file: path.relative(dir, file), bytes, br: null, gz: null };
      if (isFresh(`${file}.br`, file) && isFresh(`${file}.gz`, file)) return row;
      const data = fs.readFileSync(file);
      [row.br, row.gz] = await Promise.all(
        ['br', 'gz'].map((ext) => writeSibling(file, data, ext, cache)),
      );
      return row;
    }),
  );
}

async function main() {
  const dir = path.resolve(process.argv[2] ?? path.join(root, 'dist'));
  const t0 = performance.now();
  const cache = compressionCache();
  const rows = await precompress(dir, cache);
  cache.prune();
  const done = rows.filter((r) => r.br !== null);
  const mb = (n) => (n / 1e6).toFixed(2);
  for (const r of done.filter((r) => r.bytes > 1e6))
    console.log(`  ${r.file}: ${mb(r.bytes)} MB, gzip ${mb(r.gz)}, br ${mb(r.br)}`);
  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  console.log(`precompress: ${done.length} of ${rows.length} files (rest up to date), ${secs} s`);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await main();
