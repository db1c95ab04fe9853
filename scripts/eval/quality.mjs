// The public quality suite (#13): realistic messages and short conversations in English and
// Korean (tests/quality/cases.jsonl), each with machine-checkable expectations, run through the
// product's own path (the Node engine of `cinerag batch|chat`: web/src/request.js, the WASM core
// with its static encoder, or --encoder transformer; a conversation is sent turn by turn as the chat page sends it). Expectations
// about movies, genres, languages and people are checked against the catalogue's own data (and,
// for people, the public credit files the catalogue build reads), never against stored results.
//
//   node scripts/eval/quality.mjs [--db catalogue/demo.db|catalogue/full.db] [--json] [--verbose]
//                                 [--min-pass FRACTION] [--cases FILE] [--only ID_OR_GROUP]
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { fitTurns } from '../../web/src/request.js';
import { root } from '../lib/core-node.mjs';
import { parseCsv } from '../lib/csv.mjs';

const require = createRequire(import.meta.url);

export const casesPath = path.join(root, 'tests/quality/cases.jsonl');
const sharedData = () =>
  path.resolve(process.env.CINERAG_DATA || path.join(root, '../shared/data'));

const USAGE = `usage: node scripts/eval/quality.mjs [--db FILE] [--encoder E] [--json] [--verbose] [--min-pass F]
  --db        the catalogue (default catalogue/demo.db)
  --encoder   static (the default, the core's) or transformer (the precise mode)
  --json      also write bench/eval-quality-<db name>.json
  --verbose   print each failing case with the answer it got
  --min-pass  exit 1 when the pass fraction is below F (0..1; default 0: report only)
  --cases     the cases file (default tests/quality/cases.jsonl)
  --only      run only the cases whose id or group is this`;

// ---------------------------------------------------------------------------------------------
// Cases

/** Every expectation kind a case may state (see tests/quality/README.md). */
export const EXPECTATION_KINDS = new Set([
  'lang',
  'sentiment',
  'mentions',
  'mentionsNone',
  'notMentioned',
  'minResults',
  'genre',
  'genreNone',
  'years',
  'allDated',
  'notResults',
  'resultsPerson',
  'resultsLanguage',
  'resultsText',
  'scriptsNone',
  'whyNotMention',
  'likedPrev',
  'notPrevResults',
  'liked',
  'disliked',
  'maxMs',
]);

/** The user turn's text: a string, or {repeat, times} for long generated input. */
export function turnText(turn) {
  if (typeof turn === 'string') return turn;
  if (turn && typeof turn.repeat === 'string') return turn.repeat.repeat(turn.times ?? 1);
  if (turn && typeof turn.text === 'string') return turn.text;
  throw new Error(`a turn must be a string, {text} or {repeat, times}: ${JSON.stringify(turn)}`);
}

/** Reads and checks the cases file: one JSON object a line ('//' lines and blank lines skipped). */
export function readCases(file = casesPath) {
  const cases = [];
  const ids = new Set();
  fs.readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (!line.trim() || line.trim().startsWith('//')) return;
      let c;
      try {
        c = JSON.parse(line);
      } catch (e) {
        throw new Error(`${file}:${i + 1}: ${e.message}`);
      }
      const where = `${file}:${i + 1} (${c.id})`;
      if (typeof c.id !== 'string' || !c.id) throw new Error(`${where}: no id`);
      if (ids.has(c.id)) throw new Error(`${where}: duplicate id`);
      ids.add(c.id);
      if (typeof c.group !== 'string') throw new Error(`${where}: no group`);
      if (!['en', 'ko', 'mixed'].includes(c.lang)) throw new Error(`${where}: lang en|ko|mixed`);
      if (!Array.isArray(c.turns) || !c.turns.length) throw new Error(`${where}: no turns`);
      const expects = [c.expect, ...c.turns.map((t) => t?.expect)].filter(Boolean);
      for (const e of expects)
        for (const kind of Object.keys(e))
          if (!EXPECTATION_KINDS.has(kind))
            throw new Error(`${where}: unknown expectation ${kind}`);
      c.turns.forEach((t) => {
        if (!turnText(t).trim())
          throw new Error(`${where}: a blank turn (the chat never sends one)`);
      });
      cases.push({ ...c, line: i + 1 });
    });
  return cases;
}

