// One embedding worker of the catalogue build: its own tokenizer (the WASM core) and a
// single-threaded onnxruntime-node session, so N workers use N cores without oversubscription.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import { loadCore, vocabPath } from '../lib/core-node.mjs';
import { embedTexts, sessionOptions } from '../lib/encoder-node.mjs';

const require = createRequire(import.meta.url);
const ort = require('onnxruntime-node');
const core = await loadCore();
const tokenizer = new core.Tokenizer();
tokenizer.load(new Uint8Array(fs.readFileSync(vocabPath)));
const session = await ort.InferenceSession.create(workerData.modelPath, {
  ...sessionOptions,
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
});

parentPort.on('message', async ({ start, texts }) => {
  try {
    const vectors = await embedTexts(ort, session, tokenizer, texts);
    parentPort.postMessage({ start, count: texts.length, vectors }, [vectors.buffer]);
  } catch (e) {
    parentPort.postMessage({ start, error: String(e && e.stack ? e.stack : e) });
  }
});
parentPort.postMessage({ ready: true });
