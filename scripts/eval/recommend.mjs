// `npm run eval:recommend`: replays public dialogue sets (GoRecDial, INSPIRED, ReDial; read by
// scripts/lib/dialogues.mjs) through the recommender as the browser runs it (the Node engine:
// the WASM core with its static encoder, or the ONNX transformer of the precise mode,
// web/src/request.js) and prints Recall@1/10/50 per set for ours (the core's defaults) with each
// encoder side by side, popularity (TMDB vote count) and the seed's pure cosine; with
// --tune it learns the fusion weights on the tuning splits by re-ranking the core's candidate
// pools (scripts/eval/fusion.mjs) and reports them on the reported splits and across sets.
// @ts-check
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { embeddingText } from '../../web/src/request.js';
import { root, wasmDir } from '../lib/core-node.mjs';
import {
  HOLDOUT_RULE,
  SETS,
  byVotes,
  createResolver,
  heldOut,
  loadCases,
  loadCatalogueMovies,
  splitSource,
} from '../lib/dialogues.mjs';
import { createEngine } from '../lib/engine-node.mjs';
import { Progress } from '../lib/progress.mjs';
import { TermNames, coordinateAscent, makePool, readWeights, recallOf, rerank } from './fusion.mjs';

const USAGE = `usage: npm run eval:recommend [-- options]
  --json        print the figures as JSON and write them to --out
  --out FILE    where --json writes (default bench/eval-recommend.json)
  --tune        learn the fusion weights on the tuning splits (GoRecDial's even dialogues,
                INSPIRED train, ReDial train subset); report them on the reported splits
                (GoRecDial's odd dialogues, INSPIRED dev, ReDial valid subset) and across sets
  --sets LIST   comma-separated, of ${Object.keys(SETS).join(',')} (default all)
  --db FILE     the catalogue (default catalogue/full.db)
  --limit N     only the first N cases of each split of each set
  --tune-seen   tune on training files the catalogue learnt its conversation signals from
                (by default only on the dialogues it held out, or not at all)
  --encoder E   static, transformer or both (default: both, static first; the tuning and the
                cosine baseline use the first)
  --fresh       embed again with the transformer instead of reading build/eval-cache
  --tuning JSON the core's per-message tunables for every request, e.g. '{"focusDecay":1}'`;
const { values: args } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    out: { type: 'string', default: path.join(root, 'bench/eval-recommend.json') },
    tune: { type: 'boolean', default: false },
    sets: { type: 'string', default: Object.keys(SETS).join(',') },
    db: { type: 'string', default: path.join(root, 'catalogue/full.db') },
    limit: { type: 'string' },
    'tune-seen': { type: 'boolean', default: false },
    fresh: { type: 'boolean', default: false },
    encoder: { type: 'string', default: 'both' },
    tuning: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
const tuning = args.tuning ? JSON.parse(args.tuning) : null;
const encoders = args.encoder === 'both' ? ['static', 'transformer'] : [args.encoder];
if (!encoders.every((e) => e === 'static' || e === 'transformer')) {
  console.error('--encoder takes static, transformer or both');
  process.exit(2);
}
const setNames = /** @type {(keyof typeof SETS)[]} */ (
  args.sets
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
);
for (const s of setNames) {
  if (!(s in SETS)) {
    console.error(`unknown set ${s}; the sets are ${Object.keys(SETS).join(', ')}`);
    process.exit(2);
  }
}
const limit = args.limit === undefined ? Infinity : Number(args.limit);
if (!(limit > 0)) {
  console.error('--limit takes a positive number');
  process.exit(2);
}
const dataDir = path.resolve(process.env.CINERAG_DATA || path.join(root, '../shared/data'));
const db = path.resolve(args.db);
const K = 50;
const log = (/** @type {string} */ line) => console.error(line);

