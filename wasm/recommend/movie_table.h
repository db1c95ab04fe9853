// The catalogue as the recommender reads it: every movie by row, with the per-movie values the
// ranking needs (genre bits, folded titles, popularity and quality priors), the content and
// collaborative vectors behind similarity, and the constraint filter. Built once at load.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/kept.h"
#include "recommend/catalogue_index.h"
#include "recommend/constraints.h"
#include "recommend/tuning.h"
#include "recommend/types.h"
#include "search/index.h"
#include "store/catalogue.h"

namespace cinerag {

// A movie's position in the table (movie_id order). The content index and the collaborative
// vectors have their own row spaces; the table maps between them and hides them.
using Row = uint32_t;
constexpr Row kNoRow = UINT32_MAX;

class MovieTable {
 public:
  // Reads every movie and the optional collaborative vectors. Fails when the movies cannot be
  // read, or when a collaborative table is present but damaged.
  static std::unique_ptr<MovieTable> build(const CatalogueIndex& index,
                                           const CatalogueTuning& tuning, Error* error);

  size_t size() const { return movies_.size(); }
  const Movie& movie(Row row) const { return movies_[row]; }
  const std::vector<Movie>& movies() const { return movies_; }
  // The row of a movie id, or kNoRow.
  Row row_of(int64_t movie_id) const;
  uint32_t genres(Row row) const { return genres_[row]; }
  const std::string& folded_title(Row row) const { return folded_titles_[row]; }
  float popularity(Row row) const { return popularity_[row]; }  // 0..1
  float quality(Row row) const { return quality_[row]; }        // 0..1
  // How well known a movie is: what orders the best-known candidates.
  float known_key(Row row) const { return popularity_[row] + known_quality_ * quality_[row]; }
  // The best-known movies, best first (CatalogueTuning::best_known of them).
  const std::vector<Row>& best_known() const { return best_known_; }
  // popularity + title_quality * quality: orders same-title movies in the title matcher.
  std::vector<float> title_prior(float title_quality) const;
  int newest_year() const { return newest_year_; }

  // Cosine of two movies' content vectors (int8), 0 when either has none.
  float content_sim(Row a, Row b) const;
  // Cosine of two movies' collaborative vectors, 0 when either has none.
  float collab_sim(Row a, Row b) const;
  // The movie's content vector in the stored space: (content_dims(),) f32, false when none.
  bool content_vector(Row row, float* out) const;
  size_t content_dims() const { return content_dims_; }
  // query . content vector of `row` ((content_dims(),) f32 query), 0 when it has none.
  float content_dot(const float* query, Row row) const;
  // The k movies whose content vectors are nearest to `query` ((content_dims(),) f32, already
  // in the stored space), best first.
  std::vector<Row> content_neighbours(const float* query, size_t k) const;
  // The k movies whose content vectors are nearest to `row`'s (itself included), best first.
  // Empty when it has none.
  std::vector<Row> content_neighbours(Row row, size_t k) const;
  // The k movies whose collaborative vectors are closest to `row`'s (itself included), best
  // first. Empty when it has none.
  std::vector<Row> collab_neighbours(Row row, size_t k) const;

  // Related movies of a kind (recommend/types.h NeighbourKind), in row order; empty when none.
  struct Neighbour {
    Row row;
    float weight;  // 0..1
  };
  // A view of one movie's list, valid while the table lives.
  struct NeighbourList {
    const Neighbour* first = nullptr;
    const Neighbour* last = nullptr;
    const Neighbour* begin() const { return first; }
    const Neighbour* end() const { return last; }
    size_t size() const { return static_cast<size_t>(last - first); }
  };
  NeighbourList neighbours(NeighbourKind kind, Row row) const;
  // How likely people are to suggest a film of this vote count and year (0..1; the build's
  // "suggestion_prior"), 0 when the catalogue has no such model.
  float suggested(Row row) const { return suggested_.empty() ? 0.0f : suggested_[row]; }

  // Whether the movie meets the hard constraints: no avoided genre, inside the years, the
  // runtime and the language asked for.
  bool passes(Row row, const Constraints& c) const;

 private:
  explicit MovieTable(const CatalogueIndex& index) : index_(index) {}
  bool read_collab(Error* error);
  bool read_neighbours(Error* error);
  bool read_suggestion_prior(Error* error);
  void compute_priors(const CatalogueTuning& tuning);

  const CatalogueIndex& index_;
  std::vector<Movie> movies_;                // movie_id order
  std::vector<uint32_t> genres_;             // (n,) genre bits
  std::vector<std::string> folded_titles_;   // (n,) fold_for_matching(title)
  std::vector<float> popularity_, quality_;  // (n,) 0..1
  float known_quality_ = 0.5f;
  std::vector<Row> best_known_;
  std::vector<uint32_t> content_row_;  // (n,) row -> content index row, kNoRow if none
  size_t content_dims_ = 0;
  std::vector<uint32_t> collab_row_;       // (n,) row -> collab row, kNoRow if none
  std::unique_ptr<F32BruteForce> collab_;  // (n_collab, collab dims) unit rows
  std::vector<Row> collab_movie_;          // (n_collab,) collab row -> row
  // Each kind's lists in one array: row r's are entries[offsets[r] .. offsets[r + 1]). One
  // allocation a kind instead of one a movie, which opening the catalogue paid for ~30k times.
  struct NeighbourLists {
    std::vector<uint32_t> offsets;  // (n + 1,), or empty: the catalogue has none of this kind
    std::vector<Neighbour> entries;
  };
  std::vector<NeighbourLists> neighbours_;  // (kinds,)
  std::vector<float> suggested_;  // (n,) or empty
  // The searches from a movie, kept: a conversation's liked films are searched from again with
  // every message. (row, k) -> rows, at most 2048 of each.
  using KeptSearches = Kept<uint64_t, std::vector<Row>>;
  std::unique_ptr<KeptSearches> content_cache_ = std::make_unique<KeptSearches>(2048);
  std::unique_ptr<KeptSearches> collab_cache_ = std::make_unique<KeptSearches>(2048);
  int newest_year_ = 0;
};

}  // namespace cinerag
