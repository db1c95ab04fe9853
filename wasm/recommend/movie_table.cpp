// Per-movie values computed once at load, and similarity between movies.
#include "recommend/movie_table.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "search/kernels.h"
#include "text/nfkc.h"

namespace cinerag {

std::unique_ptr<MovieTable> MovieTable::build(const CatalogueIndex& index,
                                              const CatalogueTuning& tuning, Error* error) {
  std::unique_ptr<MovieTable> t(new MovieTable(index));
  if (!index.catalogue().movies(&t->movies_, error)) return nullptr;
  const size_t n = t->movies_.size();
  t->genres_.resize(n);
  t->folded_titles_.resize(n);
  for (size_t i = 0; i < n; ++i) {
    t->genres_[i] = genre_mask(t->movies_[i].genres);
    t->folded_titles_[i] = fold_for_matching(t->movies_[i].title);
    t->newest_year_ = std::max(t->newest_year_, t->movies_[i].year);
  }
  t->compute_priors(tuning);
  t->content_dims_ = index.stored_dims();
  t->content_row_.assign(n, kNoRow);
  const auto& ids = index.row_movie_ids();
  for (size_t i = 0; i < ids.size(); ++i) {
    const Row row = t->row_of(ids[i]);
    if (row != kNoRow) t->content_row_[row] = static_cast<uint32_t>(i);
  }
  if (!t->read_collab(error) || !t->read_neighbours(error) || !t->read_suggestion_prior(error))
    return nullptr;
  return t;
}

// Popularity: the larger of log rating count and log TMDB vote count, each over the catalogue's
// largest. Quality: a Bayesian mean (MovieLens ratings, else TMDB votes), mapped to 0..1.
void MovieTable::compute_priors(const CatalogueTuning& tuning) {
  const size_t n = movies_.size();
  double max_count = 1, max_votes = 1;
  for (const Movie& m : movies_) {
    max_count = std::max<double>(max_count, static_cast<double>(m.rating_count));
    max_votes = std::max<double>(max_votes, static_cast<double>(m.vote_count));
  }
  popularity_.resize(n);
  quality_.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const Movie& m = movies_[i];
    const float pc =
        static_cast<float>(std::log1p(static_cast<double>(m.rating_count)) / std::log1p(max_count));
    const float pv =
        static_cast<float>(std::log1p(static_cast<double>(m.vote_count)) / std::log1p(max_votes));
    popularity_[i] = std::max(pc, pv);
    float q = 0.5f;
    if (m.rating_count > 0) {
      q = static_cast<float>((m.rating_mean * m.rating_count +
                              tuning.rating_prior_mean * tuning.rating_prior_count) /
                                 (m.rating_count + tuning.rating_prior_count) -
                             2.5) /
          2.0f;
    } else if (m.vote_count > 0) {
      q = static_cast<float>(
              (m.vote_average * m.vote_count + tuning.vote_prior_mean * tuning.vote_prior_count) /
                  (m.vote_count + tuning.vote_prior_count) -
              5.0) /
          4.0f;
    }
    quality_[i] = std::min(1.0f, std::max(0.0f, q));
  }
  // The best-known movies do not change between messages: rank them once.
  known_quality_ = tuning.known_quality;
  std::vector<Row> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = static_cast<Row>(i);
  const size_t keep = std::min(tuning.best_known, n);
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(keep), order.end(),
                    [&](Row a, Row b) { return known_key(a) > known_key(b); });
  best_known_.assign(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(keep));
}

// The collaborative vectors are optional (a catalogue built without ratings has none); when the
// table is there it must be readable.
bool MovieTable::read_collab(Error* error) {
  collab_row_.assign(movies_.size(), kNoRow);
  Error e;
  const std::vector<std::string> kinds = index_.catalogue().vector_kinds(&e);
  if (!e.ok()) return fail(error, e.code, e.message);
  if (std::find(kinds.begin(), kinds.end(), "collab") == kinds.end()) return true;
  VectorSet collab;
  if (!index_.catalogue().read_vectors("collab", &collab, error)) return false;
  collab_ = std::make_unique<F32BruteForce>(collab.dims);
  std::vector<float> v(collab.dims);
  for (size_t i = 0; i < collab.movie_ids.size(); ++i) {
    const Row row = row_of(collab.movie_ids[i]);
    if (row == kNoRow) continue;
    collab_row_[row] = static_cast<uint32_t>(collab_movie_.size());
    collab_movie_.push_back(row);
    for (size_t d = 0; d < collab.dims; ++d) {
      v[d] = collab.scales[i] * collab.rows[i * collab.dims + d];
    }
    collab_->add(v.data());
  }
  return true;
}

