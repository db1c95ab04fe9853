// The Korean title readers (kmrd-small, soojubm), the English title key and the title + year
// match that turns their rows into catalogue aliases.
#include "data/korean_titles.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "text/nfkc.h"

namespace cinerag {
namespace {

// Words the key leaves out, and roman numerals it reads as numbers (sequels are spelled both
// ways: "Part II", "Part 2", "2").
const char* const kLeadingArticles[] = {"the", "a", "an"};
const char* const kRomanNumerals[] = {"ii",   "iii", "iv", "v",  "vi", "vii",
                                      "viii", "ix",  "x",  "xi", "xii"};

std::string trim(std::string_view s) {
  const char* space = " \t\r\n";
  const size_t a = s.find_first_not_of(space);
  if (a == std::string_view::npos) return {};
  const size_t b = s.find_last_not_of(space);
  return std::string(s.substr(a, b - a + 1));
}

std::vector<std::string> split(std::string_view s, std::string_view sep) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t at; (at = s.find(sep, start)) != std::string_view::npos; start = at + sep.size()) {
    out.emplace_back(s.substr(start, at - start));
  }
  out.emplace_back(s.substr(start));
  return out;
}

// A 4-digit year at the start of `s` ("1999", "2014?"), else 0.
int leading_year(std::string_view s) {
  const std::string t = trim(s);
  if (t.size() < 4) return 0;
  int y = 0;
  for (size_t i = 0; i < 4; ++i) {
    if (t[i] < '0' || t[i] > '9') return 0;
    y = y * 10 + (t[i] - '0');
  }
  if (t.size() > 4 && t[4] >= '0' && t[4] <= '9') return 0;
  return y >= 1870 && y <= 2100 ? y : 0;
}

bool has_hangul(std::string_view s) {
  // Hangul syllables U+AC00..U+D7A3 are EA B0 80 .. ED 9E A3 in UTF-8.
  for (size_t i = 0; i + 2 < s.size(); ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b >= 0xEA && b <= 0xED) return true;
  }
  return false;
}

// A title compared with the movie's own titles: folded, without spaces.
std::string compact(std::string_view title) {
  std::string out;
  for (char c : fold_for_matching(title)) {
    if (c != ' ') out += c;
  }
  return out;
}

// One director's Korean name, or "" when the field names several people or none. Notes after
// '/' or '(' are dropped ("짐 자무시 /서울극장").
std::string one_director(std::string_view field) {
  std::string s(field.substr(0, std::min(field.find('/'), field.find('('))));
  s = trim(s);
  if (s.find(',') != std::string::npos || s.find('&') != std::string::npos ||
      s.find("\xC2\xB7") != std::string::npos || !has_hangul(s)) {  // '·' joins co-directors
    return {};
  }
  return s;
}

// films.json's releasedate: a number or a string that starts with the year.
int json_year(const nlohmann::json& v) {
  if (v.is_number_integer()) return leading_year(std::to_string(v.get<int64_t>()));
  if (v.is_string()) return leading_year(v.get<std::string>());
  return 0;
}

std::string json_string(const nlohmann::json& o, const char* key) {
  const auto it = o.find(key);
  return it != o.end() && it->is_string() ? trim(it->get<std::string>()) : std::string();
}

}  // namespace

std::string english_title_key(std::string_view title) {
  std::vector<std::string> words;
  std::string word;
  for (char c : fold_for_matching(title) + ' ') {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      word += c;
    } else if (c == ' ' && !word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }  // other bytes (CJK, kana, Hangul) are not part of an English title
  }
  if (words.size() > 1 && std::find(std::begin(kLeadingArticles), std::end(kLeadingArticles),
                                    words[0]) != std::end(kLeadingArticles)) {
    words.erase(words.begin());
  }
  std::string key;
  for (const std::string& w : words) {
    if (w == "part" && words.size() > 1) continue;
    const auto* roman = std::find(std::begin(kRomanNumerals), std::end(kRomanNumerals), w);
    key += roman == std::end(kRomanNumerals)
               ? w
               : std::to_string(roman - std::begin(kRomanNumerals) + 2);
  }
  return key;
}

bool read_kmrd_movies(std::istream& in, std::vector<KoreanTitle>* out, ReadReport* report,
                      Error* error) {
  std::string line;
  uint64_t n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (n == 1 && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);
    if (n == 1 && line.compare(0, 5, "movie") == 0) continue;
    if (trim(line).empty()) continue;
    const auto f = split(line, "\t");
    // title_eng: "English[ , alt]... , year" (" , " separates; titles keep their own ", ").
    auto eng = f.size() >= 3 ? split(f[2], " , ") : std::vector<std::string>{};
    KoreanTitle t;
    t.line = n;
    t.korean = f.size() >= 2 ? trim(f[1]) : "";
    t.year = eng.size() >= 2 ? leading_year(eng.back()) : 0;
    if (t.year) eng.pop_back();
    for (const std::string& e : eng) {
      if (!english_title_key(e).empty()) t.english.push_back(trim(e));
    }
    if (f.size() < 3 || t.korean.empty() || t.english.empty() || !t.year) {
      report->add_problem(n, "expected movie\\ttitle\\t\"English , year\"");
      continue;
    }
    out->push_back(std::move(t));
    ++report->rows;
  }
  if (n == 0) return fail(error, ErrorCode::kEmpty, "movies.txt is empty");
  return true;
}

