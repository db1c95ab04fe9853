// The WASM catalogue: opening from bytes, SIMD search against an f32 oracle, and every kind of bad
// file returning an error value. Fixtures come from the native make_fixture_db (npm test makes them).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test, before, after } from 'node:test';
import { loadCore, root } from '../../scripts/lib/core-node.mjs';

const fixtures = process.env.CINERAG_FIXTURES || path.join(root, 'build/fixtures');
const read = (name) => new Uint8Array(fs.readFileSync(path.join(fixtures, name)));
let core, catalogue, vectors;
const DIMS = 512;

before(async () => {
  core = await loadCore();
  catalogue = new core.Catalogue();
  const loaded = catalogue.load(read('small.db'));
  assert.deepEqual(loaded, { ok: true, movieCount: 300, dims: DIMS, schemaVersion: 4 });
  const raw = fs.readFileSync(path.join(fixtures, 'small.f32'));
  vectors = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
});
after(() => catalogue?.delete());

const row = (i) => vectors.subarray(i * DIMS, (i + 1) * DIMS);

function bruteForce(query, k) {
  const scored = [];
  for (let i = 0; i < vectors.length / DIMS; i++) {
    let dot = 0;
    for (let d = 0; d < DIMS; d++) dot += query[d] * vectors[i * DIMS + d];
    scored.push([i + 1, dot]); // movie ids are row + 1 in the fixture
  }
  return scored.sort((a, b) => b[1] - a[1]).slice(0, k);
}

test('each movie finds itself first, with cosine ~1', () => {
  for (const i of [0, 1, 57, 299]) {
    const r = catalogue.search(row(i), { k: 5, kernel: 'auto' });
    assert.equal(r.movieIds[0], i + 1);
    assert.ok(Math.abs(r.scores[0] - 1) < 0.01, `score ${r.scores[0]}`);
    assert.ok(r.movieIds instanceof Float64Array && r.scores instanceof Float32Array);
  }
});

test('int8 SIMD, int8 scalar and the f32 oracle agree', () => {
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 31 - 1;
  let found = 0;
  for (let q = 0; q < 20; q++) {
    const query = new Float32Array(DIMS);
    let norm = 0;
    for (let d = 0; d < DIMS; d++) norm += (query[d] = row(q * 13)[d] + rand()) ** 2;
    for (let d = 0; d < DIMS; d++) query[d] /= Math.sqrt(norm);
    const simd = catalogue.search(query, { k: 10, kernel: 'simd' });
    const scalar = catalogue.search(query, { k: 10, kernel: 'scalar' });
    assert.deepEqual(simd, scalar, 'kernels must give identical results');
    const truth = new Set(bruteForce(query, 10).map(([id]) => id));
    found += [...simd.movieIds].filter((id) => truth.has(id)).length;
  }
  assert.ok(found / 200 >= 0.95, `recall@10 ${found / 200}`);
});

test('search arguments are checked', () => {
  assert.equal(
    catalogue.search(new Float32Array(3), { k: 5, kernel: 'auto' }).code,
    'invalid_argument',
  );
  assert.equal(catalogue.search([1, 2, 3], { k: 5, kernel: 'auto' }).code, 'invalid_argument');
  assert.equal(catalogue.search(row(0), { k: 5, kernel: 'gpu' }).code, 'invalid_argument');
  assert.equal(catalogue.search(row(0), { k: -1, kernel: 'auto' }).code, 'invalid_argument');
  assert.equal(catalogue.search(row(0), { k: 0, kernel: 'auto' }).movieIds.length, 0);
  assert.equal(catalogue.search(row(0), { k: 10000, kernel: 'auto' }).movieIds.length, 300);
  const nan = new Float32Array(DIMS).fill(NaN);
  assert.equal(catalogue.search(nan, { k: 3, kernel: 'auto' }).movieIds.length, 3);
});

test('text search, movies and meta', () => {
  const hits = catalogue.searchText('titanic', 5);
  assert.deepEqual(Array.from(hits.movieIds), [1]);
  assert.deepEqual(Array.from(catalogue.searchText('기생충', 5).movieIds), [4]);
  assert.equal(catalogue.searchText('" OR * NEAR(', 5).movieIds.length >= 0, true);
  assert.equal(catalogue.searchText('" OR * NEAR(', 5).error, undefined);
  const html = catalogue.movie(6);
  assert.equal(html.title, '<img src=x onerror=alert(1)>');
  assert.equal(catalogue.movie(123456), null);
  assert.equal(catalogue.meta('model_name'), 'fixture-random');
  assert.equal(catalogue.meta('schema_version'), '4');
});

test('bad files: each gets its own clear error, and the loaded catalogue stays usable', () => {
  const good = read('small.db');
  const random = new Uint8Array(4096).map((_, i) => (i * 2654435761) >>> 24);
  const cases = [
    ['empty', new Uint8Array(0), 'empty'],
    ['truncated', good.subarray(0, good.length / 2), 'corrupt'],
    ['header only', good.subarray(0, 100), 'corrupt'],
    ['random bytes', random, 'not_a_database'],
    ['another schema', read('other.db'), 'wrong_schema'],
    ['newer schema', read('newer.db'), 'unsupported_version'],
  ];
  for (const [name, bytes, code] of cases) {
    const r = catalogue.load(bytes);
    assert.equal(r.code, code, `${name}: ${JSON.stringify(r)}`);
    assert.ok(r.error.length > 10, `${name}: message "${r.error}"`);
  }
  assert.equal(catalogue.load('a string').code, 'invalid_argument');
  // A failed load never replaces the catalogue that was loaded.
  assert.equal(catalogue.search(row(3), { k: 1, kernel: 'auto' }).movieIds[0], 4);
});
