// A loaded catalogue with its content vectors in an int8 index: what a search runs against.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "core/error.h"
#include "search/index.h"
#include "store/catalogue.h"

namespace cinerag {

struct MovieHit {
  int64_t movie_id;
  float score;  // cosine similarity, approximate (int8)
};

class CatalogueIndex {
 public:
  // Takes an open catalogue and loads its 'content' vectors. Fails (nullptr, *error) when the
  // catalogue has no content vectors or they cannot be read.
  static std::unique_ptr<CatalogueIndex> build(std::unique_ptr<Catalogue> catalogue, Error* error);

  const Catalogue& catalogue() const { return *catalogue_; }
  size_t size() const { return index_.size(); }
  // The query's dims: the encoder's, even when the vectors are stored projected (PCA).
  size_t dims() const { return projection_.in_dims ? projection_.in_dims : index_.dims(); }
  size_t stored_dims() const { return index_.dims(); }

  // The content index (stored space) and the movie of each of its rows.
  const Int8Index& int8_index() const { return index_; }
  const std::vector<int64_t>& row_movie_ids() const { return movie_ids_; }
  // search() with a query already in the stored space: (stored_dims(),) f32.
  size_t search_stored(const float* query, size_t k, MovieHit* out) const;

  // Maps an encoder vector into the stored space: out = (stored_dims(),) f32.
  //   query: (dims(),) f32
  void project(const float* query, float* out) const;

  // The k movies nearest to `query` ((dims(),) f32, unit length).
  //   out: caller-provided, room for k; filled best first. Returns the count written.
  size_t search(const float* query, size_t k, Kernel kernel, MovieHit* out) const;

 private:
  CatalogueIndex(std::unique_ptr<Catalogue> catalogue, size_t dims)
      : catalogue_(std::move(catalogue)), index_(dims) {}

  std::unique_ptr<Catalogue> catalogue_;
  Int8Index index_;
  Projection projection_;           // empty when stored in the encoder's space
  std::vector<int64_t> movie_ids_;  // (size(),): index row -> movie_id
};

}  // namespace cinerag
