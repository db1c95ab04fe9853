// Korean release titles (and Korean director names) of films, read from kmrd-small's movies.txt
// and soojubm's films.json, and matched to catalogue movies by English title + year (native only).
#pragma once

#include <cstdint>
#include <istream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.h"
#include "data/sources.h"
#include "store/catalogue.h"

namespace cinerag {

// One row of a source: a Korean title and the English (or original) titles it gives.
struct KoreanTitle {
  std::string korean;                // "타이타닉"
  std::vector<std::string> english;  // every spelling the row gives: "Jeux Interdits", ...
  int year = 0;                      // production year as the source says
  std::string director_ko;           // films.json only: one director's Korean name, or ""
  uint64_t line = 0;                 // line (movies.txt) or entry index (films.json)
};

// kmrd-small/movies.txt: movie \t title \t title_eng \t year \t grade, header first. title_eng is
// "English[ , alt]... , production year"; rows without one are bad.
bool read_kmrd_movies(std::istream& in, std::vector<KoreanTitle>* out, ReadReport* report,
                      Error* error);
// soojubm/films.json: [{titlekorean, titleenglish, releasedate, director, ...}]. releasedate may
// be a number or a string; rows without an English title or a year are bad. The file's
// placeholders (one English title + year given to several Korean titles: "The Outcast" 1962 six
// times) are dropped and counted as bad. A director field naming several people is left empty.
// kCorrupt for non-JSON.
bool read_soojubm_films(std::string_view json, std::vector<KoreanTitle>* out, ReadReport* report,
                        Error* error);

// The key English titles are matched by: folded (case, accents), ASCII letters and digits only,
// a leading "the/a/an" and the word "part" dropped, roman numerals II-XII read as numbers, no
// spaces. "Back to the Future Part II" = "Back To The Future Part 2" -> "backtothefuture2".
std::string english_title_key(std::string_view title);

// Catalogue movies by title key and year: each movie under its title, original title and
// alternate titles (MovieLens a.k.a., TMDB).
class TitleYearIndex {
 public:
  explicit TitleYearIndex(const std::vector<Movie>& movies);

  enum class How : uint8_t { kNone, kExact, kNearYear, kTwoYears, kUndated, kAmbiguous };
  struct Match {
    How how = How::kNone;
    int64_t movie_id = 0;  // set for a match
  };
  // The one movie any of `titles` names in `year`; else the one a year off; else the one two
  // years off among films with at least kTwoYearsVotes TMDB votes (Korean lists often give the
  // Korean release: Titanic 1997 is "1999" in films.json; on films.json 6 of 7 such matches
  // were right, and 11 of 15 without the vote floor); else the only movie with the title, when
  // it has no year. Two or more at the first step that has any: kAmbiguous.
  static constexpr int64_t kTwoYearsVotes = 100;
  Match find(const std::vector<std::string>& titles, int year) const;

 private:
  struct Entry {
    int year;
    int64_t movie_id, votes;
  };
  std::unordered_map<std::string, std::vector<Entry>> by_key_;
};

struct KoreanTitleCounts {
  size_t rows = 0;       // rows read (good ones)
  size_t exact = 0;      // matched at the exact year
  size_t near_year = 0;  // matched one year off
  size_t two_years = 0;  // matched two years off (a film with many votes)
  size_t undated = 0;    // matched a movie without a year by its title alone
  size_t ambiguous = 0;  // two or more movies: skipped
  size_t unmatched = 0;
  size_t aliases = 0;  // new (movie, title) pairs this source added
};

// Korean aliases for matched rows, in movie_id order without repeats. A title the movie already
// has (its title, original or alternate titles, ignoring spaces and case) is not repeated.
// `counts` (one per source, in the order of `sources`) says how each source matched; with
// `director_ko` set, *directors gets (movie_id, Korean director name) for every match.
std::vector<TitleAlias> korean_aliases(
    const std::vector<Movie>& movies, const std::vector<const std::vector<KoreanTitle>*>& sources,
    std::vector<KoreanTitleCounts>* counts,
    std::vector<std::pair<int64_t, std::string>>* directors = nullptr);

}  // namespace cinerag
