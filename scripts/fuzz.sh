#!/usr/bin/env bash
# Runs the libFuzzer targets. `npm run fuzz -- 600` fuzzes each target for 600 s (default 60);
# `npm test` runs them for 30 s each. Seeds: real inputs (SST-2 and IMDb sentences, golden-table
# edge cases, fixture catalogues, heads of the MovieLens/TMDB CSVs); every file in tests/fuzz/regressions/<target>/ is replayed first.
# A crash leaves its input in build/fuzz/artifacts/: copy it into the regressions folder.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
shared="${CINERAG_SHARED:-$(pwd)/../shared}"

cmake --preset fuzz >/dev/null
cmake --build build/fuzz -j"$(nproc)" --target fuzz_tokenizer fuzz_catalogue fuzz_csv make_fixture_db >/dev/null

corpus=build/fuzz/corpus
mkdir -p "$corpus/fuzz_tokenizer" "$corpus/fuzz_catalogue" "$corpus/fuzz_csv" build/fuzz/artifacts
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

for target in fuzz_tokenizer fuzz_catalogue fuzz_csv; do
  regressions=(tests/fuzz/regressions/$target/*)
  if [ -e "${regressions[0]}" ]; then
    echo "== $target: replaying ${#regressions[@]} regression inputs"
    build/fuzz/$target "${regressions[@]}" 2>&1 | tail -n 2
  fi
  echo "== $target: fuzzing for ${seconds}s"
  ASAN_OPTIONS=detect_leaks=1 build/fuzz/$target -max_total_time="$seconds" -max_len=65536 \
    -rss_limit_mb=2048 -artifact_prefix=build/fuzz/artifacts/$target- -print_final_stats=1 \
    "$corpus/$target" 2>&1 | grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ *DONE)|ERROR|SUMMARY" || true
  if ls build/fuzz/artifacts/$target-* >/dev/null 2>&1; then
    echo "FAIL: $target found a crash: $(ls build/fuzz/artifacts/$target-*)" >&2
    exit 1
  fi
done
echo "fuzz: no crashes"
