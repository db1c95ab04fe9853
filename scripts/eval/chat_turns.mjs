// `node scripts/eval/chat_turns.mjs [--json] [--db FILE]`: the hand-labelled chat-turn set
// (tests/quality/chat_turns.tsv, issue #13: seeker turns of the INSPIRED and ReDial training
// dialogues labelled liked / disliked / neutral; guide in tests/quality/README.md) read by the
// product's own path: one request per turn with that single user message, through the Node
// engine exactly as `cinerag batch` sends a {"id","text"} line (k 5), and the response's
// sentiment.label (positive → liked, negative → disliked, neutral → neutral). Prints accuracy,
// per-class precision/recall, the 3×3 confusion matrix and two baselines beside it: the majority
// class and the sentiment classifier alone (the core's Sentiment.classify on the same text).
// --json also writes bench/eval-chat-turns.json. The helpers (the set's reader, the source
// turns, the scorer) are exported for tests/wasm/chat_turns.test.mjs and the sampler.
// @ts-check
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { parseCsv } from '../lib/csv.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The labels, in the order of every table. */
export const LABELS = /** @type {const} */ (['liked', 'disliked', 'neutral']);
/** @typedef {typeof LABELS[number]} Label */
/** The core's sentiment label → the set's label. */
export const FROM_SENTIMENT = /** @type {const} */ ({
  positive: 'liked',
  negative: 'disliked',
  neutral: 'neutral',
});
/** The training files the set may quote (relative to the shared data folder). */
export const SOURCES = /** @type {const} */ ({
  inspired: 'conversations/inspired/train.csv',
  redial: 'conversations/redial/train_subset.jsonl',
});
export const defaultSet = path.join(root, 'tests/quality/chat_turns.tsv');
export const COLUMNS = ['id', 'source', 'label', 'notes', 'text'];

/** @typedef {{id: string, source: string, label: string, notes: string, text: string}} Row */
/** @typedef {{id: string, source: string, dialogue: string, first: boolean, text: string,
 *   titles: number}} SourceTurn */

/**
 * Text as the set stores it: every run of white space one space, trimmed (a TSV field holds no
 * tab or newline).
 * @param {string} s
 */
export function flat(s) {
  return String(s).replace(/\s+/g, ' ').trim();
}

/**
 * The set's rows: lines starting with '#' and blank lines are comments, the first other line is
 * the header (COLUMNS), then one row a line.
 * @param {string} file
 * @returns {Row[]}
 */
export function readSet(file = defaultSet) {
  const lines = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'));
  const header = lines[0].split('\t');
  if (header.join('\t') !== COLUMNS.join('\t'))
    throw new Error(`${file}: header must be ${COLUMNS.join(' ')}, is ${header.join(' ')}`);
  return lines.slice(1).map((line, i) => {
    const f = line.split('\t');
    if (f.length !== COLUMNS.length)
      throw new Error(`${file}: row ${i + 1} has ${f.length} fields, not ${COLUMNS.length}`);
    const [id, source, label, notes, text] = f;
    return { id, source, label, notes, text };
  });
}

/**
 * Every seeker turn of the two training files, keyed by id, as the set quotes them.
 * ReDial: a turn is the seeker's consecutive messages joined by a space (as
 * scripts/lib/dialogues.mjs reads them), `@id` written as its movieMentions name; its id is
 * `redial:<conversationId>:<messageId of its first message>`.
 * INSPIRED train (He et al.'s prompt form, no dialogue ids): rows of one dialogue extend each
 * other; a turn is a `User:` line of the dialogue's longest row; its id is
 * `inspired-train:<that row's index column>:<n>`, n counting the row's User lines from 0.
 * @param {string} dataDir the shared data folder
 * @returns {Map<string, SourceTurn>}
 */