// ---------------------------------------------------------------------------------------------
// The catalogue's facts (movies, and who made and starred in them)

/** A title folded for comparison: NFKC, lower case, spaces collapsed. */
const foldTitle = (s) =>
  String(s ?? '')
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();

/** A person's name folded: accents off, lower case, its words sorted ("Joon-ho Bong" = "Bong Joon Ho"). */
export function foldPerson(name) {
  return String(name ?? '')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .sort()
    .join(' ');
}

/** Unsigned LEB128 varints of ascending differences (the catalogue's id lists), as ids. */
function decodeDeltaVarints(bytes) {
  const out = [];
  let value = 0;
  let shift = 0;
  let last = 0;
  for (const b of bytes) {
    value += (b & 0x7f) * 2 ** shift;
    if (b & 0x80) shift += 7;
    else {
      last += value;
      out.push(last);
      value = 0;
      shift = 0;
    }
  }
  return out;
}

/** An id list stored as a blob (delta varints), JSON or text with separators. */
function idList(v) {
  if (v == null) return [];
  if (v instanceof Uint8Array) return decodeDeltaVarints(v);
  const s = String(v).trim();
  if (s.startsWith('[')) return JSON.parse(s).map(Number);
  return s
    .split(/[^0-9]+/)
    .filter(Boolean)
    .map(Number);
}

/** A list of names stored as JSON or '|'/','-separated text. */
function nameList(v) {
  if (v == null) return [];
  const s = String(v).trim();
  if (s.startsWith('[')) return JSON.parse(s).map(String);
  return s
    .split(/[|,;]/)
    .map((x) => x.trim())
    .filter(Boolean);
}

/**
 * Credits from the catalogue's own people table (schema 4), whatever its exact layout: a
 * `people` table with name (+ names_ko) and directed/starred id lists, or a credits table of
 * (person_id, movie_id, role) rows. Adds to `add(name, movieId, role)`; returns the row count.
 */
function catalogueCredits(db, add) {
  const tables = new Set(
    (db.exec("SELECT name FROM sqlite_master WHERE type='table'")[0]?.values ?? []).map(
      (r) => r[0],
    ),
  );
  if (!tables.has('people')) return 0;
  const cols = (t) => (db.exec(`PRAGMA table_info(${t})`)[0]?.values ?? []).map((r) => r[1]);
  const pcols = cols('people');
  const idCol = pcols.find((c) => /^(person_id|id)$/.test(c));
  const nameCol = pcols.find((c) => /^(name|display_name)$/.test(c));
  if (!nameCol) return 0;
  const koCol = pcols.find((c) => /ko/.test(c) && c !== nameCol);
  const dirCol = pcols.find((c) => /direct/.test(c));
  const castCol = pcols.find((c) => /(starr|cast|acted|lead)/.test(c));
  const names = new Map();
  let n = 0;
  const stmt = db.prepare(
    `SELECT ${[idCol ?? 'rowid', nameCol, koCol, dirCol, castCol].filter(Boolean).join(', ')} FROM people`,
  );
  while (stmt.step()) {
    const row = stmt.getAsObject();
    const all = [row[nameCol], ...(koCol ? nameList(row[koCol]) : [])];
    names.set(row[idCol ?? 'rowid'], all);
    for (const name of all) {
      if (dirCol) for (const id of idList(row[dirCol])) add(name, id, 'director');
      if (castCol) for (const id of idList(row[castCol])) add(name, id, 'cast');
    }
    n++;
  }
  stmt.free();
  // A separate credits table, if the people table only holds names.
  const creditTable = [...tables].find(
    (t) => t !== 'people' && /credit|people_movies|cast/.test(t),
  );
  if (creditTable) {
    const ccols = cols(creditTable);
    const pid = ccols.find((c) => /person/.test(c));
    const mid = ccols.find((c) => /movie/.test(c));
    const role = ccols.find((c) => /(role|kind|job)/.test(c));
    if (pid && mid) {
      const s = db.prepare(
        `SELECT ${[pid, mid, role].filter(Boolean).join(', ')} FROM ${creditTable}`,
      );
      while (s.step()) {
        const r = s.getAsObject();
        const kind = role && /direct/i.test(String(r[role])) ? 'director' : 'cast';
        for (const name of names.get(r[pid]) ?? []) add(name, Number(r[mid]), kind);
      }
      s.free();
    }
  }
  return n;
}

