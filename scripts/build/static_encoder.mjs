// Trains the static sentence encoder the core runs (models/static-en.bin, wasm/embed/): one
// vector per vocabulary piece such that the mean of a text's pieces reproduces the transformer's
// 512-d vector (use-lite-int8, the model that embeds the catalogue). `npm run models` runs it;
// deterministic: the same data and code give the same bytes.
//   1. the corpus: ~520k sentences and short passages from training data only (IMDb train
//      reviews, Wikipedia film summaries, TMDB overviews, INSPIRED train and ReDial train turns),
//      deduplicated and ordered by hash;
//   2. the targets: the transformer's vector of each (cached in build/encoder-work, keyed by
//      sha256 of the model and the corpus), and of each vocabulary piece alone (the starting point,
//      the Model2Vec recipe);
//   3. the fit: build/native/encoder_fit (least squares, wasm/tools/encoder_fit.cpp) writes the
//      model and a report (held-out cosine to the transformer).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { root, vocabPath } from '../lib/core-node.mjs';
import { parseCsv } from '../lib/csv.mjs';
import { readInspiredTrain, readRedial } from '../lib/dialogues.mjs';
import { embedAll } from './build_db.mjs';

const { values: args } = parseArgs({
  options: {
    out: { type: 'string', default: path.join(root, 'models/static-en.bin') },
    work: { type: 'string', default: path.join(root, 'build/encoder-work') },
    sentences: { type: 'string', default: '500000' },
    workers: { type: 'string', default: String(Math.max(1, (await import('node:os')).cpus().length)) },
    help: { type: 'boolean', short: 'h' },
  },
});
if (args.help) {
  console.log('usage: node scripts/build/static_encoder.mjs [--out FILE] [--work DIR] [--sentences N]');
  process.exit(0);
}
const shared = process.env.CINERAG_SHARED || path.resolve(root, '../shared');
const modelPath = path.join(root, 'models/use-lite-int8.onnx');
const MIN_CHARS = 12;
const MAX_CHARS = 200;
/** Every this-many sentences of a text also go in joined with the next one (passages, as chats are). */
const PASSAGE_EVERY = 4;

function sentencesOf(text) {
  return text
    .replace(/<br\s*\/?>/g, ' ')
    .replace(/\s+/g, ' ')
    .split(/(?<=[.!?])\s+(?=["'(A-Z0-9])/)
    .map((s) => s.trim());
}

/** A text's sentences, and every PASSAGE_EVERY-th one joined with its successor. */
function* piecesOf(text) {
  const s = sentencesOf(text);
  for (let i = 0; i < s.length; i++) {
    yield s[i];
    if (i % PASSAGE_EVERY === 0 && i + 1 < s.length) yield `${s[i]} ${s[i + 1]}`;
  }
}

function* corpusTexts() {
  const data = path.join(shared, 'data');
  for (const line of fs.readFileSync(path.join(data, 'imdb/train.jsonl'), 'utf8').split('\n'))
    if (line.trim()) yield JSON.parse(line).text;
  for (const f of fs.readdirSync(path.join(data, 'wikipedia')).sort())
    for (const film of JSON.parse(fs.readFileSync(path.join(data, 'wikipedia', f), 'utf8')))
      if (typeof film.extract === 'string') yield film.extract;
  const tmdb = parseCsv(fs.readFileSync(path.join(data, 'tmdb/tmdb_movies.csv'), 'utf8'));
  const overview = tmdb[0].indexOf('overview');
  for (const row of tmdb.slice(1)) if (row[overview]) yield row[overview];
  const dialogues = [
    ...readInspiredTrain(path.join(data, 'conversations/inspired/train.csv'), 'tune'),
    ...readRedial(path.join(data, 'conversations/redial/train_subset.jsonl'), 'tune'),
  ];
  for (const d of dialogues) for (const t of d.turns) if (t.text) yield t.text;
}

/** The corpus: distinct pieces of MIN_CHARS..MAX_CHARS, the `n` first by sha256 (a fixed shuffle). */
function corpus(n) {
  const seen = new Map();
  for (const text of corpusTexts())
    for (const p of piecesOf(text)) {
      if (p.length < MIN_CHARS || p.length > MAX_CHARS || seen.has(p)) continue;
      seen.set(p, createHash('sha256').update(p).digest('hex').slice(0, 16));
    }
  return [...seen.entries()]
    .sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .slice(0, n)
    .map(([p]) => p);
}

/** `texts`' transformer vectors, from the cache when it holds exactly these texts. */
async function targets(texts, file) {
  const key = createHash('sha256')
    .update(fs.readFileSync(modelPath))
    .update(texts.join('\n'))
    .digest('hex');
  const keyFile = `${file}.key`;
  if (fs.existsSync(keyFile) && fs.readFileSync(keyFile, 'utf8') === key) {
    console.log(`static encoder: reusing ${path.relative(root, file)}`);
    return;
  }
  const t0 = Date.now();
  const vectors = await embedAll(texts, modelPath, Number(args.workers));
  // Written under a temporary name: a run killed mid-write leaves no file that looks finished.
  fs.writeFileSync(`${file}.tmp`, vectors);
  fs.renameSync(`${file}.tmp`, file);
  fs.writeFileSync(keyFile, key);
  console.log(`static encoder: embedded ${texts.length} texts in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

async function main() {
  fs.mkdirSync(args.work, { recursive: true });
  const sentences = corpus(Number(args.sentences));
  console.log(`static encoder: ${sentences.length} training sentences`);
  const sentencesFile = path.join(args.work, 'sentences.txt');
  fs.writeFileSync(sentencesFile, sentences.join('\n') + '\n');
  await targets(sentences, path.join(args.work, 'sentences.f32'));
  // Each vocabulary piece alone (its text, U+2581 as a space): the fit's starting point.
  const pieces = JSON.parse(fs.readFileSync(vocabPath, 'utf8')).map(([p]) =>
    String(p).replace(/\u2581/g, ' '),
  );
  const piecesFile = path.join(args.work, 'pieces.txt');
  fs.writeFileSync(piecesFile, pieces.map((p) => p.replace(/\n/g, ' ')).join('\n') + '\n');
  await targets(pieces, path.join(args.work, 'pieces.f32'));
  const tool = path.join(root, 'build/native/encoder_fit');
  const r = spawnSync(
    tool,
    [
      '--vocab', vocabPath,
      '--sentences', sentencesFile,
      '--targets', path.join(args.work, 'sentences.f32'),
      '--pieces', path.join(args.work, 'pieces.f32'),
      '--out', args.out,
      '--report', path.join(args.work, 'report.json'),
    ],
    { stdio: 'inherit' },
  );
  if (r.status !== 0) throw new Error(`encoder_fit failed (exit ${r.status ?? r.signal})`);
}

await main();
