// libFuzzer target: any bytes through the catalogue build's readers (the CSV reader, the TMDB,
// tags and ratings readers, the Wikipedia JSON reader) must end, with every problem counted.
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>
#include <unordered_map>

#include "data/csv.h"
#include "data/ratings.h"
#include "data/sources.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  {
    std::istringstream in(bytes);
    cinerag::CsvReader reader(in, 4096);
    std::vector<std::string> fields;
    uint64_t records = 0;
    while (reader.next(&fields)) {
      if (fields.empty()) std::abort();        // a record always has at least one field
      if (++records > size + 1) std::abort();  // more records than bytes: a loop that never ends
    }
    if (reader.problems().size() > cinerag::CsvReader::kKeepProblems) std::abort();
  }
  cinerag::Error e;
  {
    std::istringstream in(bytes);
    std::vector<cinerag::TmdbMovie> out;
    cinerag::ReadReport r;
    cinerag::read_tmdb(in, &out, &r, &e);
    if (out.size() != r.rows) std::abort();
  }
  {
    std::istringstream in(bytes);
    std::unordered_map<int64_t, std::vector<std::string>> tags;
    cinerag::ReadReport r;
    cinerag::read_top_tags(in, 3, &tags, &r, &e);
    for (const auto& kv : tags) {
      if (kv.second.size() > 3) std::abort();
    }
  }
  {
    std::istringstream in(bytes);
    cinerag::ReadReport r;
    uint64_t n = 0;
    cinerag::read_ratings(
        in,
        [&](const cinerag::Rating& x) {
          ++n;
          if (!(x.value >= 0 && x.value <= 5) || x.user_id < 0 || x.movie_id < 0) std::abort();
        },
        {}, &r, &e);
    if (n != r.rows || n > size) std::abort();
  }
  {
    std::vector<cinerag::WikiFilm> films;
    cinerag::ReadReport r;
    cinerag::read_wikipedia(bytes, &films, &r, &e);
    if (films.size() != r.rows) std::abort();
  }
  return 0;
}