/**
 * Credits from the public files the catalogue build reads (../shared/data/people): cinemate
 * (MovieLens ids: director, three leads), IMDB 5000 (IMDb ids: director, three actors), MeLU
 * (ML-1M ids, year checked: director, actors) and HetRec (directors, minus its known mismatches).
 */
function referenceCredits(dataDir, movies, add) {
  const dir = path.join(dataDir, 'people');
  if (!fs.existsSync(dir)) return [];
  const used = [];
  const byImdb = new Map();
  for (const m of movies.values()) if (m.imdb) byImdb.set(m.imdb, m.movieId);
  const split = (s, sep) =>
    String(s ?? '')
      .split(sep)
      .map((x) => x.replace(/\(.*?\)/g, '').trim())
      .filter(Boolean);

  const cinemate = path.join(dir, 'cinemate/movies_enriched.csv');
  if (fs.existsSync(cinemate)) {
    const rows = parseCsv(fs.readFileSync(cinemate, 'utf8').replace(/^\uFEFF/, ''));
    const h = rows[0];
    const [id, d, c] = ['movie_id', 'director', 'cast_top3'].map((k) => h.indexOf(k));
    for (const r of rows.slice(1)) {
      const movieId = Number(r[id]);
      if (!movies.has(movieId)) continue;
      for (const name of split(r[d], /,|\|/)) add(name, movieId, 'director');
      for (const name of split(r[c], '|')) add(name, movieId, 'cast');
    }
    used.push('cinemate');
  }
  const imdb5000 = path.join(dir, 'imdb5000/movie_metadata.csv');
  if (fs.existsSync(imdb5000)) {
    const lines = fs.readFileSync(imdb5000, 'utf8').split(/\r?\n/);
    const h = lines[0].split(';');
    const col = (k) => h.indexOf(k);
    const [link, d, a1, a2, a3] = [
      'movie_imdb_link',
      'director_name',
      'actor_1_name',
      'actor_2_name',
      'actor_3_name',
    ].map(col);
    for (const line of lines.slice(1)) {
      const r = line.split(';');
      const tt = /title\/(tt\d+)/.exec(r[link] ?? '')?.[1];
      const movieId = tt && byImdb.get(tt);
      if (!movieId) continue;
      if (r[d]) add(r[d], movieId, 'director');
      for (const k of [a1, a2, a3]) if (r[k]) add(r[k], movieId, 'cast');
    }
    used.push('imdb5000');
  }
  const melu = path.join(dir, 'melu_ml1m/movies_extrainfos.dat');
  if (fs.existsSync(melu)) {
    for (const line of fs.readFileSync(melu, 'latin1').split(/\r?\n/)) {
      const r = line.split('::');
      const movie = movies.get(Number(r[0]));
      if (!movie || !movie.year || Math.abs(Number(r[2]) - movie.year) > 1) continue;
      for (const name of split(r[6], ',')) add(name, movie.movieId, 'director');
      for (const name of split(r[8], ',').slice(0, 4)) add(name, movie.movieId, 'cast');
    }
    used.push('melu');
  }
  const hetrec = path.join(dir, 'hetrec2011/movie_directors.dat');
  if (fs.existsSync(hetrec)) {
    const mismatchFile = path.join(dir, 'hetrec2011/imdb_mismatch.csv');
    const mismatch = new Set(
      fs.existsSync(mismatchFile)
        ? fs
            .readFileSync(mismatchFile, 'utf8')
            .split(/\r?\n/)
            .slice(1)
            .map((l) => Number(l.split(',')[0]))
        : [],
    );
    for (const line of fs.readFileSync(hetrec, 'latin1').split(/\r?\n/).slice(1)) {
      const m = /^(\d+)\s+\S+\t(.+)$/.exec(line);
      if (!m || mismatch.has(Number(m[1])) || !movies.has(Number(m[1]))) continue;
      add(m[2], Number(m[1]), 'director');
    }
    used.push('hetrec');
  }
  return used;
}

