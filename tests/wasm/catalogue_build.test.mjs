// The catalogue build: the demo catalogue (built by `npm test` with `npm run build-db`) opens in
// the sqlite3 CLI, in sql.js and in the core; a tiny hand-made data folder goes through the whole
// build with bad lines reported; missing inputs and mismatched runs fail cleanly.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import { loadCore, root, vocabPath } from '../../scripts/lib/core-node.mjs';
import { embedTexts, sessionOptions } from '../../scripts/lib/encoder-node.mjs';
import { tinyData } from './tiny-data.mjs';

const require = createRequire(import.meta.url);
const demo = path.join(root, 'catalogue/demo.db');
const cli = path.join(root, 'scripts/cli/cinerag.mjs');

test('the demo catalogue passes the sqlite3 CLI integrity check', () => {
  assert.ok(fs.existsSync(demo), `${demo} is missing: npm run build-db -- --preset demo`);
  const r = spawnSync('sqlite3', ['-readonly', demo, 'PRAGMA integrity_check; SELECT count(*) FROM movies; ' +
    "SELECT count(*) FROM movies_fts WHERE movies_fts MATCH 'titanic';"], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const [ok, movies, fts] = r.stdout.trim().split('\n');
  assert.equal(ok, 'ok');
  assert.ok(Number(movies) > 9000, movies);
  assert.ok(Number(fts) >= 2, `FTS5 finds the Titanic films: ${fts}`);
});

test('the demo catalogue opens in sql.js (no FTS5 there: the plain tables)', async () => {
  const SQL = await require('sql.js')();
  const db = new SQL.Database(fs.readFileSync(demo));
  const meta = Object.fromEntries(db.exec('SELECT key, value FROM meta')[0].values);
  assert.equal(meta.schema_version, '4');
  assert.equal(meta.preset, 'demo');
  assert.match(meta.model_sha256, /^[0-9a-f]{64}$/);
  assert.ok(Number(meta.content_recall_at_10) >= 0.95, meta.content_recall_at_10);
  const sources = JSON.parse(meta.sources);
  assert.match(sources['movielens/ml-latest-small/ratings.csv'].sha256, /^[0-9a-f]{64}$/);
  const dims = Number(meta.content_dims);
  const [[n, minLen, maxLen]] = db.exec(
    "SELECT count(*), min(length(vec)), max(length(vec)) FROM vectors WHERE kind = 'content'",
  )[0].values;
  assert.equal(n, Number(meta.movie_count));
  assert.equal(minLen, dims);
  assert.equal(maxLen, dims);
  const [[title, year, genres, ratingCount]] = db.exec(
    'SELECT title, year, genres, rating_count FROM movies WHERE movie_id = 2571',
  )[0].values;
  assert.deepEqual([title, year, genres], ['The Matrix', 1999, 'Action|Sci-Fi|Thriller']);
  assert.ok(ratingCount > 100);
  db.close();
});

test('the core finds a movie from the embedding of its own text through the projection', async () => {
  const core = await loadCore();
  const catalogue = new core.Catalogue();
  const info = catalogue.load(new Uint8Array(fs.readFileSync(demo)));
  assert.ok(info.ok, JSON.stringify(info));
  assert.equal(info.dims, 512); // queries stay in the encoder's space; the core projects them
  const texts = fs
    .readFileSync(path.join(root, 'build/catalogue-work/demo/texts.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l))
    .filter((r) => [1, 1721, 2571].includes(r.id));
  const ort = require('onnxruntime-node');
  const session = await ort.InferenceSession.create(path.join(root, 'models/use-lite-int8.onnx'), sessionOptions);
  const tokenizer = new core.Tokenizer();
  tokenizer.load(new Uint8Array(fs.readFileSync(vocabPath)));
  const vectors = await embedTexts(ort, session, tokenizer, texts.map((t) => t.text));
  texts.forEach((t, i) => {
    const hits = catalogue.search(vectors.slice(i * 512, (i + 1) * 512), { k: 3, kernel: 'auto' });
    assert.equal(hits.movieIds[0], t.id, `${t.text.slice(0, 40)} -> ${hits.movieIds}`);
    assert.ok(hits.scores[0] > 0.9, String(hits.scores[0]));
  });
  const titanic = catalogue.searchText('Titanic', 5);
  assert.ok(Array.from(titanic.movieIds).includes(1721));
});

test('a tiny data folder builds end to end; bad lines are reported with their line numbers', () => {
  const data = tinyData();
  const out = path.join(data, 'out.db');
  const r = spawnSync(process.execPath, [cli, 'build-db', '--preset', 'demo', '--data', data, '--out', out,
    '--work', path.join(data, 'work'), '--workers', '1'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /movies: 2 rows, 2 bad lines skipped/);
  assert.match(r.stderr, /line 4: movieId 'abc' is not a number/);
  assert.match(r.stderr, /line 5: unterminated quoted field|line 5: .*quote/);
  assert.match(r.stderr, /ratings ratings.csv: 3 rows, 2 bad lines skipped/);
  assert.match(r.stderr, /TMDB record +2 .*1 by tmdbId, 1 by title \+ year/);
  const q = spawnSync('sqlite3', ['-readonly', out, 'SELECT movie_id, title, tags, rating_count, overview FROM movies ORDER BY movie_id'], { encoding: 'utf8' });
  assert.equal(q.stdout.trim(), '1|Toy Story|pixar|5|Toys come to life.\n2|The Matrix||4|A hacker learns the truth.');
  // Item-item lists from the liked ratings of every file; what followed Toy Story in the two
  // training conversations; the suggestion prior.
  const n = spawnSync('sqlite3', ['-readonly', out, "SELECT kind, movie_id, hex(ids), length(weights) FROM neighbours ORDER BY kind, movie_id; SELECT length(value) > 10 FROM meta WHERE key = 'suggestion_prior'"], { encoding: 'utf8' });
  assert.equal(n.stdout.trim(), 'dialogues|1|02|1\nratings|1|02|1\nratings|2|01|1\n1', n.stderr);
  fs.rmSync(data, { recursive: true, force: true });
});

test('a missing input is a one-line error naming it and where it comes from', () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'cinerag-empty-'));
  const r = spawnSync(process.execPath, [cli, 'build-db', '--data', empty, '--out', path.join(empty, 'x.db')], { encoding: 'utf8' });
  assert.equal(r.status, 1);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], /missing input .*ml-latest-small\/movies\.csv \(download: https:\/\/files\.grouplens\.org/);
  assert.ok(!fs.existsSync(path.join(empty, 'x.db')));
});

test('vectors from another run are refused and leave no finished-looking file', () => {
  const data = tinyData();
  const out = path.join(data, 'out.db');
  const vectors = path.join(data, 'wrong.f32');
  fs.writeFileSync(vectors, Buffer.alloc(512 * 4 * 5)); // 5 rows; the sources have 2 movies
  const ml = path.join(data, 'movielens/ml-latest-small');
  const r = spawnSync(path.join(root, 'build/native/catalogue_build'), ['write', '--movies', `${ml}/movies.csv`,
    '--ratings', `${ml}/ratings.csv`, '--vectors', vectors, '--out', out], { encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /different runs/);
  assert.ok(!fs.existsSync(out));
  fs.rmSync(data, { recursive: true, force: true });
});
