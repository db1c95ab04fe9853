#!/usr/bin/env bash
# `npm run bench`: builds the native release and WASM targets, runs the native Google Benchmark
# suite and the Node/WASM benchmarks side by side, then the proxy load test (wrk, loopback);
# prints tables and writes bench/results.json.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/build/build.sh native
bash scripts/build/build.sh wasm
mkdir -p build/bench
echo "bench: native (Google Benchmark)"
build/native/bench_native --benchmark_out=build/bench/native.json --benchmark_out_format=json \
  --benchmark_min_time=0.5
echo "bench: WebAssembly under Node"
node scripts/bench/core.mjs --native build/bench/native.json "$@"
echo "bench: the gpt-4o proxy under load (loopback, scripted upstream)"
node scripts/bench/proxy.mjs
echo "bench: the catalogue build (demo and full presets, cold; full streams 32M synthetic ratings)"
node scripts/bench/db.mjs
echo "bench: cinerag batch on 100,000 lines (peak RSS: streams in bounded memory)" && node scripts/bench/batch.mjs
echo "bench: the app in Chromium (answers, cold and offline start, bytes, memory)"
bash scripts/build/build.sh web
node scripts/bench/web.mjs