/**
 * The facts the checks read, from the catalogue file: every movie (title, year, genres, original
 * language, searchable text) and the credits of people (the catalogue's people table when it has
 * one, plus the public credit files).
 */
export async function loadFacts(dbPath, { dataDir = sharedData() } = {}) {
  const SQL = await require('sql.js')();
  const db = new SQL.Database(fs.readFileSync(dbPath));
  try {
    const movies = new Map();
    const byTitle = new Map();
    const stmt = db.prepare(
      'SELECT movie_id, title, year, genres, original_language, original_title, overview, keywords, tags, imdb_id FROM movies',
    );
    while (stmt.step()) {
      const r = stmt.getAsObject();
      const m = {
        movieId: Number(r.movie_id),
        title: String(r.title ?? ''),
        year: r.year == null ? 0 : Number(r.year),
        genres: String(r.genres ?? '')
          .split('|')
          .filter(Boolean),
        language: r.original_language ?? '',
        text: [r.title, r.original_title, r.overview, r.keywords, r.tags]
          .filter(Boolean)
          .join(' \n '),
        imdb: r.imdb_id ?? '',
      };
      movies.set(m.movieId, m);
      const key = foldTitle(m.title);
      if (!byTitle.has(key)) byTitle.set(key, []);
      byTitle.get(key).push(m.movieId);
    }
    stmt.free();
    /** foldPerson(name) → {director: Set<movieId>, cast: Set<movieId>} */
    const credits = new Map();
    const add = (name, movieId, role) => {
      const key = foldPerson(name);
      if (!key || !movies.has(movieId)) return;
      if (!credits.has(key)) credits.set(key, { director: new Set(), cast: new Set() });
      credits.get(key)[role].add(movieId);
    };
    const peopleRows = catalogueCredits(db, add);
    const reference = referenceCredits(dataDir, movies, add);
    const peopleSources = [...(peopleRows ? ['catalogue'] : []), ...reference];
    return { db: dbPath, movies, byTitle, credits, peopleSources };
  } finally {
    db.close();
  }
}

/**
 * The catalogue ids a movie reference stands for: {title, year} (exact title, case folded; without
 * a year every film of that title) or {prefix} (every title starting so).
 */
export function resolveMovie(facts, ref) {
  if (typeof ref === 'string') ref = { title: ref };
  let ids;
  if (ref.prefix) {
    const p = foldTitle(ref.prefix);
    ids = [...facts.movies.values()]
      .filter((m) => foldTitle(m.title).startsWith(p))
      .map((m) => m.movieId);
  } else ids = facts.byTitle.get(foldTitle(ref.title)) ?? [];
  if (ref.year) ids = ids.filter((id) => facts.movies.get(id).year === ref.year);
  return ids;
}

const refName = (ref) =>
  typeof ref === 'string'
    ? ref
    : ref.prefix
      ? `${ref.prefix}…`
      : `${ref.title}${ref.year ? ` (${ref.year})` : ''}`;

/** Every movie reference in a case, for the check that the catalogue has them all. */
export function movieRefs(c) {
  const refs = [];
  for (const e of [c.expect, ...c.turns.map((t) => t?.expect)].filter(Boolean)) {
    for (const k of ['mentions', 'notMentioned', 'notResults', 'liked', 'disliked'])
      for (const ref of e[k] ?? []) refs.push({ kind: k, ref });
  }
  return refs;
}

