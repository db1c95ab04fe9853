// The WASM tokenizer, called from JS as the browser calls it, against the reference tokenizer.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { test, before, after } from 'node:test';
import { loadCore, root, vocabPath } from '../../scripts/lib/core-node.mjs';

const require = createRequire(import.meta.url);
let core, tokenizer, reference;

before(async () => {
  core = await loadCore();
  tokenizer = new core.Tokenizer();
  const loaded = tokenizer.load(new Uint8Array(fs.readFileSync(vocabPath)));
  assert.deepEqual(loaded, { ok: true, vocabSize: 8000 });
  const { EmbeddingsModel } = require('@energetic-ai/embeddings');
  reference = new EmbeddingsModel({ vocabulary: require(vocabPath), model: null }).tokenizer;
});
after(() => tokenizer?.delete());

test('the module runs the SIMD128 kernels', () => {
  assert.equal(core.kernelName(), 'wasm-simd128');
});

test('golden table: identical ids to @energetic-ai/embeddings on every row', () => {
  const file = process.env.CINERAG_GOLDEN_TOKENS || path.join(root, 'build/golden/tokens.jsonl');
  assert.ok(fs.existsSync(file), `${file} missing: node scripts/gen/golden_tokens.mjs`);
  const rows = fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.ok(rows.length >= 500, `only ${rows.length} golden rows`);
  let mismatches = 0;
  for (const row of rows) {
    const text = row.hex ? new TextDecoder().decode(Buffer.from(row.hex, 'hex')) : row.text;
    const got = Array.from(tokenizer.encode(text));
    if (JSON.stringify(got) !== JSON.stringify(row.ids)) {
      mismatches++;
      if (mismatches <= 3) assert.deepEqual(got, row.ids, `${row.source}: ${text.slice(0, 80)}`);
    }
  }
  assert.equal(mismatches, 0);
});

// Differential check on generated strings: scripts, combining marks, emoji, spacing, punctuation.
test('random mixed-script strings agree with the reference', () => {
  const alphabet = [
    ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
    ...'     .,!?\'"-:;()[]…',
    ...'타이타닉기생충영화너무좋아',
    ...'éèàüñçœßø',
    '\u0301',
    '\u0308',
    '\u0323', // combining marks
    'ﬁ',
    'Ｔ',
    '①',
    '½',
    '\u00a0',
    '\t',
    '\n',
    '🎬',
    '😀',
    '❤️',
    '👍🏽',
    'が',
    'ｶ',
    '中',
    'Ж',
    'ع',
  ];
  let seed = 12345;
  const rand = (n) => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed % n;
  };
  for (let i = 0; i < 400; i++) {
    let s = '';
    const len = rand(60);
    for (let j = 0; j < len; j++) s += alphabet[rand(alphabet.length)];
    assert.deepEqual(Array.from(tokenizer.encode(s)), reference.encode(s), JSON.stringify(s));
  }
});

test('bad input gets a defined answer', () => {
  const fresh = new core.Tokenizer();
  try {
    assert.deepEqual(fresh.encode('before load'), {
      error: 'no vocabulary loaded',
      code: 'invalid_argument',
    });
    const notBytes = fresh.load('not bytes');
    assert.equal(notBytes.code, 'invalid_argument');
    const broken = fresh.load(new TextEncoder().encode('[["a", 1], ['));
    assert.equal(broken.code, 'invalid_argument');
    assert.match(broken.error, /JSON/);
    assert.equal(fresh.encode('still not loaded').code, 'invalid_argument');
  } finally {
    fresh.delete();
  }
  assert.deepEqual(Array.from(tokenizer.encode('')), []);
  const big = 'I loved it. '.repeat(9000); // ~100 KB
  const ids = tokenizer.encode(big);
  assert.ok(ids.length > 9000);
  assert.ok(ids instanceof Int32Array);
});
