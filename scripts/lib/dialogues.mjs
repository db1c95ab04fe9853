// @ts-check
// The public dialogue sets (GoRecDial, INSPIRED, ReDial) read into one case shape for the
// evaluation and the catalogue build, and the resolver from movie names to catalogue ids.
// Over 500 lines on purpose: three sets in four file formats, each reader kept beside the one
// protocol they all feed (one row per suggestion, gold named earlier dropped).
//
// Protocol (issue #12): one case per (recommender turn, movie it suggests); the input is every
// turn before it, both roles ('user' = the seeker, 'assistant' = the recommender); a gold movie
// mentioned earlier in the dialogue is no case; movies mentioned earlier go to state.mentioned so
// that the core excludes them. GoRecDial keeps the reader the evaluation had before this module
// (RECOMMEND turns, ACCEPT/REJECT as liked/disliked) so that its figures stay comparable.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseCsv } from './csv.mjs';

const require = createRequire(import.meta.url);

/** @typedef {'user' | 'assistant'} Role */
/** @typedef {{role: Role, text: string}} Turn */
/** @typedef {'tune' | 'report'} Split */
/**
 * A movie named in a dialogue: `key` is stable within the dialogue (a ReDial id, a folded name),
 * `name` what the set calls it ("Title (year)" or a bare title).
 * @typedef {{key: string, name: string}} MovieRef
 */
/**
 * One turn of a dialogue in the common form: `movies` are all the movies it names, `suggests`
 * (assistant turns) those the recommender puts forward.
 * @typedef {{role: Role, text: string, movies: MovieRef[], suggests: MovieRef[]}} DialogueTurn
 */
/** @typedef {{id: string, set: string, split: Split, turns: DialogueTurn[]}} Dialogue */
/**
 * A case before resolution: the gold and the earlier mentions as names.
 * @typedef {{id: string, set: string, split: Split, dialogue: string, goldName: string,
 *   mentionedNames: string[], turns: Turn[]}} RawCase
 */
/**
 * A case ready to ask: `gold` the resolved movie id, `goldIds` every catalogue movie that counts
 * as a hit (the gold and the movies sharing one of its names), `request` the core's request.
 * @typedef {{id: string, set: string, split: Split, dialogue: string, gold: number,
 *   goldIds: number[], goldName: string,
 *   request: {turns: Turn[], state: {mentioned: number[], liked?: number[], disliked?: number[]}}}} Case
 */
/**
 * A catalogue movie as the resolver reads it.
 * @typedef {{movieId: number, title: string, year: number | null, originalTitle?: string | null,
 *   altTitles?: string | string[] | null, voteCount?: number | null, ratingCount?: number | null}} MovieRecord
 */

/**
 * The sets and where each split comes from (files relative to the data folder): `tune` learns
 * the fusion weights, `report` is reported.
 */
export const SETS = /** @type {const} */ ({
  gorecdial: {
    label: 'GoRecDial',
    tune: { file: 'gorecdial/test_data.jsonl', part: 'even dialogues' },
    report: { file: 'gorecdial/test_data.jsonl', part: 'odd dialogues' },
  },
  inspired: {
    label: 'INSPIRED',
    tune: { file: 'conversations/inspired/train.csv', part: '' },
    report: { file: 'conversations/inspired/dev.tsv', part: '' },
  },
  redial: {
    label: 'ReDial',
    tune: { file: 'conversations/redial/train_subset.jsonl', part: '' },
    report: { file: 'conversations/redial/valid_subset.jsonl', part: '' },
  },
});
/** @typedef {keyof typeof SETS} SetName */

/**
 * "file (part)" of a split, for messages.
 * @param {SetName} set
 * @param {Split} split
 */
export function splitSource(set, split) {
  const { file, part } = SETS[set][split];
  return part ? `${file} (${part})` : file;
}

/**
 * The conversation signals (scripts/build/dialogue_signals.mjs) leave out one training
 * dialogue in five, chosen by this rule, so that the fusion weights can be tuned on dialogues
 * the catalogue did not learn from. The build records the rule in the catalogue's meta
 * (`dialogue_holdout`); the evaluation then tunes on those dialogues only.
 */
export const HOLDOUT_RULE = 'sha256(dialogue id) mod 5 = 0';

