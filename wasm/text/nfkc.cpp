// NFKC: full compatibility decomposition, canonical ordering, canonical composition (UAX #15).
#include "text/nfkc.h"

#include <algorithm>
#include <cstdint>
#include <iterator>

namespace cinerag {
namespace {

#include "text/unicode_tables.inc"

// Hangul syllables decompose and compose algorithmically (Unicode ch. 3.12).
constexpr char32_t kSBase = 0xAC00, kLBase = 0x1100, kVBase = 0x1161, kTBase = 0x11A7;
constexpr char32_t kLCount = 19, kVCount = 21, kTCount = 28;
constexpr char32_t kNCount = kVCount * kTCount, kSCount = kLCount * kNCount;

unsigned combining_class(char32_t cp) {
  if (cp < 0x300) return 0;
  const auto* end = std::end(kCombiningClass);
  const auto* it = std::lower_bound(std::begin(kCombiningClass), end, cp,
                                    [](const uint32_t(&row)[2], char32_t c) { return row[0] < c; });
  return (it != end && (*it)[0] == cp) ? (*it)[1] : 0;
}

void decompose(char32_t cp, std::u32string& out) {
  if (cp < 0xA0) {
    out.push_back(cp);
    return;
  }
  if (cp >= kSBase && cp < kSBase + kSCount) {
    const char32_t s = cp - kSBase;
    out.push_back(kLBase + s / kNCount);
    out.push_back(kVBase + (s % kNCount) / kTCount);
    if (s % kTCount) out.push_back(kTBase + s % kTCount);
    return;
  }
  const auto* end = std::end(kDecomposition);
  const auto* it = std::lower_bound(std::begin(kDecomposition), end, cp,
                                    [](const uint32_t(&row)[3], char32_t c) { return row[0] < c; });
  if (it == end || (*it)[0] != cp) {
    out.push_back(cp);
    return;
  }
  out.append(kDecompositionData + (*it)[1], kDecompositionData + (*it)[1] + (*it)[2]);
}

// Returns the primary composite of (a, b), or 0 when there is none.
char32_t compose(char32_t a, char32_t b) {
  if (a >= kLBase && a < kLBase + kLCount && b >= kVBase && b < kVBase + kVCount) {
    return kSBase + ((a - kLBase) * kVCount + (b - kVBase)) * kTCount;
  }
  if (a >= kSBase && a < kSBase + kSCount && (a - kSBase) % kTCount == 0 && b > kTBase &&
      b < kTBase + kTCount) {
    return a + (b - kTBase);
  }
  const auto* end = std::end(kComposition);
  const auto* it =
      std::lower_bound(std::begin(kComposition), end, std::make_pair(a, b),
                       [](const uint32_t(&row)[3], std::pair<char32_t, char32_t> k) {
                         return row[0] < k.first || (row[0] == k.first && row[1] < k.second);
                       });
  return (it != end && (*it)[0] == a && (*it)[1] == b) ? (*it)[2] : 0;
}

}  // namespace

const char* unicode_version() {
  return CINERAG_UNICODE_VERSION;
}

std::u32string nfkc(std::u32string_view cps) {
  if (std::all_of(cps.begin(), cps.end(), [](char32_t c) { return c < 0xA0; })) {
    return std::u32string(cps);
  }
  std::u32string d;
  d.reserve(cps.size() + cps.size() / 2);
  for (char32_t cp : cps) decompose(cp, d);

  // Canonical ordering: a stable sort by combining class inside each run of non-starters.
  for (size_t i = 0; i < d.size();) {
    if (combining_class(d[i]) == 0) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < d.size() && combining_class(d[j]) != 0) ++j;
    std::stable_sort(d.begin() + i, d.begin() + j, [](char32_t x, char32_t y) {
      return combining_class(x) < combining_class(y);
    });
    i = j;
  }

  // Canonical composition: a character joins the last starter unless something blocks it.
  std::u32string out;
  out.reserve(d.size());
  long starter = -1;  // index in `out` of the last starter, -1 before the first
  for (char32_t cp : d) {
    const unsigned cls = combining_class(cp);
    if (starter >= 0) {
      const bool adjacent = out.size() - 1 == static_cast<size_t>(starter);
      const unsigned prev = adjacent ? 0 : combining_class(out.back());
      if (adjacent || (prev != 0 && prev < cls)) {
        if (char32_t c = compose(out[starter], cp)) {
          out[starter] = c;
          continue;
        }
      }
    }
    if (cls == 0) starter = static_cast<long>(out.size());
    out.push_back(cp);
  }
  return out;
}

}  // namespace cinerag