// --- cases -----------------------------------------------------------------------------------
const movies = await loadCatalogueMovies(db);
const resolver = createResolver(movies);
// Popularity: one fixed list, the catalogue by TMDB vote count (then MovieLens rating count).
const popular = movies
  .filter((m) => (m.voteCount ?? 0) > 0 || (m.ratingCount ?? 0) > 0)
  .sort(byVotes)
  .slice(0, 2000)
  .map((m) => m.movieId);
const sha256 = (/** @type {string} */ file) =>
  createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const wasmSha = sha256(path.join(wasmDir, 'cinerag_core.wasm')); // the core the figures are of
const engine = await createEngine({
  db,
  threads: 2,
  encoder: encoders.includes('transformer') ? 'transformer' : 'static',
});
// Dialogue files the catalogue learnt from (its conversation signals): tuning on them would fit
// the signal to its own data. If the build held out dialogues by HOLDOUT_RULE, tune on those.
const sources = JSON.parse(engine.meta('sources') || '{}');
const holdout = engine.meta('dialogue_holdout');
/** @type {('tune' | 'report')[]} */
const splits = args.tune ? ['tune', 'report'] : ['report'];
/** @type {Record<string, Record<string, {cases: import('../lib/dialogues.mjs').Case[], report: import('../lib/dialogues.mjs').ResolveReport, note: string}>>} */
const data = {};
for (const set of setNames) {
  data[set] = {};
  for (const split of splits) {
    const loaded = loadCases(dataDir, set, split, resolver);
    let cases = loaded.cases;
    let note = '';
    if (SETS[set][split].file in sources) {
      if (split === 'report') {
        note = 'the catalogue learnt from this file: these figures are not clean';
      } else if (holdout === HOLDOUT_RULE) {
        cases = cases.filter((c) => heldOut(c.dialogue));
        note = `the catalogue learnt from this file except the dialogues it held out (${holdout}): tuning on those`;
      } else if (args['tune-seen']) {
        note = 'the catalogue learnt from this file (--tune-seen: tuning on it anyway)';
      } else {
        cases = [];
        note = 'the catalogue learnt from this file and held out no dialogues: not used for tuning';
      }
    }
    data[set][split] = { cases: cases.slice(0, limit), report: loaded.report, note };
    const r = loaded.report;
    log(
      `${SETS[set].label} ${split === 'tune' ? 'tuning' : 'reported'} split (${splitSource(set, split)}): ` +
        `${r.rows} rows, gold resolved ${r.resolved}/${r.rows} (${r.goldNames} names), ` +
        `${r.mentionedEarlier} named earlier under another name, ${r.cases} cases` +
        (note ? `; ${note}: ${cases.length} cases` : ''),
    );
  }
}

// --- embeddings (each distinct text once; cached on disk by sha256 of model + text) ---------
const modelPath = path.join(root, 'models/use-lite-int8.onnx');
const modelSha = sha256(modelPath);
const cacheFile = path.join(root, 'build/eval-cache', `embeddings-${modelSha.slice(0, 16)}.bin`);
const DIMS = 512;
/** @type {Map<string, Float32Array | null>} */
const cache = new Map();
if (!args.fresh && fs.existsSync(cacheFile)) {
  // Records: 32-byte key, then DIMS f32 (all zero: no embedding).
  const buf = fs.readFileSync(cacheFile);
  const size = 32 + DIMS * 4;
  for (let at = 0; at + size <= buf.length; at += size) {
    const v = new Float32Array(
      buf.buffer.slice(buf.byteOffset + at + 32, buf.byteOffset + at + size),
    );
    cache.set(buf.subarray(at, at + 32).toString('hex'), v.some((x) => x !== 0) ? v : null);
  }
}
const keyOf = (/** @type {string} */ text) =>
  createHash('sha256').update(`${modelSha}\n${text}`).digest('hex');
const texts = new Set();
if (encoders.includes('transformer'))
  for (const set of setNames)
    for (const split of splits)
      for (const c of data[set][split].cases) texts.add(embeddingText(c.request));