/**
 * Whether a dialogue is held out of the conversation signals (HOLDOUT_RULE).
 * @param {string} dialogueId
 */
export function heldOut(dialogueId) {
  return createHash('sha256').update(dialogueId).digest().readUInt32BE(0) % 5 === 0;
}

// ---------------------------------------------------------------------------------------------
// Names

const ARTICLES = ['the', 'a', 'an'];

/**
 * A title folded for matching: accents, case, '&' as 'and', apostrophes and other punctuation
 * gone, a leading English article dropped, and the "Matrix, The" form read as "The Matrix".
 * @param {string} title
 */
export function foldTitle(title) {
  let t = String(title ?? '')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .trim();
  const trailing = /^(.*\S)\s*,\s*(the|a|an)$/.exec(t);
  if (trailing) t = `${trailing[2]} ${trailing[1]}`;
  t = t
    .replace(/&/g, ' and ')
    .replace(/['’‘`´]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  const first = t.indexOf(' ');
  if (first > 0 && ARTICLES.includes(t.slice(0, first))) t = t.slice(first + 1);
  return t;
}

/**
 * "Title (1999)" → {title: 'Title', year: 1999}; a name without a year gets null.
 * @param {string} name
 * @returns {{title: string, year: number | null}}
 */
export function parseName(name) {
  const s = String(name ?? '')
    .replace(/\s+/g, ' ')
    .trim();
  const m = /^(.*?)\s*\((\d{4})(?:\s+film)?\)$/i.exec(s);
  return m && m[1] ? { title: m[1], year: Number(m[2]) } : { title: s, year: null };
}

/**
 * The catalogue's movies as the resolver and the evaluation read them, from a catalogue file
 * (sql.js reads the plain `movies` table; FTS5 is not needed).
 * @param {string} dbPath
 * @returns {Promise<MovieRecord[]>}
 */
export async function loadCatalogueMovies(dbPath) {
  if (!fs.existsSync(dbPath)) throw new Error(`catalogue ${dbPath} is missing`);
  const SQL = await require('sql.js')();
  const db = new SQL.Database(fs.readFileSync(dbPath));
  try {
    const [res] = db.exec(
      'SELECT movie_id, title, year, original_title, alt_titles, vote_count, rating_count FROM movies ORDER BY movie_id',
    );
    return (res?.values ?? []).map(
      ([movieId, title, year, originalTitle, altTitles, voteCount, ratingCount]) => ({
        movieId: Number(movieId),
        title: String(title ?? ''),
        year: year == null ? null : Number(year),
        originalTitle: originalTitle == null ? null : String(originalTitle),
        altTitles: altTitles == null ? null : String(altTitles),
        voteCount: voteCount == null ? null : Number(voteCount),
        ratingCount: ratingCount == null ? null : Number(ratingCount),
      }),
    );
  } finally {
    db.close();
  }
}

/**
 * Every name of a movie: title, original title and alternates ('|'-separated or an array).
 * @param {MovieRecord} m
 */
export function namesOf(m) {
  const alts = Array.isArray(m.altTitles) ? m.altTitles : String(m.altTitles ?? '').split('|');
  return [m.title, m.originalTitle ?? '', ...alts].map((s) => s.trim()).filter(Boolean);
}

/**
 * More votes first (TMDB vote count, then MovieLens rating count), then the lower id.
 * @param {MovieRecord} a
 * @param {MovieRecord} b
 */
export function byVotes(a, b) {
  return (
    (b.voteCount ?? 0) - (a.voteCount ?? 0) ||
    (b.ratingCount ?? 0) - (a.ratingCount ?? 0) ||
    a.movieId - b.movieId
  );
}

/**
 * Resolves movie names ("Title (year)", "Title", "Title, The") to catalogue movies.
 * @param {MovieRecord[]} movies
 */
export function createResolver(movies) {
  /** @type {Map<string, MovieRecord[]>} */
  const byName = new Map();
  /** @type {Map<number, MovieRecord>} */
  const byId = new Map();
  for (const m of movies) {
    byId.set(m.movieId, m);
    for (const key of new Set(namesOf(m).map(foldTitle))) {
      if (!key) continue;
      let list = byName.get(key);
      if (!list) byName.set(key, (list = []));
      list.push(m);
    }
  }
  // A series' name before the colon ("Kill Bill" for "Kill Bill: Vol. 1"), for names that
  // match no whole title.
  /** @type {Map<string, MovieRecord[]>} */
  const byPrefix = new Map();
  for (const m of movies) {
    for (const key of new Set(
      namesOf(m).flatMap((n) => (n.includes(':') ? [foldTitle(n.split(':')[0])] : [])),
    )) {
      if (!key || byName.has(key)) continue;
      let list = byPrefix.get(key);
      if (!list) byPrefix.set(key, (list = []));
      list.push(m);
    }
  }
  for (const list of [...byName.values(), ...byPrefix.values()]) list.sort(byVotes);

  /**
   * The movie a name stands for: among the movies with that folded name, the one of the
   * name's year, else one a year off, else the most voted; else the most voted film of a
   * series of that name ("Kill Bill"); null when none. `via` says which rule chose it.
   * @param {string} name
   * @returns {{movie: MovieRecord, via: 'year' | 'near-year' | 'name' | 'series'} | null}
   */
  function resolve(name) {
    const { title, year } = parseName(name);
    const key = foldTitle(title);
    const list = byName.get(key);
    if (!list) {
      const series = byPrefix.get(key);
      if (!series) return null;
      return {
        movie: series.find((m) => year != null && m.year === year) ?? series[0],
        via: 'series',
      };
    }
    if (year != null) {
      const exact = list.find((m) => m.year === year);
      if (exact) return { movie: exact, via: 'year' };
      const near = list.find((m) => m.year != null && Math.abs(m.year - year) === 1);
      if (near) return { movie: near, via: 'near-year' };
    }
    return { movie: list[0], via: 'name' };
  }

  /**
   * The ids that count as a hit for a gold movie: its own and those of every movie sharing one
   * of its names (of the name's year, ±1, when it has one).
   * @param {number} movieId
   * @param {string} [name] the set's name for it, searched too
   */
  function hitIds(movieId, name) {
    const ids = new Set([movieId]);
    const gold = byId.get(movieId);
    const parsed = name ? parseName(name) : { title: '', year: null };
    const year = parsed.year ?? gold?.year ?? null;
    const keys = new Set([...(gold ? namesOf(gold) : []), parsed.title].map(foldTitle));
    for (const key of keys) {
      for (const m of byName.get(key) ?? []) {
        if (year == null || m.year == null || Math.abs(m.year - year) <= 1) ids.add(m.movieId);
      }
    }
    return [...ids].sort((a, b) => a - b);
  }

  return { resolve, hitIds, byId, size: movies.length };
}
/** @typedef {ReturnType<typeof createResolver>} Resolver */

// ---------------------------------------------------------------------------------------------
// Readers into the common dialogue form

/** @param {string} file */
function jsonLines(file) {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
}

/**
 * ReDial (raw format): consecutive messages of one worker are one turn; `@123456` is written as
 * the movieMentions name; a movie the recommender names that nobody named before is a
 * suggestion unless the recommender's own questionnaire says it was not suggested.
 * @param {string} file
 * @param {Split} split
 * @returns {Dialogue[]}
 */
export function readRedial(file, split) {
  return jsonLines(file).map((d) => {
    /** @type {Record<string, string>} */
    const names = {};
    for (const [id, name] of Object.entries(
      Array.isArray(d.movieMentions) ? {} : (d.movieMentions ?? {}),
    )) {
      names[id] = String(name ?? '')
        .replace(/\s+/g, ' ')
        .trim();
    }
    const answers = Array.isArray(d.respondentQuestions) ? {} : (d.respondentQuestions ?? {});
    /** @type {DialogueTurn[]} */
    const turns = [];
    for (const m of d.messages) {
      const role = m.senderWorkerId === d.initiatorWorkerId ? 'user' : 'assistant';
      const ids = [...String(m.text).matchAll(/@(\d+)/g)].map((x) => x[1]);
      const text = String(m.text)
        .replace(/@(\d+)/g, (_, id) => names[id] || 'a movie')
        .trim();
      let turn = turns.at(-1);
      if (!turn || turn.role !== role)
        turns.push((turn = { role, text: '', movies: [], suggests: [] }));
      turn.text = turn.text ? `${turn.text} ${text}` : text;
      for (const id of ids) {
        if (!names[id] || turn.movies.some((r) => r.key === id)) continue;
        turn.movies.push({ key: id, name: names[id] });
        if (role === 'assistant' && answers[id]?.suggested !== 0)
          turn.suggests.push({ key: id, name: names[id] });
      }
    }
    return { id: `redial:${d.conversationId}`, set: 'redial', split, turns };
  });
}

/** @param {string} line */
function tsvFields(line) {
  return line.split('\t');
}

/**
 * INSPIRED dev (utterance rows): consecutive utterances of one speaker are one turn; a turn's
 * movies are its rows' `movies` column ("Title (year); Title (year)"); every movie of a
 * RECOMMENDER turn is a suggestion (the protocol then drops those named before).
 * @param {string} file
 * @param {Split} split
 * @returns {Dialogue[]}
 */
export function readInspiredDev(file, split) {
  const lines = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim());
  const header = tsvFields(lines[0]);
  const col = (/** @type {string} */ name) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`${file}: no column ${name}`);
    return i;
  };
  const [cDialog, cSpeaker, cText, cMovies] = ['dialog_id', 'speaker', 'text', 'movies'].map(col);
  /** @type {Map<string, Dialogue>} */
  const dialogues = new Map();
  for (const line of lines.slice(1)) {
    const f = tsvFields(line);
    const id = f[cDialog];
    let d = dialogues.get(id);
    if (!d) dialogues.set(id, (d = { id: `inspired:${id}`, set: 'inspired', split, turns: [] }));
    /** @type {Role} */
    const role = f[cSpeaker] === 'SEEKER' ? 'user' : 'assistant';
    const text = f[cText].replace(/QUOTATION_MARK/g, '"').trim();
    let turn = d.turns.at(-1);
    if (!turn || turn.role !== role)
      d.turns.push((turn = { role, text: '', movies: [], suggests: [] }));
    turn.text = turn.text ? `${turn.text} ${text}` : text;
    for (const name of (f[cMovies] ?? '').split(';').map((s) => s.replace(/\s+/g, ' ').trim())) {
      if (!name) continue;
      const ref = { key: foldName(name), name };
      if (turn.movies.some((r) => r.key === ref.key)) continue;
      turn.movies.push(ref);
      if (role === 'assistant') turn.suggests.push(ref);
    }
  }
  return [...dialogues.values()];
}

