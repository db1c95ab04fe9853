// The catalogue build ("db_setup"): `npx cinerag build-db --preset demo|full [--out FILE]`.
// Joins MovieLens, TMDB, Wikipedia and tags (native tool), embeds each movie's text with the
// same tokenizer + ONNX encoder the browser runs (one worker per core), then streams ratings,
// factorises, projects and writes one SQLite file (native tool). Prints progress and a summary.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { parseArgs } from 'node:util';
import zlib from 'node:zlib';
import { root } from '../lib/core-node.mjs';
import { DIMS } from '../lib/encoder-node.mjs';
import { Progress } from '../lib/progress.mjs';
import { TRAINING_FILES, writeDialogueSignals } from './dialogue_signals.mjs';

const USAGE = `usage: cinerag build-db [--preset demo|full] [--out FILE] [--data DIR] [--ratings FILE]...
                        [--workers N] [--content-dims auto|N] [--report FILE] [--work DIR]
  demo: the ml-latest-small movies (9.7k), the app's default catalogue
  full: all 87,585 MovieLens 32M movies
  --data     the inputs' folder (default $CINERAG_DATA or ../shared/data)
  --ratings  ratings.csv files to stream instead of the preset's (repeatable; e.g. the 32M one)
  --work     where the texts and the embedding cache go (default build/catalogue-work/PRESET)`;

/** The build's options from `argv` (the flags of USAGE), with the defaults filled in. */
export function parseOptions(argv) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        preset: { type: 'string', default: 'demo' },
        out: { type: 'string' },
        data: { type: 'string' },
        ratings: { type: 'string', multiple: true },
        workers: { type: 'string' },
        'content-dims': { type: 'string' },
        report: { type: 'string' },
        work: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    throw new Error(`${e.message}\n${USAGE}`);
  }
  const { 'content-dims': contentDims, ...rest } = values;
  const opts = {
    ...rest,
    contentDims,
    workers:
      values.workers === undefined
        ? Math.max(1, os.availableParallelism?.() ?? os.cpus().length)
        : Number(values.workers),
  };
  if (!['demo', 'full'].includes(opts.preset)) throw new Error(`--preset must be demo or full`);
  if (!(opts.workers >= 1)) throw new Error('--workers must be a positive number');
  opts.data = path.resolve(
    opts.data || process.env.CINERAG_DATA || path.join(root, '../shared/data'),
  );
  opts.out = path.resolve(opts.out || path.join(root, 'catalogue', `${opts.preset}.db`));
  return opts;
}

/** Every single-file input a build needs (the Wikipedia files are checked as a folder). */
function requiredFiles(files) {
  return [
    files.movies,
    ...files.links,
    files.tags,
    ...files.ratings,
    files.tmdb,
    ...files.conversations,
  ];
}

