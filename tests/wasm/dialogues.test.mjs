// The dialogue readers, the name resolver and the conversation signals (scripts/lib/dialogues.mjs,
// scripts/build/dialogue_signals.mjs) on the real shared files and the demo catalogue: row
// counts, the evaluation protocol's rules, names resolved, pairs counted on a hand-made folder.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import { TRAINING_FILES, writeDialogueSignals } from '../../scripts/build/dialogue_signals.mjs';
import { root } from '../../scripts/lib/core-node.mjs';
import {
  HOLDOUT_RULE,
  SETS,
  casesOfDialogue,
  createResolver,
  foldTitle,
  heldOut,
  loadCases,
  loadCatalogueMovies,
  parseName,
  readDialogues,
  readGoRecDial,
} from '../../scripts/lib/dialogues.mjs';

const dataDir =
  process.env.CINERAG_DATA || path.join(process.env.CINERAG_SHARED || path.join(root, '../shared'), 'data');
const movies = await loadCatalogueMovies(path.join(root, 'catalogue/demo.db'));
const resolver = createResolver(movies);
const idOf = (name) => resolver.resolve(name)?.movie.movieId ?? null;

test('names fold: case, accents, punctuation, articles, "Title, The"', () => {
  assert.equal(foldTitle('The Matrix'), 'matrix');
  assert.equal(foldTitle('Matrix, The'), 'matrix');
  assert.equal(foldTitle('  MATRIX  '), 'matrix');
  assert.equal(foldTitle('Amélie'), 'amelie');
  assert.equal(foldTitle("Schindler's List"), 'schindlers list');
  assert.equal(foldTitle('Fast & Furious'), 'fast and furious');
  assert.equal(foldTitle('A Quiet Place'), 'quiet place');
  assert.equal(foldTitle('Spider-Man: Homecoming'), 'spider man homecoming');
  assert.deepEqual(parseName('Bridesmaids  (2011)'), { title: 'Bridesmaids', year: 2011 });
  assert.deepEqual(parseName('How to Train Your Dragon '), { title: 'How to Train Your Dragon', year: null });
  assert.deepEqual(parseName('(500) Days of Summer'), { title: '(500) Days of Summer', year: null });
});

test('the resolver finds a movie by any of its names, with or without the year', () => {
  for (const name of ['The Matrix (1999)', 'Matrix, The', 'matrix', 'MATRIX, THE (1999)', 'The Matrix (2000)']) {
    assert.equal(idOf(name), 2571, name);
  }
  assert.equal(idOf('Amelie'), 4973);
  assert.equal(idOf("Le Fabuleux destin d'Amelie Poulain (2001)"), 4973, 'original title, accents folded');
  assert.equal(idOf('Star Wars'), 260, 'an alternate title');
  assert.equal(idOf('Kill Bill'), 6874, "a series' name: its most voted film");
  // The year chooses between namesakes; without one, the more voted film.
  assert.equal(idOf('Titanic (1953)'), 3404);
  assert.equal(idOf('Titanic (1997)'), 1721);
  assert.equal(idOf('Titanic'), 1721);
  assert.equal(idOf('Ghostbusters (2016)'), 160080);
  assert.equal(idOf('Ghostbusters'), 2716);
  assert.equal(resolver.resolve('Ghostbusters (2016)').via, 'year');
  assert.equal(idOf('No Such Film Anywhere (2031)'), null);
  // A hit is the gold or a movie sharing its name (of its year, ±1).
  assert.deepEqual(resolver.hitIds(1721, 'Titanic (1997)'), [1721]);
  assert.deepEqual(resolver.hitIds(2716, 'Ghost Busters'), [2716]);
});

test('GoRecDial: the rows the evaluation always had (alternating halves), no RECOMMEND in the input', () => {
  const cases = readGoRecDial(path.join(dataDir, 'gorecdial/test_data.jsonl'));
  assert.equal(cases.length, 1841);
  assert.equal(cases.filter((c) => c.split === 'report').length, 923);
  assert.equal(new Set(cases.map((c) => c.id)).size, cases.length);
  for (const c of cases) {
    const { turns, state } = c.request;
    assert.ok(turns.some((t) => t.role === 'user'), c.id);
    assert.ok(!state.mentioned.includes(c.gold), `${c.id}: gold recommended earlier`);
    assert.ok(!turns.some((t) => /^RECOMMEND|^ACCEPT$|^REJECT$/.test(t.text)), c.id);
    assert.ok(turns.every((t) => t.role === 'user' || t.role === 'assistant'));
    assert.equal(Number(c.id.split(':')[1]), turns.length);
  }
  // The first dialogue: "RECOMMEND @5903" answers the seeker's first two turns.
  assert.deepEqual(cases[0].request.turns.map((t) => t.role), ['user', 'assistant', 'user']);
  assert.equal(cases[0].gold, 5903);
});

