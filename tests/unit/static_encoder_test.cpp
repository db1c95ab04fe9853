// The static sentence encoder's file and pooling (embed/static_encoder.h) and the text it embeds
// (recommend/message.h embedding_text).
#include "embed/static_encoder.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "recommend/message.h"

namespace cinerag {
namespace {

// Three pieces of 2 dims in the identity basis: bias (1, 0); rows scaled int8.
std::vector<uint8_t> small_model() {
  return StaticEncoder::to_bytes({1.0f, 0.0f}, {1, 0, 0, 1}, {0.5f, 1.0f, 2.0f},
                                 {2, 0, 0, 3, -1, 1});
}

TEST(StaticEncoder, PoolsTheMeanOfScaledRowsPlusBiasAndNormalises) {
  const auto bytes = small_model();
  Error e;
  auto enc = StaticEncoder::from_bytes(bytes.data(), bytes.size(), &e);
  ASSERT_TRUE(enc) << e.message;
  EXPECT_EQ(enc->dims(), 2u);
  EXPECT_EQ(enc->vocab_size(), 3u);
  const int32_t ids[] = {1, 2, 2};
  float out[2];
  ASSERT_TRUE(enc->embed(ids, 3, out));
  // rows: 1 -> (0, 3), 2 -> (-2, 2); mean (-4/3, 7/3); + bias (-1/3, 7/3)
  const float x = -1.0f / 3, y = 7.0f / 3, n = std::sqrt(x * x + y * y);
  EXPECT_NEAR(out[0], x / n, 1e-6);
  EXPECT_NEAR(out[1], y / n, 1e-6);
}

TEST(StaticEncoder, MapsTheMeanOfRankRowsThroughTheBasis) {
  // 3 dims, rank 1: the one direction is (0, 0.6, 0.8); bias (1, 0, 0).
  const auto bytes = StaticEncoder::to_bytes({1, 0, 0}, {0, 0.6f, 0.8f}, {1.0f, 0.5f}, {4, -2});
  Error e;
  auto enc = StaticEncoder::from_bytes(bytes.data(), bytes.size(), &e);
  ASSERT_TRUE(enc) << e.message;
  EXPECT_EQ(enc->dims(), 3u);
  EXPECT_EQ(enc->rank(), 1u);
  const int32_t ids[] = {0, 1};
  float out[3];
  ASSERT_TRUE(enc->embed(ids, 2, out));
  // coordinates 4 and -1: mean 1.5 -> (1, 0.9, 1.2)
  const float n = std::sqrt(1 + 0.81f + 1.44f);
  EXPECT_NEAR(out[0], 1 / n, 1e-6);
  EXPECT_NEAR(out[1], 0.9f / n, 1e-6);
  EXPECT_NEAR(out[2], 1.2f / n, 1e-6);
}

TEST(StaticEncoder, NoIdsOrAnIdOutsideTheVocabularyHasNoVector) {
  const auto bytes = small_model();
  auto enc = StaticEncoder::from_bytes(bytes.data(), bytes.size(), nullptr);
  ASSERT_TRUE(enc);
  float out[2] = {7, 7};
  EXPECT_FALSE(enc->embed(nullptr, 0, out));
  const int32_t bad[] = {1, 3};
  EXPECT_FALSE(enc->embed(bad, 2, out));
  const int32_t negative[] = {-1};
  EXPECT_FALSE(enc->embed(negative, 1, out));
  EXPECT_EQ(out[0], 7);
}

TEST(StaticEncoder, RejectsForeignTruncatedAndInconsistentFiles) {
  const auto good = small_model();
  Error e;
  EXPECT_FALSE(StaticEncoder::from_bytes(nullptr, 0, &e));
  EXPECT_EQ(e.code, ErrorCode::kInvalidArgument);
  auto foreign = good;
  foreign[0] = 'X';
  EXPECT_FALSE(StaticEncoder::from_bytes(foreign.data(), foreign.size(), &e));
  EXPECT_EQ(e.code, ErrorCode::kInvalidArgument);
  EXPECT_FALSE(StaticEncoder::from_bytes(good.data(), good.size() - 1, &e));
  EXPECT_EQ(e.code, ErrorCode::kCorrupt);
  auto newer = good;
  newer[4] = 3;
  EXPECT_FALSE(StaticEncoder::from_bytes(newer.data(), newer.size(), &e));
  EXPECT_EQ(e.code, ErrorCode::kUnsupportedVersion);
  auto huge = good;
  huge[11] = 0x7f;  // vocab of ~2^30 pieces
  EXPECT_FALSE(StaticEncoder::from_bytes(huge.data(), huge.size(), &e));
  EXPECT_EQ(e.code, ErrorCode::kCorrupt);
  auto wide = good;
  wide[16] = 3;  // a rank above the dims
  EXPECT_FALSE(StaticEncoder::from_bytes(wide.data(), wide.size(), &e));
  EXPECT_EQ(e.code, ErrorCode::kCorrupt);
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const auto nan_scale = StaticEncoder::to_bytes({1.0f, 0.0f}, {1, 0, 0, 1}, {0.5f, nan, 2.0f},
                                                 {2, 0, 0, 3, -1, 1});
  EXPECT_FALSE(StaticEncoder::from_bytes(nan_scale.data(), nan_scale.size(), &e));
  EXPECT_EQ(e.code, ErrorCode::kCorrupt);
  const auto nan_basis = StaticEncoder::to_bytes({1.0f, 0.0f}, {1, 0, nan, 1}, {0.5f, 1.0f, 2.0f},
                                                 {2, 0, 0, 3, -1, 1});
  EXPECT_FALSE(StaticEncoder::from_bytes(nan_basis.data(), nan_basis.size(), &e));
  EXPECT_EQ(e.code, ErrorCode::kCorrupt);
}

TEST(EmbeddingText, TheLastThreeUserTurnsJoinedBySpaces) {
  const std::vector<Turn> turns = {{true, "one"},   {false, "answer"}, {true, "two"},
                                   {true, "three"}, {false, "answer"}, {true, "four"}};
  EXPECT_EQ(embedding_text(turns), "two three four");
  EXPECT_EQ(embedding_text({}), "");
  EXPECT_EQ(embedding_text({{false, "only the assistant"}}), "");
}

TEST(EmbeddingText, CutAt4000Utf16UnitsBetweenCharacters) {
  std::string text(kEmbedMaxUnits - 1, 'a');
  text += "\xF0\x9F\x98\x8D";  // U+1F60D: two UTF-16 units, one too many
  EXPECT_EQ(embedding_text({{true, text}}), std::string(kEmbedMaxUnits - 1, 'a'));
  std::string hangul;
  for (int i = 0; i < 5000; ++i) hangul += "\xEA\xB0\x80";  // 가: one unit, three bytes
  EXPECT_EQ(embedding_text({{true, hangul}}).size(), 3 * kEmbedMaxUnits);
}

}  // namespace
}  // namespace cinerag
