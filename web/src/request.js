// @ts-check
// The request for one message, built the same way by the browser's engine worker
// (engine.worker.ts) and the Node engine (scripts/lib/engine-node.mjs: the CLI, the evaluation,
// the tests): the text the sentence encoder embeds and the JSON body the core's Recommender.ask
// reads. Plain JS with JSDoc so that Node imports it as it is; web/tsconfig.json type-checks it.

/** @typedef {import('../../wasm/bindings/cinerag_core').RecommendRequest} RecommendRequest */
/** @typedef {{role: 'user' | 'assistant', text: string}} Turn */

/** The encoder embeds this many user turns, counted from the end of the conversation. */
export const EMBED_TURNS = 3;
/** ...joined by a space and cut to this many characters (UTF-16 code units). */
export const EMBED_MAX_CHARS = 4000;
/** The core's limits on a request (wasm/recommend/wire.cpp): bytes of UTF-8 in one turn... */
export const MAX_TURN_BYTES = 100 * 1024;
/** ...and turns in one request. */
export const MAX_TURNS = 200;

/**
 * The text the sentence encoder embeds for `request`: its last three user turns (a `text` alone
 * is one user turn) joined by a space, at most 4000 characters. A blank result has no embedding.
 * @param {RecommendRequest} request
 * @returns {string}
 */
export function embeddingText(request) {
  /** @type {Partial<Turn>[]} */
  const turns = request.turns ?? [{ role: 'user', text: request.text ?? '' }];
  return turns
    .filter((t) => (t.role ?? 'user') === 'user' && typeof t.text === 'string')
    .slice(-EMBED_TURNS)
    .map((t) => t.text)
    .join(' ')
    .slice(0, EMBED_MAX_CHARS);
}

/**
 * The JSON body of `request` for the core's Recommender.ask: every field of RecommendRequest
 * (wasm/bindings/cinerag_core.d.ts) as it is, none added. The core checks each one and answers a
 * bad one with an error, which is what `cinerag batch` reports for that line. A lone UTF-16
 * surrogate (a string cut mid-pair, a pasted fragment) becomes U+FFFD: JSON.stringify writes it as
 * an escape that is not UTF-8, and the core would refuse the whole request.
 * @param {RecommendRequest} request
 * @returns {string}
 */
export function requestBody(request) {
  return JSON.stringify(request, (_key, value) =>
    typeof value === 'string' ? value.replace(LONE_SURROGATE, '\uFFFD') : value,
  );
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A conversation as a chat holds it, cut to what the core takes: the last MAX_TURNS turns, each
 * at most MAX_TURN_BYTES of UTF-8, cut between characters. Turns that fit are returned as they are.
 * @param {Turn[]} turns
 * @returns {Turn[]}
 */
export function fitTurns(turns) {
  const utf8 = new TextEncoder();
  /** @type {Uint8Array | null} */
  let buffer = null;
  return turns.slice(-MAX_TURNS).map((turn) => {
    if (turn.text.length * 3 <= MAX_TURN_BYTES) return turn; // a UTF-16 unit is at most 3 bytes
    buffer ??= new Uint8Array(MAX_TURN_BYTES);
    // encodeInto stops before a character that does not fit whole: `read` units are in.
    const { read = turn.text.length } = utf8.encodeInto(turn.text, buffer);
    return read < turn.text.length ? { role: turn.role, text: turn.text.slice(0, read) } : turn;
  });
}