const missing = [...texts].filter((t) => !cache.has(keyOf(t)));
log(`${texts.size} distinct texts to embed, ${texts.size - missing.length} cached`);
if (missing.length) {
  fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
  const out = fs.openSync(cacheFile, args.fresh ? 'w' : 'a');
  const bar = new Progress('embedding', missing.length);
  let n = 0;
  for (const text of missing) {
    const v = await engine.embed(text);
    const key = keyOf(text);
    cache.set(key, v);
    const rec = Buffer.alloc(32 + DIMS * 4);
    Buffer.from(key, 'hex').copy(rec, 0);
    if (v) Buffer.from(v.buffer, v.byteOffset, v.byteLength).copy(rec, 32);
    fs.writeSync(out, rec);
    bar.update(++n);
  }
  bar.done();
  fs.closeSync(out);
}
/** A case's vector for `encoder` (the first by default): null with the static one (the core embeds). */
const embeddingOf = (/** @type {{request: any}} */ c, encoder = encoders[0]) =>
  encoder === 'static' ? null : (cache.get(keyOf(embeddingText(c.request))) ?? null);

// --- asking the core -------------------------------------------------------------------------
/** @param {any} request @param {Float32Array | null} embedding */
function ask(request, embedding) {
  const r = engine.askEmbedded(request, embedding);
  if (r.error) throw new Error(`${r.error} (request ${JSON.stringify(request).slice(0, 200)})`);
  return r;
}
// The term names the core fuses: from its own answer (the names grow as signals are added).
const names = new TermNames();
for (const name of Object.keys(
  ask({ text: 'I loved The Matrix', k: 1, candidates: true }, null).candidates?.[0]?.terms ?? {},
)) {
  names.at(name);
}
if (!names.index.has('query'))
  throw new Error('the core returns no candidate terms: rebuild build/wasm');
const cosineWeights = () => Object.fromEntries(names.names.map((n) => [n, n === 'query' ? 1 : 0]));

/** Rank of the first result that counts as the gold, or -1. */
const hitRank = (/** @type {number[]} */ ids, /** @type {number[]} */ gold) =>
  ids.findIndex((id) => gold.includes(id));
const recall = (/** @type {number[]} */ ranks) => {
  const n = ranks.length || 1;
  const at = (/** @type {number} */ k) =>
    +(ranks.filter((r) => r >= 0 && r < k).length / n).toFixed(4);
  return { r1: at(1), r10: at(10), r50: at(50) };
};