bool read_soojubm_films(std::string_view json, std::vector<KoreanTitle>* out, ReadReport* report,
                        Error* error) {
  const nlohmann::json doc = nlohmann::json::parse(json.begin(), json.end(), nullptr,
                                                   /*allow_exceptions=*/false);
  if (!doc.is_array()) return fail(error, ErrorCode::kCorrupt, "not a JSON array of films");
  std::vector<KoreanTitle> rows;
  uint64_t n = 0;
  for (const auto& e : doc) {
    ++n;
    KoreanTitle t;
    t.line = n;
    if (e.is_object()) {
      t.korean = json_string(e, "titlekorean");
      const std::string english = json_string(e, "titleenglish");
      if (!english_title_key(english).empty()) t.english.push_back(english);
      if (e.contains("releasedate")) t.year = json_year(e.at("releasedate"));
      t.director_ko = one_director(json_string(e, "director"));
    }
    if (t.korean.empty() || t.english.empty() || !t.year) {
      report->add_problem(n, "entry without a Korean title, an English title and a year");
      continue;
    }
    rows.push_back(std::move(t));
  }
  // Placeholders: one English title + year under different Korean titles is not one film.
  std::map<std::pair<std::string, int>, std::set<std::string>> koreans;
  for (const KoreanTitle& t : rows) {
    koreans[{english_title_key(t.english[0]), t.year}].insert(compact(t.korean));
  }
  for (KoreanTitle& t : rows) {
    if (koreans[{english_title_key(t.english[0]), t.year}].size() > 1) {
      report->add_problem(t.line, "placeholder: '" + t.english[0] + "' " + std::to_string(t.year) +
                                      " has several Korean titles");
      continue;
    }
    out->push_back(std::move(t));
    ++report->rows;
  }
  return true;
}

TitleYearIndex::TitleYearIndex(const std::vector<Movie>& movies) {
  for (const Movie& m : movies) {
    std::vector<std::string> titles = split(m.alt_titles, "|");
    titles.push_back(m.title);
    titles.push_back(m.original_title);
    std::set<std::string> keys;
    for (const std::string& t : titles) {
      std::string key = english_title_key(t);
      if (!key.empty()) keys.insert(std::move(key));
    }
    for (const std::string& k : keys) by_key_[k].push_back({m.year, m.movie_id, m.vote_count});
  }
}

TitleYearIndex::Match TitleYearIndex::find(const std::vector<std::string>& titles, int year) const {
  // The steps in order, each a test of (entry, how many entries share the title).
  struct Step {
    How how;
    bool (*fits)(const Entry& e, int year, size_t titled);
  };
  static const Step kSteps[] = {
      {How::kExact, [](const Entry& e, int y, size_t) { return e.year == y; }},
      {How::kNearYear, [](const Entry& e, int y, size_t) { return std::abs(e.year - y) == 1; }},
      {How::kTwoYears,
       [](const Entry& e, int y, size_t) {
         return std::abs(e.year - y) == 2 && e.votes >= kTwoYearsVotes;
       }},
      {How::kUndated,
       [](const Entry& e, int, size_t titled) { return e.year == 0 && titled == 1; }},
  };
  std::vector<const std::vector<Entry>*> lists;
  for (const std::string& t : titles) {
    const auto it = by_key_.find(english_title_key(t));
    if (it != by_key_.end()) lists.push_back(&it->second);
  }
  for (const Step& step : kSteps) {
    std::set<int64_t> hits;
    for (const auto* list : lists) {
      for (const Entry& e : *list) {
        if (step.fits(e, year, list->size())) hits.insert(e.movie_id);
      }
    }
    if (hits.size() == 1) return {step.how, *hits.begin()};
    if (hits.size() > 1) return {How::kAmbiguous, 0};
  }
  return {};
}

std::vector<TitleAlias> korean_aliases(const std::vector<Movie>& movies,
                                       const std::vector<const std::vector<KoreanTitle>*>& sources,
                                       std::vector<KoreanTitleCounts>* counts,
                                       std::vector<std::pair<int64_t, std::string>>* directors) {
  const TitleYearIndex index(movies);
  std::unordered_map<int64_t, std::set<std::string>> known;  // movie -> compact titles
  for (const Movie& m : movies) {
    auto& k = known[m.movie_id];
    for (const std::string& t : split(m.alt_titles, "|")) k.insert(compact(t));
    k.insert(compact(m.title));
    k.insert(compact(m.original_title));
  }
  std::map<std::pair<int64_t, std::string>, std::string> aliases;  // (movie, compact) -> title
  counts->assign(sources.size(), KoreanTitleCounts{});
  for (size_t s = 0; s < sources.size(); ++s) {
    KoreanTitleCounts& c = (*counts)[s];
    for (const KoreanTitle& t : *sources[s]) {
      ++c.rows;
      const TitleYearIndex::Match m = index.find(t.english, t.year);
      c.exact += m.how == TitleYearIndex::How::kExact;
      c.near_year += m.how == TitleYearIndex::How::kNearYear;
      c.two_years += m.how == TitleYearIndex::How::kTwoYears;
      c.undated += m.how == TitleYearIndex::How::kUndated;
      c.ambiguous += m.how == TitleYearIndex::How::kAmbiguous;
      c.unmatched += m.how == TitleYearIndex::How::kNone;
      if (!m.movie_id) continue;
      if (directors && !t.director_ko.empty()) directors->push_back({m.movie_id, t.director_ko});
      const std::string key = compact(t.korean);
      if (known[m.movie_id].count(key)) continue;
      c.aliases += aliases.insert({{m.movie_id, key}, t.korean}).second;
    }
  }
  std::vector<TitleAlias> out;
  for (const auto& [key, title] : aliases) out.push_back({key.first, "ko", title});
  return out;
}

}  // namespace cinerag
