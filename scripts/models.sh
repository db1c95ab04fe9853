#!/usr/bin/env bash
# `npm run models`: produces every model file into models/ and writes models/manifest.json.
# Deterministic: the same data and code give the same bytes. Skips work whose output is newer than
# its inputs (pass --force to retrain). Today: the sentiment models (English from IMDb train,
# Korean from NSMC train). The sentence encoder's ONNX conversion joins here (issue 3, part 1).
set -euo pipefail
cd "$(dirname "$0")/.."
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
node scripts/write_manifest.mjs
