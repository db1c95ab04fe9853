// Runs the sentence encoder under Node as the browser does: ids from the core's tokenizer (WASM),
// the ONNX model with the browser's session options (web/src/encoder-options.js: 'basic', the
// level at which onnxruntime-node and onnxruntime-web give the same vectors). Shared by the
// checks, the tests and the catalogue build.
import { encoderSessionOptions } from '../../web/src/encoder-options.js';

export const DIMS = 512;
/** The encoder's session options (one copy, shared with the browser). */
export const sessionOptions = encoderSessionOptions;

/**
 * Embeds `texts` in batches with `session` (an InferenceSession of either runtime, `ort` its
 * module) and `tokenizer` (the core's Tokenizer). Returns (texts.length, 512) f32, row-major; a
 * text without tokens has no embedding and keeps a row of zeros.
 */
export async function embedTexts(ort, session, tokenizer, texts, batch = 32) {
  const out = new Float32Array(texts.length * DIMS);
  for (let start = 0; start < texts.length; start += batch) {
    const rows = []; // positions in `out` of the texts that have tokens
    const indices = [];
    const values = [];
    for (let i = start; i < Math.min(texts.length, start + batch); i++) {
      const ids = tokenizer.encode(texts[i]);
      if (!ids || ids.length === 0) continue;
      ids.forEach((id, j) => (indices.push(rows.length, j), values.push(id)));
      rows.push(i);
    }
    if (rows.length === 0) continue;
    const result = await session.run({
      indices: new ort.Tensor('int32', Int32Array.from(indices), [values.length, 2]),
      values: new ort.Tensor('int32', Int32Array.from(values), [values.length]),
    });
    const data = result.embeddings.data;
    rows.forEach((row, k) => out.set(data.subarray(k * DIMS, (k + 1) * DIMS), row * DIMS));
  }
  return out;
}
