// @ts-check
// The conversation signals of the catalogue build, from the training dialogues only (INSPIRED
// train, ReDial train subset; never a dev, valid or test file, nor GoRecDial): pairs.tsv (how
// often movie B was suggested after movie A had been named in the same dialogue) and
// suggested.tsv (in how many dialogues each movie was suggested).
// Also a command: node scripts/build/dialogue_signals.mjs --db catalogue/demo.db --out DIR
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  HOLDOUT_RULE,
  SETS,
  createResolver,
  heldOut,
  loadCatalogueMovies,
  readInspiredTrain,
  readRedial,
} from '../lib/dialogues.mjs';

/** The only dialogue files read, relative to the data folder: the sets' training splits. */
export const TRAINING_FILES = [SETS.inspired.tune.file, SETS.redial.tune.file];

/**
 * @typedef {import('../lib/dialogues.mjs').MovieRecord} MovieRecord
 * @typedef {{dialogues: number, heldOut: number, holdout: string, suggestions: number, suggestionsResolved: number,
 *   mentionsResolved: number, mentionsUnresolved: number, pairs: number, pairCount: number,
 *   suggestedMovies: number, files: {pairs: string, suggested: string}}} SignalCounts
 */

/**
 * Reads the movie records: an array as it is, or a catalogue file (.db, through sql.js), or
 * JSON lines of records ({movieId, title, year, originalTitle, altTitles, voteCount}).
 * @param {MovieRecord[] | string} movies
 * @returns {Promise<MovieRecord[]>}
 */