// ---------------------------------------------------------------------------------------------
// Checks

const SCRIPT_RE = {
  Hebrew: /\p{Script=Hebrew}/u,
  Greek: /\p{Script=Greek}/u,
  Cyrillic: /\p{Script=Cyrillic}/u,
  Arabic: /\p{Script=Arabic}/u,
  Thai: /\p{Script=Thai}/u,
  Devanagari: /\p{Script=Devanagari}/u,
  Georgian: /\p{Script=Georgian}/u,
  Armenian: /\p{Script=Armenian}/u,
};

const LABELS = ['positive', 'negative', 'neutral'];
const show = (x) => `'${x.title}' (${x.year || '?'})`;

/**
 * The invariants every answer must keep, whatever was asked: an answer, not an error; sentiment,
 * language, at most k distinct results, each with a title, genres, a reason and a similarity.
 */
export function checkInvariants(answer, k = 5) {
  if (!answer || typeof answer !== 'object') return ['no answer'];
  if (answer.error) return [`error: ${answer.error} (${answer.code})`];
  const f = [];
  if (!['en', 'ko'].includes(answer.lang)) f.push(`lang ${JSON.stringify(answer.lang)}`);
  if (!LABELS.includes(answer.sentiment?.label)) f.push('no sentiment label');
  if (typeof answer.answer !== 'string' || !answer.answer.trim()) f.push('an empty answer text');
  if (!Array.isArray(answer.results) || !Array.isArray(answer.mentioned)) {
    f.push('no results/mentioned arrays');
    return f;
  }
  if (answer.results.length > k) f.push(`${answer.results.length} results for k=${k}`);
  const ids = answer.results.map((x) => x.movieId);
  if (new Set(ids).size !== ids.length) f.push('a result appears twice');
  for (const x of answer.results) {
    if (typeof x.title !== 'string' || !x.title.trim()) f.push(`result ${x.movieId} has no title`);
    if (!Array.isArray(x.genres)) f.push(`result ${x.movieId} has no genres array`);
    if (typeof x.why !== 'string') f.push(`result ${x.movieId} has no reason`);
    if (!Number.isFinite(x.similarity)) f.push(`result ${x.movieId} has no similarity`);
  }
  return f;
}

/**
 * The failures of one answer against one case's expectations (empty: it passes). ctx: {facts,
 * prev (the answer before, in a conversation), ms (time of this answer), k}.
 */
