// Constraints in words: genres ("no horror"), decades and years ("90s", "after 2010", "recent"),
// "short", "highly rated", language ("Korean movies"), kids/family, "something lighter" — in
// English and Korean phrasings.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cinerag {

// MovieLens genres, in bit order.
extern const char* const kGenreNames[];
constexpr int kGenreCount = 19;
uint32_t genre_mask(std::string_view movielens_genres);  // "Drama|Romance" -> bits

struct Constraints {
  uint32_t want_genres = 0;        // a result should have at least one (a soft preference)
  uint32_t avoid_genres = 0;       // a result must have none
  int year_min = 0, year_max = 0;  // 0: open
  int runtime_max = 0;             // minutes; 0: open
  bool highly_rated = false;
  std::string language;  // ISO 639-1 of the original language, "" for any
  bool kids = false, lighter = false;
  int asked_year = 0;                   // the newest year the message asks for (to spot years past
                                        // the catalogue)
  std::vector<std::string> understood;  // the phrases read, e.g. "90s", "no horror"

  bool any() const {
    return want_genres || avoid_genres || year_min || year_max || runtime_max || highly_rated ||
           !language.empty() || kids || lighter;
  }
};

// Reads the constraints in `text`. `newest_year`: the catalogue's newest release year ("recent"
// means the last five years of it).
Constraints parse_constraints(std::string_view text, int newest_year);
// The same from text already folded (fold_for_matching), as recommend/message.h keeps it.
Constraints parse_folded_constraints(const std::string& folded, int newest_year);

}  // namespace cinerag
