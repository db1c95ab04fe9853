// `cinerag chat`: the seed's way of running it, a prompt loop in the terminal on the same engine
// path as `ask` and the chat page (the conversation's turns and the last answer's state each line).
import fs from 'node:fs';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { fitTurns } from '../../web/src/request.js';
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

const USAGE = `usage: cinerag chat [--db FILE] [--proxy URL] [--state FILE] [--k N] [--lang ko|en]
  Type an opinion about movies ("I absolutely loved Titanic. It made me so emotional!"); each
  answer shows the steps and the recommendations, and the conversation carries on ("more like
  the second one", "not that one", "seen it"). Piped input: one answer per line, no prompt.
  --db     the catalogue (default ${defaultDb})
  --proxy  the gpt-4o proxy (proxy/), asked only when the core flags fallback
  --state  resume the conversation saved in FILE, and save it there after each answer and on exit
${commandHelp()}`;

function commandHelp() {
  return `commands: /reset (forget the conversation)  /state (what it believes you like and dislike)
          /lang ko|en|auto  /k N (1..100 results)  /help  /quit (or Ctrl-D, Ctrl-C)`;
}

function parse(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      db: { type: 'string', default: defaultDb },
      proxy: { type: 'string' },
      state: { type: 'string' },
      k: { type: 'string' },
      lang: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const o = { ...values, k: values.k === undefined ? undefined : parseK(values.k) };
  if (o.k === null) throw new Error('--k must be an integer from 1 to 100');
  if (o.lang !== undefined && !['en', 'ko'].includes(o.lang))
    throw new Error('--lang must be en or ko');
  return o;
}

/** N as an integer from 1 to 100, or null. */
function parseK(s) {
  const k = Number(s);
  return /^\s*\d+\s*$/.test(s) && k >= 1 && k <= 100 ? k : null;
}

/** The title of each id in `ids`, from the answers seen so far, else from the catalogue. */
function titlesOf(ids, known, catalogue) {
  return ids.map((id) => {
    if (known.has(id)) return known.get(id);
    const m = catalogue().movie(id);
    return m ? `${m.title}${m.year ? ` (${m.year})` : ''}` : `#${id}`;
  });
}

