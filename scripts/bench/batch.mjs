// `cinerag batch` under a long input, for `npm run bench`: streams N lines (default 100,000: the
// quality suite's messages, a bad line every 1,000 and one 10 MB line halfway) into the batch as
// fast as it takes them, reads every answer, and reports the batch's peak RSS (VmHWM, read while
// it still waits for more input), its RSS at each tenth of the answers, and the line rate. A batch
// that held its input or its output would grow with N; a streaming one stays flat after warm-up.
// Merges its keys into bench/results.json.
//   node scripts/bench/batch.mjs [--lines 100000] [--db catalogue/demo.db]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { writeResults } from '../lib/bench-results.mjs';
import { root } from '../lib/core-node.mjs';
import { defaultDb } from '../lib/engine-node.mjs';
import { ensureBuilt } from '../lib/ensure-built.mjs';

const BAD_EVERY = 1000;
const BIG_LINE_BYTES = 10 * 1024 * 1024;

const { values: args } = parseArgs({
  options: {
    lines: { type: 'string', default: '100000' },
    db: { type: 'string', default: defaultDb },
    help: { type: 'boolean', short: 'h' },
  },
});
if (args.help) {
  console.log('usage: node scripts/bench/batch.mjs [--lines 100000] [--db catalogue/demo.db]');
  process.exit(0);
}
const total = Number(args.lines);
if (!(Number.isInteger(total) && total >= 10)) throw new Error('--lines must be an integer >= 10');

const messages = fs
  .readFileSync(path.join(root, 'tests/quality/cases.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .flatMap((l) => JSON.parse(l).turns)
  .map((t) => (typeof t === 'string' ? t : t.repeat.repeat(t.times))); // {repeat, times}: long ones

function inputLine(i) {
  if (i % BAD_EVERY === BAD_EVERY - 1) return `{"id": ${i}, "text": not json`;
  if (i === Math.floor(total / 2))
    return JSON.stringify({ id: i, text: 'x'.repeat(BIG_LINE_BYTES) });
  return JSON.stringify({ id: i, text: messages[i % messages.length] });
}

/** Field `key` of /proc/PID/status in MB (VmRSS: now, VmHWM: the peak so far). */
function procMb(pid, key) {
  const line = fs
    .readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${key}:`));
  return Math.round(Number(line.split(/\s+/)[1]) / 1024);
}

await ensureBuilt(args.db); // the module, the models and the demo catalogue, when missing
const child = spawn(
  process.execPath,
  [path.join(root, 'scripts/cli/cinerag.mjs'), 'batch', '--db', args.db],
  { stdio: ['pipe', 'pipe', 'inherit'] },
);
const exited = new Promise((resolve) => child.on('exit', resolve));

// Writes every line, waiting whenever the batch has not taken the last ones yet.
async function feed() {
  for (let i = 0; i < total; i++) {
    if (!child.stdin.write(inputLine(i) + '\n')) {
      await new Promise((resolve) => child.stdin.once('drain', resolve));
    }
  }
}

const t0 = performance.now();
const feeding = feed();
const rssAtTenth = [];
let answers = 0;
let errors = 0;
for await (const line of readline.createInterface({ input: child.stdout })) {
  answers++;
  if (JSON.parse(line).error) errors++;
  if (answers % Math.ceil(total / 10) === 0) rssAtTenth.push(procMb(child.pid, 'VmRSS'));
  if (answers === total) break;
}
const seconds = (performance.now() - t0) / 1000;
await feeding;
const peak = procMb(child.pid, 'VmHWM'); // still running: it waits for more input
child.stdin.end();
const code = await exited;
if (code !== 0 || answers !== total) {
  throw new Error(`the batch ended with ${code} after ${answers} of ${total} answers`);
}
const expectedErrors = Math.floor(total / BAD_EVERY) + 1; // the bad lines and the 10 MB one
console.log(`bench: batch of ${total} lines: RSS (MB) at each tenth: ${rssAtTenth.join(' ')}`);
writeResults({
  batch_lines: total,
  batch_peak_rss_mb: peak,
  batch_rss_mb_first_tenth: rssAtTenth[0],
  batch_rss_mb_last: rssAtTenth.at(-1),
  batch_lines_per_s: +(total / seconds).toFixed(1),
  batch_error_rows: errors,
});
if (errors !== expectedErrors) throw new Error(`${errors} error rows, expected ${expectedErrors}`);
