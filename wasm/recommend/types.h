// The values one recommendation passes around: conversation turns and state, the movies a
// message names, the results, the answer's language and why the answer falls back to the LLM.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cinerag {

struct Turn {
  bool user = true;  // false: the assistant (or the other side of a dialogue)
  std::string text;
};

// What the caller keeps between messages (a plain value; see recommend/wire.h for its JSON).
struct ConversationState {
  std::vector<int64_t> liked, disliked, seen, mentioned;  // movie ids
  std::vector<int64_t> last_results;                      // the previous answer, best first
};

// The catalogue's related-movie lists (store: neighbours.kind).
enum class NeighbourKind : uint8_t { kRatings, kDialogues, kPeople, kFranchise };
constexpr int kNeighbourKinds = 4;
// "ratings" | "dialogues" | "people" | "franchise"
const char* neighbour_kind_name(NeighbourKind kind);

enum class Lang : uint8_t { kEnglish, kKorean };
const char* lang_code(Lang lang);  // "en" | "ko"

enum class FallbackReason : uint8_t {
  kNone,
  kNewerThanCatalogue,  // the message asks for years past the catalogue's newest
  kTooFewMatches,       // fewer results than asked for (at most 5)
  kLowConfidence,       // nothing matched well
};
// "" | "newer_than_catalogue" | "too_few_matches" | "low_confidence"
const char* fallback_reason_name(FallbackReason reason);

struct Mention {
  int64_t movie_id = 0;
  std::string surface;  // as written
  int liked = 0;        // 1 liked, -1 disliked, 0 neutral
  float score = 0;      // the sentiment score behind `liked`
  bool from_user = true;
  bool in_message = false;  // named in the message being answered (not an earlier turn)
  size_t turn = 0;          // the turn it was read in (the last, when named again)
};

struct Recommendation {
  int64_t movie_id = 0;
  float score = 0;       // the fused score
  float similarity = 0;  // cosine to the closest reference (liked movie or message), 0..1
  std::string why;
};

}  // namespace cinerag
