// `cinerag ask "message"` and `cinerag batch < in.jsonl > out.jsonl`: the recommender from the
// command line, on the same WASM core and ONNX model as the browser.
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { createEngine, defaultDb } from '../lib/engine-node.mjs';
import { ensureBuilt } from '../lib/ensure-built.mjs';
import {
  answerLines,
  catalogueInfo,
  fallback,
  infoSteps,
  llmLines,
  readStateFile,
  writeStateFile,
} from './answer.mjs';

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
    people: r.people ?? [],
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
  await ensureBuilt(o.db);
  const engine = await createEngine({ db: o.db });
  log(catalogueInfo(engine));
  const { state } = readStateFile(o.state);
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
  if (o.state) writeStateFile(o.state, r.state);
  infoSteps(r, ms).forEach(log);
  // The fallback: only when the core asks for it and a proxy is given.
  const { llm, llmError } = await fallback(o.proxy, r, [{ role: 'user', text: message }], log);
  if (o.json) {
    const out = { ...batchRecord(undefined, r), answer: r.answer };
    if (llm) out.llm = llm;
    if (llmError) out.llmError = llmError;
    console.log(JSON.stringify(out, null, 2));
    return;
  }
  console.log();
  console.log(answerLines(r).join('\n'));
  if (llm) console.log(`\n${llmLines(llm, r).join('\n')}`);
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
