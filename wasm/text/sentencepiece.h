// SentencePiece unigram tokenizer (Viterbi over a piece trie) for the Universal Sentence Encoder
// Lite vocabulary, matching the ids of the reference JS tokenizer in @energetic-ai/embeddings.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.h"

namespace cinerag {

class SentencePieceTokenizer {
 public:
  // The first ids of the USE vocabulary (unk, <s>, </s>, 3 extra) are never matched in text.
  static constexpr int kReservedPieces = 6;
  static constexpr int32_t kUnknownId = 0;

  // Builds a tokenizer from `vocab.json` bytes: a JSON array of [piece, score] pairs whose index
  // is the id. Returns nullptr and sets *error on malformed JSON, wrong shapes or an empty list.
  static std::unique_ptr<SentencePieceTokenizer> from_vocab_json(std::string_view json,
                                                                 Error* error);

  // Builds from (piece, score) pairs directly; pieces[i] gets id i.
  static std::unique_ptr<SentencePieceTokenizer> from_pieces(
      std::vector<std::pair<std::string, double>> pieces, Error* error);

  // Token ids of `text` (UTF-8; invalid bytes read as U+FFFD, as TextDecoder does). Steps, as the
  // reference: NFKC; prefix U+2581 and replace each ' ' with it (non-empty text only); best-score
  // segmentation, ties to the later-examined shorter piece; characters no piece covers become id
  // 0, consecutive ones merged. Any input gives an answer; "" gives no ids. Time O(n * longest
  // piece), memory O(n).
  std::vector<int32_t> encode(std::string_view text) const;

  size_t vocab_size() const { return pieces_.size(); }
  // The piece for `id` (UTF-8), or "" when id is out of range.
  const std::string& piece(int32_t id) const;

 private:
  SentencePieceTokenizer() = default;
  int child(int node, char32_t cp) const;

  struct Piece {
    std::string text;      // UTF-8
    double score = 0;      // log-probability
    int utf16_length = 0;  // the reference steps back by JS string length when it back-traces
  };
  struct Node {
    int32_t id = -1;  // piece ending here, or -1
  };
  std::vector<Piece> pieces_;
  std::vector<Node> nodes_;                  // nodes_[0] is the root
  std::unordered_map<uint64_t, int> edges_;  // (node << 21 | code point) -> child node
  size_t longest_piece_ = 0;                 // in code points
};

}  // namespace cinerag
