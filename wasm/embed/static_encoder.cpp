// Reading, writing and evaluating the static sentence encoder's file (static_encoder.h).
#include "embed/static_encoder.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

namespace cinerag {
namespace {

constexpr char kMagic[4] = {'C', 'R', 'S', 'E'};
constexpr size_t kHeaderBytes = 20;
// Limits that keep a damaged header from asking for gigabytes.
constexpr uint32_t kMaxVocab = 1u << 20;
constexpr uint32_t kMaxDims = 4096;

uint32_t read_u32(const uint8_t* p) {
  return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}

void append_u32(std::vector<uint8_t>* out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<uint8_t>(v >> (8 * i)));
}

void append_floats(std::vector<uint8_t>* out, const std::vector<float>& v) {
  const size_t at = out->size();
  out->resize(at + v.size() * sizeof(float));
  std::memcpy(out->data() + at, v.data(), v.size() * sizeof(float));  // little-endian targets
}

// Copies n floats from p into *out; returns the byte after them.
const uint8_t* read_floats(const uint8_t* p, size_t n, std::vector<float>* out) {
  out->resize(n);
  std::memcpy(out->data(), p, n * sizeof(float));  // little-endian targets
  return p + n * sizeof(float);
}

bool all_finite(const std::vector<float>& v) {
  return std::all_of(v.begin(), v.end(), [](float x) { return std::isfinite(x); });
}

}  // namespace

std::unique_ptr<StaticEncoder> StaticEncoder::from_bytes(const uint8_t* data, size_t size,
                                                         Error* error) {
  if (!data || size < kHeaderBytes || std::memcmp(data, kMagic, 4) != 0) {
    fail(error, ErrorCode::kInvalidArgument, "not a static encoder file");
    return nullptr;
  }
  const uint32_t version = read_u32(data + 4), vocab = read_u32(data + 8),
                 dims = read_u32(data + 12), rank = read_u32(data + 16);
  if (version != kVersion) {
    fail(error, ErrorCode::kUnsupportedVersion,
         "static encoder version " + std::to_string(version) + " (this build reads " +
             std::to_string(kVersion) + ")");
    return nullptr;
  }
  if (vocab == 0 || dims == 0 || rank == 0 || vocab > kMaxVocab || dims > kMaxDims ||
      rank > dims) {
    fail(error, ErrorCode::kCorrupt, "static encoder header is inconsistent");
    return nullptr;
  }
  const size_t expected = kHeaderBytes +
                          (size_t(dims) + size_t(rank) * dims + vocab) * sizeof(float) +
                          size_t(vocab) * rank;
  if (size != expected) {
    fail(error, ErrorCode::kCorrupt,
         "static encoder file has " + std::to_string(size) + " bytes; its header says " +
             std::to_string(expected));
    return nullptr;
  }
  auto e = std::unique_ptr<StaticEncoder>(new StaticEncoder());
  const uint8_t* p = data + kHeaderBytes;
  p = read_floats(p, dims, &e->bias_);
  p = read_floats(p, size_t(rank) * dims, &e->basis_);
  p = read_floats(p, vocab, &e->scale_);
  e->rows_.assign(reinterpret_cast<const int8_t*>(p),
                  reinterpret_cast<const int8_t*>(p) + size_t(vocab) * rank);
  if (!all_finite(e->bias_) || !all_finite(e->basis_) || !all_finite(e->scale_)) {
    fail(error, ErrorCode::kCorrupt, "static encoder holds a value that is not finite");
    return nullptr;
  }
  return e;
}

std::vector<uint8_t> StaticEncoder::to_bytes(const std::vector<float>& bias,
                                             const std::vector<float>& basis,
                                             const std::vector<float>& scale,
                                             const std::vector<int8_t>& rows) {
  std::vector<uint8_t> out(kMagic, kMagic + 4);
  append_u32(&out, kVersion);
  append_u32(&out, static_cast<uint32_t>(scale.size()));
  append_u32(&out, static_cast<uint32_t>(bias.size()));
  append_u32(&out, static_cast<uint32_t>(bias.empty() ? 0 : basis.size() / bias.size()));
  append_floats(&out, bias);
  append_floats(&out, basis);
  append_floats(&out, scale);
  out.insert(out.end(), reinterpret_cast<const uint8_t*>(rows.data()),
             reinterpret_cast<const uint8_t*>(rows.data()) + rows.size());
  return out;
}

bool StaticEncoder::embed(const int32_t* ids, size_t n, float* out) const {
  if (n == 0) return false;
  const size_t d = dims(), r = rank();
  // Shape: ids [n] -> mean of scaled rows [r] -> bias + basis^T mean [d] -> unit [d].
  std::vector<float> mean(r, 0.0f);
  for (size_t i = 0; i < n; ++i) {
    if (ids[i] < 0 || static_cast<size_t>(ids[i]) >= vocab_size()) return false;
    const int8_t* row = rows_.data() + static_cast<size_t>(ids[i]) * r;
    const float s = scale_[static_cast<size_t>(ids[i])];
    for (size_t k = 0; k < r; ++k) mean[k] += s * row[k];
  }
  for (float& m : mean) m /= static_cast<float>(n);
  std::vector<float> v(bias_);
  for (size_t k = 0; k < r; ++k) {
    const float* direction = basis_.data() + k * d;
    for (size_t j = 0; j < d; ++j) v[j] += mean[k] * direction[j];
  }
  double norm = 0;
  for (float x : v) norm += double(x) * x;
  if (norm <= 0) return false;
  const float inv = static_cast<float>(1.0 / std::sqrt(norm));
  for (size_t j = 0; j < d; ++j) out[j] = v[j] * inv;
  return true;
}

bool TextEncoder::embed(std::string_view text, float* out) const {
  const std::vector<int32_t> ids = tokenizer_->encode(text);
  return encoder_->embed(ids.data(), ids.size(), out);
}

}  // namespace cinerag
