// Sentiment: the model file format's checks, routing by script, and hostile input. Uses small
// hand-made models; the trained ones are checked from JS (tests/wasm/sentiment.test.mjs).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "sentiment/features.h"
#include "sentiment/model.h"

namespace cinerag {
namespace {

constexpr int kBits = 10;

// A model whose only opinion: the English word "great" (+) and "awful" (-), or Korean "최고".
std::vector<uint8_t> tiny(SentimentLang lang) {
  std::vector<int8_t> w(1 << kBits, 0);
  std::vector<uint32_t> f;
  if (lang == SentimentLang::kEnglish) {
    sentiment_features("great", lang, kBits, &f);
    for (uint32_t h : f) w[h] = 100;
    f.clear();
    sentiment_features("awful", lang, kBits, &f);
    for (uint32_t h : f) w[h] = -100;
  } else {
    sentiment_features("최고", lang, kBits, &f);
    for (uint32_t h : f) w[h] = 100;
  }
  // The bigram "<s> </s>"-style features shared by every text must not carry weight.
  f.clear();
  sentiment_features("", lang, kBits, &f);
  for (uint32_t h : f) w[h] = 0;
  return SentimentModel::to_bytes(lang, kBits, 0.0f, 0.01f, 0.45f, 0.55f, w);
}

std::unique_ptr<Sentiment> both() {
  const auto en = tiny(SentimentLang::kEnglish), ko = tiny(SentimentLang::kKorean);
  Error e;
  auto s = Sentiment::from_bytes(en.data(), en.size(), ko.data(), ko.size(), &e);
  EXPECT_TRUE(s) << e.message;
  return s;
}

TEST(Sentiment, ReadsOpinionsAndRoutesByScript) {
  auto s = both();
  EXPECT_EQ(s->classify("a great film").label, SentimentLabel::kPositive);
  EXPECT_EQ(s->classify("an awful film").label, SentimentLabel::kNegative);
  EXPECT_EQ(s->classify("I meant the other one").label, SentimentLabel::kNeutral);
  const auto ko = s->classify("이 영화 최고");
  EXPECT_EQ(ko.lang, SentimentLang::kKorean);
  EXPECT_EQ(ko.label, SentimentLabel::kPositive);
  EXPECT_EQ(s->classify("great 영화").lang, SentimentLang::kKorean);  // any Hangul: Korean
  EXPECT_GT(s->classify("a great film").score, 0.5f);
}

TEST(Sentiment, NegationMarksTheWordsAfterIt) {
  std::vector<uint32_t> plain, negated, later;
  sentiment_features("great", SentimentLang::kEnglish, 20, &plain);
  sentiment_features("not great", SentimentLang::kEnglish, 20, &negated);
  sentiment_features("not now. great", SentimentLang::kEnglish, 20, &later);
  // After "not", "great" becomes the feature not_great: nothing of plain "great" is left...
  for (uint32_t h : plain) EXPECT_EQ(std::count(negated.begin(), negated.end(), h), 0);
  // ...until punctuation ends the clause.
  size_t shared = 0;
  for (uint32_t h : plain) shared += std::count(later.begin(), later.end(), h);
  EXPECT_GE(shared, 1u);
}

TEST(Sentiment, HostileInputGetsAnAnswer) {
  auto s = both();
  EXPECT_EQ(s->classify("").label, SentimentLabel::kNeutral);
  EXPECT_EQ(s->classify("   \t\n").label, SentimentLabel::kNeutral);
  EXPECT_EQ(s->classify("?!?!...").label, SentimentLabel::kNeutral);
  std::string big;
  while (big.size() < 100 * 1024) big += "great movie, 최고 ";
  EXPECT_NE(s->classify(big).label, SentimentLabel::kNeutral);
  EXPECT_NO_FATAL_FAILURE(s->classify(std::string("\xff\xfe\xc0\x80great", 8)));
  std::string junk;
  for (int i = 0; i < 5000; ++i) junk.push_back(static_cast<char>(i * 37));
  const auto r = s->classify(junk);
  EXPECT_GE(r.score, 0.0f);
  EXPECT_LE(r.score, 1.0f);
}

TEST(SentimentModel, RejectsDamagedFiles) {
  auto good = tiny(SentimentLang::kEnglish);
  Error e;
  EXPECT_TRUE(SentimentModel::from_bytes(good.data(), good.size(), &e));
  EXPECT_FALSE(SentimentModel::from_bytes(good.data(), 10, &e));
  EXPECT_FALSE(SentimentModel::from_bytes(good.data(), good.size() - 1, &e));
  EXPECT_EQ(e.code, ErrorCode::kCorrupt);
  EXPECT_NE(e.message.find("truncated"), std::string::npos);
  auto bad = good;
  bad[0] = 'X';
  EXPECT_FALSE(SentimentModel::from_bytes(bad.data(), bad.size(), &e));
  EXPECT_EQ(e.code, ErrorCode::kInvalidArgument);
  bad = good;
  bad[4] = 9;  // version
  EXPECT_FALSE(SentimentModel::from_bytes(bad.data(), bad.size(), &e));
  EXPECT_EQ(e.code, ErrorCode::kUnsupportedVersion);
  bad = good;
  bad[9] = 30;  // bits
  EXPECT_FALSE(SentimentModel::from_bytes(bad.data(), bad.size(), &e));
  const auto ko = tiny(SentimentLang::kKorean);
  EXPECT_FALSE(Sentiment::from_bytes(ko.data(), ko.size(), good.data(), good.size(), &e))
      << "languages swapped";
}

}  // namespace
}  // namespace cinerag
