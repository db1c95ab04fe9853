// The public quality suite (tests/quality/cases.jsonl, scripts/eval/quality.mjs) on the demo
// catalogue: its pass fraction must not fall below MIN_PASS; and the runner's checkers, on
// hand-made answers, must both pass and fail.
import assert from 'node:assert/strict';
import path from 'node:path';
import test from 'node:test';
import { root } from '../../scripts/lib/core-node.mjs';
import { createEngine } from '../../scripts/lib/engine-node.mjs';
import {
  checkAnswer,
  checkInvariants,
  foldPerson,
  loadFacts,
  movieRefs,
  readCases,
  resolveMovie,
  runSuite,
  turnText,
} from '../../scripts/eval/quality.mjs';

/** The floor on the suite's pass fraction on the demo catalogue (measured, rounded down; raise it). */
const MIN_PASS = 0.95;

const db = path.join(root, 'catalogue/demo.db');
const cases = readCases();
const facts = await loadFacts(db);

test('the cases: at least 120, 35 in Korean, every group, every movie in the catalogue', () => {
  assert.ok(cases.length >= 120, `${cases.length} cases`);
  assert.ok(cases.filter((c) => c.lang === 'ko').length >= 35);
  const groups = new Set(cases.map((c) => c.group));
  for (const g of ['titles', 'negation', 'requests', 'people', 'korean', 'constraints', 'conversation', 'edge'])
    assert.ok(groups.has(g), g);
  for (const c of cases) {
    for (const { ref } of movieRefs(c))
      assert.ok(resolveMovie(facts, ref).length, `${c.id}: ${JSON.stringify(ref)} is not in the demo catalogue`);
    for (const e of [c.expect, ...c.turns.map((t) => t?.expect)].filter(Boolean)) {
      const who = e.resultsPerson;
      if (!who) continue;
      const credit = facts.credits.get(foldPerson(who.name));
      const role = who.role === 'any' || !who.role ? ['director', 'cast'] : [who.role];
      const n = new Set(role.flatMap((r) => [...(credit?.[r] ?? [])])).size;
      assert.ok(n >= (who.min ?? 3), `${c.id}: ${who.name} has ${n} credited films in the catalogue`);
    }
  }
});

test(`the suite on the demo catalogue passes at least ${MIN_PASS}`, async () => {
  const engine = await createEngine({ db });
  const suite = await runSuite(engine, facts, cases);
  const lines = Object.entries(suite.groups).map(([g, x]) => `${g}: ${x.passed}/${x.passed + x.failed}`);
  const errors = suite.outcomes.filter((o) => o.failures.some((f) => f.startsWith('case error')));
  assert.deepEqual(errors.map((o) => o.id), [], 'cases whose movies the catalogue lacks');
  assert.ok(
    suite.fraction >= MIN_PASS,
    `${suite.passed} of ${cases.length} pass (${suite.fraction.toFixed(3)} < ${MIN_PASS}); ${lines.join(', ')}`,
  );
});

// --- the checkers on hand-made answers -------------------------------------------------------

const titanic = resolveMovie(facts, { title: 'Titanic', year: 1997 })[0];
const notebook = resolveMovie(facts, { title: 'The Notebook', year: 2004 })[0];
const movie = (id, extra = {}) => {
  const m = facts.movies.get(id);
  return { movieId: id, title: m.title, year: m.year, genres: m.genres, score: 1, similarity: 0.5, why: 'Action', ...extra };
};
const byTitle = (title, year) => resolveMovie(facts, { title, year })[0];
const actionIds = [
  byTitle('Heat', 1995),
  byTitle('The Matrix', 1999),
  byTitle('Die Hard', 1988),
  byTitle('Aliens', 1986),
  byTitle('Speed', 1994),
];
const answer = (over = {}) => ({
  lang: 'en',
  sentiment: { label: 'negative', score: 0.8 },
  mentioned: [{ movieId: notebook, title: 'The Notebook', year: 2004, surface: 'The Notebook', fromUser: true, liked: false }],
  results: actionIds.map((id) => movie(id)),
  constraints: [],
  fallback: false,
  fallbackReason: '',
  confidence: 0.5,
  intro: '',
  answer: 'Recommendations: ...',
  state: { liked: [], disliked: [notebook], seen: [], mentioned: [notebook], lastResults: actionIds },
  ...over,
});
const check = (expect, a, ctx = {}) => checkAnswer(expect, a, { facts, ...ctx });

