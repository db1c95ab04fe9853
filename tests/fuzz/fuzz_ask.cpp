// libFuzzer target: any bytes as the recommender's JSON request (`Recommender.ask`, what the
// worker and `cinerag batch` send) on a small fixture catalogue. A request either fails with an
// error that says why, or gets an answer that is JSON and keeps the response's promises.
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "fuzz_support.h"

namespace {

std::unique_ptr<cinerag::Recommender> g_rec;

// The embedding the caller passes beside the JSON: JS may hand any Float32Array of the right
// length, so some inputs get none, a unit vector, one far from unit length, or one with NaN and
// infinities. Chosen from the input's bytes, so a crash input replays the same way.
std::vector<float> embedding_for(const uint8_t* data, size_t size, size_t dims) {
  uint32_t h = 2166136261u;  // FNV-1a
  for (size_t i = 0; i < size; ++i) h = (h ^ data[i]) * 16777619u;
  std::vector<float> v;
  switch (h % 4) {
    case 0: return v;
    case 1: v.assign(dims, 1.0f / std::sqrt(static_cast<float>(dims))); break;
    case 2:
      v.assign(dims, 0.0f);
      for (size_t i = 0; i < dims; ++i) v[i] = (h >> (i % 24)) & 1 ? 1e30f : -3.5f;
      break;
    default:
      v.assign(dims, 0.5f);
      v[h % dims] = std::numeric_limits<float>::quiet_NaN();
      v[(h / 7) % dims] = std::numeric_limits<float>::infinity();
  }
  return v;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  g_rec = cinerag::fuzz::load_recommender();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  cinerag::RecommendRequest req;
  cinerag::Error e;
  if (!cinerag::parse_request(std::string(reinterpret_cast<const char*>(data), size), &req, &e)) {
    cinerag::fuzz::require_reason(e);
    cinerag::error_json(e);
    return 0;
  }
  req.embedding = embedding_for(data, size, g_rec->index().dims());
  cinerag::fuzz::check_answer(*g_rec, req);
  return 0;
}
