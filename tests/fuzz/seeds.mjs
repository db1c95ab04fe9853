// Seed corpora for the request and message fuzz targets, from the quality suite's real messages
// (tests/quality/cases.jsonl, English and Korean): each message alone and all of them as one
// long text (so that the fuzzer starts with long inputs too), and each case as a request in the
// wire format, some with state, weights, tuning and the candidates flag. Deterministic.
//   node tests/fuzz/seeds.mjs build/fuzz/corpus   (fills fuzz_ask/ and fuzz_message/ when empty)
import fs from 'node:fs';
import path from 'node:path';

const corpus = process.argv[2];
if (!corpus) throw new Error('usage: node tests/fuzz/seeds.mjs CORPUS_DIR');
const cases = fs
  .readFileSync(new URL('../quality/cases.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l))
  .map((c) => ({
    ...c,
    turns: c.turns.map((t) => (typeof t === 'string' ? t : t.repeat.repeat(t.times))),
  }));

function fill(target, seeds) {
  const dir = path.join(corpus, target);
  fs.mkdirSync(dir, { recursive: true });
  if (fs.readdirSync(dir).length > 0) return;
  seeds.forEach((s, i) => fs.writeFileSync(path.join(dir, `seed${i}`), s));
}

const messages = cases.flatMap((c) => c.turns);
fill('fuzz_message', [...messages, messages.join('\n')]);

// Extras cycled over the cases, so every optional field of the request appears in some seeds.
const extras = [
  {},
  { k: 10, lang: 'ko' },
  { state: { liked: [1, 2], disliked: [3], seen: [4], mentioned: [1, 5], lastResults: [6, 7, 8] } },
  { weights: { item: 0.5, collab: 1, query: 0.2, text: 0.1, prior: 0.3, people: 2 } },
  { tuning: { perSource: 50, focusDecay: 0.5, leadMax: 3, minConfidence: 0.1 }, candidates: true },
];
fill(
  'fuzz_ask',
  cases.map((c, i) => {
    const turns = c.turns.flatMap((text, t) => [
      ...(t > 0 ? [{ role: 'assistant', text: 'Here are five films.' }] : []),
      { role: 'user', text },
    ]);
    const request = i % 3 === 0 && turns.length === 1 ? { text: c.turns[0] } : { turns };
    return JSON.stringify({ ...request, ...extras[i % extras.length] });
  }),
);
