// What the libFuzzer targets share: reading the files they start from (the sentiment models, a
// catalogue), loading a recommender once, and failing loudly when the harness itself is broken.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "recommend/recommender.h"
#include "recommend/wire.h"

namespace cinerag::fuzz {

// The harness cannot run: a missing file is not a finding, so say what is missing and stop.
[[noreturn]] inline void broken(const std::string& what) {
  std::fprintf(stderr, "fuzz harness: %s\n", what.c_str());
  std::abort();
}

inline std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

inline std::vector<uint8_t> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) broken("cannot read " + path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The shipped sentiment models (`npm run models`); $CINERAG_MODELS moves the folder.
struct ModelBytes {
  std::vector<uint8_t> en, ko;
};
inline const ModelBytes& model_bytes() {
  static const ModelBytes bytes = [] {
    const std::string dir = env_or("CINERAG_MODELS", CINERAG_SOURCE_DIR "/models");
    return ModelBytes{read_file(dir + "/sentiment-en.bin"), read_file(dir + "/sentiment-ko.bin")};
  }();
  return bytes;
}

inline std::unique_ptr<Sentiment> load_sentiment() {
  const ModelBytes& m = model_bytes();
  Error e;
  auto s = Sentiment::from_bytes(m.en.data(), m.en.size(), m.ko.data(), m.ko.size(), &e);
  if (!s) broken("sentiment models: " + e.message);
  return s;
}

// A recommender over catalogue bytes; nullptr and *error when the catalogue does not load.
inline std::unique_ptr<Recommender> recommender_from(const std::vector<uint8_t>& catalogue,
                                                     std::unique_ptr<Sentiment> sentiment,
                                                     Error* error) {
  auto index =
      CatalogueIndex::build(Catalogue::open(catalogue.data(), catalogue.size(), error), error);
  if (!index) return nullptr;
  return Recommender::create(std::move(index), std::move(sentiment), error);
}

// The catalogue a target runs against: $CINERAG_FUZZ_CATALOGUE (scripts/fuzz.sh makes it).
inline std::unique_ptr<Recommender> load_recommender() {
  const std::string path = env_or("CINERAG_FUZZ_CATALOGUE", "");
  if (path.empty()) broken("set CINERAG_FUZZ_CATALOGUE to a catalogue file (scripts/fuzz.sh does)");
  Error e;
  auto rec = recommender_from(read_file(path), load_sentiment(), &e);
  if (!rec) broken(path + ": " + e.message);
  return rec;
}

// A property of the code under test does not hold: say which, then crash for libFuzzer.
inline void require(bool ok, const char* property) {
  if (ok) return;
  std::fprintf(stderr, "fuzz property failed: %s\n", property);
  std::abort();
}

// A failure must say why: an error value without a code or a message is a bug.
inline void require_reason(const Error& e) {
  require(!e.ok() && !e.message.empty(), "a failure has an error code and a message");
}

// One message through the recommender; its answer must be JSON and must keep the response's
// promises (at most k results, none twice, each a catalogue movie).
inline void check_answer(const Recommender& rec, const RecommendRequest& req) {
  RecommendResponse r;
  Error e;
  if (!rec.recommend(req, &r, &e)) return require_reason(e);
  const std::string out = response_json(rec, r);
  require(!nlohmann::json::parse(out, nullptr, false).is_discarded(), "the answer is JSON");
  require(r.results.size() <= req.k, "at most k results");
  for (size_t i = 0; i < r.results.size(); ++i) {
    require(rec.table().row_of(r.results[i].movie_id) != kNoRow, "results are catalogue movies");
    for (size_t j = 0; j < i; ++j)
      require(r.results[j].movie_id != r.results[i].movie_id, "no result twice");
  }
}

}  // namespace cinerag::fuzz
