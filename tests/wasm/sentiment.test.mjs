// The trained sentiment models through the WASM core, as the app calls them: the seed's examples,
// Korean routing, the neutral band on opinion-free turns, and bad model files.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test, before, after } from 'node:test';
import { loadCore, root } from '../../scripts/lib/core-node.mjs';

const read = (name) => new Uint8Array(fs.readFileSync(path.join(root, 'models', name)));
let core, sentiment;

before(async () => {
  core = await loadCore();
  sentiment = new core.Sentiment();
  assert.deepEqual(sentiment.load(read('sentiment-en.bin'), read('sentiment-ko.bin')), { ok: true });
});
after(() => sentiment?.delete());

test("the seed's examples", () => {
  const loved = sentiment.classify('I absolutely loved Titanic. It made me so emotional!');
  assert.equal(loved.label, 'positive');
  assert.equal(loved.lang, 'en');
  assert.ok(loved.score > 0.6, `score ${loved.score}`);
  assert.equal(sentiment.classify('I hated Twilight, so boring').label, 'negative');
  const ko = sentiment.classify('타이타닉 너무 감동적이었어');
  assert.equal(ko.lang, 'ko');
  assert.equal(ko.label, 'positive');
  assert.equal(sentiment.classify('트와일라잇 진짜 지루했어').label, 'negative');
});

test('opinion-free turns read as neutral', () => {
  for (const text of ['I meant Avengers: Infinity War', 'something lighter please', 'more like the second one', '']) {
    assert.equal(sentiment.classify(text).label, 'neutral', text);
  }
});

test('any text gets a defined answer', () => {
  const big = 'The acting was wonderful and the story moving. '.repeat(2200); // ~100 KB
  assert.equal(sentiment.classify(big).label, 'positive');
  for (const text of ['\ud83c', '🎬🍿', 'Titanic 타이타닉 タイタニック', '\u0000\u0001']) {
    const r = sentiment.classify(text);
    assert.ok(['positive', 'negative', 'neutral'].includes(r.label));
    assert.ok(r.score >= 0 && r.score <= 1);
  }
});

test('damaged model files are refused with a reason', () => {
  const s = new core.Sentiment();
  try {
    assert.deepEqual(s.classify('before load'), {
      error: 'no sentiment models loaded',
      code: 'invalid_argument',
    });
    const en = read('sentiment-en.bin');
    const ko = read('sentiment-ko.bin');
    assert.equal(s.load(en.subarray(0, 1000), ko).code, 'corrupt');
    assert.equal(s.load(new Uint8Array(0), ko).code, 'invalid_argument');
    assert.equal(s.load(ko, en).code, 'invalid_argument');
    assert.equal(s.load('nope', ko).code, 'invalid_argument');
  } finally {
    s.delete();
  }
});
