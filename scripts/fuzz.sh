#!/usr/bin/env bash
# Runs the libFuzzer targets: every reader of outside input. `npm run fuzz -- 600` fuzzes each
# target for 600 s (default 60); `npm test` runs them briefly. Seeds: real inputs (SST-2 and IMDb
# sentences, golden-table edge cases, the quality suite's messages and requests, fixture
# catalogues, heads of the MovieLens/TMDB CSVs); every file in tests/fuzz/regressions/<target>/ is
# replayed first. A crash, or an input that takes over 30 s (a hang), leaves its input in
# build/fuzz/artifacts/: copy it into the regressions folder. Prints one line of figures per target (execs, coverage, crashes) and ends with
# "fuzz: N targets, no crashes" (scripts/test.sh counts N).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
shared="${CINERAG_SHARED:-$(pwd)/../shared}"
targets=(fuzz_tokenizer fuzz_catalogue fuzz_csv fuzz_ask fuzz_message fuzz_catalogue_tables)

cmake --preset fuzz >/dev/null
cmake --build build/fuzz -j"$(nproc)" --target "${targets[@]}" make_fixture_db >/dev/null
[ -f models/sentiment-en.bin ] && [ -f models/sentiment-ko.bin ] || bash scripts/build/models.sh

# Catalogues the targets run against (CINERAG_FUZZ_CATALOGUE): small fixtures keep a request
# fast; the message target reads titles and people of the demo catalogue when it is built.
fixtures=build/fuzz/fixtures
mkdir -p "$fixtures"
[ -f "$fixtures/ask.db" ] || build/fuzz/make_fixture_db "$fixtures/ask.db" --movies 300 --dims 32 >/dev/null
[ -f "$fixtures/tables.db" ] ||
  build/fuzz/make_fixture_db "$fixtures/tables.db" --movies 40 --dims 16 >/dev/null
message_catalogue=catalogue/demo.db
if [ ! -f "$message_catalogue" ]; then
  echo "fuzz: $message_catalogue is missing (npm run build-db): fuzz_message reads the fixture's titles"
  message_catalogue=$fixtures/ask.db
fi
catalogue_for() {
  case $1 in
    fuzz_ask) echo "$fixtures/ask.db" ;;
    fuzz_message) echo "$message_catalogue" ;;
    fuzz_catalogue_tables) echo "$fixtures/tables.db" ;;
  esac
}
# The tables target's input is cut into rows (FuzzedDataProvider): it needs long inputs at once.
extra_flags() { [ "$1" = fuzz_catalogue_tables ] && echo "-len_control=0 -max_len=4096" || echo "-max_len=65536"; }

corpus=build/fuzz/corpus
for target in "${targets[@]}"; do mkdir -p "$corpus/$target"; done
mkdir -p build/fuzz/artifacts
if [ -z "$(ls -A "$corpus/fuzz_tokenizer")" ]; then
  node scripts/gen/golden_tokens.mjs build/fuzz/golden.jsonl >/dev/null
  node -e '
    const fs = require("fs");
    const rows = fs.readFileSync("build/fuzz/golden.jsonl", "utf8").trim().split("\n").map(JSON.parse);
    rows.filter((r, i) => r.text !== undefined && r.text.length < 4000 && i % 2 === 0)
      .forEach((r, i) => fs.writeFileSync(`'"$corpus"'/fuzz_tokenizer/seed${i}`, r.text));
    rows.filter((r) => r.hex).forEach((r, i) =>
      fs.writeFileSync(`'"$corpus"'/fuzz_tokenizer/invalid${i}`, Buffer.from(r.hex, "hex")));'
fi
if [ -z "$(ls -A "$corpus/fuzz_catalogue")" ]; then
  build/fuzz/make_fixture_db "$corpus/fuzz_catalogue/small.db" --movies 12 --dims 16 >/dev/null
  build/fuzz/make_fixture_db "$corpus/fuzz_catalogue/other.db" --kind other-schema >/dev/null
  build/fuzz/make_fixture_db "$corpus/fuzz_catalogue/newer.db" --kind newer-version --movies 3 --dims 8 >/dev/null
