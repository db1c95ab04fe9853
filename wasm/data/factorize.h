// The build's linear algebra (Eigen, native only): a PCA projection for the content vectors and
// collaborative item vectors from ratings by randomized truncated SVD.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace cinerag {

// The top principal directions of the rows of x (uncentred, so dot products are kept):
// returns (max_dims, dims) f32 row-major, strongest direction first; any prefix of its rows is
// the best projection of that size.
//   x: (n, dims) f32, row-major
std::vector<float> principal_directions(const float* x, size_t n, size_t dims, size_t max_dims);

// Ratings gathered for factorisation: (user, item) pairs with a value, items dense 0..n_items-1.
// Kept in fixed-size blocks so 32M ratings never need one huge reallocation.
class RatingTriplets {
 public:
  void add(uint32_t user, uint32_t item, float value);
  size_t size() const { return size_; }
  template <typename F>
  void for_each(F f) const {
    for (const auto& b : blocks_) {
      for (const auto& t : b) f(t.user, t.item, t.value);
    }
  }
  size_t bytes() const { return blocks_.size() * kBlock * sizeof(Triplet); }

 private:
  struct Triplet {
    uint32_t user, item;
    float value;
  };
  static constexpr size_t kBlock = 1 << 20;
  std::vector<std::vector<Triplet>> blocks_;
  size_t size_ = 0;
};

struct ItemFactors {
  size_t rank = 0;
  std::vector<float> vectors;  // (n_items, rank) f32, row-major; rows of items without ratings 0
};

// Item vectors whose inner products approximate the items' co-rating structure: each user's
// ratings are centred on that user's mean (so "loved" and "disliked" pull apart), the users x
// items matrix is factorised by randomized SVD (Halko et al., `power_iterations` rounds), and an
// item's vector is its row of V * S. Items with fewer than min_ratings ratings get a zero row.
ItemFactors item_factors(const RatingTriplets& ratings, size_t n_users, size_t n_items, size_t rank,
                         size_t min_ratings, int power_iterations = 2, uint32_t seed = 7);

}  // namespace cinerag
