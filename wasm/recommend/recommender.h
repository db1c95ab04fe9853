// The recommender: one call per chat message. Reads the message (titles and how the person feels
// about each, commands about the last answer, constraints, content words), gathers and fuses
// candidates (recommend/candidates.h), explains them and writes the answer (recommend/answer.h),
// and decides whether to fall back to the LLM.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/error.h"
#include "core/kept.h"
#include "embed/static_encoder.h"
#include "recommend/candidates.h"
#include "recommend/catalogue_index.h"
#include "recommend/constraints.h"
#include "recommend/message.h"
#include "recommend/movie_table.h"
#include "recommend/people.h"
#include "recommend/titles.h"
#include "recommend/tuning.h"
#include "recommend/types.h"
#include "sentiment/model.h"

namespace cinerag {

struct RecommendRequest {
  std::vector<Turn> turns;  // the conversation so far; the last user turn is the message
  ConversationState state;
  size_t k = 5;
  std::optional<Lang> lang;  // absent: the message's own (any Hangul: Korean)
  // The sentence encoder's vector for the user's recent text (embedding_text): (embedding_dims,)
  // f32 from the caller's transformer, or empty: the core's own encoder embeds it then.
  std::vector<float> embedding;
  Weights weights;
  Tuning tuning;
  bool with_candidates = false;  // return every selectable candidate with its signals
};

struct RecommendResponse {
  Lang lang = Lang::kEnglish;
  SentimentResult sentiment;  // of the last user message
  std::vector<Mention> mentions;
  std::vector<PersonMention> people;  // named in the message
  std::vector<Recommendation> results;
  Constraints constraints;
  FallbackReason fallback = FallbackReason::kNone;
  float confidence = 0;
  std::string intro;                // "You feel positive (0.98) about 'Titanic'." or ""
  std::string answer;               // the whole text the person reads (the intro first)
  ConversationState state;          // the state after this message
  std::vector<Signals> candidates;  // with_candidates: every selectable one, best first
};

// A film of a person the message names: whom it credits, and whether they directed it.
struct Credit {
  uint32_t person;
  bool directed;
};
using Credits = std::unordered_map<Row, Credit>;

// What a message brings of its own (recommender.cpp, read_topic).
struct Topic {
  bool own = false;            // films, people, constraints or words of its own
  bool names_film = false;     // names a film
  bool request = false;        // asks ("recommend", "any good", "추천해줘")
  bool short_message = false;  // few content words besides its names
};

class Recommender {
 public:
  // Takes the loaded catalogue and sentiment models. Fails when the catalogue's movies cannot be
  // read or an optional table in it is damaged.
  static std::unique_ptr<Recommender> create(std::unique_ptr<CatalogueIndex> index,
                                             std::unique_ptr<Sentiment> sentiment, Error* error,
                                             const CatalogueTuning& tuning = {});

  // The static encoder that embeds messages the caller sends without an embedding. False and
  // *error when its vectors do not have the catalogue's encoder dims.
  bool use_encoder(std::unique_ptr<TextEncoder> encoder, Error* error);
  bool has_encoder() const { return encoder_ != nullptr; }

  // One message. False and *error when the catalogue cannot be read (a damaged text index).
  bool recommend(const RecommendRequest& request, RecommendResponse* out, Error* error) const;

  const CatalogueIndex& index() const { return *index_; }
  const MovieTable& table() const { return *table_; }
  const PeopleMatcher& people() const { return *people_; }

 private:
  Recommender() = default;
  std::vector<Mention> read_mentions(const RecommendRequest& req, size_t message_turn,
                                     const Message& message, const std::vector<Span>& people_spans,
                                     ConversationState* state,
                                     std::vector<Span>* message_spans) const;
  std::vector<Mention> read_turn(const Turn& turn, const std::vector<Word>& words,
                                 const std::vector<Span>& skip, std::vector<Span>* spans) const;
  std::vector<Mention> read_earlier_turn(const Turn& turn) const;
  void read_stance(const std::string& text, const std::vector<Word>& words,
                   const TitleMention& title, Mention* m) const;
  SentimentResult message_sentiment(const Message& message, const std::vector<Mention>& mentions,
                                    const std::vector<Span>& title_spans) const;
  std::vector<PersonMention> read_people(const Message& message) const;
  Topic read_topic(const Message& message, const RecommendResponse& r,
                   const std::vector<std::string>& words) const;
  bool build_query(const RecommendRequest& req, size_t at, const Message& message,
                   const RecommendResponse& r, const std::vector<std::string>& words,
                   const Topic& topic, const std::vector<int64_t>& liked_before,
                   const Credits& credits, CandidateQuery* q, Error* error) const;
  std::vector<Signals> rank(const RecommendRequest& req, const CandidateQuery& q,
                            const RecommendResponse& r, const Topic& topic,
                            const Credits& credits) const;
  std::vector<Recommendation> write_results(const std::vector<Signals>& best,
                                            const RecommendRequest& req, const RecommendResponse& r,
                                            const std::vector<std::string>& words,
                                            const Topic& topic, const Credits& credits) const;
  std::vector<float> message_embedding(const RecommendRequest& req, const Message& message) const;
  bool text_hits(const std::vector<std::string>& words, size_t limit,
                 std::vector<std::pair<Row, float>>* out, Error* error) const;

  std::unique_ptr<CatalogueIndex> index_;
  std::unique_ptr<Sentiment> sentiment_;
  std::unique_ptr<MovieTable> table_;
  std::unique_ptr<TitleMatcher> titles_;
  std::unique_ptr<PeopleMatcher> people_;
  std::unique_ptr<TextEncoder> encoder_;  // optional
  // What earlier turns name, by role and text: every message resends the whole conversation,
  // and reading its titles again was most of a long conversation's time. At most 1 MB of keys.
  std::unique_ptr<Kept<std::string, std::vector<Mention>>> turn_cache_ =
      std::make_unique<Kept<std::string, std::vector<Mention>>>(1 << 20);
};

}  // namespace cinerag