export function checkAnswer(expect, answer, ctx) {
  const { facts, prev = null, ms = 0, k = 5 } = ctx;
  const failures = checkInvariants(answer, k);
  if (failures.length && (!answer || answer.error || !Array.isArray(answer.results)))
    return failures;
  const results = answer.results;
  const movie = (id) => facts.movies.get(id);
  const ids = (ref) => new Set(resolveMovie(facts, ref));
  const atLeast = (what, n, min) =>
    n >= min || failures.push(`${what}: ${n} of ${results.length}, want ≥ ${min}`);
  const likedNow = new Set([
    ...(answer.state?.liked ?? []),
    ...answer.mentioned.filter((m) => m.liked === true).map((m) => m.movieId),
  ]);
  const dislikedNow = new Set([
    ...(answer.state?.disliked ?? []),
    ...answer.mentioned.filter((m) => m.liked === false).map((m) => m.movieId),
  ]);
  const minResults = expect.minResults ?? 5;
  if (results.length < minResults) failures.push(`${results.length} results, want ≥ ${minResults}`);

  for (const [kind, want] of Object.entries(expect)) {
    switch (kind) {
      case 'minResults':
        break;
      case 'lang':
        if (answer.lang !== want) failures.push(`answer language ${answer.lang}, want ${want}`);
        break;
      case 'sentiment': {
        const allowed = [want].flat();
        if (!allowed.includes(answer.sentiment.label))
          failures.push(`sentiment ${answer.sentiment.label}, want ${allowed.join('|')}`);
        break;
      }
      case 'mentions':
        for (const ref of want) {
          const set = ids(ref);
          const hit = answer.mentioned.find((m) => set.has(m.movieId));
          if (!hit) failures.push(`did not recognise ${refName(ref)}`);
          else if ('liked' in ref && ![ref.liked].flat().includes(hit.liked))
            failures.push(
              `${refName(ref)} read as liked=${hit.liked}, want ${[ref.liked].flat().join('|')}`,
            );
        }
        break;
      case 'mentionsNone':
        if (want && answer.mentioned.length)
          failures.push(`recognised ${answer.mentioned.map(show).join(', ')}, want no movie`);
        break;
      case 'notMentioned':
        for (const ref of want) {
          const set = ids(ref);
          const hit = answer.mentioned.find((m) => set.has(m.movieId));
          if (hit) failures.push(`recognised ${show(hit)}, which was not named`);
        }
        break;
      case 'genre': {
        const any = [want.any].flat();
        const n = results.filter((x) => x.genres.some((g) => any.includes(g))).length;
        atLeast(`results with genre ${any.join('|')}`, n, want.min ?? 3);
        break;
      }
      case 'genreNone':
        for (const x of results) {
          const bad = x.genres.filter((g) => want.includes(g));
          if (bad.length) failures.push(`${show(x)} is ${bad.join('|')}`);
        }
        break;
      case 'years': {
        const n = results.filter(
          (x) => x.year >= (want.from ?? 0) && x.year <= (want.to ?? 9999),
        ).length;
        atLeast(`results from ${want.from ?? '…'}–${want.to ?? '…'}`, n, want.min ?? 3);
        break;
      }
      case 'allDated':
        for (const x of results) if (!(x.year > 0)) failures.push(`${show(x)} has no year`);
        break;
      case 'notResults':
        for (const ref of want) {
          const set = ids(ref);
          for (const x of results) if (set.has(x.movieId)) failures.push(`recommended ${show(x)}`);
        }
        break;
      case 'resultsPerson': {
        const credit = facts.credits.get(foldPerson(want.name));
        const roles =
          want.role === 'director'
            ? ['director']
            : want.role === 'cast'
              ? ['cast']
              : ['director', 'cast'];
        const n = results.filter(
          (x) => credit && roles.some((r) => credit[r].has(x.movieId)),
        ).length;
        atLeast(`results crediting ${want.name} (${want.role ?? 'any'})`, n, want.min ?? 3);
        break;
      }
      case 'resultsLanguage': {
        const n = results.filter((x) => movie(x.movieId)?.language === want.lang).length;
        atLeast(`results in original language ${want.lang}`, n, want.min ?? 3);
        break;
      }
      case 'resultsText': {
        const re = new RegExp(want.pattern, 'iu');
        const n = results.filter((x) => re.test(movie(x.movieId)?.text ?? x.title)).length;
        atLeast(`results about /${want.pattern}/`, n, want.min ?? 2);
        break;
      }
      case 'scriptsNone':
        for (const x of results)
          for (const s of want)
            if (SCRIPT_RE[s]?.test(x.title)) failures.push(`${show(x)} is titled in ${s} script`);
        break;
      case 'whyNotMention':
        for (const x of results)
          for (const w of want)
            if (x.why.toLowerCase().includes(w.toLowerCase()))
              failures.push(`the reason for ${show(x)} mentions ${w}: "${x.why}"`);
        break;
      case 'likedPrev': {
        const p = prev?.results?.[want - 1];
        if (!p) failures.push(`no result #${want} in the previous answer`);
        else if (!likedNow.has(p.movieId))
          failures.push(`${show(p)} (previous #${want}) not taken as liked`);
        break;
      }
      case 'notPrevResults': {
        const before = (prev?.results ?? []).filter(
          (_, i) => want === true || [want].flat().includes(i + 1),
        );
        const set = new Set(before.map((x) => x.movieId));
        for (const x of results)
          if (set.has(x.movieId)) failures.push(`repeated ${show(x)} from the previous answer`);
        break;
      }
      case 'liked':
      case 'disliked':
        for (const ref of want) {
          const set = ids(ref);
          const have = kind === 'liked' ? likedNow : dislikedNow;
          if (![...set].some((id) => have.has(id))) failures.push(`${refName(ref)} not ${kind}`);
        }
        break;
      case 'maxMs':
        if (ms > want) failures.push(`took ${Math.round(ms)} ms, want ≤ ${want}`);
        break;
      default:
        failures.push(`unknown expectation ${kind}`);
    }
  }
  return failures;
}

