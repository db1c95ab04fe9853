// Candidate generation and fusion: which movies are considered for a message, the signals each
// one gets (similarity to liked and disliked movies, to the message, BM25, priors, genres) and
// the fused score.
#pragma once

#include <utility>
#include <vector>

#include "recommend/constraints.h"
#include "recommend/movie_table.h"
#include "recommend/tuning.h"
#include "recommend/types.h"

namespace cinerag {

struct Signals {
  Row row = kNoRow;
  float item = 0, collab = 0, query = 0, text = 0, prior = 0, genre = 0, dislike = 0;
  // Summed over the conversation's movies: item-kNN over ratings, suggested after them in
  // conversations, shared director or leads, the same series. `suggested`: the learned
  // suggestion prior.
  float corated = 0, dialogue = 0, people = 0, franchise = 0, suggested = 0;
  Row item_from = kNoRow, collab_from = kNoRow;  // the liked movie behind item / collab
  // The conversation's movie whose related list adds the most to the score, and which list.
  Row related_from = kNoRow;
  NeighbourKind related_kind = NeighbourKind::kRatings;
  float related_best = 0;  // that weighted contribution
  float score = 0;
};

// What the candidates are gathered for.
struct CandidateQuery {
  std::vector<Row> liked, disliked;  // oldest first
  std::vector<Row> context;          // the movies of the conversation not disliked (liked included)
  // How much each liked / context movie leads now (0..1, see Tuning::focus_decay); empty: all 1.
  std::vector<float> liked_focus, context_focus;
  std::vector<float> embedding;  // (content_dims,) f32 in the stored space, or empty
  std::vector<std::pair<Row, float>> text_hits;  // BM25, normalised to the best hit (1)
  std::vector<Row> also;  // considered whatever their signals (people's films)
  Constraints constraints;
};

// Candidates from every source: content and collaborative neighbours of the recent liked movies,
// the message's embedding, BM25 hits, the best-known movies and the best-known that meet the
// constraints. Each with all its signals and its fused score; unsorted, unfiltered.
std::vector<Signals> gather_candidates(const MovieTable& table, const CandidateQuery& q,
                                       const Weights& w, const Tuning& t);

// The candidates that may be shown, best first (ties: lower row): not excluded by id (named,
// liked, disliked, seen, or in the previous answer) or by title, meeting the constraints, not a
// near-duplicate of a disliked movie.
std::vector<Signals> rank_selectable(const MovieTable& table, std::vector<Signals> candidates,
                                     const ConversationState& state, const Constraints& c,
                                     const Tuning& t);

// The signals by name as the fusion adds them: score = sum of weight * term (the dislike term
// is negative). For the evaluation's tuner, which re-ranks a pool under other weights.
std::vector<std::pair<const char*, float>> fusion_terms(const Signals& s);

}  // namespace cinerag