export function sourceTurns(dataDir) {
  /** @type {Map<string, SourceTurn>} */
  const out = new Map();
  // ReDial
  const redial = fs
    .readFileSync(path.join(dataDir, SOURCES.redial), 'utf8')
    .split('\n')
    .filter((l) => l.trim());
  for (const line of redial) {
    const d = JSON.parse(line);
    /** @type {Record<string, string>} */
    const names = {};
    for (const [id, name] of Object.entries(
      Array.isArray(d.movieMentions) ? {} : (d.movieMentions ?? {}),
    ))
      names[id] = flat(String(name ?? ''));
    /** @type {SourceTurn | null} */
    let turn = null;
    let first = true;
    for (const m of d.messages) {
      if (m.senderWorkerId !== d.initiatorWorkerId) {
        if (turn) first = false;
        turn = null;
        continue;
      }
      const text = String(m.text)
        .replace(/@(\d+)/g, (_, id) => names[id] || 'a movie')
        .trim();
      const titles = [...String(m.text).matchAll(/@(\d+)/g)].length;
      if (!turn) {
        const id = `redial:${d.conversationId}:${m.messageId}`;
        turn = {
          id,
          source: SOURCES.redial,
          dialogue: `redial:${d.conversationId}`,
          first,
          text: '',
          titles: 0,
        };
        out.set(id, turn);
      }
      turn.text = flat(turn.text ? `${turn.text} ${text}` : text);
      turn.titles += titles;
    }
  }
  // INSPIRED train: the longest row of each chain of rows.
  const rows = parseCsv(fs.readFileSync(path.join(dataDir, SOURCES.inspired), 'utf8'));
  const cIndex = 0;
  const cContext = rows[0].indexOf('full_situation');
  const cMovies = rows[0].indexOf('movies');
  /** @type {{index: string, context: string}[]} */
  const longest = [];
  /** @type {string[]} */
  const titles = [];
  /** @type {string | null} */
  let open = null;
  for (const row of rows.slice(1)) {
    if (row.length <= Math.max(cContext, cMovies)) continue;
    const context = row[cContext];
    titles.push(
      ...[...row[cMovies].matchAll(/'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"/g)].map(
        (x) => x[1] ?? x[2],
      ),
    );
    const base = context.replace(/System: $/, '');
    if (open !== null && base.trim() && context.startsWith(open))
      longest[longest.length - 1] = { index: row[cIndex], context };
    else longest.push({ index: row[cIndex], context });
    open = base;
  }
  // Titles named in a turn (multi-word titles the file suggests, folded), for the sampler only.
  const fold = (/** @type {string} */ s) =>
    ` ${s
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim()} `;
  const known = [...new Set(titles.map(fold))].filter((t) => t.trim().includes(' '));
  for (const { index, context } of longest) {
    let n = 0;
    let first = true;
    for (const line of context.split('\n')) {
      const m = /^User: ?(.*)$/.exec(line);
      if (!m) continue;
      const id = `inspired-train:${index}:${n++}`;
      const text = flat(m[1]);
      const folded = fold(text);
      out.set(id, {
        id,
        source: SOURCES.inspired,
        dialogue: `inspired-train:${index}`,
        first,
        text,
        titles: known.filter((t) => folded.includes(t)).length,
      });
      first = false;
    }
  }
  return out;
}

/**
 * The scores of predictions against gold labels: accuracy, per-class precision / recall / F1,
 * macro-F1 and the confusion matrix (rows gold, columns read, in LABELS order). A class never
 * predicted has precision 0; one never gold has recall 0.
 * @param {string[]} gold
 * @param {string[]} read
 */
export function score(gold, read) {
  if (gold.length !== read.length) throw new Error('gold and read differ in length');
  const idx = (/** @type {string} */ l) => {
    const i = LABELS.indexOf(/** @type {Label} */ (l));
    if (i < 0) throw new Error(`unknown label ${l}`);
    return i;
  };
  const confusion = LABELS.map(() => LABELS.map(() => 0));
  gold.forEach((g, i) => confusion[idx(g)][idx(read[i])]++);
  const n = gold.length;
  const correct = LABELS.reduce((s, _, i) => s + confusion[i][i], 0);
  /** @type {Record<string, {precision: number, recall: number, f1: number, support: number}>} */
  const perClass = {};
  LABELS.forEach((l, i) => {
    const predicted = LABELS.reduce((s, _, g) => s + confusion[g][i], 0);
    const support = confusion[i].reduce((s, x) => s + x, 0);
    const precision = predicted ? confusion[i][i] / predicted : 0;
    const recall = support ? confusion[i][i] / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    perClass[l] = { precision, recall, f1, support };
  });
  const macroF1 = LABELS.reduce((s, l) => s + perClass[l].f1, 0) / LABELS.length;
  return { n, accuracy: n ? correct / n : 0, macroF1, perClass, confusion };
}

/**
 * The most frequent gold label (ties: LABELS order).
 * @param {string[]} gold
 */
export function majority(gold) {
  return LABELS.reduce((best, l) =>
    gold.filter((g) => g === l).length > gold.filter((g) => g === best).length ? l : best,
  );
}

const pct = (/** @type {number} */ x) => (100 * x).toFixed(1);

/**
 * The report's lines for one system's scores.
 * @param {string} name
 * @param {ReturnType<typeof score>} s
 */
function lines(name, s) {
  const out = [`${name}: accuracy ${pct(s.accuracy)}%  macro-F1 ${pct(s.macroF1)}  (n ${s.n})`];
  out.push(`  ${'gold \\ read'.padEnd(12)}${LABELS.map((l) => l.padStart(9)).join('')}   P      R`);
  LABELS.forEach((l, i) => {
    const c = s.perClass[l];
    out.push(
      `  ${l.padEnd(12)}${s.confusion[i].map((x) => String(x).padStart(9)).join('')}   ${pct(c.precision).padStart(5)}  ${pct(c.recall).padStart(5)}`,
    );
  });
  return out;
}

const USAGE = `usage: node scripts/eval/chat_turns.mjs [--json] [--db FILE] [--set FILE] [--show N]
  --db FILE   the catalogue (default catalogue/demo.db; built when it is the default and missing)
  --set FILE  the labelled turns (default tests/quality/chat_turns.tsv)
  --show N    print N misreadings of the product (default 10)
  --json      print the figures as JSON and write them to bench/eval-chat-turns.json`;

async function main() {
  const { values: args } = parseArgs({
    options: {
      json: { type: 'boolean', default: false },
      db: { type: 'string', default: path.join(root, 'catalogue/demo.db') },
      set: { type: 'string', default: defaultSet },
      show: { type: 'string', default: '10' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (args.help) return console.log(USAGE);
  const rows = readSet(args.set);
  for (const r of rows)
    if (!LABELS.includes(/** @type {Label} */ (r.label)))
      throw new Error(`${r.id}: label ${r.label} is not one of ${LABELS.join(', ')}`);

  const { ensureBuilt } = await import('../lib/ensure-built.mjs');
  const { createEngine } = await import('../lib/engine-node.mjs');
  await ensureBuilt(args.db);
  const engine = await createEngine({ db: args.db });
  const sentiment = new engine.core.Sentiment();
  const loaded = sentiment.load(
    new Uint8Array(fs.readFileSync(path.join(root, 'models/sentiment-en.bin'))),
    new Uint8Array(fs.readFileSync(path.join(root, 'models/sentiment-ko.bin'))),
  );
  if (!('ok' in loaded)) throw new Error(loaded.error);

  /** @type {string[]} */
  const product = [];
  /** @type {string[]} */
  const classifier = [];
  for (const r of rows) {
    // Exactly the request `cinerag batch` builds for {"id","text"} (k defaults to 5).
    const res = await engine.ask({ text: r.text, k: 5 });
    if (res.error) throw new Error(`${r.id}: ${res.error}`);
    product.push(FROM_SENTIMENT[/** @type {keyof typeof FROM_SENTIMENT} */ (res.sentiment.label)]);
    const c = sentiment.classify(r.text);
    if ('error' in c) throw new Error(`${r.id}: ${c.error}`);
    classifier.push(FROM_SENTIMENT[c.label]);
  }
  sentiment.delete();
  const gold = rows.map((r) => r.label);
  const major = majority(gold);
  const mixed = rows.map((r, i) => i).filter((i) => /\bmixed\b/.test(rows[i].notes));
  const subset = (/** @type {string[]} */ xs, /** @type {number[]} */ is) => is.map((i) => xs[i]);
  const bySource = Object.fromEntries(
    Object.entries(SOURCES).map(([name, file]) => {
      const is = rows.map((r, i) => i).filter((i) => rows[i].source === file);
      return [
        name,
        { n: is.length, accuracy: score(subset(gold, is), subset(product, is)).accuracy },
      ];
    }),
  );
  const results = {
    set: path.relative(root, args.set),
    db: path.relative(root, args.db),
    n: rows.length,
    gold: Object.fromEntries(LABELS.map((l) => [l, gold.filter((g) => g === l).length])),
    product: score(gold, product),
    classifier: score(gold, classifier),
    majority: {
      label: major,
      ...score(
        gold,
        gold.map(() => major),
      ),
    },
    mixed: {
      n: mixed.length,
      product: score(subset(gold, mixed), subset(product, mixed)).accuracy,
      classifier: score(subset(gold, mixed), subset(classifier, mixed)).accuracy,
    },
    bySource,
    agreement: product.filter((p, i) => p === classifier[i]).length,
    misread: rows
      .map((r, i) => ({ id: r.id, gold: r.label, read: product[i], notes: r.notes, text: r.text }))
      .filter((x) => x.gold !== x.read),
  };
  if (args.json) {
    const out = path.join(root, 'bench/eval-chat-turns.json');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
    console.log(JSON.stringify({ ...results, misread: results.misread.length }));
    return;
  }
  console.log(
    `\ncinerag chat turns (${results.set}, ${rows.length} turns; catalogue ${results.db})`,
  );
  console.log(`gold: ${LABELS.map((l) => `${l} ${results.gold[l]}`).join(', ')}\n`);
  for (const l of lines('product (Recommender.ask → sentiment.label)', results.product))
    console.log(l);
  console.log();
  for (const l of lines('classifier alone (Sentiment.classify)', results.classifier))
    console.log(l);
  console.log();
  console.log(
    `majority class (${major}): accuracy ${pct(results.majority.accuracy)}%  macro-F1 ${pct(results.majority.macroF1)}`,
  );
  console.log(
    `mixed turns (${mixed.length}): product ${pct(results.mixed.product)}%, classifier ${pct(results.mixed.classifier)}%`,
  );
  console.log(
    `product and classifier read the same label on ${results.agreement} of ${rows.length}`,
  );
  console.log(
    `by source: ${Object.entries(bySource)
      .map(([k, v]) => `${k} ${pct(v.accuracy)}% (n ${v.n})`)
      .join(', ')}`,
  );
  const show = Number(args.show);
  if (show > 0 && results.misread.length) {
    console.log(
      `\nmisread by the product (${results.misread.length}; first ${Math.min(show, results.misread.length)}):`,
    );
    for (const m of results.misread.slice(0, show))
      console.log(
        `  ${m.id}  gold ${m.gold}, read ${m.read}${m.notes ? ` [${m.notes}]` : ''}: ${m.text.slice(0, 140)}`,
      );
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((e) => {
    console.error(`chat_turns: ${e.message}`);
    process.exitCode = 1;
  });
}
