// SentencePiece unigram segmentation, written to reproduce the reference JS tokenizer exactly.
#include "text/sentencepiece.h"

#include <nlohmann/json.hpp>

#include "text/nfkc.h"
#include "text/utf8.h"

namespace cinerag {
namespace {

constexpr char32_t kSpaceMarker = 0x2581;  // '▁'
const std::string kEmpty;

uint64_t edge_key(int node, char32_t cp) {
  return (static_cast<uint64_t>(node) << 21) | cp;
}

}  // namespace

std::unique_ptr<SentencePieceTokenizer> SentencePieceTokenizer::from_vocab_json(
    std::string_view json, Error* error) {
  const auto doc = nlohmann::json::parse(json.begin(), json.end(), nullptr, false);
  if (doc.is_discarded()) {
    fail(error, ErrorCode::kInvalidArgument, "vocabulary is not valid JSON");
    return nullptr;
  }
  if (!doc.is_array()) {
    fail(error, ErrorCode::kInvalidArgument, "vocabulary must be a JSON array of [piece, score]");
    return nullptr;
  }
  std::vector<std::pair<std::string, double>> pieces;
  pieces.reserve(doc.size());
  for (size_t i = 0; i < doc.size(); ++i) {
    const auto& row = doc[i];
    // Seven USE pieces have a null score; the reference adds null as 0, and so do we.
    if (!row.is_array() || row.size() != 2 || !row[0].is_string() ||
        !(row[1].is_number() || row[1].is_null())) {
      fail(error, ErrorCode::kInvalidArgument,
           "vocabulary entry " + std::to_string(i) + " is not [string, number]");
      return nullptr;
    }
    pieces.emplace_back(row[0].get<std::string>(), row[1].is_null() ? 0.0 : row[1].get<double>());
  }
  return from_pieces(std::move(pieces), error);
}

std::unique_ptr<SentencePieceTokenizer> SentencePieceTokenizer::from_pieces(
    std::vector<std::pair<std::string, double>> pieces, Error* error) {
  if (pieces.size() <= static_cast<size_t>(kReservedPieces)) {
    fail(error, ErrorCode::kEmpty, "vocabulary has no pieces beyond the reserved ids");
    return nullptr;
  }
  if (pieces.size() > (1u << 24)) {
    fail(error, ErrorCode::kInvalidArgument, "vocabulary is too large");
    return nullptr;
  }
  std::unique_ptr<SentencePieceTokenizer> t(new SentencePieceTokenizer());
  t->nodes_.emplace_back();
  t->pieces_.reserve(pieces.size());
  for (size_t id = 0; id < pieces.size(); ++id) {
    Piece p;
    p.text = std::move(pieces[id].first);
    p.score = pieces[id].second;
    const std::u32string cps = decode_utf8(p.text);
    for (char32_t cp : cps) p.utf16_length += cp >= 0x10000 ? 2 : 1;
    if (id >= static_cast<size_t>(kReservedPieces) && !cps.empty()) {
      int node = 0;
      for (char32_t cp : cps) {
        int next = t->child(node, cp);
        if (next < 0) {
          next = static_cast<int>(t->nodes_.size());
          t->nodes_.emplace_back();
          t->edges_.emplace(edge_key(node, cp), next);
        }
        node = next;
      }
      // A duplicate piece keeps the later id and score, as the reference's trie does.
      t->nodes_[node].id = static_cast<int32_t>(id);
      t->longest_piece_ = std::max(t->longest_piece_, cps.size());
    }
    t->pieces_.push_back(std::move(p));
  }
  return t;
}

int SentencePieceTokenizer::child(int node, char32_t cp) const {
  const auto it = edges_.find(edge_key(node, cp));
  return it == edges_.end() ? -1 : it->second;
}

const std::string& SentencePieceTokenizer::piece(int32_t id) const {
  if (id < 0 || static_cast<size_t>(id) >= pieces_.size()) return kEmpty;
  return pieces_[id].text;
}

std::vector<int32_t> SentencePieceTokenizer::encode(std::string_view text) const {
  std::u32string s = nfkc(decode_utf8(text));
  if (s.empty()) return {};
  for (char32_t& c : s) {
    if (c == U' ') c = kSpaceMarker;
  }
  s.insert(s.begin(), kSpaceMarker);
  const size_t n = s.size();

  // Every piece that starts at `start`, filed under its end position. Starts are visited in
  // ascending order, so each end's list is in the order the reference examines candidates.
  struct Candidate {
    uint32_t start;
    int32_t id;
    double score;
  };
  std::vector<std::vector<Candidate>> ending_at(n + 1);
  for (size_t start = 0; start < n; ++start) {
    bool matched = false;
    int node = 0;
    for (size_t end = start; end < n; ++end) {
      node = child(node, s[end]);
      if (node < 0) break;
      const int32_t id = nodes_[node].id;
      if (id >= 0) {
        ending_at[end + 1].push_back({static_cast<uint32_t>(start), id, pieces_[id].score});
        matched = true;
      }
    }
    // No piece covers this character: the reference offers it alone as unknown, score 0.
    if (!matched) ending_at[start + 1].push_back({static_cast<uint32_t>(start), kUnknownId, 0.0});
  }

  // Best path. The `best == 0` test is the reference's: 0 doubles as "not reached yet", so a
  // position reached only through unknowns (total 0) takes any later candidate.
  std::vector<double> best(n + 1, 0.0);
  std::vector<int32_t> word(n + 1, kUnknownId);
  for (size_t end = 1; end <= n; ++end) {
    for (const Candidate& c : ending_at[end]) {
      const double score = c.score + best[c.start];
      if (best[end] == 0.0 || score >= best[end]) {
        best[end] = score;
        word[end] = c.id;
      }
    }
  }

  // Back-trace by each piece's JS string length, as the reference does; then merge runs of
  // unknowns and put the ids in reading order.
  std::vector<int32_t> ids;
  for (long pos = static_cast<long>(n); pos > 0; pos -= pieces_[word[pos]].utf16_length) {
    const int32_t id = word[pos];
    if (!(id == kUnknownId && !ids.empty() && ids.back() == kUnknownId)) ids.push_back(id);
    if (pieces_[id].utf16_length == 0) break;  // an empty piece cannot move the trace
  }
  return std::vector<int32_t>(ids.rbegin(), ids.rend());
}

}  // namespace cinerag