test('checkers: a good answer passes, each broken part fails with a reason', () => {
  const expect = {
    mentions: [{ title: 'The Notebook', year: 2004, liked: false }],
    genre: { any: ['Action'], min: 3 },
    notResults: [{ title: 'The Notebook' }],
    sentiment: 'negative',
    lang: 'en',
    allDated: true,
    scriptsNone: ['Hebrew', 'Greek'],
    whyNotMention: ['Titanic'],
    disliked: [{ title: 'The Notebook', year: 2004 }],
  };
  assert.deepEqual(check(expect, answer()), []);
  // Read as liked, recommended back, wrong genre, wrong label, a Titanic reason, an undated
  // Hebrew title: each one is reported.
  const bad = answer({
    sentiment: { label: 'positive', score: 0.6 },
    mentioned: [{ movieId: notebook, title: 'The Notebook', year: 2004, fromUser: true, liked: true }],
    results: [
      movie(notebook, { why: "Romance like 'Titanic'" }),
      movie(titanic),
      { movieId: -1, title: 'מאה מיליון צפיות', year: 0, genres: [], score: 0, similarity: 0.7, why: '' },
    ],
    state: { liked: [notebook], disliked: [], seen: [], mentioned: [], lastResults: [] },
  });
  const f = check(expect, bad).join('\n');
  for (const want of [
    /3 results, want ≥ 5/,
    /The Notebook \(2004\) read as liked=true, want false/,
    /results with genre Action: 0 of 3, want ≥ 3/,
    /recommended 'The Notebook'/,
    /sentiment positive, want negative/,
    /has no year/,
    /Hebrew script/,
    /mentions Titanic/,
    /The Notebook \(2004\) not disliked/,
  ])
    assert.match(f, want);
});

test('checkers: titles that must not be read, no movie at all, years, people, languages, text', () => {
  const heavy = byTitle('Heavy', 1995);
  const withHeavy = answer({ mentioned: [{ movieId: heavy, title: 'Heavy', year: 1995, fromUser: true, liked: null }] });
  assert.match(check({ notMentioned: [{ title: 'Heavy' }] }, withHeavy).join(), /recognised 'Heavy' \(1995\)/);
  assert.match(check({ mentionsNone: true }, withHeavy).join(), /want no movie/);
  assert.deepEqual(check({ mentionsNone: true }, answer({ mentioned: [] })), []);
  assert.match(check({ mentions: [{ title: 'Alien', year: 1979 }] }, answer()).join(), /did not recognise Alien \(1979\)/);
  assert.deepEqual(check({ mentions: [{ title: 'The Notebook', liked: [false, null] }] }, answer()), []);

  // Heat 1995, The Matrix 1999, Die Hard 1988, Aliens 1986, Speed 1994
  assert.deepEqual(check({ years: { from: 1990, to: 1999, min: 3 } }, answer()), []);
  assert.match(check({ years: { from: 1990, to: 1999, min: 4 } }, answer()).join(), /3 of 5, want ≥ 4/);
  assert.match(check({ genreNone: ['Sci-Fi'] }, answer()).join(), /'The Matrix' \(1999\) is .*Sci-Fi/);

  // Keanu Reeves stars in The Matrix and Speed (the credit files): 2 of 5.
  assert.deepEqual(check({ resultsPerson: { name: 'Keanu Reeves', role: 'cast', min: 2 } }, answer()), []);
  assert.match(check({ resultsPerson: { name: 'reeves keanu', role: 'cast', min: 3 } }, answer()).join(), /2 of 5/);
  assert.match(check({ resultsPerson: { name: 'Keanu Reeves', role: 'director', min: 1 } }, answer()).join(), /0 of 5/);
  assert.match(check({ resultsLanguage: { lang: 'ko', min: 1 } }, answer()).join(), /original language ko: 0 of 5/);
  const korean = answer({ results: [movie(byTitle('Old Boy', 2003)), movie(byTitle('Memories of Murder', 2003))] });
  assert.deepEqual(check({ resultsLanguage: { lang: 'ko', min: 2 }, minResults: 2 }, korean), []);
  assert.deepEqual(check({ resultsText: { pattern: 'bomb|bus', min: 1 } }, answer()), []); // Speed
  assert.match(check({ resultsText: { pattern: 'time travel', min: 1 } }, answer()).join(), /0 of 5/);
  assert.match(check({ maxMs: 100 }, answer(), { ms: 250 }).join(), /took 250 ms/);
});

test('checkers: the previous answer (more like the second one, something else) and invariants', () => {
  const prev = answer();
  const second = prev.results[1].movieId;
  const now = answer({ results: prev.results.slice(0, 2).map((x) => ({ ...x })), state: { ...prev.state, liked: [] } });
  assert.match(check({ likedPrev: 2, minResults: 0 }, now, { prev }).join(), /previous #2\) not taken as liked/);
  const liked = { ...now, state: { ...now.state, liked: [second] } };
  assert.deepEqual(check({ likedPrev: 2, minResults: 0 }, liked, { prev }), []);
  assert.match(check({ notPrevResults: true, minResults: 0 }, now, { prev }).join(), /repeated 'Heat'/);
  assert.deepEqual(check({ notPrevResults: [3, 4], minResults: 0 }, now, { prev }), []);

  assert.deepEqual(checkInvariants(answer()), []);
  assert.match(checkInvariants({ error: 'bad', code: 'invalid_argument' }).join(), /error: bad/);
  const twice = answer({ results: [movie(titanic), movie(titanic)], answer: '' });
  assert.match(checkInvariants(twice).join(), /a result appears twice/);
  assert.match(checkInvariants(twice).join(), /empty answer text/);
  assert.match(checkInvariants(answer(), 3).join(), /5 results for k=3/);
  assert.equal(turnText({ repeat: 'ab', times: 3 }), 'ababab');
});
