// The sentence encoder in the browser: the only module that imports onnxruntime-web. It runs the
// int8 ONNX model on token ids from the core's tokenizer and returns one 512-d unit vector.
import type * as Ort from 'onnxruntime-web';
import { encoderSessionOptions } from './encoder-options';

export interface Encoder {
  /** The threads ONNX Runtime uses (more than one only when cross-origin isolated). */
  threads: number;
  /** ids: the tokenizer's ids for one text. An empty list has no embedding (null). */
  embed(ids: Int32Array): Promise<Float32Array | null>;
}

/**
 * model: the ONNX bytes; ortWasm: onnxruntime-web's .wasm bytes (both already checked against
 * assets.json, so ORT is handed verified bytes through a blob URL rather than fetching its own).
 * One thread unless the page is cross-origin isolated.
 */
export async function createEncoder(model: Uint8Array, ortWasm: ArrayBuffer): Promise<Encoder> {
  const ort: typeof Ort = await import('onnxruntime-web/wasm');
  const wasmUrl = URL.createObjectURL(new Blob([ortWasm], { type: 'application/wasm' }));
  ort.env.wasm.wasmPaths = { wasm: wasmUrl };
  ort.env.wasm.numThreads = self.crossOriginIsolated
    ? Math.min(4, navigator.hardwareConcurrency || 1)
    : 1;
  // The catalogue build's options: the browser computes the catalogue's vectors.
  const session = await ort.InferenceSession.create(model, { ...encoderSessionOptions });
  return {
    threads: ort.env.wasm.numThreads ?? 1,
    async embed(ids) {
      if (ids.length === 0) return null;
      const indices = new Int32Array(ids.length * 2);
      for (let j = 0; j < ids.length; j++) indices[2 * j + 1] = j; // sentence 0, position j
      const out = await session.run({
        indices: new ort.Tensor('int32', indices, [ids.length, 2]),
        values: new ort.Tensor('int32', ids, [ids.length]),
      });
      return new Float32Array(out.embeddings.data as Float32Array);
    },
  };
}