/** @type {Record<string, any>} */
const result = {
  measured_at: new Date().toISOString(),
  catalogue: {
    file: path.relative(root, db) || db,
    movies: engine.info.movieCount,
    built_at: engine.meta('built_at'),
  },
  core_wasm_sha256: wasmSha,
  encoders,
  protocol:
    'one row per (recommender turn, movie it suggests); input: every earlier turn, both roles; gold named earlier dropped; earlier mentions excluded (state.mentioned); a hit is the gold id or a catalogue movie sharing its name',
  k: K,
  ...(Number.isFinite(limit) && { limit }),
  sets: {},
};
/** @type {Record<string, Record<string, ReturnType<typeof makePool>[]>>} */
const pools = {};
for (const set of setNames) {
  pools[set] = {};
  for (const split of splits) {
    const { cases, report } = data[set][split];
    const entry = {
      source: splitSource(set, split),
      ...(data[set][split].note && { note: data[set][split].note }),
      rows: report.rows,
      gold_names: report.goldNames,
      gold_resolved: report.resolved,
      gold_unresolved: report.unresolved,
      resolved_by: {
        year: report.byYear,
        near_year: report.byNearYear,
        name: report.byNameOnly,
        series: report.bySeries,
      },
      named_earlier_under_another_name: report.mentionedEarlier,
      cases: cases.length,
      unresolved_names: report.unresolvedNames,
    };
    const wantPools = args.tune;
    const ranks = {
      ours: /** @type {number[]} */ ([]),
      second: /** @type {number[]} */ ([]),
      popularity: /** @type {number[]} */ ([]),
      cosine: /** @type {number[]} */ ([]),
    };
    let fallback = 0;
    /** @type {ReturnType<typeof makePool>[]} */
    const splitPools = [];
    const bar = new Progress(`${SETS[set].label} ${split}`, cases.length);
    for (const c of cases) {
      const embedding = embeddingOf(c);
      const r = ask(
        { ...c.request, k: K, ...(tuning && { tuning }), ...(wantPools && { candidates: true }) },
        embedding,
      );
      ranks.ours.push(
        hitRank(
          r.results.map((x) => x.movieId),
          c.goldIds,
        ),
      );
      if (r.fallback) fallback++;
      if (encoders.length > 1) {
        const r2 = ask(
          { ...c.request, k: K, ...(tuning && { tuning }) },
          embeddingOf(c, encoders[1]),
        );
        ranks.second.push(
          hitRank(
            r2.results.map((x) => x.movieId),
            c.goldIds,
          ),
        );
      }
      if (wantPools) splitPools.push(makePool(r.candidates ?? [], c.goldIds, names));
      if (split === 'report') {
        const excluded = new Set([
          ...(c.request.state.mentioned ?? []),
          ...(c.request.state.liked ?? []),
          ...(c.request.state.disliked ?? []),
        ]);
        ranks.popularity.push(
          hitRank(popular.filter((id) => !excluded.has(id)).slice(0, K), c.goldIds),
        );
        const cos = ask(
          {
            turns: c.request.turns,
            state: { mentioned: c.request.state.mentioned },
            k: K,
            weights: cosineWeights(),
          },
          embedding,
        );
        ranks.cosine.push(
          hitRank(
            cos.results.map((x) => x.movieId),
            c.goldIds,
          ),
        );
      }
      bar.update(ranks.ours.length);
    }
    bar.done();
    pools[set][split] = splitPools;
    const ours = { ...recall(ranks.ours), fallback: +(fallback / (cases.length || 1)).toFixed(4) };
    // The second encoder's figures beside the first's (ours_transformer).
    const second = encoders.length > 1 ? { [`ours_${encoders[1]}`]: recall(ranks.second) } : {};
    if (split === 'report') {
      const pop = recall(ranks.popularity);
      const ratio = (/** @type {number} */ a, /** @type {number} */ b) =>
        b > 0 ? +(a / b).toFixed(3) : null;
      Object.assign(entry, {
        ours,
        ...second,
        popularity: pop,
        cosine: recall(ranks.cosine),
        ours_over_popularity: { r10: ratio(ours.r10, pop.r10), r50: ratio(ours.r50, pop.r50) },
      });
    } else {
      Object.assign(entry, { ours, ...second });
    }
    (result.sets[set] ??= {})[split] = entry;
  }
}