// The related-movie lists are optional; a damaged one is an error.
bool MovieTable::read_neighbours(Error* error) {
  neighbours_.assign(kNeighbourKinds, {});
  for (int k = 0; k < kNeighbourKinds; ++k) {
    NeighbourSet set;
    if (!index_.catalogue().read_neighbours(neighbour_kind_name(static_cast<NeighbourKind>(k)),
                                            &set, error))
      return false;
    if (set.movie_ids.empty()) continue;
    // The set is in movie_id order, as the table is: its owners' rows ascend, so each row's list
    // is appended in turn and rows without one get an empty range.
    NeighbourLists& lists = neighbours_[k];
    lists.offsets.assign(movies_.size() + 1, 0);
    lists.entries.reserve(set.neighbours.size());
    Row next = 0;  // the first row whose offset is not yet set
    for (size_t i = 0; i < set.movie_ids.size(); ++i) {
      const Row owner = row_of(set.movie_ids[i]);
      if (owner == kNoRow || owner < next) continue;
      for (; next <= owner; ++next) lists.offsets[next] = static_cast<uint32_t>(lists.entries.size());
      // Stored ascending by movie id, so the rows ascend too: kept in that order (sorting them
      // by weight cost a tenth of opening the catalogue, and every reader takes the whole list).
      for (uint32_t j = set.offsets[i]; j < set.offsets[i + 1]; ++j) {
        if (const Row row = row_of(set.neighbours[j]); row != kNoRow) {
          lists.entries.push_back({row, set.weights[j]});
        }
      }
    }
    for (; next <= movies_.size(); ++next)
      lists.offsets[next] = static_cast<uint32_t>(lists.entries.size());
  }
  return true;
}

// meta "suggestion_prior": {"vote_edges": [...], "year_edges": [...], "values": [...]}, values
// row-major by (vote band, year band); a band is the number of edges <= the value.
bool MovieTable::read_suggestion_prior(Error* error) {
  Error e;
  const std::string text = index_.catalogue().meta("suggestion_prior", &e);
  if (!e.ok()) return fail(error, e.code, e.message);
  if (text.empty()) return true;
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  auto numbers = [&](const char* key, std::vector<double>* out) {
    if (!j.is_object() || !j.contains(key) || !j[key].is_array()) return false;
    for (const auto& x : j[key]) {
      if (!x.is_number()) return false;
      out->push_back(x.get<double>());
    }
    return true;
  };
  std::vector<double> vote_edges, year_edges, values;
  if (!numbers("vote_edges", &vote_edges) || !numbers("year_edges", &year_edges) ||
      !numbers("values", &values) ||
      values.size() != (vote_edges.size() + 1) * (year_edges.size() + 1)) {
    return fail(error, ErrorCode::kCorrupt, "the catalogue's suggestion_prior is damaged");
  }
  auto band = [](const std::vector<double>& edges, double v) {
    return static_cast<size_t>(std::upper_bound(edges.begin(), edges.end(), v) - edges.begin());
  };
  suggested_.resize(movies_.size());
  for (size_t i = 0; i < movies_.size(); ++i) {
    const size_t b =
        band(vote_edges, static_cast<double>(movies_[i].vote_count)) * (year_edges.size() + 1) +
        band(year_edges, movies_[i].year);
    suggested_[i] = static_cast<float>(values[b]);
  }
  return true;
}

MovieTable::NeighbourList MovieTable::neighbours(NeighbourKind kind, Row row) const {
  const NeighbourLists& lists = neighbours_[static_cast<size_t>(kind)];
  if (lists.offsets.empty()) return {};
  const Neighbour* entries = lists.entries.data();
  return {entries + lists.offsets[row], entries + lists.offsets[row + 1]};
}

Row MovieTable::row_of(int64_t movie_id) const {
  const auto it = std::lower_bound(movies_.begin(), movies_.end(), movie_id,
                                   [](const Movie& m, int64_t id) { return m.movie_id < id; });
  return it != movies_.end() && it->movie_id == movie_id ? static_cast<Row>(it - movies_.begin())
                                                         : kNoRow;
}