for (const set of ['inspired', 'redial']) {
  for (const split of ['tune', 'report']) {
    test(`${SETS[set].label} ${split} (${SETS[set][split].file}): counts and the protocol`, () => {
      const dialogues = readDialogues(dataDir, set, split);
      const expected = {
        inspired: { tune: [650, 720, 1300, 1700], report: [99, 99, 200, 320] },
        redial: { tune: [500, 500, 1500, 2000], report: [100, 100, 280, 400] },
      }[set][split];
      assert.ok(dialogues.length >= expected[0] && dialogues.length <= expected[1], `${dialogues.length} dialogues`);
      const cases = dialogues.flatMap(casesOfDialogue);
      assert.ok(cases.length >= expected[2] && cases.length <= expected[3], `${cases.length} cases`);
      assert.equal(new Set(cases.map((c) => c.id)).size, cases.length, 'one case per (dialogue, turn, movie)');
      const byId = new Map(dialogues.map((d) => [d.id, d]));
      for (const c of cases) {
        const d = byId.get(c.dialogue);
        const at = Number(c.id.slice(d.id.length + 1).split(':')[0]);
        const turn = d.turns[at];
        // The input is every turn before the recommender's turn, both roles, and nothing of it.
        assert.equal(turn.role, 'assistant', c.id);
        assert.deepEqual(c.turns, d.turns.slice(0, at).map((t) => ({ role: t.role, text: t.text })), c.id);
        assert.ok(c.turns.some((t) => t.role === 'user'), c.id);
        assert.ok(turn.suggests.some((r) => r.name === c.goldName), c.id);
        // The gold was named by no earlier turn; the earlier names are the mentioned ones.
        const key = turn.suggests.find((r) => r.name === c.goldName).key;
        assert.ok(!d.turns.slice(0, at).some((t) => t.movies.some((r) => r.key === key)), `${c.id}: named earlier`);
        const earlier = d.turns.slice(0, at).flatMap((t) => t.movies);
        assert.ok(c.mentionedNames.every((n) => earlier.some((r) => r.name === n)), c.id);
        assert.equal(c.mentionedNames.length, new Set(earlier.map((r) => r.key)).size, c.id);
        for (const t of c.turns) {
          assert.ok(!/@\d{3,}/.test(t.text), `${c.id}: a ReDial @id left in the text`);
          assert.ok(!/^(System|User): /m.test(t.text), `${c.id}: a prompt prefix left in the text`);
          assert.ok(!t.text.includes('QUOTATION_MARK'), c.id);
        }
      }
      // Resolved against the demo catalogue: gold ids, never among the excluded, hits include it.
      const { cases: resolved, report } = loadCases(dataDir, set, split, resolver);
      assert.equal(report.rows, cases.length);
      assert.equal(report.resolved + report.unresolved, report.rows);
      assert.ok(report.resolved >= 0.5 * report.rows, JSON.stringify(report));
      for (const c of resolved) {
        assert.ok(!c.request.state.mentioned.includes(c.gold), c.id);
        assert.ok(c.goldIds.includes(c.gold), c.id);
      }
    });
  }
}

