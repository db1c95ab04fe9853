// The evaluation's fusion tuner (scripts/eval/fusion.mjs) against the core on the demo catalogue:
// a pool re-ranked under other weights gives the core's own answer for those weights, the
// core's weights read back from its scores, gold ranks and recall from the re-ranking.
import assert from 'node:assert/strict';
import test from 'node:test';
import { createEngine } from '../../scripts/lib/engine-node.mjs';
import {
  TermNames,
  coordinateAscent,
  goldRank,
  makePool,
  readWeights,
  recallOf,
  rerank,
} from '../../scripts/eval/fusion.mjs';

const engine = await createEngine();
const turns = [
  { role: 'user', text: 'I loved The Matrix but I hated Titanic.' },
  { role: 'assistant', text: 'What else do you like?' },
  { role: 'user', text: 'Science fiction with robots, maybe something from the 80s' },
];

test("a pool re-ranked under other weights is the core's answer for them", async () => {
  const names = new TermNames();
  const first = await engine.ask({ turns, k: 20, candidates: true });
  assert.ok(first.candidates.length > 100, `${first.candidates.length} candidates`);
  assert.deepEqual(
    first.results.map((r) => r.movieId),
    first.candidates.slice(0, 20).map((c) => c.movieId),
    'the candidates come best first',
  );
  const pool = makePool(first.candidates, [], names);
  const read = readWeights([pool], names.names);
  assert.ok(read.maxError < 1e-5, `${read.maxError}`);
  for (const [name, value] of Object.entries(read.weights)) {
    assert.ok(value >= 0 || name === 'dislike', `${name} ${value}`);
  }
  assert.ok(read.weights.query > 0 && read.weights.prior > 0, JSON.stringify(read.weights));
  const others = [
    Object.fromEntries(names.names.map((n) => [n, n === 'query' ? 1 : 0])),
    { ...read.weights, item: (read.weights.item ?? 0) * 3 + 0.5, prior: 0.05 },
  ];
  for (const weights of others) {
    const full = Object.fromEntries(names.names.map((n) => [n, weights[n] ?? 0]));
    const core = await engine.ask({ turns, k: 20, weights: full });
    assert.deepEqual(
      rerank(pool, full, names.names, 20).map((x) => x.id),
      core.results.map((r) => r.movieId),
      JSON.stringify(full),
    );
  }
});

test('gold ranks, recall and the ascent on hand-made pools', () => {
  const names = new TermNames();
  const candidates = (rows) => rows.map(([movieId, a, b]) => ({ movieId, score: a + b, terms: { a, b } }));
  // Under a only, movie 3 leads; under b only, movie 1 does. Ties go to the lower id.
  const p1 = makePool(candidates([[1, 0.1, 0.9], [2, 0.5, 0.5], [3, 0.9, 0.1]]), [1], names);
  const p2 = makePool(candidates([[4, 0.2, 0.2], [5, 0.2, 0.2]]), [5], names);
  const p3 = makePool(candidates([[6, 1, 1]]), [99], names); // the gold is not in the pool
  const w = (a, b) => Float64Array.from([a, b]);
  assert.equal(goldRank(p1, w(1, 0)), 2);
  assert.equal(goldRank(p1, w(0, 1)), 0);
  assert.equal(goldRank(p2, w(1, 1)), 1, 'a tie goes to the lower id');
  assert.equal(goldRank(p3, w(1, 1)), -1);
  const r = recallOf([p1, p2, p3], { a: 0, b: 1 }, names.names);
  assert.deepEqual(r, { rows: 3, r1: 1 / 3, r10: 2 / 3, r50: 2 / 3 });
  assert.deepEqual(makePool(candidates([[7, 0, 0]]), [7], names).gold, Int32Array.from([0]));
  // From a = 1, b = 0 the gold is 12th (out of the top 10); the ascent finds weights that put
  // it first.
  const distractors = Array.from({ length: 11 }, (_, i) => [100 + i, 0.5 + 0.01 * i, 0.5]);
  const p4 = makePool(candidates([[1, 0.1, 0.9], ...distractors]), [1], names);
  const tuned = coordinateAscent({ x: [p4, p4] }, { a: 1, b: 0 }, names.names);
  assert.equal(tuned.start, 0.1);
  assert.equal(tuned.objective, 1.1);
  assert.equal(goldRank(p4, Float64Array.from(names.names.map((n) => tuned.weights[n]))), 0);
});