// --- tuning ----------------------------------------------------------------------------------
if (args.tune) {
  const termNames = names.names.slice();
  const tunePools = Object.fromEntries(setNames.map((s) => [s, pools[s].tune]));
  const reportPools = Object.fromEntries(setNames.map((s) => [s, pools[s].report]));
  const allPools = setNames.flatMap((s) => [...pools[s].tune, ...pools[s].report]);
  const sizes = allPools.map((p) => p.ids.length);
  log(
    `${allPools.length} pools, ${Math.round(sizes.reduce((a, b) => a + b, 0) / (sizes.length || 1))} candidates on average; ` +
      `the gold is in ${allPools.filter((p) => p.gold.length).length}`,
  );
  const read = readWeights(allPools, termNames);
  log(
    `the core's weights read back from its scores: ${JSON.stringify(read.weights)} (max error ${read.maxError.toExponential(1)}${read.unread.length ? `; zero everywhere: ${read.unread.join(', ')}` : ''})`,
  );
  const defaults = read.weights;
  // The re-ranking must give the core's own figures for its own weights.
  for (const set of setNames) {
    for (const split of splits) {
      const mine = recallOf(pools[set][split], defaults, termNames);
      const core = result.sets[set][split].ours;
      if (Math.abs(mine.r10 - core.r10) > 0.002 || Math.abs(mine.r50 - core.r50) > 0.002) {
        log(
          `warning: re-ranking ${set} ${split} gives R@10 ${mine.r10.toFixed(4)} / R@50 ${mine.r50.toFixed(4)}, the core ${core.r10} / ${core.r50}`,
        );
      }
    }
  }
  const figures = (
    /** @type {Record<string, any[]>} */ bySet,
    /** @type {Record<string, number>} */ w,
  ) =>
    Object.fromEntries(
      Object.entries(bySet).map(([s, p]) => {
        const r = recallOf(p, w, termNames);
        return [
          s,
          { rows: r.rows, r1: +r.r1.toFixed(4), r10: +r.r10.toFixed(4), r50: +r.r50.toFixed(4) },
        ];
      }),
    );
  // Rounded; a term that is zero on every candidate is left out (its weight was not measured,
  // so the core keeps its default).
  const round3 = (/** @type {Record<string, number>} */ w) =>
    Object.fromEntries(
      Object.entries(w)
        .filter(([k]) => !read.unread.includes(k))
        .map(([k, v]) => [k, +v.toFixed(3)]),
    );
  log("tuning on every set's tuning split");
  const tuned = coordinateAscent(tunePools, defaults, termNames, { log: (l) => log(`  ${l}`) });
  const weights = round3(tuned.weights);
  // The core's own ranking under the learned weights equals the re-ranking (a few rows per set).
  let checked = 0;
  let same = 0;
  /** @type {string[]} */
  const differences = [];
  for (const set of setNames) {
    data[set].report.cases.slice(0, 8).forEach((c, i) => {
      const r = ask({ ...c.request, k: 10, weights }, embeddingOf(c));
      const core = r.results.map((x) => x.movieId);
      const mine = rerank(pools[set].report[i], weights, termNames, 10);
      checked++;
      if (core.join() === mine.map((x) => x.id).join()) same++;
      else {
        // Allowed only where the scores tie to float precision (the core adds in f32).
        const firstDiff = core.findIndex((id, j) => id !== mine[j]?.id);
        const near =
          mine[firstDiff] &&
          mine[firstDiff + 1] &&
          Math.abs(mine[firstDiff].s - mine[firstDiff + 1].s) < 1e-5;
        differences.push(
          `${c.id}: core ${core.join(',')} vs re-rank ${mine.map((x) => x.id).join(',')}${near ? ' (a float tie)' : ''}`,
        );
      }
    });
  }
  log(
    `the core's top 10 under the learned weights equals the re-ranking on ${same}/${checked} rows`,
  );
  for (const d of differences) log(`  ${d}`);
  /** @type {Record<string, any>} */
  const crossSet = {};
  if (setNames.length > 1) {
    for (const held of setNames) {
      const others = Object.fromEntries(
        setNames.filter((s) => s !== held).map((s) => [s, tunePools[s]]),
      );
      if (!Object.values(others).some((p) => p.length)) continue; // nothing else to tune on
      log(`tuning without ${held}`);
      const t = coordinateAscent(others, defaults, termNames);
      const w = round3(t.weights);
      crossSet[held] = { weights: w, report: figures({ [held]: reportPools[held] }, w)[held] };
    }
  }
  result.tuned = {
    objective: 'mean over sets of R@10 + 0.1 R@50 on the tuning splits',
    term_names: termNames,
    default_weights: defaults,
    weights,
    objective_default: +tuned.start.toFixed(4),
    objective_tuned: +tuned.objective.toFixed(4),
    tune_default: figures(tunePools, defaults),
    tune: figures(tunePools, weights),
    report_default: figures(reportPools, defaults),
    report: figures(reportPools, weights),
    cross_set: crossSet,
    check: { rows: checked, same_top10: same, differences },
  };
}

