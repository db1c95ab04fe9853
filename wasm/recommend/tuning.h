// Every number the recommender's ranking depends on, in one place: the fusion weights, the
// per-message tunables (both settable per request: `weights` and `tuning` in recommend/wire.h)
// and the catalogue-time ones (the popularity and quality priors, read once at load).
#pragma once

#include <cstddef>

namespace cinerag {

// The fusion weights, learned by `npm run eval:recommend -- --tune` (coordinate ascent on the
// tuning splits of GoRecDial, INSPIRED and ReDial, objective: mean over sets of R@10 + 0.1 R@50;
// the conversation lists were built without the dialogues tuned on) on the full catalogue.
// docs/NOTES.md ("The dialogue evaluation") has the figures and how to re-learn them.
struct Weights {
  float item = 0.42f;        // content similarity to liked movies
  float collab = 0.172f;     // collaborative (SVD) similarity to liked movies
  float query = 0.587f;      // similarity to the message's embedding
  float text = 0.113f;       // BM25 over titles, overviews, keywords, tags
  float prior = 0.513f;      // popularity and quality
  float genre = 0.11f;       // has a genre the message asks for
  float dislike = 0.0f;      // similarity to disliked movies (subtracted; they are excluded anyway)
  float corated = 0.4f;      // liked by the same people as the conversation's movies (ratings)
  float dialogue = 3.2f;     // suggested after the conversation's movies in other conversations
  float people = 0.14f;      // shares a director or lead actors with the conversation's movies
  float franchise = 0.28f;   // the same series as one of the conversation's movies
  float suggested = 0.009f;  // the kind of film people suggest (learned prior by votes and year)
};

// Per-message tunables besides the weights.
struct Tuning {
  size_t per_source = 300;     // candidates taken from each neighbour search
  size_t recent_liked = 5;     // the most recent liked movies whose neighbours are gathered
  size_t recent_context = 10;  // the most recent movies whose related-movie lists are read
  size_t text_hits = 100;      // BM25 hits read
  // prior signal = mix.popularity * popularity + mix.quality * quality; `rated_mix` when the
  // person asks for "highly rated".
  struct PriorMix {
    float popularity, quality;
  };
  PriorMix mix{0.6f, 0.4f};
  PriorMix rated_mix{0.3f, 0.7f};
  float dislike_cutoff = 0.92f;  // content similarity above which a disliked film's
                                 // near-duplicate is dropped
  // Confidence: max of (liked_base + liked_gain * best item similarity) when a liked movie is
  // known, `constraints` when constraints were read, (text_base + text_gain * best query
  // similarity) when BM25 found something, and the best query similarity itself.
  float confidence_liked_base = 0.4f, confidence_liked_gain = 0.6f;
  float confidence_constraints = 0.55f;
  float confidence_text_base = 0.35f, confidence_text_gain = 0.3f;
  float min_confidence = 0.45f;  // below: fall back to the LLM
  // The conversation's focus: a film named n user turns before the message counts
  // focus_decay^n as much as one named in it, and focus_yield times that again when the message
  // brings its own topic (titles, people, genres, constraints, words): the first like fades.
  float focus_decay = 0.9f, focus_yield = 0.5f;
  float focus_request_yield = 0.25f;  // instead of focus_yield for a request with its own topic
  // How many films of the people a message names (or with every genre it asks for) go before
  // the fused order: enough for an answer, not the whole list.
  size_t lead_max = 5;
  // A reason names the liked film behind a result when its similarity passes these.
  float reason_item_min = 0.3f, reason_collab_min = 0.2f;
};

// Read once when the catalogue is loaded: how well known and how good each movie is.
struct CatalogueTuning {
  // Quality is a Bayesian mean: MovieLens ratings shrunk toward `rating_prior_mean` with weight
  // `rating_prior_count`, else TMDB votes toward `vote_prior_mean` with `vote_prior_count`.
  double rating_prior_mean = 3.4, rating_prior_count = 10;
  double vote_prior_mean = 6.2, vote_prior_count = 20;
  float known_quality = 0.5f;   // "best known" order: popularity + known_quality * quality
  size_t best_known = 200;      // the best-known movies every message considers
  float title_quality = 0.01f;  // same-title tie-break: popularity + title_quality * quality
};

}  // namespace cinerag
