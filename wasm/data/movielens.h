// MovieLens titles: "American President, The (1995)" -> "The American President", 1995, and the
// alternate titles MovieLens keeps in parentheses ("Seven (a.k.a. Se7en) (1995)").
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cinerag {

struct MovieLensTitle {
  std::string title;                    // display title, article moved to the front
  int year = 0;                         // release year; 0 when the title has none
  std::vector<std::string> alternates;  // parenthesised titles, in order, articles moved too
};

// Parses a movies.csv title. Never fails: text it cannot read stays in `title`.
MovieLensTitle parse_movielens_title(std::string_view raw);

// "Matrix, The" -> "The Matrix", "Avventura, L'" -> "L'Avventura"; other text unchanged.
std::string move_article_to_front(std::string_view title);

}  // namespace cinerag
