// How the turns of tests/quality/chat_turns.tsv were chosen (run once; the labels were then
// written by hand, see README.md): `node tests/quality/chat_turns.sample.mjs > candidates.tsv`
// prints `id, source, stratum, text` for the sampled seeker turns of the two training files.
// Deterministic: turns are ordered by sha256(id), each is put in the first stratum whose cue it
// has (the cues only spread the sample over kinds of turns; they are not labels), each stratum
// takes its quota per source, at most one turn per dialogue and no text twice. A second pass
// then adds turns with a strong dislike cue from dialogues not used yet (dislikes are rare:
// the first pass gave 26 of 363).
// @ts-check
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SOURCES, sourceTurns } from '../../scripts/eval/chat_turns.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dataDir =
  process.env.CINERAG_DATA ||
  path.join(process.env.CINERAG_SHARED || path.join(root, '../shared'), 'data');

const NEG =
  /\b(not|never|hate[sd]?|dislike[sd]?|boring|bored|worst|awful|terrible|meh|overrated|annoying|stupid|dumb|disappoint\w*|scary|gross|stand|fan)\b|n['’]t\b/i;
const POS =
  /\b(love[sd]?|loving|like[sd]?|enjoy(ed|s)?|favou?rite|great|awesome|amazing|good|fun|funny|best|cool|fantastic|classic)\b/i;
const DISLIKE =
  /\b(hate[sd]?|hating|dislike[sd]?|boring|bored|not (a|really a|much of a|big|huge|the biggest) fan|not (really )?(into|my)|(didn['’]?t|don['’]?t|did not|do not|wasn['’]?t|isn['’]?t|not) (really |too |that |very |much )?(like|enjoy|care|good|great|funny|interested|impressed)|terrible|awful|worst|overrated|can['’]?t stand|annoying|stupid|dumb|disappoint\w*|waste|meh|lame|cheesy|suck(ed|s)?|too (scary|sad|violent|long|slow|gory))\b/i;
const ASK = /\?|\b(recommend\w*|suggest\w*|looking for|in the mood)\b/i;
const words = (/** @type {string} */ s) => s.split(' ').filter(Boolean).length;

/** Strata in priority order: [name, quota per source, test]. */
const STRATA =
  /** @type {[string, number, (t: import('../../scripts/eval/chat_turns.mjs').SourceTurn) => boolean][]} */ ([
    ['opening', 20, (t) => t.first],
    ['negative-cue', 60, (t) => NEG.test(t.text)],
    ['title+positive-cue', 25, (t) => t.titles > 0 && POS.test(t.text)],
    ['title', 20, (t) => t.titles > 0],
    ['positive-cue', 30, (t) => POS.test(t.text)],
    ['question', 15, (t) => ASK.test(t.text)],
    ['short', 8, (t) => words(t.text) <= 4],
    ['long', 7, (t) => words(t.text) >= 30],
  ]);
/** The second pass: [name, quota per source, test]. */
const SECOND = /** @type {typeof STRATA} */ ([['dislike-cue', 35, (t) => DISLIKE.test(t.text)]]);

const hash = (/** @type {string} */ id) => createHash('sha256').update(id).digest('hex');
const all = [...sourceTurns(dataDir).values()]
  .filter((t) => t.text)
  .sort((a, b) => (hash(a.id) < hash(b.id) ? -1 : 1));
console.log(['id', 'source', 'stratum', 'text'].join('\t'));
/** @type {[string[], string[]]} the first pass's rows (both sources), then the second's */
const rows = [[], []];
for (const source of Object.values(SOURCES)) {
  const taken = new Set();
  const texts = new Set();
  /** @type {Map<string, number>} */
  const count = new Map();
  [STRATA, SECOND].forEach((strata, pass) => {
    for (const t of all) {
      if (t.source !== source || taken.has(t.dialogue)) continue;
      const key = t.text
        .toLowerCase()
        .replace(/[^\p{L}\p{N}]+/gu, ' ')
        .trim();
      if (texts.has(key)) continue;
      const stratum = strata.find(([, , test]) => test(t));
      if (!stratum || (count.get(stratum[0]) ?? 0) >= stratum[1]) continue;
      count.set(stratum[0], (count.get(stratum[0]) ?? 0) + 1);
      taken.add(t.dialogue);
      texts.add(key);
      rows[pass].push([t.id, t.source, stratum[0], t.text].join('\t'));
    }
  });
}
for (const line of rows.flat()) console.log(line);
