// The recommender under Node, as the browser's worker runs it: the WASM core (tokenizer,
// sentiment, catalogue, recommender) and the ONNX encoder (onnxruntime-node at 'basic', which
// gives the browser's vectors). Used by `cinerag ask|batch`, the evaluation and the tests.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { loadCore, root, vocabPath } from './core-node.mjs';
import { embedTexts, sessionOptions } from './encoder-node.mjs';

const require = createRequire(import.meta.url);
export const defaultDb = path.join(root, 'catalogue/demo.db');

/** The user's recent text, which the encoder embeds: the last three user turns. */
export function userText(request) {
  const turns = request.turns ?? [{ role: 'user', text: request.text ?? '' }];
  return turns
    .filter((t) => (t.role ?? 'user') === 'user' && typeof t.text === 'string')
    .slice(-3)
    .map((t) => t.text)
    .join(' ')
    .slice(0, 4000);
}

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
      return JSON.parse(rec.ask(JSON.stringify(request), embedding));
    },
    /** request: RecommendRequest (object). Returns RecommendResponse or {error, code}. */
    async ask(request) {
      return this.askEmbedded(request, await this.embed(userText(request)));
    },
  };
}
