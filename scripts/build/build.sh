#!/usr/bin/env bash
# Builds both targets and the web app: native release (tools, benchmarks), WebAssembly (the core
# module), then the Vite app into dist/. `scripts/build/build.sh native|wasm|web` builds only that
# one (web includes the WASM module, the models and the demo catalogue).
set -euo pipefail
cd "$(dirname "$0")/../.."
export NODE_PATH=/usr/share/nodejs  # Debian's emscripten finds its node modules there
jobs=$(nproc)

bash scripts/setup.sh
what="${1:-all}"
if [ "$what" = all ] || [ "$what" = native ]; then
  cmake --preset native >/dev/null
  cmake --build --preset native -j"$jobs"
fi
if [ "$what" = all ] || [ "$what" = wasm ] || [ "$what" = web ]; then
  cmake --preset wasm >/dev/null
  cmake --build --preset wasm -j"$jobs" --target cinerag_core_js
fi
if [ "$what" = all ] || [ "$what" = web ]; then
  bash scripts/build/models.sh  # the page loads the encoder; quick when the models are up to date
  if [ ! -f catalogue/demo.db ]; then  # the app's default catalogue (about a minute)
    cmake --preset native >/dev/null
    cmake --build --preset native -j"$jobs" --target catalogue_build
    node scripts/build/build_db.mjs --preset demo
  fi
  node scripts/build/stage_web_assets.mjs
  node scripts/build/make_icons.mjs web/public
  npx tsc -p web/tsconfig.json --noEmit
  npx vite build --config web/vite.config.ts --logLevel warn
  npx vite build --config web/vite.widget.config.ts --logLevel warn  # the widget, beside it
  node scripts/build/write_precache.mjs  # what the service worker caches, with hashes
  node scripts/build/precompress.mjs  # .br/.gz beside each file for scripts/lib/serve.mjs
fi