export async function movieRecords(movies) {
  if (Array.isArray(movies)) return movies;
  if (movies.endsWith('.db')) return loadCatalogueMovies(movies);
  return fs
    .readFileSync(movies, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
}

/**
 * Writes `outDir/pairs.tsv` (`movieIdA\tmovieIdB\tcount`: in how many training dialogues B was
 * suggested by the recommender after A had been named earlier by either side; A ≠ B) and
 * `outDir/suggested.tsv` (`movieId\tcount`: in how many training dialogues the movie was
 * suggested). A suggestion is a movie a recommender turn names that no earlier turn named (the
 * evaluation's gold rule). Names are resolved to `movies` as the evaluation resolves them;
 * unresolved ones are counted and left out. Lines are sorted by ids; both files are written
 * through a .tmp and a rename.
 *
 * With `holdOut` (the default) one dialogue in five (HOLDOUT_RULE) is left out, so that the
 * evaluation can tune the fusion weights on dialogues the signal never saw: write the returned
 * `holdout` into the catalogue's meta as `dialogue_holdout` (the evaluation reads it; without it,
 * it cannot tune on these files at all). `holdout` is '' when nothing was held out.
 * @param {{movies: MovieRecord[] | string, dataDir: string, outDir: string, holdOut?: boolean}} options
 * @returns {Promise<SignalCounts>}
 */
export async function writeDialogueSignals({ movies, dataDir, outDir, holdOut = true }) {
  const resolver = createResolver(await movieRecords(movies));
  /** @type {Map<string, number | null>} */
  const memo = new Map();
  const idOf = (/** @type {string} */ name) => {
    if (!memo.has(name)) memo.set(name, resolver.resolve(name)?.movie.movieId ?? null);
    return memo.get(name) ?? null;
  };
  const all = [
    ...readInspiredTrain(path.join(dataDir, TRAINING_FILES[0]), 'tune'),
    ...readRedial(path.join(dataDir, TRAINING_FILES[1]), 'tune'),
  ];
  const dialogues = holdOut ? all.filter((d) => !heldOut(d.id)) : all;
  /** @type {Map<number, Map<number, number>>} */
  const pairs = new Map();
  /** @type {Map<number, number>} */
  const suggested = new Map();
  const counts = { suggestions: 0, suggestionsResolved: 0, mentionsResolved: 0, mentionsUnresolved: 0 };
  for (const d of dialogues) {
    const namedKeys = new Set();
    /** @type {Set<number>} */
    const namedIds = new Set();
    /** @type {Set<number>} */
    const suggestedHere = new Set();
    /** @type {Set<string>} */
    const pairsHere = new Set();
    for (const turn of d.turns) {
      if (turn.role === 'assistant') {
        for (const ref of turn.suggests) {
          if (namedKeys.has(ref.key)) continue;
          counts.suggestions++;
          const b = idOf(ref.name);
          if (b === null) continue;
          counts.suggestionsResolved++;
          suggestedHere.add(b);
          for (const a of namedIds) if (a !== b) pairsHere.add(`${a}\t${b}`);
        }
      }
      for (const ref of turn.movies) {
        if (namedKeys.has(ref.key)) continue;
        namedKeys.add(ref.key);
        const id = idOf(ref.name);
        if (id === null) counts.mentionsUnresolved++;
        else counts.mentionsResolved++, namedIds.add(id);
      }
    }
    for (const id of suggestedHere) suggested.set(id, (suggested.get(id) ?? 0) + 1);
    for (const key of pairsHere) {
      const [a, b] = key.split('\t').map(Number);
      let row = pairs.get(a);
      if (!row) pairs.set(a, (row = new Map()));
      row.set(b, (row.get(b) ?? 0) + 1);
    }
  }
  const pairLines = [];
  let pairCount = 0;
  for (const a of [...pairs.keys()].sort((x, y) => x - y)) {
    const row = /** @type {Map<number, number>} */ (pairs.get(a));
    for (const b of [...row.keys()].sort((x, y) => x - y)) {
      const n = /** @type {number} */ (row.get(b));
      pairLines.push(`${a}\t${b}\t${n}\n`);
      pairCount += n;
    }
  }
  const suggestedLines = [...suggested.keys()].sort((x, y) => x - y).map((id) => `${id}\t${suggested.get(id)}\n`);
  fs.mkdirSync(outDir, { recursive: true });
  const files = { pairs: path.join(outDir, 'pairs.tsv'), suggested: path.join(outDir, 'suggested.tsv') };
  for (const [file, lines] of /** @type {[string, string[]][]} */ ([
    [files.pairs, pairLines],
    [files.suggested, suggestedLines],
  ])) {
    fs.writeFileSync(`${file}.tmp`, lines.join(''));
    fs.renameSync(`${file}.tmp`, file);
  }
  return {
    dialogues: dialogues.length,
    heldOut: all.length - dialogues.length,
    holdout: holdOut ? HOLDOUT_RULE : '',
    ...counts,
    pairs: pairLines.length,
    pairCount,
    suggestedMovies: suggestedLines.length,
    files,
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const { values: args } = parseArgs({
    options: {
      db: { type: 'string', default: path.join(root, 'catalogue/demo.db') },
      movies: { type: 'string' },
      data: { type: 'string', default: process.env.CINERAG_DATA || path.join(root, '../shared/data') },
      out: { type: 'string', default: path.join(root, 'build/dialogue-signals') },
      all: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (args.help) {
    console.log(`usage: node scripts/build/dialogue_signals.mjs [--db FILE | --movies FILE.jsonl] [--data DIR] [--out DIR] [--all]
  writes DIR/pairs.tsv and DIR/suggested.tsv from the training dialogues (INSPIRED train, ReDial
  train subset), holding out one dialogue in five for tuning (--all: none)`);
    process.exit(0);
  }
  const c = await writeDialogueSignals({
    movies: path.resolve(args.movies ?? args.db),
    dataDir: path.resolve(args.data),
    outDir: path.resolve(args.out),
    holdOut: !args.all,
  });
  console.log(
    `dialogue signals: ${c.dialogues} training dialogues (${c.heldOut} held out), ${c.suggestionsResolved}/${c.suggestions} suggestions resolved, ` +
      `${c.suggestedMovies} movies suggested, ${c.pairs} pairs (${c.pairCount} in all) → ${path.relative(process.cwd(), c.files.pairs)}, ${path.relative(process.cwd(), c.files.suggested)}`,
  );
}
