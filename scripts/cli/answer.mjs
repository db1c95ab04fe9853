// What `cinerag ask` and `cinerag chat` share: the seed's [INFO] steps and the printed answer,
// the gpt-4o fallback through the proxy, and reading/writing the --state file.
import fs from 'node:fs';
import { askProxy } from '../../web/src/fallback.js';

/** The [INFO] line with the catalogue's size, preset and build time. */
export function catalogueInfo(engine) {
  return `catalogue: ${engine.info.movieCount} movies (${engine.meta('preset') || 'custom'}), built ${engine.meta('built_at')}`;
}

/** The seed's steps for one answer `r` that took `ms`: title extraction (films, people), sentiment, DB search. */
export function infoSteps(r, ms) {
  const titles = r.mentioned.map(
    (m) =>
      `${m.title} (${m.year}) [${m.liked === true ? 'liked' : m.liked === false ? 'disliked' : 'neutral'}]`,
  );
  const people = (r.people ?? []).map((p) => (p.role === 'any' ? p.name : `${p.name} (${p.role})`));
  return [
    `title extraction: ${titles.length ? titles.join(', ') : 'no movie named'}`,
    ...(people.length ? [`people: ${people.join(', ')}`] : []),
    `sentiment: ${r.sentiment.label} (${r.sentiment.score.toFixed(2)}), language ${r.lang}`,
    ...(r.constraints.length ? [`constraints: ${r.constraints.join(', ')}`] : []),
    `DB search: ${r.results.length} results in ${ms.toFixed(1)} ms, confidence ${r.confidence.toFixed(2)}${r.fallback ? `, fallback (${r.fallbackReason})` : ''}`,
  ];
}

/**
 * The answer as the person reads it: the core's first line (the intro), then one line per result
 * with title, year, genres, similarity and why (labels in the answer's language).
 */
export function answerLines(r) {
  const similarity = r.lang === 'ko' ? '유사도' : 'similarity';
  return [
    r.answer.split('\n')[0],
    ...r.results.map(
      (x, i) =>
        `${i + 1}. ${x.title}${x.year ? ` (${x.year})` : ''} — ${x.genres.join(',')} — ${similarity} ${x.similarity.toFixed(2)} — ${x.why}`,
    ),
  ];
}

/**
 * Asks gpt-4o through `proxy` when the core flagged fallback; returns {llm} or {llmError}
 * ({} when not asked). `messages` are the conversation's user turns; `log` prints a step.
 */
export async function fallback(proxy, r, messages, log) {
  if (!r.fallback || !proxy) return {};
  log(`fallback (${r.fallbackReason}): asking gpt-4o through ${proxy}`);
  try {
    return { llm: await askProxy(proxy, r.lang, messages.slice(-8), r, () => {}) };
  } catch (e) {
    log(`gpt-4o could not answer (${e.message}); the offline answer stands`);
    return { llmError: e.message };
  }
}

/** gpt-4o's answer as printed lines; titles the catalogue knows get their genres back. */
export function llmLines(llm, r) {
  return [
    `[gpt-4o] ${llm.message}`,
    ...llm.recommendations.map((x, i) => {
      const known = r.results.find((c) => c.title.toLowerCase() === x.title.toLowerCase());
      const genres = known ? ` — ${known.genres.join(',')}` : '';
      return `${i + 1}. ${x.title}${x.year ? ` (${x.year})` : ''}${genres} — ${x.reason ?? ''}`;
    }),
  ];
}

/**
 * A --state file: `ask` writes the bare ConversationState, `chat` writes
 * {state, turns, lang, k}; both read either. Returns {state, turns, lang, k} (fields absent when
 * unknown) or {} when the file does not exist.
 */
export function readStateFile(file) {
  if (!file || !fs.existsSync(file)) return {};
  let data;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file} is not a state file (${e.message})`);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data))
    throw new Error(`${file} is not a state file`);
  if (!('state' in data) && !('turns' in data)) return { state: data };
  const turns = Array.isArray(data.turns)
    ? data.turns.filter(
        (t) => t && (t.role === 'user' || t.role === 'assistant') && typeof t.text === 'string',
      )
    : [];
  return { state: data.state ?? undefined, turns, lang: data.lang, k: data.k };
}

/** Writes `data` to `file` through a .tmp and a rename. */
export function writeStateFile(file, data) {
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(data));
  fs.renameSync(`${file}.tmp`, file);
}
