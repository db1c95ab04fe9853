// `cinerag ask "message"` and `cinerag batch < in.jsonl > out.jsonl`: the recommender from the
// command line, on the same WASM core and ONNX model as the browser.
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
                   [--proxy URL] [--encoder static|transformer]
       cinerag batch [--k 50] [--db FILE] [--encoder static|transformer] < in.jsonl > out.jsonl
  ask:   prints the steps and the answer (--json: the batch output object plus "answer");
         --state FILE reads the conversation state from FILE and writes the new one back
  batch: one JSON object a line: {"id","turns":[{"role":"user"|"assistant","text"}]} or
         {"id","text"}; writes {"id","lang","sentiment","mentioned","results","fallback",...}
         a line; a bad line gets {"id","error"} and the batch goes on (a line over 32 MiB
         too, unread); input is read as answers are written (memory stays bounded), and the
         batch stops quietly when nobody reads its output any more (| head)
  --db     the catalogue (default ${defaultDb})
  --encoder  static (default: the core's own, as the page) or transformer (the precise mode)
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
      encoder: { type: 'string', default: 'static' },
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
  if (!['static', 'transformer'].includes(o.encoder))
    throw new Error('--encoder must be static or transformer');
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
  const engine = await createEngine({ db: o.db, encoder: o.encoder });
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

/**
 * A line longer than this is refused without being held: it cannot be a request the core takes
 * (200 turns of at most 100 KB, web/src/request.js), and holding it would let one line decide the
 * batch's memory.
 */
export const MAX_LINE_BYTES = 32 * 1024 * 1024;

/**
 * The lines of a byte stream, one at a time, holding at most one line: {line, number} with
 * `number` counted from 1 over every line (blank ones too), or {tooLong: bytes, number} for a
 * line over `maxBytes`, whose bytes are dropped as they arrive. Pulling the next line is what
 * reads more input, so a fast producer waits for the batch instead of filling memory.
 */
export async function* readLines(input, maxBytes = MAX_LINE_BYTES) {
  let parts = [];
  let held = 0; // bytes in parts
  let dropped = -1; // bytes of a line over maxBytes so far; -1 while the line fits
  let number = 0;
  const take = () => {
    number++;
    const out =
      dropped >= 0
        ? { tooLong: dropped, number }
        : { line: Buffer.concat(parts, held).toString('utf8'), number };
    parts = [];
    held = 0;
    dropped = -1;
    return out;
  };
  for await (const chunk of input) {
    for (let start = 0; start < chunk.length;) {
      const newline = chunk.indexOf(10, start);
      const end = newline === -1 ? chunk.length : newline;
      if (dropped >= 0) {
        dropped += end - start;
      } else if (held + end - start > maxBytes) {
        dropped = held + end - start;
        parts = [];
        held = 0;
      } else {
        parts.push(chunk.subarray(start, end));
        held += end - start;
      }
      if (newline === -1) break;
      yield take();
      start = newline + 1;
    }
  }
  if (held > 0 || dropped >= 0) yield take();
}

/**
 * Writes to `stream`, waiting when its buffer is full. A closed reader (`cinerag batch | head -1`:
 * EPIPE) or any other write error ends the writing: `closed` turns true and later writes are
 * dropped; `error` keeps a failure that is not the reader going away.
 */
function outputOf(stream) {
  const out = { closed: false, error: null };
  stream.on('error', (e) => {
    out.closed = true;
    if (e.code !== 'EPIPE') out.error ??= e;
  });
  out.write = async (text) => {
    if (out.closed || stream.write(text)) return;
    await new Promise((resolve) => {
      const done = () => {
        stream.off('drain', done);
        stream.off('error', done);
        resolve();
      };
      stream.on('drain', done);
      stream.on('error', done);
    });
  };
  return out;
}

/** One batch line -> its output record. */
async function answerLine(engine, o, line, number) {
  let id = null;
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
    return batchRecord(id, await engine.ask(request));
  } catch (e) {
    return { id, error: `line ${number}: ${e.message}` };
  }
}

async function batch(o) {
  const engine = await createEngine({ db: o.db, encoder: o.encoder });
  const out = outputOf(process.stdout);
  for await (const { line, tooLong, number } of readLines(process.stdin)) {
    if (tooLong === undefined && !line.trim()) continue;
    const record =
      tooLong === undefined
        ? await answerLine(engine, o, line, number)
        : {
            id: null,
            error: `line ${number}: ${tooLong} bytes, over the ${MAX_LINE_BYTES}-byte limit of a line`,
          };
    await out.write(JSON.stringify(record) + '\n');
    if (out.closed) break; // nobody reads the answers any more: stop asking
  }
  if (out.error) throw new Error(`cannot write the output: ${out.error.message}`);
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