export async function main(argv) {
  let o;
  try {
    o = parse(argv);
    if (o.help) return console.log(USAGE);
    await ensureBuilt(o.db);
  } catch (e) {
    console.error(`cinerag chat: ${e.message}`);
    process.exitCode = 1;
    return;
  }
  const tty = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  const say = (s = '') => process.stdout.write(`${s}\n`);
  const info = (s) => say(`[INFO] ${s}`);
  const problem = (s) => (tty ? say(s) : process.stderr.write(`cinerag chat: ${s}\n`));

  let saved;
  try {
    saved = readStateFile(o.state);
  } catch (e) {
    console.error(`cinerag chat: ${e.message}`);
    process.exitCode = 1;
    return;
  }
  const engine = await createEngine({ db: o.db }).catch((e) => e);
  if (engine instanceof Error) {
    console.error(`cinerag chat: ${engine.message}`);
    process.exitCode = 1;
    return;
  }
  /** The conversation as the chat page keeps it: user messages and each answer's first line. */
  let turns = saved.turns ?? [];
  let state = saved.state;
  let lang = o.lang ?? (['en', 'ko'].includes(saved.lang) ? saved.lang : undefined);
  let k = o.k ?? parseK(String(saved.k ?? '')) ?? 5;
  const known = new Map(); // movieId → "Title (year)" from answers, for /state
  let catalogue = null;
  const openCatalogue = () => {
    if (!catalogue) {
      catalogue = new engine.core.Catalogue();
      catalogue.load(new Uint8Array(fs.readFileSync(o.db)));
    }
    return catalogue;
  };
  const save = () => {
    if (o.state) writeStateFile(o.state, { state, turns, ...(lang && { lang }), k });
  };

  info(catalogueInfo(engine));
  if (saved.state || saved.turns?.length)
    info(`resumed the conversation in ${o.state} (${turns.length} turns)`);
  if (tty) say(`Tell me about a movie you liked or disliked. ${commandHelp()}`);

  const rl = readline.createInterface({
    input: process.stdin,
    output: tty ? process.stdout : undefined,
    terminal: tty,
    crlfDelay: Infinity,
    historySize: tty ? 100 : 0,
  });
  rl.setPrompt('> ');
  let closing = false;
  const leave = () => {
    if (closing) return;
    closing = true;
    rl.close();
  };
  rl.on('SIGINT', leave); // Ctrl-C at the prompt (TTY)
  process.on('SIGINT', leave); // a signal (piped input)
  process.on('SIGTERM', leave);

  const commands = {
    help: () => say(commandHelp()),
    quit: () => leave(),
    exit: () => leave(),
    reset: () => {
      turns = [];
      state = undefined;
      save();
      say('The conversation is cleared: no likes, dislikes or earlier answers.');
    },
    state: () => {
      const s = state ?? {};
      const list = (ids) => (ids?.length ? titlesOf(ids, known, openCatalogue).join('; ') : '-');
      say(`liked: ${list(s.liked)}`);
      say(`disliked: ${list(s.disliked)}`);
      say(`seen: ${list(s.seen)}`);
    },
    lang: (arg) => {
      if (arg === 'auto') lang = undefined;
      else if (arg === 'ko' || arg === 'en') lang = arg;
      else return problem('usage: /lang ko|en|auto');
      say(`language: ${lang ?? 'from each message'}`);
    },
    k: (arg) => {
      const n = parseK(arg ?? '');
      if (n === null) return problem('usage: /k N (an integer from 1 to 100)');
      k = n;
      say(`results per answer: ${k}`);
    },
  };

  async function answer(message) {
    const asked = [...turns, { role: 'user', text: message }];
    // As the page's worker does: the conversation cut to the core's limits (200 turns, 100 KB).
    const fitted = fitTurns(asked);
    const request = { turns: fitted, k, ...(state && { state }), ...(lang && { lang }) };
    const cut = fitted.at(-1).text.length < message.length;
    const t0 = performance.now();
    let r;
    try {
      r = await engine.ask(request);
    } catch (e) {
      r = { error: e.message };
    }
    const ms = performance.now() - t0;
    if (r.error) return problem(`no answer: ${r.error}`);
    for (const x of [...r.mentioned, ...r.results])
      known.set(x.movieId, `${x.title}${x.year ? ` (${x.year})` : ''}`);
    turns = [...asked, { role: 'assistant', text: r.answer.split('\n')[0] }];
    state = r.state;
    save();
    if (cut) info(`message cut to its first 100 KB of UTF-8 (the core's limit on a turn)`);
    infoSteps(r, ms).forEach(info);
    const messages = turns.filter((t) => t.role === 'user').map((t) => ({ ...t }));
    const { llm } = await fallback(o.proxy, r, messages, info);
    say();
    say(answerLines(r).join('\n'));
    if (llm) say(`\n${llmLines(llm, r).join('\n')}`);
    if (tty) say();
  }

  if (tty) rl.prompt();
  for await (const raw of rl) {
    const line = raw.trim();
    if (!line) {
      if (tty) say('(type an opinion about a movie, or /help)');
    } else if (line.startsWith('/')) {
      const [name, arg] = line.slice(1).split(/\s+/);
      if (commands[name]) commands[name](arg);
      else problem(`unknown command /${name}; ${commandHelp()}`);
    } else {
      await answer(line);
    }
    if (closing) break;
    if (tty) rl.prompt();
  }
  save();
  catalogue?.delete();
  if (tty) say('bye');
  process.removeListener('SIGINT', leave);
  process.removeListener('SIGTERM', leave);
}
