// Readers for the catalogue build's inputs: MovieLens movies/links/tags, the TMDB CSV and the
// Wikipedia film JSON. Each reads a whole stream, counts and describes bad records, and fails
// only when the input cannot be the file it claims to be (e.g. a header without its columns).
#pragma once

#include <cstdint>
#include <istream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.h"
#include "data/csv.h"

namespace cinerag {

// What one reader saw: good records, bad ones and the first few bad ones described.
struct ReadReport {
  uint64_t rows = 0;  // records used
  uint64_t bad = 0;   // records skipped (malformed, wrong column count, non-numeric id, ...)
  std::vector<CsvProblem> problems;  // at most CsvReader::kKeepProblems

  void add_problem(uint64_t line, std::string message);
  // Folds a CsvReader's own problems (quoting) into this report.
  void add_csv_problems(const CsvReader& reader);
};

struct MovieLensMovie {
  int64_t movie_id = 0;
  std::string raw_title;  // "Matrix, The (1999)"
  std::string genres;     // "Action|Sci-Fi"; "" for "(no genres listed)"
};

struct Link {
  int64_t movie_id = 0;
  std::string imdb_id;  // "tt0133093"; "" when absent
  int64_t tmdb_id = 0;  // 0 when absent
};

struct TmdbMovie {
  int64_t id = 0;
  std::string title, original_title, original_language, overview, tagline, keywords, genres;
  std::string imdb_id, poster_path;
  int year = 0;  // from release_date; 0 when absent
  int runtime = 0;
  double popularity = 0, vote_average = 0;
  int64_t vote_count = 0;
  bool adult = false;
};

struct WikiFilm {
  std::string title;
  int year = 0;
  std::string extract;  // the article's lead paragraph
};

// movies.csv: movieId,title,genres.
bool read_movielens_movies(std::istream& in, std::vector<MovieLensMovie>* out, ReadReport* report,
                           Error* error);
// links.csv: movieId,imdbId,tmdbId (ids may be empty).
bool read_links(std::istream& in, std::vector<Link>* out, ReadReport* report, Error* error);
// tags.csv: userId,movieId,tag,timestamp -> for each movie its `per_movie` most used tags (case
// folded for counting, first spelling kept), most used first.
bool read_top_tags(std::istream& in, size_t per_movie,
                   std::unordered_map<int64_t, std::vector<std::string>>* out, ReadReport* report,
                   Error* error);
// The TMDB CSV in the columns of TMDB_movie_dataset_v11.csv, found by header name (any order,
// extra columns ignored). kWrongSchema when the header lacks `id` or `title`.
bool read_tmdb(std::istream& in, std::vector<TmdbMovie>* out, ReadReport* report, Error* error);
// One prust/wikipedia-movie-data file: a JSON array of {title, year, extract, ...}. kCorrupt
// when the text is not a JSON array; entries without a title or year are counted as bad.
bool read_wikipedia(std::string_view json, std::vector<WikiFilm>* out, ReadReport* report,
                    Error* error);

// A year from "1997-12-19" (or "1997"); 0 when there is none.
int year_of_date(std::string_view date);

}  // namespace cinerag
