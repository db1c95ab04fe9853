// The recommender under Node, as the browser's worker runs it: the WASM core (tokenizer,
// sentiment, catalogue, recommender), the ONNX encoder (onnxruntime-node with the browser's
// session options, which gives the browser's vectors) and the worker's request builder
// (web/src/request.js). Used by `cinerag ask|batch`, the evaluation and the tests.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { embeddingText, requestBody } from '../../web/src/request.js';
import { loadCore, root, vocabPath } from './core-node.mjs';
import { embedTexts, sessionOptions } from './encoder-node.mjs';

const require = createRequire(import.meta.url);
export const defaultDb = path.join(root, 'catalogue/demo.db');

export async function createEngine({ db = defaultDb, threads = 1 } = {}) {
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
  const tokenizer = new core.Tokenizer();
  tokenizer.load(new Uint8Array(fs.readFileSync(vocabPath)));
  const ort = require('onnxruntime-node');
  const session = await ort.InferenceSession.create(path.join(root, 'models/use-lite-int8.onnx'), {
    ...sessionOptions,
    intraOpNumThreads: threads,
  });
  return {
    info: loaded,
    core,
    meta: (k) => rec.meta(k),
    /** The encoder's vector of `text`, or null when it has no tokens. */
    async embed(text) {
      if (!text.trim()) return null;
      const v = await embedTexts(ort, session, tokenizer, [text]);
      return v.some((x) => x !== 0) ? v : null;
    },
    /** The core's answer for `request` with a precomputed embedding (or null). */
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
