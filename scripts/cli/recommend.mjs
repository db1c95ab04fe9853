// `cinerag ask "message"` and `cinerag batch < in.jsonl > out.jsonl`: the recommender from the
// command line, on the same WASM core and ONNX model as the browser.
import fs from 'node:fs';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { askProxy } from '../../web/src/fallback.js';
import { createEngine, defaultDb } from '../lib/engine-node.mjs';

const USAGE = `usage: cinerag ask "message" [--json] [--k N] [--lang ko|en] [--db FILE] [--state FILE]
                   [--proxy URL]
       cinerag batch [--k 50] [--db FILE] < in.jsonl > out.jsonl
  ask:   prints the steps and the answer (--json: the batch output object plus "answer");
         --state FILE reads the conversation state from FILE and writes the new one back
  batch: one JSON object a line: {"id","turns":[{"role":"user"|"assistant","text"}]} or
         {"id","text"}; writes {"id","lang","sentiment","mentioned","results","fallback",...}
         a line; a bad line gets {"id","error"} and the batch goes on
  --db     the catalogue (default ${defaultDb})
  --proxy  the gpt-4o proxy (proxy/): asked only when the core flags fallback; on a timeout or
           an error the offline answer stands`;

function parse(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      k: { type: 'string' },
      lang: { type: 'string' },
      db: { type: 'string', default: defaultDb },
      state: { type: 'string' },
      proxy: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const o = {
    ...values,
    k: values.k === undefined ? undefined : Number(values.k),
    positional: positionals,
  };
  if (o.k !== undefined && !(Number.isInteger(o.k) && o.k >= 1 && o.k <= 100)) {
    throw new Error('--k must be an integer from 1 to 100');
  }
  if (o.lang !== undefined && !['en', 'ko'].includes(o.lang))
    throw new Error('--lang must be en or ko');
  return o;
}

/** The batch output object for one response. */
export function batchRecord(id, r) {
  if (r.error) return { id, error: r.error, code: r.code };
  return {
    id,
    lang: r.lang,
    sentiment: r.sentiment,
    mentioned: r.mentioned.map(({ movieId, title, year, liked }) => ({
      movieId,
      title,
      year,
      liked,
    })),
    results: r.results.map(({ movieId, title, year, genres, score, why }) => ({
      movieId,
      title,
      year,
      genres,
      score,
      why,
    })),
    fallback: r.fallback,
    fallbackReason: r.fallbackReason,
    confidence: r.confidence,
    state: r.state,
  };
}

async function ask(o) {
  const message = o.positional.join(' ');
  if (!message.trim()) throw new Error('ask needs a message: cinerag ask "I loved Titanic"');
  const log = (s) => !o.json && console.log(`[INFO] ${s}`);
  const engine = await createEngine({ db: o.db });
  log(
    `catalogue: ${engine.info.movieCount} movies (${engine.meta('preset') || 'custom'}), built ${engine.meta('built_at')}`,
  );
  let state;
  if (o.state && fs.existsSync(o.state)) state = JSON.parse(fs.readFileSync(o.state, 'utf8'));
  const request = {
    text: message,
    ...(o.k && { k: o.k }),
    ...(o.lang && { lang: o.lang }),
    ...(state && { state }),
  };
  const t0 = performance.now();
  const r = await engine.ask(request);
  const ms = performance.now() - t0;
  if (r.error) throw new Error(r.error);
  if (o.state) fs.writeFileSync(o.state, JSON.stringify(r.state));
  const titles = r.mentioned.map(
    (m) =>
      `${m.title} (${m.year}) [${m.liked === true ? 'liked' : m.liked === false ? 'disliked' : 'neutral'}]`,
  );
  log(`title extraction: ${titles.length ? titles.join(', ') : 'no movie named'}`);
  log(`sentiment: ${r.sentiment.label} (${r.sentiment.score.toFixed(2)}), language ${r.lang}`);
  if (r.constraints.length) log(`constraints: ${r.constraints.join(', ')}`);
  log(
    `DB search: ${r.results.length} results in ${ms.toFixed(1)} ms, confidence ${r.confidence.toFixed(2)}${r.fallback ? `, fallback (${r.fallbackReason})` : ''}`,
  );
  // The fallback: only when the core asks for it and a proxy is given.
  let llm = null;
  let llmError = null;
  if (r.fallback && o.proxy) {
    log(`fallback (${r.fallbackReason}): asking gpt-4o through ${o.proxy}`);
    try {
      llm = await askProxy(o.proxy, r.lang, [{ role: 'user', text: message }], r, () => {});
    } catch (e) {
      llmError = e.message;
      log(`gpt-4o could not answer (${e.message}); the offline answer stands`);
    }
  }
  if (o.json) {
    const out = { ...batchRecord(undefined, r), answer: r.answer };
    if (llm) out.llm = llm;
    if (llmError) out.llmError = llmError;
    console.log(JSON.stringify(out, null, 2));
    return;
  }
  console.log();
  console.log(r.answer);
  if (llm) {
    console.log(`\n[gpt-4o] ${llm.message}`);
    llm.recommendations.forEach((x, i) => {
      // Titles the catalogue knows get their genres back from the core's candidates.
      const known = r.results.find((c) => c.title.toLowerCase() === x.title.toLowerCase());
      const genres = known ? ` — ${known.genres.join(',')}` : '';
      console.log(
        `${i + 1}. ${x.title}${x.year ? ` (${x.year})` : ''}${genres} — ${x.reason ?? ''}`,
      );
    });
  }
}

async function batch(o) {
  const engine = await createEngine({ db: o.db });
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  let n = 0;
  for await (const line of rl) {
    if (!line.trim()) continue;
    n++;
    let id = null;
    let out;
    try {
      const input = JSON.parse(line);
      if (!input || typeof input !== 'object' || Array.isArray(input))
        throw new Error('not a JSON object');
      id = input.id ?? null;
      const request = {
        ...(input.turns ? { turns: input.turns } : { text: input.text }),
        k: o.k ?? 5,
      };
      if (input.state) request.state = input.state;
      if (o.lang) request.lang = o.lang;
      out = batchRecord(id, await engine.ask(request));
    } catch (e) {
      out = { id, error: `line ${n}: ${e.message}` };
    }
    process.stdout.write(JSON.stringify(out) + '\n');
  }
}

export async function main(argv, command) {
  try {
    const o = parse(argv);
    if (o.help) return console.log(USAGE);
    await (command === 'batch' ? batch(o) : ask(o));
  } catch (e) {
    console.error(`cinerag ${command}: ${e.message}`);
    process.exitCode = 1;
  }
}