// ---------------------------------------------------------------------------------------------
// Running

/**
 * Runs one case as the chat page would: each user turn is sent with the conversation so far
 * (user messages and each answer's first line, cut to the core's limits by fitTurns), the state
 * of the answer before and k = 5. Returns {id, group, lang, pass, failures, answers, ms}.
 */
export async function runCase(engine, facts, c, { k = 5 } = {}) {
  const failures = [];
  for (const { ref } of movieRefs(c))
    if (!resolveMovie(facts, ref).length)
      failures.push(`case error: the catalogue has no ${refName(ref)}`);
  let turns = [];
  let state;
  let prev = null;
  const answers = [];
  let total = 0;
  for (let i = 0; i < c.turns.length; i++) {
    const text = turnText(c.turns[i]).trim();
    const asked = [...turns, { role: 'user', text }];
    const request = { turns: fitTurns(asked), k, ...(state && { state }) };
    const t0 = performance.now();
    let answer;
    try {
      answer = await engine.ask(request);
    } catch (e) {
      answer = { error: `threw: ${e.message}`, code: 'exception' };
    }
    const ms = performance.now() - t0;
    total += ms;
    answers.push({ text, answer, ms });
    const last = i === c.turns.length - 1;
    const expect = last ? (c.expect ?? {}) : c.turns[i]?.expect;
    const found = expect
      ? checkAnswer(expect, answer, { facts, prev, ms, k })
      : checkInvariants(answer, k);
    failures.push(...found.map((f) => (c.turns.length > 1 ? `turn ${i + 1}: ${f}` : f)));
    if (answer?.error) break;
    turns = [...asked, { role: 'assistant', text: answer.answer.split('\n')[0] }];
    state = answer.state;
    prev = answer;
  }
  return {
    id: c.id,
    group: c.group,
    lang: c.lang,
    pass: !failures.length,
    failures,
    answers,
    ms: total,
  };
}

/** Runs every case; returns {outcomes, groups: {name: {passed, failed}}, passed, failed, fraction}. */
export async function runSuite(engine, facts, cases, { onCase } = {}) {
  const outcomes = [];
  for (const c of cases) {
    const o = await runCase(engine, facts, c);
    outcomes.push(o);
    onCase?.(o, c);
  }
  const groups = {};
  for (const o of outcomes) {
    groups[o.group] ??= { passed: 0, failed: 0 };
    groups[o.group][o.pass ? 'passed' : 'failed']++;
  }
  const passed = outcomes.filter((o) => o.pass).length;
  return {
    outcomes,
    groups,
    passed,
    failed: outcomes.length - passed,
    fraction: passed / outcomes.length,
  };
}

/** What a failing case got, for --verbose: each answer in a few lines. */
export function describeAnswers(o) {
  const lines = [];
  for (const { text, answer, ms } of o.answers) {
    const shown = text.length > 80 ? `${text.slice(0, 77)}…` : text;
    lines.push(`    > ${JSON.stringify(shown)}  (${Math.round(ms)} ms)`);
    if (!answer || answer.error) {
      lines.push(`      error: ${answer?.error}`);
      continue;
    }
    const mentioned = answer.mentioned.map((m) => `${show(m)} liked=${m.liked}`).join(', ') || '-';
    lines.push(
      `      ${answer.lang} ${answer.sentiment.label} (${answer.sentiment.score.toFixed(2)}); recognised: ${mentioned}` +
        `${answer.constraints?.length ? `; constraints: ${answer.constraints.join(', ')}` : ''}` +
        `${answer.fallback ? `; fallback ${answer.fallbackReason}` : ''}`,
    );
    answer.results.forEach((x, i) =>
      lines.push(`      ${i + 1}. ${show(x)} ${x.genres.join('|')} — ${x.why}`),
    );
  }
  return lines;
}