/**
 * A name's key within a dialogue: folded title and year.
 * @param {string} name
 */
function foldName(name) {
  const { title, year } = parseName(name);
  return year == null ? foldTitle(title) : `${foldTitle(title)} ${year}`;
}

/**
 * Finds the names of a vocabulary in text: multi-word names folded, one-word names only as
 * written with a capital (so that everyday words are not read as films).
 * @param {string[]} vocabulary
 */
function createNameFinder(vocabulary) {
  /** @type {Map<string, string>} */
  const byKey = new Map();
  let longest = 1;
  for (const name of vocabulary) {
    const key = foldTitle(name);
    if (!key || byKey.has(key)) continue;
    byKey.set(key, name);
    longest = Math.max(longest, key.split(' ').length);
  }
  /** @param {string} text @returns {string[]} the names found, each once */
  return (text) => {
    const words = foldTitle(` ${text}`).split(' ').filter(Boolean);
    // foldTitle drops a leading article of the whole text only; fold each word alone here.
    const raw = text;
    const found = new Set();
    for (let i = 0; i < words.length; i++) {
      for (let n = Math.min(longest, words.length - i); n >= 1; n--) {
        const key = words.slice(i, i + n).join(' ');
        const name = byKey.get(key);
        if (!name) continue;
        if (n === 1) {
          // Capitalised as written, after another word (not a sentence's first word).
          const title = parseName(name).title.replace(/^(the|a|an)\s+/i, '');
          const re = new RegExp(
            `[\\p{L}\\p{N},;:] +${escapeRegExp(title)}($|[^\\p{L}\\p{N}'’])`,
            'u',
          );
          if (!/^\p{Lu}|^\p{N}/u.test(title) || !re.test(raw)) continue;
        }
        found.add(name);
        i += n - 1;
        break;
      }
    }
    return [...found];
  };
}

