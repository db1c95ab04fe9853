// A hand-rolled line parser: the general CSV reader costs a virtual call per byte, too slow for
// 877 MB; ratings lines have no quotes, so a line is split on commas directly.
#include "data/ratings.h"

#include <cstring>
#include <string>
#include <vector>

namespace cinerag {
namespace {

bool parse_id(const char* b, const char* e, int64_t* out) {
  if (b == e || e - b > 18) return false;
  int64_t v = 0;
  for (; b != e; ++b) {
    if (*b < '0' || *b > '9') return false;
    v = v * 10 + (*b - '0');
  }
  *out = v;
  return true;
}

// "4", "4.0", "3.5", "0.5": ratings have at most one decimal place in every MovieLens release.
bool parse_rating(const char* b, const char* e, float* out) {
  if (b == e || e - b > 8) return false;
  char buf[9];
  std::memcpy(buf, b, static_cast<size_t>(e - b));
  buf[e - b] = '\0';
  char* end = nullptr;
  const float v = std::strtof(buf, &end);
  if (end != buf + (e - b) || !(v >= 0.0f && v <= 5.0f)) return false;
  *out = v;
  return true;
}

}  // namespace

bool read_ratings(std::istream& in, const std::function<void(const Rating&)>& on_rating,
                  const std::function<void(uint64_t bytes)>& on_progress, ReadReport* report,
                  Error* error) {
  constexpr size_t kChunk = 1 << 20;
  constexpr size_t kMaxLine = 4096;
  std::vector<char> buf(kChunk + kMaxLine);
  size_t have = 0;  // bytes in buf not yet consumed, starting at buf[0]
  uint64_t line = 0, bytes = 0, next_progress = 8 << 20;
  bool first = true, eof = false;
  while (!eof || have > 0) {
    if (!eof) {
      in.read(buf.data() + have, static_cast<std::streamsize>(kChunk));
      const size_t got = static_cast<size_t>(in.gcount());
      if (got == 0 && in.bad()) return fail(error, ErrorCode::kIo, "cannot read the ratings");
      if (got < kChunk) eof = true;
      have += got;
      bytes += got;
    }
    size_t pos = 0;
    if (first && have >= 3 && std::memcmp(buf.data(), "\xEF\xBB\xBF", 3) == 0) pos = 3;
    for (;;) {
      const char* start = buf.data() + pos;
      const char* nl = static_cast<const char*>(std::memchr(start, '\n', have - pos));
      if (!nl) {
        if (!eof) {
          if (have - pos > kMaxLine) {  // a line longer than any rating line: drop it
            ++line;
            report->add_problem(line, "line longer than " + std::to_string(kMaxLine) + " bytes");
            // skip to the next newline in later chunks
            pos = have;
            while (true) {
              in.read(buf.data(), static_cast<std::streamsize>(kChunk));
              const size_t got = static_cast<size_t>(in.gcount());
              bytes += got;
              if (got < kChunk) eof = true;
              const char* p = static_cast<const char*>(std::memchr(buf.data(), '\n', got));
              if (p) {
                const size_t rest = got - static_cast<size_t>(p + 1 - buf.data());
                std::memmove(buf.data(), p + 1, rest);
                have = rest;
                pos = 0;
                break;
              }
              if (eof) {
                have = 0;
                pos = 0;
                break;
              }
            }
            continue;
          }
          break;  // need more bytes for this line
        }
        if (pos == have) break;
        nl = buf.data() + have;  // the last line has no newline
      }
      ++line;
      const char* end = nl;
      if (end > start && end[-1] == '\r') --end;
      const size_t consumed = static_cast<size_t>(nl - buf.data()) + (nl < buf.data() + have);
      pos = consumed;
      if (first) {
        first = false;
        if (end > start && (*start < '0' || *start > '9')) continue;  // the header
      }
      if (end == start) continue;  // blank line
      const char* c1 = static_cast<const char*>(std::memchr(start, ',', end - start));
      const char* c2 =
          c1 ? static_cast<const char*>(std::memchr(c1 + 1, ',', end - c1 - 1)) : nullptr;
      if (!c2) {
        report->add_problem(line, "expected userId,movieId,rating[,timestamp]");
        continue;
      }
      const char* c3 = static_cast<const char*>(std::memchr(c2 + 1, ',', end - c2 - 1));
      if (!c3) c3 = end;
      Rating r;
      if (!parse_id(start, c1, &r.user_id) || !parse_id(c1 + 1, c2, &r.movie_id)) {
        report->add_problem(line, "userId or movieId is not a number");
        continue;
      }
      if (!parse_rating(c2 + 1, c3, &r.value)) {
        report->add_problem(line, "rating '" + std::string(c2 + 1, c3) + "' is not 0..5");
        continue;
      }
      ++report->rows;
      on_rating(r);
    }
    std::memmove(buf.data(), buf.data() + pos, have - pos);
    have -= pos;
    if (eof && have == 0) break;
    if (on_progress && bytes >= next_progress) {
      on_progress(bytes);
      next_progress = bytes + (8 << 20);
    }
  }
  if (on_progress) on_progress(bytes);
  return true;
}

}  // namespace cinerag
