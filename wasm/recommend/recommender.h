// The recommender: one call per chat message. Finds the movies named (titles), reads how the
// person feels about each (sentiment), reads constraints, gathers candidates (content neighbours
// of liked movies, collaborative neighbours, the message's embedding, BM25, a popularity prior),
// fuses their scores, filters, explains, writes the answer and decides whether to fall back to
// the LLM.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/error.h"
#include "recommend/catalogue_index.h"
#include "recommend/constraints.h"
#include "recommend/titles.h"
#include "sentiment/model.h"

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

// The fusion weights. Tuned by coordinate ascent on the dev half of GoRecDial
// (`npm run eval:recommend -- --tune`), which chose {item 0, collab 0.3, query 0.6, text 0.2,
// prior 0.525, genre 0.112, dislike 0.3}; `item` is kept at 0.3 by choice: GoRecDial's gold is
// what a human suggested (popular films), while a person who names a film expects its kind back
// ("romantic dramas like Titanic"). docs/NOTES.md has both figures.
struct Weights {
  float item = 0.3f;     // content similarity to liked movies
  float collab = 0.3f;   // collaborative similarity to liked movies
  float query = 0.6f;    // similarity to the message's embedding
  float text = 0.2f;     // BM25 over titles, overviews, keywords, tags
  float prior = 0.525f;  // popularity and quality
  float genre = 0.112f;  // has a genre the message asks for
  float dislike = 0.3f;  // similarity to disliked movies (subtracted)
};

struct RecommendRequest {
  std::vector<Turn> turns;  // the conversation so far; the last user turn is the message
  ConversationState state;
  size_t k = 5;
  std::string lang;  // "en" | "ko" | "" (from the message)
  // The sentence encoder's vector for the user's recent text: (embedding_dims,) f32, or empty.
  std::vector<float> embedding;
  Weights weights;
};

struct Mention {
  int64_t movie_id = 0;
  std::string surface;  // as written
  int liked = 0;        // 1 liked, -1 disliked, 0 neutral
  float score = 0;      // the sentiment score behind `liked`
  bool from_user = true;
};

struct Recommendation {
  int64_t movie_id = 0;
  float score = 0;       // the fused score
  float similarity = 0;  // cosine to the closest reference (liked movie or message), 0..1
  std::string why;
};

struct RecommendResponse {
  std::string lang;
  SentimentResult sentiment;  // of the last user message
  std::vector<Mention> mentions;
  std::vector<Recommendation> results;
  Constraints constraints;
  bool fallback = false;
  float confidence = 0;
  std::string fallback_reason;  // "" unless fallback
  std::string answer;           // the text the person reads
  ConversationState state;      // the state after this message
};

class Recommender {
 public:
  // Takes the loaded catalogue and sentiment models. Fails when the catalogue's movies cannot be
  // read.
  static std::unique_ptr<Recommender> create(std::unique_ptr<CatalogueIndex> index,
                                             std::unique_ptr<Sentiment> sentiment, Error* error);

  RecommendResponse recommend(const RecommendRequest& request) const;

  const CatalogueIndex& index() const { return *index_; }
  const Movie& movie_at(size_t row) const { return movies_[row]; }
  // The row of a movie id, or -1.
  long row_of(int64_t movie_id) const;
  int newest_year() const { return newest_year_; }

 private:
  Recommender() = default;
  struct Signals;
  void gather(const RecommendRequest& req, const std::vector<long>& liked,
              const std::vector<long>& disliked, const std::vector<float>& query,
              const std::vector<std::pair<long, float>>& text_hits, const Constraints& c,
              std::vector<Signals>* out) const;
  float content_sim(long a, long b) const;
  float collab_sim(long a, long b) const;
  bool passes(long row, const Constraints& c) const;
  std::string explain(const Signals& s, const Weights& w, const Constraints& c,
                      const std::string& lang, const std::vector<std::string>& words) const;
  // How well known a movie is: what orders the best-known candidates.
  float known_key(long row) const {
    return prior_[static_cast<size_t>(row)] + 0.5f * quality_[static_cast<size_t>(row)];
  }

  std::unique_ptr<CatalogueIndex> index_;
  std::unique_ptr<Sentiment> sentiment_;
  std::unique_ptr<TitleMatcher> titles_;
  std::vector<Movie> movies_;               // movie_id order
  std::vector<uint32_t> genres_;            // (n,) genre bits
  std::vector<std::string> folded_titles_;  // (n,) fold_for_matching(title)
  std::vector<float> prior_, quality_;      // (n,) 0..1
  static constexpr size_t kBestKnown = 200;
  std::vector<long> best_known_;    // (kBestKnown,) rows by known_key, best first
  std::vector<long> content_row_;   // (n,) movie row -> content index row, -1 if none
  std::vector<long> collab_slot_;   // (n,) movie row -> collab row, -1 if none
  std::vector<float> collab_;       // (n_collab, collab dims) f32, unit rows
  std::vector<long> collab_movie_;  // (n_collab,) collab row -> movie row
  size_t content_dims_ = 0, collab_dims_ = 0;
  int newest_year_ = 0;
};

}  // namespace cinerag
