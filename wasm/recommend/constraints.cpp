// Keyword rules over the folded message; a negation word shortly before (or a Korean "말고/빼고"
// after) turns a genre from wanted into avoided.
#include "recommend/constraints.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>

#include "recommend/message.h"
#include "text/nfkc.h"

namespace cinerag {

const char* const kGenreNames[] = {"Action", "Adventure",   "Animation", "Children", "Comedy",
                                   "Crime",  "Documentary", "Drama",     "Fantasy",  "Film-Noir",
                                   "Horror", "IMAX",        "Musical",   "Mystery",  "Romance",
                                   "Sci-Fi", "Thriller",    "War",       "Western"};

uint32_t genre_mask(std::string_view genres) {
  uint32_t mask = 0;
  size_t start = 0;
  while (start <= genres.size()) {
    const size_t bar = genres.find('|', start);
    const std::string_view g =
        genres.substr(start, bar == std::string_view::npos ? std::string_view::npos : bar - start);
    for (int i = 0; i < kGenreCount; ++i) {
      if (g == kGenreNames[i]) mask |= 1u << i;
    }
    if (bar == std::string_view::npos) break;
    start = bar + 1;
  }
  return mask;
}

namespace {

struct GenreWords {
  int genre;
  std::vector<const char*> words;  // folded; English ones match whole words, Korean substrings
};

const std::vector<GenreWords>& genre_words() {
  static const std::vector<GenreWords> table = {
      // Genres by name, and the moods that ask for them ("something sad", "무서운 영화").
      {0, {"action", "액션", "신나는", "화끈한"}},
      {1, {"adventure", "adventures", "모험", "어드벤처"}},
      {2, {"animated", "animation", "cartoon", "cartoons", "anime", "pixar", "애니메이션", "애니"}},
      {3, {"children", "childrens", "어린이"}},
      {4,
       {"comedy", "comedies", "funny", "hilarious", "rom com", "romcom", "코미디", "웃긴", "웃기",
        "유쾌한"}},
      {5, {"crime", "gangster", "heist", "mafia", "mob", "범죄", "갱스터"}},
      {6, {"documentary", "documentaries", "다큐", "다큐멘터리"}},
      {7,
       {"drama", "dramas", "sad", "tearjerker", "tear jerker", "heartbreaking", "드라마", "슬픈",
        "슬프", "눈물", "감동", "감성", "잔잔한"}},
      {8, {"fantasy", "magic", "판타지"}},
      {9, {"noir", "누아르"}},
      {10, {"horror", "scary", "slasher", "공포", "호러", "무서운", "무섭", "소름"}},
      {12, {"musical", "musicals", "뮤지컬"}},
      {13, {"mystery", "mysteries", "whodunit", "detective", "미스터리", "추리"}},
      {14,
       {"romance", "romantic", "love story", "rom com", "romcom", "로맨스", "멜로", "사랑", "설레",
        "달달한"}},
      {15, {"sci fi", "scifi", "science fiction", "space", "sf", "공상과학"}},
      {16, {"thriller", "thrillers", "suspense", "스릴러", "긴장감"}},
      {17, {"war movie", "war movies", "war film", "war films", "전쟁"}},
      {18, {"western", "westerns", "cowboy", "cowboys", "서부"}},
  };
  return table;
}

// Is the genre word at `pos` negated: "no horror", "not a horror", "without horror", "hate
// horror", "anything but horror"; "호러 말고", "공포 빼고", "공포는 싫어".
bool negated(const std::string& text, size_t pos, size_t len) {
  const std::string before = text.substr(pos >= 30 ? pos - 30 : 0, pos >= 30 ? 30 : pos);
  static const char* const kBefore[] = {
      "no ",      "not ",       "without ",   "except ", "but ",     "hate ",     "avoid ",
      "nothing ", "dont like ", "dont want ", "not a ",  "no more ", "not into ", "tired of "};
  for (const char* w : kBefore) {
    const size_t at = before.rfind(w);
    if (at == std::string::npos) continue;
    if (at != 0 && before[at - 1] != ' ') continue;
    // close enough: at most one word between the negation and the genre
    const std::string gap = before.substr(at + std::strlen(w));
    if (std::count(gap.begin(), gap.end(), ' ') <= 1) return true;
  }
  const std::string after = text.substr(pos + len, 16);
  for (const char* w : {"말고", "빼고", "제외", "싫", "말구"}) {
    if (after.find(w) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

Constraints parse_constraints(std::string_view raw, int newest_year) {
  return parse_folded_constraints(fold_for_matching(raw), newest_year);
}

Constraints parse_folded_constraints(const std::string& t, int newest_year) {
  Constraints c;
  // Genres.
  for (const auto& g : genre_words()) {
    for (const char* w : g.words) {
      for (size_t p : find_phrase(t, w)) {
        if (negated(t, p, std::strlen(w))) {
          c.avoid_genres |= 1u << g.genre;
          c.understood.push_back(std::string("no ") + kGenreNames[g.genre]);
        } else {
          c.want_genres |= 1u << g.genre;
          c.understood.push_back(kGenreNames[g.genre]);
        }
      }
    }
  }
  c.want_genres &= ~c.avoid_genres;
  // Decades: "90s", "1990s", "the 80's", "80년대", "1990년대".
  auto scan_decade = [&](const std::string& suffix) {
    for (size_t p = t.find(suffix); p != std::string::npos; p = t.find(suffix, p + 1)) {
      size_t b = p;
      while (b > 0 && std::isdigit(static_cast<unsigned char>(t[b - 1]))) --b;
      const std::string digits = t.substr(b, p - b);
      if (digits.size() != 2 && digits.size() != 4) continue;
      if (p + suffix.size() < t.size() &&
          std::isalpha(static_cast<unsigned char>(t[p + suffix.size()])))
        continue;
      int y = std::atoi(digits.c_str());
      if (digits.size() == 2) y += y >= 20 ? 1900 : 2000;
      if (y % 10 != 0 || y < 1900 || y > 2090) continue;
      c.year_min = y;
      c.year_max = y + 9;
      c.asked_year = std::max(c.asked_year, y);
      c.understood.push_back(digits + "s");
    }
  };
  scan_decade("s");
  scan_decade("년대");
  // Years: "after 2010", "since 2015", "before 2000", "from 2019", "2023 movies", "2024년".
  for (size_t p = 0; p + 4 <= t.size(); ++p) {
    if (!std::isdigit(static_cast<unsigned char>(t[p])) ||
        (p > 0 && std::isdigit(static_cast<unsigned char>(t[p - 1]))))
      continue;
    size_t e = p;
    while (e < t.size() && std::isdigit(static_cast<unsigned char>(t[e]))) ++e;
    if (e - p != 4 || (e < t.size() && t[e] == 's')) continue;
    const int y = std::atoi(t.substr(p, 4).c_str());
    if (y < 1900 || y > 2100) continue;
    const std::string before = t.substr(p >= 12 ? p - 12 : 0, p >= 12 ? 12 : p);
    auto ends_with = [&](const char* w) {
      const size_t n = std::strlen(w);
      return before.size() >= n && before.compare(before.size() - n, n, w) == 0;
    };
    if (ends_with("after ") || ends_with("since ") || ends_with("from ") ||
        ends_with("newer than ")) {
      c.year_min = ends_with("after ") ? y + 1 : y;
      c.understood.push_back("after " + std::to_string(y));
    } else if (ends_with("before ") || ends_with("older than ") || ends_with("until ")) {
      c.year_max = ends_with("until ") ? y : y - 1;
      c.understood.push_back("before " + std::to_string(y));
    } else if (t.compare(e, 4, " 이후") == 0) {
      c.year_min = y;
      c.understood.push_back("after " + std::to_string(y));
    } else if (t.compare(e, 4, " 이전") == 0) {
      c.year_max = y;
      c.understood.push_back("before " + std::to_string(y));
    } else if (y > newest_year) {
      // "2025 movies": past the catalogue (see asked_year); the closest it has are its newest.
      c.year_min = newest_year - 4;
      c.understood.push_back(std::to_string(y));
    }
    c.asked_year = std::max(c.asked_year, y);
  }
  for (const char* w : {"recent", "newest", "latest", "modern", "최신", "요즘", "최근"}) {
    if (has_phrase(t, w) && !c.year_min) {
      c.year_min = newest_year - 5;
      c.understood.push_back("recent");
      if (std::string(w) == "newest" || std::string(w) == "latest") c.asked_year = newest_year + 1;
    }
  }
  for (const char* w : {"old", "classic", "classics", "oldies", "고전", "옛날"}) {
    if (has_phrase(t, w) && !c.year_max) {
      c.year_max = 1979;
      c.understood.push_back("classic");
    }
  }
  // Runtime.
  for (const char* w : {"short", "shorter", "quick", "짧은", "짧게"}) {
    if (has_phrase(t, w)) c.runtime_max = 100;
  }
  for (size_t p = t.find("under "); p != std::string::npos; p = t.find("under ", p + 1)) {
    const int m = std::atoi(t.c_str() + p + 6);
    if (m >= 30 && m <= 300) c.runtime_max = m;
    if (m > 0 && m <= 4 && t.find("hour", p) != std::string::npos) c.runtime_max = m * 60;
  }
  if (c.runtime_max) c.understood.push_back("under " + std::to_string(c.runtime_max) + " min");
  for (const char* w :
       {"highly rated", "top rated", "best", "acclaimed", "masterpiece", "masterpieces",
        "critically", "award winning", "평점", "명작", "수작", "걸작"}) {
    if (has_phrase(t, w)) c.highly_rated = true;
  }
  if (c.highly_rated) c.understood.push_back("highly rated");
  static const std::pair<const char*, const char*> kLanguages[] = {
      {"korean", "ko"},  {"한국", "ko"},    {"japanese", "ja"},  {"일본", "ja"},
      {"french", "fr"},  {"프랑스", "fr"},  {"spanish", "es"},   {"스페인", "es"},
      {"italian", "it"}, {"german", "de"},  {"독일", "de"},      {"chinese", "zh"},
      {"중국", "zh"},    {"hindi", "hi"},   {"bollywood", "hi"}, {"indian", "hi"},
      {"인도", "hi"},    {"swedish", "sv"}, {"danish", "da"},    {"russian", "ru"}};
  for (const auto& [w, code] : kLanguages) {
    if (has_phrase(t, w)) {
      c.language = code;
      c.understood.push_back(std::string(w));
    }
  }
  for (const char* w : {"kids", "kid", "family", "families", "children", "child", "아이", "아이들",
                        "가족", "애들", "어린이"}) {
    if (has_phrase(t, w)) c.kids = true;
  }
  if (c.kids) {
    c.avoid_genres |= genre_mask("Horror");
    c.want_genres |= genre_mask("Children|Animation");
    c.understood.push_back("family");
  }
  for (const char* w : {"lighter", "light", "light hearted", "lighthearted", "feel good",
                        "cheerful", "uplifting", "happy", "가벼운", "밝은", "유쾌한"}) {
    if (has_phrase(t, w)) c.lighter = true;
  }
  if (c.lighter) {
    c.avoid_genres |= genre_mask("Horror");
    c.want_genres |= genre_mask("Comedy");
    c.understood.push_back("lighter");
  }
  c.want_genres &= ~c.avoid_genres;
  std::sort(c.understood.begin(), c.understood.end());
  c.understood.erase(std::unique(c.understood.begin(), c.understood.end()), c.understood.end());
  return c;
}

}  // namespace cinerag