test('conversation signals: counted once per dialogue, after an earlier mention, from training files only', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cinerag-signals-'));
  try {
    const data = path.join(tmp, 'data');
    fs.mkdirSync(path.join(data, 'conversations/inspired'), { recursive: true });
    fs.mkdirSync(path.join(data, 'conversations/redial'), { recursive: true });
    // INSPIRED: one dialogue in two rows (the second extends the first): Alpha named by the
    // seeker, then Beta suggested, then Gamma suggested. Another dialogue suggests Beta again
    // without an earlier mention.
    const ctx1 = '\nSystem: Hi\nUser: I loved Alpha Movie last week\nSystem: ';
    const ctx2 = `${ctx1}Try Beta Film!\nUser: Nice. More?\nSystem: `;
    const ctx3 = '\nSystem: Hello\nUser: anything good?\nSystem: ';
    const csv = [
      ',full_situation,movies',
      `0,"${ctx1}",['Beta Film']`,
      `1,"${ctx2}",['Gamma']`,
      `2,"${ctx3}","['Beta Film', ""Alpha Movie""]"`,
      '',
    ].join('\n');
    fs.writeFileSync(path.join(data, TRAINING_FILES[0]), csv);
    // ReDial: the seeker names Alpha twice and Gamma; the recommender suggests Beta twice (one
    // dialogue: counted once), names Alpha (named before: no suggestion) and Delta (its own
    // questionnaire says it suggested nothing there).
    const redial = {
      conversationId: 1,
      initiatorWorkerId: 1,
      respondentWorkerId: 2,
      movieMentions: { 11: 'Alpha Movie (2001)', 12: 'Beta Film (2002)', 13: 'Gamma (2003)', 14: 'Delta (2004)' },
      respondentQuestions: { 11: { suggested: 0 }, 12: { suggested: 1 }, 13: { suggested: 0 }, 14: { suggested: 0 } },
      messages: [
        { senderWorkerId: 1, text: 'I like @11 and @13' },
        { senderWorkerId: 2, text: 'then @12' },
        { senderWorkerId: 1, text: 'seen @11 twice' },
        { senderWorkerId: 2, text: '@12 again, and @11 is good' },
        { senderWorkerId: 2, text: 'or @14' },
      ],
    };
    fs.writeFileSync(path.join(data, TRAINING_FILES[1]), JSON.stringify(redial));
    const catalogue = [
      { movieId: 1, title: 'Alpha Movie', year: 2001, voteCount: 10 },
      { movieId: 2, title: 'Beta Film', year: 2002, voteCount: 10 },
      { movieId: 3, title: 'Gamma', year: 2003, originalTitle: null, altTitles: 'Gamma Ray', voteCount: 10 },
      { movieId: 4, title: 'Delta', year: 2004, voteCount: 10 },
    ];
    const out = path.join(tmp, 'out');
    const counts = await writeDialogueSignals({ movies: catalogue, dataDir: data, outDir: out, holdOut: false });
    assert.equal(counts.dialogues, 3);
    assert.equal(counts.holdout, '');
    // INSPIRED d1: Alpha→Beta, Alpha→Gamma, Beta→Gamma; d2: Beta, Alpha suggested, no pair;
    // ReDial: Alpha→Beta, Gamma→Beta.
    assert.equal(fs.readFileSync(path.join(out, 'pairs.tsv'), 'utf8'), '1\t2\t2\n1\t3\t1\n2\t3\t1\n3\t2\t1\n');
    assert.equal(fs.readFileSync(path.join(out, 'suggested.tsv'), 'utf8'), '1\t1\n2\t3\n3\t1\n');
    assert.equal(counts.pairs, 4);
    assert.equal(counts.suggestedMovies, 3);
    assert.ok(!fs.readdirSync(out).some((f) => f.endsWith('.tmp')));

    // The real training files, alone in a folder (so nothing else can be read), demo catalogue.
    const real = path.join(tmp, 'real');
    for (const f of TRAINING_FILES) {
      fs.mkdirSync(path.dirname(path.join(real, f)), { recursive: true });
      fs.symlinkSync(path.join(dataDir, f), path.join(real, f));
    }
    const c = await writeDialogueSignals({ movies, dataDir: real, outDir: out });
    // One dialogue in five is held out for tuning (and the evaluation tunes on exactly those).
    assert.equal(c.holdout, HOLDOUT_RULE);
    const training = [...readDialogues(dataDir, 'inspired', 'tune'), ...readDialogues(dataDir, 'redial', 'tune')];
    assert.equal(c.heldOut, training.filter((d) => heldOut(d.id)).length);
    assert.equal(c.dialogues + c.heldOut, training.length);
    assert.ok(c.heldOut > 0.15 * training.length && c.heldOut < 0.25 * training.length, `${c.heldOut} held out`);
    assert.ok(c.dialogues > 800 && c.suggestionsResolved > 1500 && c.pairs > 2000, JSON.stringify(c));
    const lines = fs.readFileSync(path.join(out, 'pairs.tsv'), 'utf8').trim().split('\n');
    assert.equal(lines.length, c.pairs);
    const known = new Set(movies.map((m) => m.movieId));
    for (const line of lines) {
      const [a, b, n] = line.split('\t').map(Number);
      assert.ok(a !== b && known.has(a) && known.has(b) && Number.isInteger(n) && n >= 1, line);
    }
    // ReDial train's first dialogue: Ghostbusters (1984) suggested, then Bridesmaids named by the
    // seeker, then Despicable Me 3 suggested (counted unless that dialogue is held out).
    const first = training.find((d) => d.id.startsWith('redial:'));
    const counted = !heldOut(first.id);
    for (const a of ['Ghostbusters (1984)', 'Bridesmaids (2011)']) {
      const pair = `${idOf(a)}\t${idOf('Despicable Me 3 (2017)')}\t`;
      assert.equal(lines.some((l) => l.startsWith(pair)), counted, `${a} → Despicable Me 3`);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
