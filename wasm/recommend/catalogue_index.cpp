// Loading a catalogue's content vectors into the int8 index and mapping rows back to movies.
#include "recommend/catalogue_index.h"

#include <algorithm>

namespace cinerag {

std::unique_ptr<CatalogueIndex> CatalogueIndex::build(std::unique_ptr<Catalogue> catalogue,
                                                      Error* error) {
  if (!catalogue) {
    fail(error, ErrorCode::kInvalidArgument, "no catalogue");
    return nullptr;
  }
  VectorSet vectors;
  if (!catalogue->read_vectors("content", &vectors, error)) {
    // Without content vectors there is nothing to search: not a catalogue this app can use.
    if (error && error->code == ErrorCode::kInvalidArgument) error->code = ErrorCode::kWrongSchema;
    return nullptr;
  }
  Projection projection;
  if (!catalogue->read_projection("content", &projection, error)) return nullptr;
  if (projection.in_dims && projection.out_dims != vectors.dims) {
    fail(error, ErrorCode::kCorrupt, "the content projection does not match the content vectors");
    return nullptr;
  }
  std::unique_ptr<CatalogueIndex> ci(new CatalogueIndex(std::move(catalogue), vectors.dims));
  ci->projection_ = std::move(projection);
  if (!ci->index_.assign(std::move(vectors.rows), std::move(vectors.scales))) {
    fail(error, ErrorCode::kInternal, "content vectors and scales disagree in size");
    return nullptr;
  }
  ci->movie_ids_ = std::move(vectors.movie_ids);
  return ci;
}

void CatalogueIndex::project(const float* query, float* out) const {
  const size_t in = projection_.in_dims;
  if (!in) {
    std::copy(query, query + index_.dims(), out);
    return;
  }
  for (size_t o = 0; o < projection_.out_dims; ++o) {
    const float* row = projection_.matrix.data() + o * in;
    float acc = 0;
    for (size_t i = 0; i < in; ++i) acc += row[i] * query[i];
    out[o] = acc;
  }
}

size_t CatalogueIndex::search_stored(const float* query, size_t k, MovieHit* out) const {
  std::vector<Hit> hits(std::min(k, size()));
  const size_t n = index_.search(query, hits.size(), hits.data());
  for (size_t i = 0; i < n; ++i) out[i] = {movie_ids_[hits[i].row], hits[i].score};
  return n;
}

size_t CatalogueIndex::search(const float* query, size_t k, Kernel kernel, MovieHit* out) const {
  std::vector<float> q(index_.dims());
  project(query, q.data());
  std::vector<Hit> hits(std::min(k, size()));
  const size_t n = index_.search_with(kernel, q.data(), hits.size(), hits.data());
  for (size_t i = 0; i < n; ++i) out[i] = {movie_ids_[hits[i].row], hits[i].score};
  return n;
}

}  // namespace cinerag