export async function main(argv = process.argv.slice(2)) {
  const { values: o } = parseArgs({
    args: argv,
    options: {
      db: { type: 'string', default: path.join(root, 'catalogue/demo.db') },
      encoder: { type: 'string', default: 'static' },
      json: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      'min-pass': { type: 'string', default: '0' },
      cases: { type: 'string', default: casesPath },
      only: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (o.help) return console.log(USAGE);
  const minPass = Number(o['min-pass']);
  if (!(minPass >= 0 && minPass <= 1)) throw new Error('--min-pass must be a fraction from 0 to 1');
  const db = path.resolve(o.db);
  const { ensureBuilt } = await import('../lib/ensure-built.mjs');
  await ensureBuilt(db);
  const { createEngine } = await import('../lib/engine-node.mjs');
  let cases = readCases(o.cases);
  if (o.only) cases = cases.filter((c) => c.id === o.only || c.group === o.only);
  const t0 = performance.now();
  const [engine, facts] = await Promise.all([
    createEngine({ db, encoder: o.encoder }),
    loadFacts(db),
  ]);
  const ko = cases.filter((c) => c.lang === 'ko').length;
  console.log(
    `quality suite: ${cases.length} cases (${ko} Korean) on ${path.relative(root, db)}, ` +
      `${o.encoder} encoder; ` +
      `people from ${facts.peopleSources.join(', ') || 'nowhere'}`,
  );
  const suite = await runSuite(engine, facts, cases, {
    onCase: (out) => {
      if (!o.verbose || out.pass) return;
      console.log(`FAIL ${out.id} [${out.group}]`);
      for (const f of out.failures) console.log(`    - ${f}`);
      for (const line of describeAnswers(out)) console.log(line);
    },
  });
  const seconds = (performance.now() - t0) / 1000;
  const width = Math.max(...Object.keys(suite.groups).map((g) => g.length));
  for (const [g, { passed, failed }] of Object.entries(suite.groups))
    console.log(`  ${g.padEnd(width)}  ${passed} passed, ${failed} failed`);
  for (const lang of ['en', 'ko', 'mixed']) {
    const of = suite.outcomes.filter((x) => x.lang === lang);
    if (of.length)
      console.log(`  (${lang}: ${of.filter((x) => x.pass).length} of ${of.length} pass)`);
  }
  const failing = suite.outcomes.filter((x) => !x.pass).map((x) => x.id);
  if (failing.length && !o.verbose) console.log(`failing: ${failing.join(' ')}`);
  console.log(
    `${suite.passed} passed, ${suite.failed} failed (${(100 * suite.fraction).toFixed(1)}%) in ${seconds.toFixed(1)} s`,
  );
  if (o.json) {
    const name = path.basename(db, '.db');
    const out = path.join(root, `bench/eval-quality-${name}.json`);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const record = {
      db: path.relative(root, db),
      date: new Date().toISOString(),
      cases: cases.length,
      passed: suite.passed,
      failed: suite.failed,
      fraction: suite.fraction,
      seconds,
      peopleSources: facts.peopleSources,
      groups: suite.groups,
      outcomes: suite.outcomes.map(({ id, group, lang, pass, failures, ms }) => ({
        id,
        group,
        lang,
        pass,
        failures,
        ms: Math.round(ms),
      })),
    };
    fs.writeFileSync(out, `${JSON.stringify(record, null, 2)}\n`);
    console.log(`wrote ${path.relative(root, out)}`);
  }
  if (suite.fraction < minPass) {
    console.error(`pass fraction ${suite.fraction.toFixed(3)} is below --min-pass ${minPass}`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(`quality: ${e.message}`);
    process.exitCode = 1;
  });
}
