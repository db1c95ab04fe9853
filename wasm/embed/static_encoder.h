// The static sentence encoder: one int8 vector per vocabulary piece in a reduced basis, pooled by
// mean and mapped into the transformer's 512-d space (trained by wasm/tools/encoder_fit.cpp to
// reproduce use-lite-int8).
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "text/sentencepiece.h"

namespace cinerag {

// The file (little-endian):
//   "CRSE" | u32 version (2) | u32 vocab | u32 dims | u32 rank | f32 bias[dims] |
//   f32 basis[rank][dims] | f32 scale[vocab] | int8 rows[vocab][rank]
// A text's vector: bias + basis^T * ((1/n) * sum over its n piece ids of scale[id] * rows[id]),
// then L2-normalised. Piece 0 (unknown characters) takes part like any other piece. The basis is
// the fitted outputs' principal directions: rank 128 keeps what matters of 512 dims at a quarter
// of the bytes (the catalogue's own projection keeps 128 too).
class StaticEncoder {
 public:
  static constexpr uint32_t kVersion = 2;

  // Returns nullptr and sets *error for a short, truncated, foreign or inconsistent file.
  static std::unique_ptr<StaticEncoder> from_bytes(const uint8_t* data, size_t size, Error* error);
  // The bytes from_bytes() reads: for the trainer. basis.size() == rank * bias.size(),
  // rows.size() == scale.size() * rank.
  static std::vector<uint8_t> to_bytes(const std::vector<float>& bias,
                                       const std::vector<float>& basis,
                                       const std::vector<float>& scale,
                                       const std::vector<int8_t>& rows);

  size_t dims() const { return bias_.size(); }
  size_t rank() const { return dims() ? basis_.size() / dims() : 0; }
  size_t vocab_size() const { return scale_.size(); }

  // Writes dims() floats of the unit vector of `ids` into out (caller-owned). False, and out
  // untouched, when there are no ids or one is outside the vocabulary.
  bool embed(const int32_t* ids, size_t n, float* out) const;

 private:
  std::vector<float> bias_;   // [dims]
  std::vector<float> basis_;  // [rank][dims]
  std::vector<float> scale_;  // [vocab]
  std::vector<int8_t> rows_;  // [vocab][rank]
};

// The tokenizer and the static encoder together: text in, unit vector out.
class TextEncoder {
 public:
  TextEncoder(std::unique_ptr<SentencePieceTokenizer> tokenizer,
              std::unique_ptr<StaticEncoder> encoder)
      : tokenizer_(std::move(tokenizer)), encoder_(std::move(encoder)) {}

  size_t dims() const { return encoder_->dims(); }
  // The unit vector of `text` into `out` (dims() floats); false when the text has no pieces.
  bool embed(std::string_view text, float* out) const;

 private:
  std::unique_ptr<SentencePieceTokenizer> tokenizer_;
  std::unique_ptr<StaticEncoder> encoder_;
};

}  // namespace cinerag