fi

if [ -z "$(ls -A "$corpus/fuzz_csv")" ]; then
  head -c 4000 "$shared/data/movielens/ml-32m/movies.csv" >"$corpus/fuzz_csv/movies.csv"
  head -c 8000 "$shared/data/tmdb/tmdb_movies.csv" >"$corpus/fuzz_csv/tmdb.csv"
  head -c 2000 "$shared/data/movielens/ml-latest-small/ratings.csv" >"$corpus/fuzz_csv/ratings.csv"
  printf '\xef\xbb\xbfid,"a ""b"" c",d\r\n1,"x\ny",z\n' >"$corpus/fuzz_csv/quotes.csv"
fi
[ -e "$corpus/fuzz_csv/tags.csv" ] ||
  head -c 2000 "$shared/data/movielens/ml-latest-small/tags.csv" >"$corpus/fuzz_csv/tags.csv"
[ -e "$corpus/fuzz_csv/wikipedia.json" ] ||
  printf '[{"title":"Titanic","year":1997,"extract":"An epic \\u00e9 romance."},{"title":1}]' \
    >"$corpus/fuzz_csv/wikipedia.json"
node tests/fuzz/seeds.mjs "$corpus"

summary=()
for target in "${targets[@]}"; do
  export CINERAG_FUZZ_CATALOGUE
  CINERAG_FUZZ_CATALOGUE=$(catalogue_for "$target")
  regressions=(tests/fuzz/regressions/$target/*)
  if [ -e "${regressions[0]}" ]; then
    echo "== $target: replaying ${#regressions[@]} regression inputs"
    if ! build/fuzz/$target "${regressions[@]}" >build/fuzz/replay.log 2>&1; then
      tail -n 30 build/fuzz/replay.log
      echo "FAIL: $target crashes on a regression input again" >&2
      exit 1
    fi
  fi
  echo "== $target: fuzzing for ${seconds}s"
  log=build/fuzz/$target.log
  # shellcheck disable=SC2046
  ASAN_OPTIONS=detect_leaks=1 build/fuzz/$target -max_total_time="$seconds" -timeout=30 \
    $(extra_flags "$target") -rss_limit_mb=2048 -artifact_prefix=build/fuzz/artifacts/$target- \
    -print_final_stats=1 "$corpus/$target" >"$log" 2>&1 || true
  grep -aE "ERROR|SUMMARY|fuzz property failed" "$log" || true  # -a: logs quote raw inputs
  # "#N<tab>DONE cov: C ft: F corp: ..." and "stat::peak_rss_mb: R"
  done_line=$(grep -aE "^#[0-9]+[[:space:]]+DONE" "$log" | tail -n 1 || true)
  crashes=$(find build/fuzz/artifacts -name "$target-*" | wc -l)
  summary+=("$(printf '%-22s %10s execs  cov %6s  ft %7s  peak RSS %5s MB  %s crashes' "$target" \
    "$(sed -E 's/^#([0-9]+).*/\1/' <<<"$done_line")" "$(sed -E 's/.*cov: ([0-9]+).*/\1/' <<<"$done_line")" \
    "$(sed -E 's/.*ft: ([0-9]+).*/\1/' <<<"$done_line")" \
    "$(grep -aE "^stat::peak_rss_mb" "$log" | awk '{print $2}' || true)" "$crashes")")
  echo "   ${summary[-1]}"
  if [ "$crashes" -gt 0 ] || [ -z "$done_line" ]; then
    tail -n 40 "$log"
    echo "FAIL: $target found a crash (build/fuzz/artifacts/$target-*; log $log)" >&2
    exit 1
  fi
done
echo
echo "fuzz: ${seconds}s per target"
printf '  %s\n' "${summary[@]}"
echo "fuzz: ${#targets[@]} targets, no crashes"
