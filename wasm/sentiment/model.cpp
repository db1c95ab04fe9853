// Loading and running the linear sentiment models.
#include "sentiment/model.h"

#include <cmath>
#include <cstring>

#include "text/utf8.h"

namespace cinerag {
namespace {

constexpr char kMagic[4] = {'C', 'R', 'S', 'M'};
constexpr size_t kHeader = 32;
constexpr size_t kMaxText = 64 * 1024;

uint32_t read_u32(const uint8_t* p) {
  return uint32_t{p[0]} | (uint32_t{p[1]} << 8) | (uint32_t{p[2]} << 16) | (uint32_t{p[3]} << 24);
}
float read_f32(const uint8_t* p) {
  const uint32_t u = read_u32(p);
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}
void put_u32(std::vector<uint8_t>& out, uint32_t v) {
  for (int k = 0; k < 4; ++k) out.push_back(static_cast<uint8_t>(v >> (8 * k)));
}
void put_f32(std::vector<uint8_t>& out, float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  put_u32(out, u);
}

// Cuts at a character boundary at or below `max` bytes.
std::string_view clip_utf8(std::string_view s, size_t max) {
  if (s.size() <= max) return s;
  size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return s.substr(0, end);
}

}  // namespace

const char* sentiment_label_name(SentimentLabel label) {
  switch (label) {
    case SentimentLabel::kNegative: return "negative";
    case SentimentLabel::kPositive: return "positive";
    default: return "neutral";
  }
}

std::unique_ptr<SentimentModel> SentimentModel::from_bytes(const uint8_t* data, size_t size,
                                                           Error* error) {
  if (!data || size < kHeader || std::memcmp(data, kMagic, 4) != 0) {
    fail(error, ErrorCode::kInvalidArgument, "not a cinerag sentiment model");
    return nullptr;
  }
  if (read_u32(data + 4) != kVersion) {
    fail(error, ErrorCode::kUnsupportedVersion,
         "sentiment model version " + std::to_string(read_u32(data + 4)) + " is not supported");
    return nullptr;
  }
  const int lang = data[8], bits = data[9];
  if (lang > 1 || bits < 8 || bits > 24) {
    fail(error, ErrorCode::kCorrupt, "sentiment model header is damaged");
    return nullptr;
  }
  const size_t expected = kHeader + (size_t{1} << bits);
  if (size != expected) {
    fail(error, ErrorCode::kCorrupt,
         "sentiment model is " + std::to_string(size) + " bytes, expected " +
             std::to_string(expected) + (size < expected ? " (truncated)" : ""));
    return nullptr;
  }
  std::unique_ptr<SentimentModel> m(new SentimentModel());
  m->lang_ = static_cast<SentimentLang>(lang);
  m->bits_ = bits;
  m->bias_ = read_f32(data + 12);
  m->scale_ = read_f32(data + 16);
  m->neutral_low_ = read_f32(data + 20);
  m->neutral_high_ = read_f32(data + 24);
  if (!std::isfinite(m->bias_) || !std::isfinite(m->scale_) ||
      !(m->neutral_low_ <= m->neutral_high_)) {
    fail(error, ErrorCode::kCorrupt, "sentiment model parameters are damaged");
    return nullptr;
  }
  const auto* w = reinterpret_cast<const int8_t*>(data + kHeader);
  m->weights_.assign(w, w + (size_t{1} << bits));
  return m;
}

std::vector<uint8_t> SentimentModel::to_bytes(SentimentLang lang, int bits, float bias, float scale,
                                              float neutral_low, float neutral_high,
                                              const std::vector<int8_t>& weights) {
  std::vector<uint8_t> out(kMagic, kMagic + 4);
  put_u32(out, kVersion);
  out.push_back(static_cast<uint8_t>(lang));
  out.push_back(static_cast<uint8_t>(bits));
  out.push_back(0);
  out.push_back(0);
  put_f32(out, bias);
  put_f32(out, scale);
  put_f32(out, neutral_low);
  put_f32(out, neutral_high);
  put_u32(out, 0);  // reserved
  out.insert(out.end(), reinterpret_cast<const uint8_t*>(weights.data()),
             reinterpret_cast<const uint8_t*>(weights.data()) + weights.size());
  return out;
}

float SentimentModel::p_positive(const std::vector<uint32_t>& features) const {
  int64_t sum = 0;
  for (uint32_t h : features) sum += weights_[h];
  const float logit = bias_ + scale_ * static_cast<float>(sum);
  return 1.0f / (1.0f + std::exp(-logit));
}

float SentimentModel::p_positive(std::string_view text) const {
  std::vector<uint32_t> features;
  sentiment_features(clip_utf8(text, kMaxText), lang_, bits_, &features);
  return p_positive(features);
}

SentimentResult SentimentModel::classify(std::string_view text) const {
  std::vector<uint32_t> features;
  sentiment_features(clip_utf8(text, kMaxText), lang_, bits_, &features);
  SentimentResult r;
  r.lang = lang_;
  if (features.size() <= 1) {  // no words (empty, blank): no opinion to read
    r.score = 1.0f;
    return r;
  }
  r.p_positive = p_positive(features);
  if (r.p_positive >= neutral_low_ && r.p_positive <= neutral_high_) {
    r.label = SentimentLabel::kNeutral;
    // How sure "neutral" is: 1 at the band's centre, falling to 0.5 at its edges.
    const float centre = (neutral_low_ + neutral_high_) / 2;
    const float half = std::max(1e-6f, (neutral_high_ - neutral_low_) / 2);
    r.score = 1.0f - 0.5f * std::fabs(r.p_positive - centre) / half;
  } else if (r.p_positive > neutral_high_) {
    r.label = SentimentLabel::kPositive;
    r.score = r.p_positive;
  } else {
    r.label = SentimentLabel::kNegative;
    r.score = 1.0f - r.p_positive;
  }
  return r;
}

std::unique_ptr<Sentiment> Sentiment::from_bytes(const uint8_t* en, size_t en_size,
                                                 const uint8_t* ko, size_t ko_size, Error* error) {
  std::unique_ptr<Sentiment> s(new Sentiment());
  s->en_ = SentimentModel::from_bytes(en, en_size, error);
  if (!s->en_) return nullptr;
  s->ko_ = SentimentModel::from_bytes(ko, ko_size, error);
  if (!s->ko_) return nullptr;
  if (s->en_->lang() != SentimentLang::kEnglish || s->ko_->lang() != SentimentLang::kKorean) {
    fail(error, ErrorCode::kInvalidArgument, "sentiment models are for the wrong languages");
    return nullptr;
  }
  return s;
}

SentimentResult Sentiment::classify(std::string_view text) const {
  const std::string_view clipped = clip_utf8(text, kMaxText);
  const SentimentLang lang = detect_sentiment_lang(decode_utf8(clipped));
  return (lang == SentimentLang::kKorean ? ko_ : en_)->classify(clipped);
}

}  // namespace cinerag
