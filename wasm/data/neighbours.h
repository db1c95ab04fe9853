// Related-movie lists for the catalogue build (native only): item-item similarity from users'
// ratings (item-kNN with shrinkage) and from counted pairs (what followed what in conversations).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
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

// The film series a title belongs to, as a key: the folded title without a subtitle after ':'
// and without a trailing number, roman numeral or "part N" ("toy story 3" -> "toy story",
// "star wars: episode iv" -> "star wars").
// "" for titles that name no series part (no colon, no number).
std::string series_key(const std::string& title);

// Films of the same series (equal series_key of a title with a sequel marker, or the plain title
// that key equals) are each other's neighbours with weight 1. Groups larger than max_group
// (remakes of common words) are skipped.
std::vector<ItemList> series_lists(const std::vector<std::string>& titles, size_t max_group);

}  // namespace cinerag
