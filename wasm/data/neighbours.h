// Related-movie lists for the catalogue build (native only): item-item similarity from users'
// ratings (item-kNN with shrinkage) and from counted pairs (what followed what in conversations).
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace cinerag {

using ItemList = std::vector<std::pair<uint32_t, float>>;  // (item, weight), best first

struct ItemKnnOptions {
  size_t top_n = 50;          // neighbours kept per item
  float shrink = 20;          // sim = co / (sqrt(n_i * n_j) + shrink): rare pairs count less
  size_t min_support = 2;     // users two items share before they count as related
  size_t max_per_user = 500;  // a user's items beyond this are sampled down (deterministic)
};

// Item-item cosine over implicit interactions (a user liked both), shrunk toward 0 for items few
// users share. user_items[u]: the items user u liked (any order, no repeats).
// Returns (n_items,) lists, best first; items nobody liked get an empty list.
std::vector<ItemList> item_knn(const std::vector<std::vector<uint32_t>>& user_items,
                               size_t n_items, const ItemKnnOptions& options);

// Conditional lists from counted pairs: weight(a -> b) = count(a, b) / (count(a, *) + shrink).
// pairs: (a, b, count); returns (n_items,) lists of the top_n b per a, best first.
std::vector<ItemList> pair_lists(const std::vector<std::pair<std::pair<uint32_t, uint32_t>, float>>& pairs,
                                 size_t n_items, size_t top_n, float shrink);

}  // namespace cinerag
