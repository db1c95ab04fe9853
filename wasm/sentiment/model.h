// Sentiment: a linear model over hashed n-grams per language, loaded from a compact binary file.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "sentiment/features.h"

namespace cinerag {

enum class SentimentLabel : uint8_t { kNegative = 0, kNeutral = 1, kPositive = 2 };
const char* sentiment_label_name(SentimentLabel label);  // "negative" | "neutral" | "positive"

struct SentimentResult {
  SentimentLabel label = SentimentLabel::kNeutral;
  float score = 0;          // confidence in `label`, 0..1
  float p_positive = 0.5f;  // the model's probability that the text is positive
  SentimentLang lang = SentimentLang::kEnglish;
};

// The file (little-endian):
//   "CRSM" | u32 version (1) | u8 lang | u8 bits | u16 0 | f32 bias | f32 scale |
//   f32 neutral_low | f32 neutral_high | u32 0 | int8 weights[2^bits]   (32-byte header)
// logit = bias + scale * sum of weights[h] over the text's feature hashes h; p = sigmoid(logit);
// p in [neutral_low, neutral_high] reads as neutral.
class SentimentModel {
 public:
  static constexpr uint32_t kVersion = 1;

  // Returns nullptr and sets *error for a short, truncated, foreign or inconsistent file.
  static std::unique_ptr<SentimentModel> from_bytes(const uint8_t* data, size_t size, Error* error);
  // The bytes from_bytes() reads: for the trainer. weights.size() must be 2^bits.
  static std::vector<uint8_t> to_bytes(SentimentLang lang, int bits, float bias, float scale,
                                       float neutral_low, float neutral_high,
                                       const std::vector<int8_t>& weights);

  SentimentLang lang() const { return lang_; }
  int bits() const { return bits_; }
  float p_positive(std::string_view text) const;
  // Text with no words (empty, blank) answers neutral with score 1. Text past 64 KB is scored on
  // its first 64 KB.
  SentimentResult classify(std::string_view text) const;

 private:
  float p_positive(const std::vector<uint32_t>& features) const;
  SentimentLang lang_ = SentimentLang::kEnglish;
  int bits_ = 0;
  float bias_ = 0, scale_ = 0, neutral_low_ = 0.5f, neutral_high_ = 0.5f;
  std::vector<int8_t> weights_;
};

// English and Korean models together, routed by script (Hangul -> Korean); each answers as
// SentimentModel::classify does.
class Sentiment {
 public:
  static std::unique_ptr<Sentiment> from_bytes(const uint8_t* en, size_t en_size, const uint8_t* ko,
                                               size_t ko_size, Error* error);
  SentimentResult classify(std::string_view text) const;

 private:
  std::unique_ptr<SentimentModel> en_, ko_;
};

}  // namespace cinerag
