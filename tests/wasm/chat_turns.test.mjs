// The chat-turn set (tests/quality/chat_turns.tsv) and its scorer (scripts/eval/chat_turns.mjs):
// the file's integrity (size, labels, unique ids, every turn quoted exactly from its training
// file) and the scorer's arithmetic on a hand example. Not the model's accuracy: that is
// `node scripts/eval/chat_turns.mjs`.
import assert from 'node:assert/strict';
import path from 'node:path';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  FROM_SENTIMENT,
  LABELS,
  SOURCES,
  majority,
  readSet,
  score,
  sourceTurns,
} from '../../scripts/eval/chat_turns.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dataDir =
  process.env.CINERAG_DATA ||
  path.join(process.env.CINERAG_SHARED || path.join(root, '../shared'), 'data');
const rows = readSet(path.join(root, 'tests/quality/chat_turns.tsv'));

test('the set has at least 320 turns, every label in the set and each class present', () => {
  assert.ok(rows.length >= 320, `${rows.length} rows`);
  for (const r of rows) assert.ok(LABELS.includes(r.label), `${r.id}: label ${r.label}`);
  for (const l of LABELS) assert.ok(rows.filter((r) => r.label === l).length >= 30, l);
  for (const r of rows) {
    assert.ok(r.text.trim(), `${r.id}: empty text`);
    for (const tag of r.notes.split(' ').filter(Boolean))
      assert.ok(['mixed', 'hard', 'context'].includes(tag), `${r.id}: note ${tag}`);
  }
});

test('ids are unique, and no dialogue gives two turns', () => {
  assert.equal(new Set(rows.map((r) => r.id)).size, rows.length);
  const dialogue = (/** @type {string} */ id) => id.split(':').slice(0, 2).join(':');
  assert.equal(new Set(rows.map((r) => dialogue(r.id))).size, rows.length);
});

test('every turn is a seeker turn of a training file, quoted exactly', () => {
  const turns = sourceTurns(dataDir);
  const training = new Set(Object.values(SOURCES));
  for (const r of rows) {
    assert.ok(training.has(r.source), `${r.id}: ${r.source} is not a training file`);
    const t = turns.get(r.id);
    assert.ok(t, `${r.id}: no such seeker turn in ${r.source}`);
    assert.equal(t.source, r.source, r.id);
    assert.equal(r.text, t.text, r.id);
  }
  // Both training files give a fair share.
  for (const file of training) assert.ok(rows.filter((r) => r.source === file).length >= 100, file);
});

test('the scorer: accuracy, precision, recall and the confusion matrix on a hand example', () => {
  const gold = ['liked', 'liked', 'liked', 'disliked', 'disliked', 'neutral'];
  const read = ['liked', 'liked', 'neutral', 'disliked', 'liked', 'neutral'];
  const s = score(gold, read);
  assert.equal(s.n, 6);
  assert.equal(s.accuracy, 4 / 6);
  // rows gold, columns read: liked, disliked, neutral
  assert.deepEqual(s.confusion, [
    [2, 0, 1],
    [1, 1, 0],
    [0, 0, 1],
  ]);
  assert.deepEqual(
    Object.fromEntries(LABELS.map((l) => [l, [s.perClass[l].precision, s.perClass[l].recall]])),
    { liked: [2 / 3, 2 / 3], disliked: [1, 1 / 2], neutral: [1 / 2, 1] },
  );
  assert.equal(s.perClass.disliked.f1, 2 / 3);
  assert.equal(s.perClass.liked.support, 3);
  assert.ok(Math.abs(s.macroF1 - (2 / 3 + 2 / 3 + 2 / 3) / 3) < 1e-12);
  // A class never read has precision 0; the majority baseline reads the most frequent gold.
  assert.equal(majority(gold), 'liked');
  const m = score(gold, gold.map(() => majority(gold)));
  assert.equal(m.accuracy, 3 / 6);
  assert.equal(m.perClass.neutral.precision, 0);
  assert.equal(m.perClass.neutral.recall, 0);
  assert.throws(() => score(['liked'], ['positive']), /unknown label/);
  assert.deepEqual(FROM_SENTIMENT, { positive: 'liked', negative: 'disliked', neutral: 'neutral' });
});
