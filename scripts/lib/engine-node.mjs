// The recommender under Node, as the browser's worker runs it: the WASM core (tokenizer,
// sentiment, catalogue, recommender, static sentence encoder), or with encoder 'transformer' the
// ONNX encoder (onnxruntime-node with the browser's session options, which gives the browser's
// vectors), and the worker's request builder (web/src/request.js). Used by `cinerag ask|batch`,
// the evaluation and the tests.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { embeddingText, requestBody } from '../../web/src/request.js';
import { loadCore, root, vocabPath } from './core-node.mjs';
import { embedTexts, sessionOptions } from './encoder-node.mjs';

const require = createRequire(import.meta.url);
export const defaultDb = path.join(root, 'catalogue/demo.db');

/** The sentence encoders: the core's static one (the default, as the page), or the transformer. */
export const ENCODERS = /** @type {const} */ (['static', 'transformer']);
export const staticModelPath = path.join(root, 'models/static-en.bin');

export async function createEngine({ db = defaultDb, threads = 1, encoder = 'static' } = {}) {
  if (!ENCODERS.includes(encoder))
    throw new Error(`encoder must be one of ${ENCODERS.join(', ')}, not ${encoder}`);
  if (!fs.existsSync(db)) {
    throw new Error(
      `catalogue ${db} is missing: build it with \`npx cinerag build-db --preset demo\``,
    );
  }
  const core = await loadCore();
  const rec = new core.Recommender();
  const loaded = rec.load(
    new Uint8Array(fs.readFileSync(db)),
    new Uint8Array(fs.readFileSync(path.join(root, 'models/sentiment-en.bin'))),
    new Uint8Array(fs.readFileSync(path.join(root, 'models/sentiment-ko.bin'))),
  );
  if (!loaded.ok) throw new Error(`cannot open ${db}: ${loaded.error}`);
  // The core's static encoder is always there (as in the browser's worker); the transformer is
  // loaded on top when chosen, and its vectors then go with each request.
  if (!fs.existsSync(staticModelPath))
    throw new Error(`${staticModelPath} is missing: run \`npm run models\``);
  const vocab = new Uint8Array(fs.readFileSync(vocabPath));
  const used = rec.useEncoder(vocab, new Uint8Array(fs.readFileSync(staticModelPath)));
  if (!used.ok) throw new Error(`cannot use ${staticModelPath}: ${used.error}`);
  /** The transformer's vector of a text, or null (no tokens; the static encoder: the core embeds). */
  let embed = async (/** @type {string} */ _text) => /** @type {Float32Array | null} */ (null);
  if (encoder === 'transformer') {
    const tokenizer = new core.Tokenizer();
    tokenizer.load(vocab);
    const ort = require('onnxruntime-node');
    const session = await ort.InferenceSession.create(
      path.join(root, 'models/use-lite-int8.onnx'),
      { ...sessionOptions, intraOpNumThreads: threads },
    );
    embed = async (text) => {
      if (!text.trim()) return null;
      const v = await embedTexts(ort, session, tokenizer, [text]);
      return v.some((x) => x !== 0) ? v : null;
    };
  }
  return {
    info: loaded,
    core,
    encoder,
    meta: (k) => rec.meta(k),
    /** The transformer's vector of `text`; always null with the static encoder (the core embeds). */
    embed,
    /** The core's answer for `request` with a precomputed embedding (null: the core's own). */
    askEmbedded(request, embedding) {
      return JSON.parse(rec.ask(requestBody(request), embedding));
    },
    /**
     * request: RecommendRequest (object), sent as it is: a turn over the core's limits is its
     * error (the batch reports it), where the browser's worker cuts it (fitTurns). Returns
     * RecommendResponse or {error, code}.
     */
    async ask(request) {
      return this.askEmbedded(request, await this.embed(embeddingText(request)));
    },
  };
}
