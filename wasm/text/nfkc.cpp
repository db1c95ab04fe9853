// NFKC: full compatibility decomposition, canonical ordering, canonical composition (UAX #15).
#include "text/nfkc.h"

#include <algorithm>
#include <cstdint>
#include <iterator>

#include "text/utf8.h"

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

std::u32string nfkd(std::u32string_view cps) {
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
  return d;
}

std::u32string nfkc(std::u32string_view cps) {
  if (std::all_of(cps.begin(), cps.end(), [](char32_t c) { return c < 0xA0; })) {
    return std::u32string(cps);
  }
  const std::u32string d = nfkd(cps);

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

namespace {

char32_t fold_case(char32_t c) {
  if (c >= 'A' && c <= 'Z') return c + 32;
  if (c >= 0x391 && c <= 0x3A9 && c != 0x3A2) return c + 32;  // Greek capitals
  if (c >= 0x410 && c <= 0x42F) return c + 32;                // Cyrillic capitals
  if (c >= 0x400 && c <= 0x40F) return c + 80;
  if (c < 0x250 && c >= 0x100 && (c & 1) == 0 && c != 0x130)
    return c + 1;  // Latin Extended-A/B pairs
  return c;
}

bool is_separator(char32_t c) {
  if (c < 0x80) return !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'));
  return (c >= 0x2000 && c <= 0x206F) || (c >= 0x3000 && c <= 0x303F) || c == 0xA0 ||
         (c >= 0xFF01 && c <= 0xFF0F) || c == 0xB7 || c == 0xBF || c == 0xA1 || c == 0xAB ||
         c == 0xBB;
}

}  // namespace

std::string fold_for_matching(std::string_view utf8) {
  const std::u32string d = nfkd(decode_utf8(utf8));
  std::u32string out;
  out.reserve(d.size());
  bool pending_space = false;
  for (char32_t c : d) {
    if (combining_class(c) != 0 || (c >= 0x300 && c <= 0x36F)) continue;  // accents
    c = fold_case(c);
    if (c == '&') {
      if (!out.empty()) out += U' ';
      out += U"and";
      pending_space = true;
      continue;
    }
    if (c == '\'' || c == 0x2019) continue;  // "don't" and "dont" fold alike
    if (is_separator(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += U' ';
    pending_space = false;
    out += c;
  }
  if (out.empty()) {
    // A title of symbols only ("$", "()") keeps its symbols, so it can still be matched.
    for (char32_t c : d) {
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') out += c;
    }
  }
  return encode_utf8(nfkc(out));  // recompose what decomposition split (Hangul syllables)
}

}  // namespace cinerag
