// `npm run eval:sentiment [-- --json]`: accuracy on IMDb test (25k), SST-2 dev (872) and NSMC
// test (50k) from the native evaluator, and the per-message time of the WASM core under Node.
// Test sets are read only here, never for training or choices.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { loadCore, root } from '../lib/core-node.mjs';

const { values: args } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
  },
});
if (args.help) {
  console.log('usage: npm run eval:sentiment [-- --json]   (--json: the figures as one JSON line)');
  process.exit(0);
}
const json = args.json;
const shared = process.env.CINERAG_SHARED || path.resolve(root, '../shared');
const en = path.join(root, 'models/sentiment-en.bin');
const ko = path.join(root, 'models/sentiment-ko.bin');
for (const f of [en, ko]) if (!fs.existsSync(f)) throw new Error(`${f} missing: npm run models`);

const native = JSON.parse(
  execFileSync(
    path.join(root, 'build/native/sentiment_tool'),
    ['eval', '--en', en, '--ko', ko, '--shared', shared],
    {
      encoding: 'utf8',
    },
  ),
);

const core = await loadCore();
const sentiment = new core.Sentiment();
const loaded = sentiment.load(
  new Uint8Array(fs.readFileSync(en)),
  new Uint8Array(fs.readFileSync(ko)),
);
if (!loaded.ok) throw new Error(loaded.error);
const messages = [
  'I absolutely loved Titanic. It made me so emotional!',
  'I hated Twilight, so boring',
  'I meant Avengers: Infinity War',
  '타이타닉 너무 감동적이었어',
  'something lighter please, nothing too sad',
  '기생충 같은 영화 추천해줘',
];
for (let i = 0; i < 200; i++) sentiment.classify(messages[i % messages.length]); // warm-up
const n = 5000;
const t0 = performance.now();
for (let i = 0; i < n; i++) sentiment.classify(messages[i % messages.length]);
const perMessage = (performance.now() - t0) / n;
sentiment.delete();

const results = {
  imdb_acc: native.imdb_acc,
  imdb_f1: native.imdb_f1,
  sst2_acc: native.sst2_acc,
  sst2_f1: native.sst2_f1,
  nsmc_acc: native.nsmc_acc,
  nsmc_f1: native.nsmc_f1,
  per_message_ms_wasm: +perMessage.toFixed(4),
};
const targets = { imdb_acc: 92.0, sst2_acc: 82, nsmc_acc: 86.5 };
if (json) {
  console.log(JSON.stringify(results));
} else {
  console.log('\ncinerag sentiment (percent; test sets)\n');
  for (const [k, v] of Object.entries(results)) {
    const t = targets[k];
    const mark =
      t === undefined
        ? ''
        : v >= t
          ? `  (target ${t}: met)`
          : `  (target ${t}: short by ${(t - v).toFixed(2)})`;
    console.log(
      `  ${k.padEnd(20)} ${v}${k === 'per_message_ms_wasm' ? (v <= 1 ? '  (target 1 ms: met)' : '  (target 1 ms: missed)') : mark}`,
    );
  }
}
