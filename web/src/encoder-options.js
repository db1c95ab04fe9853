// @ts-check
// The sentence encoder's ONNX Runtime session options, the one copy read by the browser
// (encoder.ts), Node (scripts/lib/encoder-node.mjs: the catalogue build, the CLI, the checks) and
// the model manifest. 'basic': at the default level onnxruntime-node and onnxruntime-web fuse the
// int8 dequantisation differently and differ by ~3e-3; at 'basic' they agree to 5e-7, so the
// catalogue's vectors and the browser's queries come from the same function.

/** @type {import('onnxruntime-web').InferenceSession.SessionOptions} */
export const encoderSessionOptions = {
  graphOptimizationLevel: 'basic',
  logSeverityLevel: 3, // errors only
};
