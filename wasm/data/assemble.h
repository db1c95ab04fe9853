// Joining the sources into catalogue movies: MovieLens <-> TMDB by tmdbId, then by folded title +
// year (alternate titles, years off by one); Wikipedia by title + year; tags. And the text the
// encoder reads for each movie.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "data/sources.h"
#include "store/catalogue.h"

namespace cinerag {

struct BuildSources {
  std::vector<MovieLensMovie> movies;
  std::vector<Link> links;
  std::vector<TmdbMovie> tmdb;
  std::vector<WikiFilm> wikipedia;
  std::unordered_map<int64_t, std::vector<std::string>> tags;  // movieId -> top tags
};

// How much of the catalogue each source reached.
struct Coverage {
  size_t movies = 0;
  size_t tmdb_by_id = 0, tmdb_by_title = 0;  // movies joined to a TMDB record, and how
  size_t wikipedia = 0;                      // movies joined to a Wikipedia article
  size_t overview = 0;                       // movies with an overview (TMDB or Wikipedia)
  size_t overview_from_wikipedia = 0;
  size_t keywords = 0, tags = 0, original_title = 0, runtime = 0, poster = 0;
};

// One Movie per MovieLens movie, in movieId order; ratings fields are left 0 (filled from the
// ratings stream). Duplicated movieIds keep the first row.
std::vector<Movie> assemble_movies(const BuildSources& sources, Coverage* coverage);

// The encoder's text for a movie: "Title (year). Genres: a, b. <overview> Keywords: ... Tags: ...",
// at most max_bytes (cut at a word boundary, valid UTF-8).
std::string movie_text(const Movie& movie, size_t max_bytes = 1200);

}  // namespace cinerag