std::vector<float> MovieTable::title_prior(float title_quality) const {
  std::vector<float> out(movies_.size());
  for (size_t i = 0; i < out.size(); ++i) out[i] = popularity_[i] + title_quality * quality_[i];
  return out;
}

float MovieTable::content_sim(Row a, Row b) const {
  const uint32_t ra = content_row_[a], rb = content_row_[b];
  if (ra == kNoRow || rb == kNoRow) return 0;
  const Int8Index& ix = index_.int8_index();
  const int8_t* va = ix.rows() + static_cast<size_t>(ra) * content_dims_;
  const int8_t* vb = ix.rows() + static_cast<size_t>(rb) * content_dims_;
  return static_cast<float>(dot_i8_simd(va, vb, content_dims_)) * ix.scales()[ra] * ix.scales()[rb];
}

bool MovieTable::content_vector(Row row, float* out) const {
  const uint32_t cr = content_row_[row];
  if (cr == kNoRow) return false;
  const Int8Index& ix = index_.int8_index();
  const int8_t* v = ix.rows() + static_cast<size_t>(cr) * content_dims_;
  for (size_t d = 0; d < content_dims_; ++d) out[d] = v[d] * ix.scales()[cr];
  return true;
}

float MovieTable::content_dot(const float* query, Row row) const {
  const uint32_t cr = content_row_[row];
  if (cr == kNoRow) return 0;
  const Int8Index& ix = index_.int8_index();
  const int8_t* v = ix.rows() + static_cast<size_t>(cr) * content_dims_;
  float dot = 0;
  for (size_t d = 0; d < content_dims_; ++d) dot += query[d] * v[d];
  return dot * ix.scales()[cr];
}

float MovieTable::collab_sim(Row a, Row b) const {
  const uint32_t sa = collab_row_[a], sb = collab_row_[b];
  if (sa == kNoRow || sb == kNoRow) return 0;
  const float* va = collab_->row(sa);
  const float* vb = collab_->row(sb);
  float s = 0;
  for (size_t d = 0; d < collab_->dims(); ++d) s += va[d] * vb[d];
  return s;
}

std::vector<Row> MovieTable::content_neighbours(const float* query, size_t k) const {
  std::vector<MovieHit> hits(std::min(k, index_.size()));
  hits.resize(index_.search_stored(query, hits.size(), hits.data()));
  std::vector<Row> out;
  out.reserve(hits.size());
  for (const MovieHit& h : hits) {
    if (const Row row = row_of(h.movie_id); row != kNoRow) out.push_back(row);
  }
  return out;
}

namespace {

uint64_t search_key(Row row, size_t k) { return uint64_t{row} << 32 | static_cast<uint32_t>(k); }

}  // namespace

std::vector<Row> MovieTable::content_neighbours(Row row, size_t k) const {
  return content_cache_->get(search_key(row, k), 1, [&] {
    std::vector<float> v(content_dims_);
    return content_vector(row, v.data()) ? content_neighbours(v.data(), k) : std::vector<Row>{};
  });
}

std::vector<Row> MovieTable::collab_neighbours(Row row, size_t k) const {
  return collab_cache_->get(search_key(row, k), 1, [&] {
    const uint32_t slot = collab_row_[row];
    if (slot == kNoRow) return std::vector<Row>{};
    std::vector<Hit> hits(std::min(k, collab_->size()));
    hits.resize(collab_->search(collab_->row(slot), hits.size(), hits.data()));
    std::vector<Row> out(hits.size());
    for (size_t i = 0; i < hits.size(); ++i) out[i] = collab_movie_[hits[i].row];
    return out;
  });
}

bool MovieTable::passes(Row row, const Constraints& c) const {
  const Movie& m = movies_[row];
  if (genres_[row] & c.avoid_genres) return false;
  if (c.year_min && (m.year == 0 || m.year < c.year_min)) return false;
  if (c.year_max && (m.year == 0 || m.year > c.year_max)) return false;
  if (c.runtime_max && (m.runtime == 0 || m.runtime > c.runtime_max)) return false;
  if (!c.language.empty() && m.original_language != c.language) return false;
  return true;
}

}  // namespace cinerag
