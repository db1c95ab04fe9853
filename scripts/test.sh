#!/usr/bin/env bash
# `npm test`: sets up, builds both targets and the web app, and runs every test:
#   1. native unit tests (GoogleTest, Debug + ASan/UBSan)        ctest --preset native-debug
#   2. the same unit tests compiled to WASM, run under Node      ctest --preset wasm
#   3. the WASM module and the catalogue build from JS (node:test), the ONNX encoder check  tests/wasm
#   4. the gpt-4o proxy against a scripted local upstream        tests/proxy
#   5. the page in Debian's Chromium (playwright-core)           tests/e2e
#   6. the fuzz targets, ${CINERAG_FUZZ_SECONDS:-20} s each (0 skips)   scripts/fuzz.sh
# Exits non-zero on any failure and ends with a "N passed, M failed" line over all tests.
set -uo pipefail
cd "$(dirname "$0")/.."
export NODE_PATH=/usr/share/nodejs
jobs=$(nproc)
log=build/test-logs
passed=0
failed=0
failures=()
reasons=() # a few lines on why each failing suite failed, printed last so that a log's tail has them

bash scripts/setup.sh || exit 1
mkdir -p "$log"

step() { echo; echo "=== $*"; }
die() { echo "test: $*" >&2; exit 1; }

step "build: native Debug + ASan/UBSan"
cmake --preset native-debug >/dev/null || die "configure native-debug failed"
cmake --build --preset native-debug -j"$jobs" >"$log/build-native.log" 2>&1 \
  || { tail -n 40 "$log/build-native.log"; die "native build failed"; }
step "build: WebAssembly"
cmake --preset wasm >/dev/null || die "configure wasm failed"
cmake --build --preset wasm -j"$jobs" >"$log/build-wasm.log" 2>&1 \
  || { tail -n 40 "$log/build-wasm.log"; die "wasm build failed"; }
step "models: npm run models (sentiment, sentence encoder; deterministic)"
bash scripts/build/models.sh || die "models failed"

step "catalogue: npm run build-db -- --preset demo (the embedding is cached between runs)"
{ cmake --preset native >/dev/null && cmake --build --preset native -j"$jobs" --target catalogue_build \
  >"$log/build-catalogue-tool.log" 2>&1; } || { tail -n 40 "$log/build-catalogue-tool.log"; die "catalogue tool build failed"; }
if node scripts/build/build_db.mjs --preset demo >"$log/build-db.log" 2>&1; then
  grep -E "Coverage|TMDB record|overview|ratings reached|content vectors|Done" "$log/build-db.log"
else
  tail -n 30 "$log/build-db.log"
  die "the demo catalogue build failed"
fi

step "build: web app"
bash scripts/build/build.sh web >"$log/build-web.log" 2>&1 \
  || { tail -n 40 "$log/build-web.log"; die "web build failed"; }

step "fixtures: golden tokens from the reference tokenizer, catalogue files"
node scripts/gen/golden_tokens.mjs || die "golden table failed"
mkdir -p build/fixtures
fixture=build/native-debug/make_fixture_db
$fixture build/fixtures/small.db --movies 300 --vectors-out build/fixtures/small.f32 >/dev/null &&
  $fixture build/fixtures/other.db --kind other-schema >/dev/null &&
  $fixture build/fixtures/newer.db --kind newer-version --movies 5 >/dev/null || die "fixtures failed"

# ctest: "N% tests passed, F tests failed out of T"
run_ctest() {
  local name=$1 preset=$2
  step "$name"
  ctest --preset "$preset" -j"$jobs" 2>&1 | tee "$log/$preset.log" | tail -n 15
  local line total bad
  line=$(grep -E "tests passed, [0-9]+ tests? failed out of [0-9]+" "$log/$preset.log" | tail -n 1)
  [ -n "$line" ] || { failed=$((failed + 1)); failures+=("$name (no result)"); return; }
  total=$(sed -E 's/.*out of ([0-9]+).*/\1/' <<<"$line")
  bad=$(sed -E 's/.*, ([0-9]+) tests? failed.*/\1/' <<<"$line")
  passed=$((passed + total - bad))
  failed=$((failed + bad))
  [ "$bad" -eq 0 ] || {
    failures+=("$name")
    reasons+=("$name: $(sed -n '/The following tests FAILED/,$p' "$log/$preset.log" | head -n 12)")
  }
}

# node:test: "# pass N" / "# fail N"
run_node() {
  local name=$1 dir=$2
  step "$name"
  node --test --test-reporter=spec "$dir"/*.test.mjs 2>&1 | tee "$log/$(basename "$dir").log" | tail -n 30
  local p f
  p=$(grep -E "^ℹ pass [0-9]+" "$log/$(basename "$dir").log" | awk '{print $3}')
  f=$(grep -E "^ℹ fail [0-9]+" "$log/$(basename "$dir").log" | awk '{print $3}')
  [ -n "$p" ] || { failed=$((failed + 1)); failures+=("$name (no result)"); return; }
  passed=$((passed + p))
  failed=$((failed + f))
  [ "$f" -eq 0 ] || {
    failures+=("$name")
    # The spec reporter's summary: each failing test's name and the first lines of its error.
    reasons+=("$name: $(sed -n '/failing tests:/,$p' "$log/$(basename "$dir").log" |
      grep -E -A3 '^✖ ' | grep -v -E '^\s+at ' | head -n 24)")
  }
}

run_ctest "unit tests, native (ASan + UBSan)" native-debug
run_ctest "unit tests, WebAssembly under Node" wasm
run_node "WASM module from JS" tests/wasm

step "sentence encoder: ONNX vs the TF.js reference, int8 vs fp32, web vs node (quick)"
if node scripts/eval/check_encoder.mjs --quick 2>&1 | tee "$log/encoder.log" | tail -n 12; then
  passed=$((passed + 1))
else
  failed=$((failed + 1))
  failures+=("sentence encoder check")
fi
run_node "gpt-4o proxy (scripted upstream)" tests/proxy
run_node "page in Chromium" tests/e2e

fuzz_seconds=${CINERAG_FUZZ_SECONDS:-20}  # six targets: about two minutes in all
if [ "$fuzz_seconds" -gt 0 ]; then
  step "fuzzing, ${fuzz_seconds}s per target"
  if bash scripts/fuzz.sh "$fuzz_seconds" 2>&1 | tee "$log/fuzz.log"; then
    passed=$((passed + $(sed -nE 's/^fuzz: ([0-9]+) targets, no crashes$/\1/p' "$log/fuzz.log")))
  else
    failed=$((failed + 1))
    failures+=("fuzzing")
  fi
fi

echo
[ ${#reasons[@]} -eq 0 ] || printf '%s\n\n' "${reasons[@]}"
[ ${#failures[@]} -eq 0 ] || printf 'FAILED: %s\n' "${failures[@]}"
echo "test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