// --- output ----------------------------------------------------------------------------------
if (args.json) {
  let text = `${JSON.stringify(result, null, 2)}\n`;
  // In the repository's style when prettier is installed (it is a dev dependency).
  try {
    const prettier = await import('prettier');
    const options = (await prettier.resolveConfig(path.resolve(args.out))) ?? {};
    text = await prettier.format(text, { ...options, parser: 'json' });
  } catch {
    // prettier is not installed: JSON.stringify's layout
  }
  fs.mkdirSync(path.dirname(path.resolve(args.out)), { recursive: true });
  fs.writeFileSync(path.resolve(args.out), text);
  process.stdout.write(text);
  log(`written to ${path.relative(root, path.resolve(args.out))}`);
} else {
  const pct = (/** @type {number} */ v) => `${(100 * v).toFixed(1)}%`.padStart(7);
  const x = (/** @type {number | null} */ v) =>
    v == null ? '    -' : `×${v.toFixed(2)}`.padStart(6);
  console.log(`catalogue ${result.catalogue.file} (${result.catalogue.movies} movies); k = ${K}`);
  console.log(
    'set (reported split)     rows  resolved   method               R@1    R@10    R@50   ours÷pop R@10 R@50',
  );
  for (const set of setNames) {
    const e = result.sets[set].report;
    const head = `${SETS[set].label.padEnd(22)} ${String(e.cases).padStart(6)}  ${`${e.gold_resolved}/${e.rows}`.padStart(8)}`;
    const blank = ' '.repeat(head.length);
    const methods = ['ours', ...encoders.slice(1).map((n) => `ours_${n}`), 'popularity', 'cosine'];
    for (const m of methods) {
      const ratio =
        m === 'ours' ? `   ${x(e.ours_over_popularity.r10)} ${x(e.ours_over_popularity.r50)}` : '';
      const name = m === 'ours' ? `ours_${encoders[0]}` : m;
      console.log(
        `${m === 'ours' ? head : blank}   ${name.padEnd(17)} ${pct(e[m].r1)} ${pct(e[m].r10)} ${pct(e[m].r50)}${ratio}`,
      );
    }
  }
  if (result.tuned) {
    const t = result.tuned;
    console.log(`\nlearned weights (paste into the core's defaults): ${JSON.stringify(t.weights)}`);
    console.log(
      `the core's defaults (read back):                  ${JSON.stringify(t.default_weights)}`,
    );
    console.log(
      'set            split      rows   defaults R@1/R@10/R@50       learned R@1/R@10/R@50     cross-set R@10/R@50',
    );
    for (const set of setNames) {
      for (const [split, a, b] of [
        ['tuning', t.tune_default[set], t.tune[set]],
        ['reported', t.report_default[set], t.report[set]],
      ]) {
        const cross =
          split === 'reported' && t.cross_set[set]
            ? `${pct(t.cross_set[set].report.r10)} ${pct(t.cross_set[set].report.r50)}`
            : '';
        const head = `${SETS[set].label.padEnd(14)} ${split.padEnd(9)} ${String(a.rows).padStart(5)}`;
        console.log(
          a.rows
            ? `${head}   ${pct(a.r1)} ${pct(a.r10)} ${pct(a.r50)}    ${pct(b.r1)} ${pct(b.r10)} ${pct(b.r50)}    ${cross}`
            : `${head}   (not used: ${result.sets[set].tune.note ?? 'no rows'})`,
        );
      }
    }
    console.log(
      `check: the core's top 10 under the learned weights equals the re-ranking on ${t.check.same_top10}/${t.check.rows} rows`,
    );
  }
}