/** The input files of a preset; optional ones (the 32M release's own files) when present. */
export function presetInputs(opts) {
  const d = (p) => path.join(opts.data, p);
  const has = (p) => fs.existsSync(d(p));
  const small = 'movielens/ml-latest-small';
  // Every ratings file teaches the item-item lists (each with its own users); the 32M release's
  // own file, when the user has it, holds the others' kind of ratings many times over.
  const allRatings = [
    `${small}/ratings.csv`,
    'movielens/ml-latest/ratings_users_1-2148.csv',
    'movielens/ml-1m-partial/ratings.csv',
  ];
  const wikipedia = fs.existsSync(d('wikipedia'))
    ? fs
        .readdirSync(d('wikipedia'))
        .filter((f) => /^movies-\d{4}s\.json$/.test(f))
        .sort()
        .map((f) => `wikipedia/${f}`)
    : [];
  const inputs =
    opts.preset === 'demo'
      ? {
          movies: `${small}/movies.csv`,
          links: [`${small}/links.csv`],
          tags: `${small}/tags.csv`,
          ratings: allRatings,
        }
      : {
          movies: 'movielens/ml-32m/movies.csv',
          // The 32M release's links when the user has them; otherwise 25M's (ids agree up to
          // movieId 209171) and the small set's.
          links: has('movielens/ml-32m/links.csv')
            ? ['movielens/ml-32m/links.csv']
            : ['movielens/ml-25m/links.csv', `${small}/links.csv`],
          tags: has('movielens/ml-32m/tags.csv')
            ? 'movielens/ml-32m/tags.csv'
            : `${small}/tags.csv`,
          ratings: has('movielens/ml-32m/ratings.csv')
            ? ['movielens/ml-32m/ratings.csv']
            : allRatings,
        };
  inputs.tmdb = 'tmdb/tmdb_movies.csv';
  inputs.wikipedia = wikipedia;
  const abs = (p) => (p && path.isAbsolute(p) ? p : d(p));
  const files = {
    movies: abs(inputs.movies),
    links: inputs.links.map(abs),
    tags: abs(inputs.tags),
    ratings: opts.ratings?.length
      ? opts.ratings.map((r) => path.resolve(r))
      : inputs.ratings.map(abs),
    tmdb: abs(inputs.tmdb),
    wikipedia: inputs.wikipedia.map(abs),
    conversations: TRAINING_FILES.map(abs),
  };
  const sources = JSON.parse(
    fs.readFileSync(path.join(root, 'scripts/build/data_sources.json'), 'utf8'),
  ).files;
  for (const f of requiredFiles(files)) {
    if (!fs.existsSync(f)) {
      const rel = path.relative(opts.data, f);
      const url = sources[rel] ? ` (download: ${sources[rel]})` : '';
      throw new Error(`missing input ${f}${url}`);
    }
  }
  if (files.wikipedia.length === 0)
    throw new Error(
      `missing input ${d('wikipedia')}/movies-*.json (download: ${sources['wikipedia/']})`,
    );
  return files;
}

function sha256File(file) {
  const h = crypto.createHash('sha256');
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.alloc(1 << 22);
  let n;
  while ((n = fs.readSync(fd, buf, 0, buf.length, null)) > 0) h.update(buf.subarray(0, n));
  fs.closeSync(fd);
  return h.digest('hex');
}

/**
 * Writes `data` to `file` so that a kill at any moment leaves the old file or the whole new one:
 * a temporary name in the same folder, flushed to the disk, renamed over `file`, then the folder
 * flushed (as the native tool's store/atomic_file.h does).
 */
export function writeFileAtomic(file, data) {
  const tmp = `${file}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  const dir = fs.openSync(path.dirname(file), 'r');
  try {
    fs.fsyncSync(dir);
  } finally {
    fs.closeSync(dir);
  }
}

/**
 * Whether the embedding cache holds the vectors of these texts: its key (written last) names them
 * and the vectors are all there. A cache cut short is not trusted (a copy, a full disk, a file
 * from before the writes were atomic).
 */
function cacheComplete(vectorsPath, keyPath, key, count) {
  if (!fs.existsSync(vectorsPath) || !fs.existsSync(keyPath)) return false;
  if (fs.readFileSync(keyPath, 'utf8') !== key) return false;
  const bytes = fs.statSync(vectorsPath).size;
  if (bytes === count * DIMS * 4) return true;
  console.error(`Embedding: ${vectorsPath} holds ${bytes} bytes, not ${count * DIMS * 4}: not reused`);
  return false;
}

function tool() {
  const exe = path.join(root, 'build/native/catalogue_build');
  if (!fs.existsSync(exe)) throw new Error(`${exe} is missing: run \`npm run build -- native\``);
  return exe;
}

function sourceArgs(files) {
  return [
    '--movies',
    files.movies,
    ...files.links.flatMap((l) => ['--links', l]),
    '--tags',
    files.tags,
    '--tmdb',
    files.tmdb,
    ...files.wikipedia.flatMap((w) => ['--wikipedia', w]),
  ];
}

