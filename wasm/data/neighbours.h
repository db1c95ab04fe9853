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
std::vector<ItemList> item_knn(const std::vector<std::vector<uint32_t>>& user_items, size_t n_items,
                               const ItemKnnOptions& options);

// Conditional lists from counted pairs: weight(a -> b) = count(a, b) / (count(a, *) + shrink).
// pairs: (a, b, count); returns (n_items,) lists of the top_n b per a, best first.
std::vector<ItemList> pair_lists(
    const std::vector<std::pair<std::pair<uint32_t, uint32_t>, float>>& pairs, size_t n_items,
    size_t top_n, float shrink);

// The film series a title belongs to, as a key: the folded title without a subtitle after ':'
// and without a trailing number, roman numeral or "part N" ("toy story 3" -> "toy story",
// "star wars: episode iv" -> "star wars").
// "" for titles that name no series part (no colon, no number).
std::string series_key(const std::string& title);

// Films of the same series (equal series_key of a title with a sequel marker, or the plain title
// that key equals) are each other's neighbours with weight 1. Groups larger than max_group
// (remakes of common words) are skipped.
std::vector<ItemList> series_lists(const std::vector<std::string>& titles, size_t max_group);

// A film's people, as person ids (any numbering shared by all films): directors, then the cast
// in billing order.
struct FilmPeople {
  std::vector<uint32_t> directors, cast;
};
struct SharedPeopleOptions {
  float director = 0.6f;   // per shared director
  float lead = 0.3f;       // per shared lead actor
  size_t leads = 3;        // the first billed who count as leads
  size_t max_films = 150;  // people credited on more films in a role (collective names,
                           // sources' errors) are left out
  size_t top_n = 50;
};
// Films that share directors or leads, the shares summed and capped at 1, best first.
std::vector<ItemList> shared_people_lists(const std::vector<FilmPeople>& films,
                                          const SharedPeopleOptions& options);

// How often films of each vote-count and year band were suggested in conversations, smoothed
// toward the overall rate (`strength` films' worth) and scaled so the best band is 1: the shape
// of "what people suggest". values: row-major by (vote band, year band); a band is the number of
// edges <= the value.
struct SuggestionPrior {
  std::vector<double> vote_edges, year_edges, values;
  double suggestions = 0;
};
SuggestionPrior fit_suggestion_prior(const std::vector<int64_t>& vote_counts,
                                     const std::vector<int>& years,
                                     const std::vector<double>& suggested, double strength = 20);

}  // namespace cinerag
