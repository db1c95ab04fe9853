// Streaming the MovieLens ratings.csv (userId,movieId,rating,timestamp), up to the 32M-row file,
// in bounded memory: one buffer, one callback per rating, bad lines counted with line numbers.
#pragma once

#include <cstdint>
#include <functional>
#include <istream>

#include "core/error.h"
#include "data/sources.h"

namespace cinerag {

struct Rating {
  int64_t user_id;
  int64_t movie_id;
  float value;  // 0.5 .. 5
};

// Calls on_rating for every good line, in file order. A header line, a UTF-8 BOM and CRLF line
// ends are accepted. A line with fewer than three fields, a non-numeric id or a rating outside
// 0..5 is counted in *report and skipped. on_progress (may be empty) gets the bytes read so far
// every few MB. Fails only when the stream cannot be read at all.
bool read_ratings(std::istream& in, const std::function<void(const Rating&)>& on_rating,
                  const std::function<void(uint64_t bytes)>& on_progress, ReadReport* report,
                  Error* error);

}  // namespace cinerag