/** `args` when the folder `dir` is under the data folder; otherwise a note and nothing. */
function optionalInput(data, dir, args) {
  if (fs.existsSync(path.join(data, dir))) return args;
  console.error(`Note: ${path.join(data, dir)} is missing: the catalogue is built without it`);
  return [];
}

function run(args, what) {
  const r = spawnSync(tool(), args, { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status ?? r.signal})`);
}

/** Embeds every text with `workers` threads; returns (n, 512) f32. */
export async function embedAll(texts, modelPath, workers) {
  const out = new Float32Array(texts.length * DIMS);
  const chunk = 128;
  let next = 0;
  let done = 0;
  const bar = new Progress('embedding', texts.length, ' movies');
  const pool = [];
  await new Promise((resolve, reject) => {
    let live = 0;
    const feed = (w) => {
      if (next >= texts.length) {
        w.terminate();
        if (--live === 0) resolve();
        return;
      }
      const start = next;
      next = Math.min(texts.length, next + chunk);
      w.postMessage({ start, texts: texts.slice(start, next) });
    };
    const n = Math.min(workers, Math.ceil(texts.length / chunk) || 1);
    for (let i = 0; i < n; i++) {
      const w = new Worker(new URL('./embed-worker.mjs', import.meta.url), {
        workerData: { modelPath },
      });
      live++;
      pool.push(w);
      w.on('message', (m) => {
        if (m.error) return reject(new Error(`embedding failed: ${m.error}`));
        if (!m.ready) {
          out.set(m.vectors, m.start * DIMS);
          done += m.count;
          bar.update(done);
        }
        feed(w);
      });
      w.on('error', reject);
    }
  }).finally(() => pool.forEach((w) => w.terminate()));
  bar.done();
  return out;
}

export async function buildDb(opts) {
  const t0 = Date.now();
  const files = presetInputs(opts);
  const manifestPath = path.join(root, 'models/manifest.json');
  if (!fs.existsSync(manifestPath))
    throw new Error(`${manifestPath} is missing: run \`npm run models\``);
  const model = JSON.parse(fs.readFileSync(manifestPath, 'utf8')).models.find(
    (m) => m.name === 'use-lite-int8',
  );
  const modelPath = path.join(root, 'models', model.file);
  if (!fs.existsSync(modelPath)) throw new Error(`${modelPath} is missing: run \`npm run models\``);
  const work = path.resolve(opts.work || path.join(root, 'build/catalogue-work', opts.preset));
  fs.mkdirSync(work, { recursive: true });
  fs.mkdirSync(path.dirname(opts.out), { recursive: true });
  console.error(`cinerag build-db: preset ${opts.preset} -> ${opts.out}`);

  // 1. Join the sources; the texts to embed.
  const textsPath = path.join(work, 'texts.jsonl');
  const moviesPath = path.join(work, 'movies.jsonl');
  run(
    [
      'texts',
      ...sourceArgs(files),
      '--out',
      textsPath,
      '--movies-out',
      moviesPath,
      '--report',
      path.join(work, 'texts-report.json'),
    ],
    'joining the sources',
  );
  const lines = fs
    .readFileSync(textsPath, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));

  // 2. Embed (reusing the last run's vectors when the texts and the model are the same).
  const key = crypto
    .createHash('sha256')
    .update(model.sha256)
    .update(fs.readFileSync(textsPath))
    .digest('hex');
  const vectorsPath = path.join(work, 'content.f32');
  const keyPath = `${vectorsPath}.key`;
  const t1 = Date.now();
  let embedSeconds = 0;
  if (cacheComplete(vectorsPath, keyPath, key, lines.length)) {
    console.error(
      `Embedding: ${lines.length} texts unchanged since the last build, reusing ${path.relative(root, vectorsPath)}`,
    );
  } else {
    console.error(
      `Embedding ${lines.length} texts with ${model.name} on ${opts.workers} worker(s)`,
    );
    // The key goes first and comes back last: vectors without their key are never reused.
    fs.rmSync(keyPath, { force: true });
    const vectors = await embedAll(
      lines.map((l) => l.text),
      modelPath,
      opts.workers,
    );
    writeFileAtomic(vectorsPath, Buffer.from(vectors.buffer, vectors.byteOffset, vectors.byteLength));
    writeFileAtomic(keyPath, key);
    embedSeconds = (Date.now() - t1) / 1000;
  }

  // 3. What the training conversations suggest after each movie, and which films they suggest.
  const dialogues = await writeDialogueSignals({
    movies: moviesPath,
    dataDir: opts.data,
    outDir: work,
  });
  console.error(
    `Conversations: ${dialogues.dialogues} training dialogues (${dialogues.heldOut} held out for ` +
      `tuning), ${dialogues.suggestionsResolved} suggestions resolved to movies, ` +
      `${dialogues.pairs} movie pairs`,
  );

  // 4. Ratings, factorisation, related lists, projection, the SQLite file.
  const sources = {};
  for (const f of [...requiredFiles(files), ...files.wikipedia]) {
    sources[path.relative(opts.data, f)] = { bytes: fs.statSync(f).size, sha256: sha256File(f) };
  }
  const reportPath = opts.report ? path.resolve(opts.report) : path.join(work, 'report.json');
  run(
    [
      'write',
      ...sourceArgs(files),
      ...files.ratings.flatMap((r) => ['--ratings', r]),
      '--neighbours',
      `dialogues=${dialogues.files.pairs}`,
      '--suggestions',
      dialogues.files.suggested,
      // Cast and crew (directors, leads) give "same director / same leads" lists when present.
      // and the people table ("Tom Hanks movies"); Korean titles give aliases and Korean names
      // of directors. Both are optional inputs: a build without them says so and goes on.
      ...optionalInput(opts.data, 'people', ['--people', opts.data]),
      ...optionalInput(opts.data, 'korean', ['--korean', path.join(opts.data, 'korean')]),
      '--vectors',
      vectorsPath,
      '--dims',
      String(DIMS),
      '--model',
      model.name,
      '--model-sha256',
      model.sha256,
      '--content-dims',
      opts.contentDims || 'auto',
      '--collab-min-ratings',
      opts.preset === 'demo' ? '5' : '10',
      '--meta',
      `preset=${opts.preset}`,
      // The dialogues left out of the conversation signals: the evaluation tunes on those only.
      ...(dialogues.holdout ? ['--meta', `dialogue_holdout=${dialogues.holdout}`] : []),
      '--meta',
      `sources=${JSON.stringify(sources)}`,
      '--out',
      opts.out,
      '--report',
      reportPath,
    ],
    'writing the catalogue',
  );
  const report = JSON.parse(fs.readFileSync(reportPath, 'utf8'));
  const bytes = fs.statSync(opts.out).size;
  const gzipBytes = zlib.gzipSync(fs.readFileSync(opts.out), { level: 9 }).length;
  report.summary = {
    preset: opts.preset,
    out: opts.out,
    bytes,
    gzip_bytes: gzipBytes,
    seconds: (Date.now() - t0) / 1000,
    embed_seconds: embedSeconds,
  };
  writeFileAtomic(reportPath, JSON.stringify(report, null, 2));
  const mb = (b) => `${(b / 1e6).toFixed(1)} MB`;
  console.error(
    `Done in ${report.summary.seconds.toFixed(0)} s: ${report.coverage.movies} movies, ` +
      `content ${report.content.dims} dims (recall@10 ${report.content.recall_at_10.toFixed(3)}), ` +
      `${report.collab?.movies ?? 0} collaborative vectors; ${mb(bytes)} (${mb(gzipBytes)} gzipped) at ${opts.out}`,
  );
  return report;
}

export async function main(argv) {
  let opts;
  try {
    opts = parseOptions(argv);
    if (opts.help) return console.log(USAGE);
    await buildDb(opts);
  } catch (e) {
    console.error(`cinerag build-db: ${e.message}`);
    process.exitCode = 1;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main(process.argv.slice(2));