/** @param {string} s */
function escapeRegExp(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A Python list literal of strings (['A', "B's"]) as an array.
 * @param {string} s
 */
function pythonStrings(s) {
  return [...String(s).matchAll(/'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"/g)].map((m) =>
    (m[1] ?? m[2]).replace(/\\(.)/g, '$1').trim(),
  );
}

/**
 * The turns of an INSPIRED train context ("\nSystem: …\nUser: …\nSystem: "), without the open
 * recommender turn at its end.
 * @param {string} context
 * @returns {Turn[]}
 */
function contextTurns(context) {
  /** @type {Turn[]} */
  const turns = [];
  const body = context.replace(/System: $/, '');
  for (const line of body.split('\n')) {
    const m = /^(System|User): ?(.*)$/.exec(line);
    if (m) turns.push({ role: m[1] === 'User' ? 'user' : 'assistant', text: m[2].trim() });
    else if (turns.length && line.trim()) turns[turns.length - 1].text += `\n${line.trim()}`;
  }
  return turns;
}

/**
 * INSPIRED train in He et al.'s prompt form: each row is a dialogue so far, ending where the
 * recommender speaks, and the titles it names there. Rows of one dialogue extend each other
 * (each starts with the one before); they are joined into one dialogue whose recommender turns
 * suggest the rows' titles. Titles named in earlier turns (by either side) are found by the
 * titles the file suggests anywhere: multi-word ones folded, one-word ones only capitalised.
 * @param {string} file
 * @param {Split} split
 * @returns {Dialogue[]}
 */
export function readInspiredTrain(file, split) {
  const rows = parseCsv(fs.readFileSync(file, 'utf8'));
  const header = rows[0];
  const cContext = header.indexOf('full_situation');
  const cMovies = header.indexOf('movies');
  if (cContext < 0 || cMovies < 0) throw new Error(`${file}: no full_situation/movies columns`);
  /** @type {{context: string, movies: string[]}[][]} */
  const chains = [];
  /** @type {string | null} */
  let open = null; // the current chain's longest context without its last 'System: '
  for (const row of rows.slice(1)) {
    if (row.length <= Math.max(cContext, cMovies)) continue;
    const context = row[cContext];
    const movies = pythonStrings(row[cMovies]).filter(Boolean);
    const base = context.replace(/System: $/, '');
    // A row extends the chain when it starts with the chain's last context; an opening row
    // (nothing said yet) always starts a dialogue.
    if (open !== null && base.trim() && context.startsWith(open))
      chains[chains.length - 1].push({ context, movies });
    else chains.push([{ context, movies }]);
    open = base;
  }
  const findNames = createNameFinder(chains.flat().flatMap((r) => r.movies));
  return chains.map((chain, ci) => {
    const longest = chain.reduce((a, r) => (r.context.length > a.length ? r.context : a), '');
    /** @type {DialogueTurn[]} */
    const turns = contextTurns(longest).map((t) => ({ ...t, movies: [], suggests: [] }));
    for (const r of chain) {
      const at = contextTurns(r.context).length; // the recommender turn this row names titles in
      while (turns.length <= at)
        turns.push({ role: 'assistant', text: '', movies: [], suggests: [] });
      for (const name of r.movies) {
        const ref = { key: foldTitle(name), name };
        if (!turns[at].suggests.some((x) => x.key === ref.key)) turns[at].suggests.push(ref);
      }
    }
    for (const turn of turns) {
      const refs = [
        ...turn.suggests,
        ...findNames(turn.text).map((name) => ({ key: foldTitle(name), name })),
      ];
      for (const ref of refs)
        if (!turn.movies.some((x) => x.key === ref.key)) turn.movies.push(ref);
    }
    return { id: `inspired-train:${ci}`, set: 'inspired', split, turns };
  });
}

/**
 * The protocol's cases of a dialogue in the common form: for each recommender turn after the
 * seeker's first, each movie it suggests that no earlier turn named.
 * @param {Dialogue} d
 * @returns {RawCase[]}
 */
export function casesOfDialogue(d) {
  /** @type {RawCase[]} */
  const cases = [];
  const named = new Set();
  /** @type {string[]} */
  const namedNames = [];
  d.turns.forEach((turn, i) => {
    if (turn.role === 'assistant' && d.turns.slice(0, i).some((t) => t.role === 'user')) {
      for (const ref of turn.suggests) {
        if (named.has(ref.key)) continue;
        cases.push({
          id: `${d.id}:${i}:${ref.key}`,
          set: d.set,
          split: d.split,
          dialogue: d.id,
          goldName: ref.name,
          mentionedNames: namedNames.slice(),
          turns: d.turns.slice(0, i).map((t) => ({ role: t.role, text: t.text })),
        });
      }
    }
    for (const ref of turn.movies) {
      if (!named.has(ref.key)) (named.add(ref.key), namedNames.push(ref.name));
    }
  });
  return cases;
}

/**
 * GoRecDial as the evaluation always read it: each "RECOMMEND @id" of the recommender is a case
 * (after the seeker's first turn, unless recommended before); the input is the seeker's turns
 * and the recommender's, with @ids written as names and each RECOMMEND as "How about Title?";
 * earlier ACCEPT/REJECT are liked/disliked; earlier recommendations are state.mentioned.
 * Dialogues alternate between the tuning half (even index) and the reported half (odd).
 * Gold ids are MovieLens ids already.
 * @param {string} file
 * @returns {{id: string, set: string, split: Split, dialogue: string, gold: number, goldName: string,
 *   request: Case['request']}[]}
 */
export function readGoRecDial(file) {
  /** @type {{id: string, set: string, split: Split, dialogue: string, gold: number, goldName: string, request: Case['request']}[]} */
  const cases = [];
  jsonLines(file).forEach((d, di) => {
    /** @type {Record<string, string>} */
    const names = Object.fromEntries(
      Object.entries(d.movieMentions ?? {}).map(([id, name]) => [id, String(name ?? '').trim()]),
    );
    const seeker = d.initiatorWorkerId;
    /** @type {Turn[]} */
    const turns = [];
    /** @type {Set<number>} */
    const mentioned = new Set();
    /** @type {number[]} */
    const liked = [];
    /** @type {number[]} */
    const disliked = [];
    /** @type {number | null} */
    let lastRec = null;
    for (const m of d.messages) {
      const text = String(m.text).trim();
      const rec = /^RECOMMEND @(\d+)/.exec(text);
      if (m.senderWorkerId !== seeker && rec) {
        const gold = Number(rec[1]);
        if (!mentioned.has(gold) && turns.some((t) => t.role === 'user')) {
          cases.push({
            id: `${d.conversationId}:${turns.length}`,
            set: 'gorecdial',
            split: di % 2 === 0 ? 'tune' : 'report',
            dialogue: `gorecdial:${d.conversationId}`,
            gold,
            goldName: names[gold] ?? '',
            request: {
              turns: turns.slice(),
              state: {
                mentioned: [...mentioned],
                liked: liked.slice(),
                disliked: disliked.slice(),
              },
            },
          });
        }
        mentioned.add(gold);
        lastRec = gold;
        turns.push({ role: 'assistant', text: `How about ${names[gold] || 'this one'}?` });
        continue;
      }
      if (m.senderWorkerId === seeker && (text === 'ACCEPT' || text === 'REJECT')) {
        if (lastRec !== null) (text === 'ACCEPT' ? liked : disliked).push(lastRec);
        continue;
      }
      if (/^Why did you (recommend|accept|reject)/.test(text)) continue;
      turns.push({
        role: m.senderWorkerId === seeker ? 'user' : 'assistant',
        text: text.replace(/@(\d+)/g, (_, id) => names[id] || ''),
      });
    }
  });
  return cases;
}

/**
 * The dialogues of a set's split in the common form (INSPIRED and ReDial; GoRecDial is read by
 * readGoRecDial).
 * @param {string} dataDir
 * @param {'inspired' | 'redial'} set
 * @param {Split} split
 */
export function readDialogues(dataDir, set, split) {
  const file = path.join(dataDir, SETS[set][split].file);
  if (set === 'inspired')
    return split === 'tune' ? readInspiredTrain(file, split) : readInspiredDev(file, split);
  return readRedial(file, split);
}

/**
 * Counts of what happened to a set's rows on the way to cases.
 * @typedef {{rows: number, goldNames: number, resolved: number, byYear: number, byNearYear: number,
 *   byNameOnly: number, bySeries: number, unresolved: number, mentionedEarlier: number, cases: number,
 *   unresolvedNames: string[]}} ResolveReport
 */

/**
 * A resolve report with nothing counted yet.
 * @param {number} rows
 * @param {number} goldNames
 * @returns {ResolveReport}
 */
function emptyReport(rows, goldNames) {
  return {
    rows,
    goldNames,
    resolved: 0,
    byYear: 0,
    byNearYear: 0,
    byNameOnly: 0,
    bySeries: 0,
    unresolved: 0,
    mentionedEarlier: 0,
    cases: 0,
    unresolvedNames: [],
  };
}

/**
 * Resolves raw cases: the gold name to a catalogue id (unresolvable: dropped and counted), the
 * earlier mentions to ids (state.mentioned; unresolvable ones are left out), a gold whose id was
 * mentioned earlier under another name dropped, the hit ids.
 * @param {RawCase[]} raw
 * @param {Resolver} resolver
 * @returns {{cases: Case[], report: ResolveReport}}
 */
export function resolveCases(raw, resolver) {
  /** @type {Map<string, ReturnType<Resolver['resolve']>>} */
  const memo = new Map();
  const resolve = (/** @type {string} */ name) => {
    if (!memo.has(name)) memo.set(name, resolver.resolve(name));
    return memo.get(name) ?? null;
  };
  const report = emptyReport(raw.length, 0);
  const goldNames = new Set();
  const unresolved = new Set();
  /** @type {Case[]} */
  const cases = [];
  for (const c of raw) {
    goldNames.add(c.goldName);
    const hit = resolve(c.goldName);
    if (!hit) {
      report.unresolved++;
      unresolved.add(c.goldName);
      continue;
    }
    report.resolved++;
    if (hit.via === 'year') report.byYear++;
    else if (hit.via === 'near-year') report.byNearYear++;
    else if (hit.via === 'name') report.byNameOnly++;
    else report.bySeries++;
    const mentioned = [
      ...new Set(
        c.mentionedNames.flatMap((n) => {
          const r = resolve(n);
          return r ? [r.movie.movieId] : [];
        }),
      ),
    ];
    if (mentioned.includes(hit.movie.movieId)) {
      report.mentionedEarlier++;
      continue;
    }
    cases.push({
      id: c.id,
      set: c.set,
      split: c.split,
      dialogue: c.dialogue,
      gold: hit.movie.movieId,
      goldIds: resolver.hitIds(hit.movie.movieId, c.goldName),
      goldName: c.goldName,
      request: { turns: c.turns, state: { mentioned } },
    });
  }
  report.goldNames = goldNames.size;
  report.unresolvedNames = [...unresolved].sort();
  report.cases = cases.length;
  return { cases, report };
}

/**
 * Every case of a set's split, resolved against the catalogue, with the report.
 * @param {string} dataDir
 * @param {SetName} set
 * @param {Split} split
 * @param {Resolver} resolver
 * @returns {{cases: Case[], report: ResolveReport}}
 */
export function loadCases(dataDir, set, split, resolver) {
  if (set === 'gorecdial') {
    const all = readGoRecDial(path.join(dataDir, 'gorecdial/test_data.jsonl')).filter(
      (c) => c.split === split,
    );
    const report = emptyReport(all.length, new Set(all.map((c) => c.gold)).size);
    /** @type {Case[]} */
    const cases = [];
    for (const c of all) {
      // The ids are MovieLens ids: resolved when the catalogue has the movie.
      if (!resolver.byId.has(c.gold)) {
        report.unresolved++;
        report.unresolvedNames.push(c.goldName || String(c.gold));
        continue;
      }
      report.resolved++;
      report.byYear++;
      cases.push({ ...c, goldIds: resolver.hitIds(c.gold, c.goldName) });
    }
    report.cases = cases.length;
    report.unresolvedNames = [...new Set(report.unresolvedNames)].sort();
    return { cases, report };
  }
  return resolveCases(readDialogues(dataDir, set, split).flatMap(casesOfDialogue), resolver);
}
