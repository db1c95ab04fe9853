// The answer's string table (EN/KO) and the code that fills it in.
#include "recommend/answer.h"

#include <algorithm>
#include <cstdio>
#include <initializer_list>
#include <utility>

#include "text/nfkc.h"

namespace cinerag {
namespace {

enum class Say : uint8_t {
  kLikeTitle,
  kStoryCloseTo,
  kBothAbout,
  kFansLoved,
  kSuggestedAfter,
  kSamePeople,
  kSameSeries,
  kMatches,
  kGenre,
  kFromYear,
  kOriginalLanguage,
  kRated,
  kTmdbRated,
  kCloseMatch,
  kIntro,
  kOnlyUpTo,
  kNoStrongMatch,
  kRecommendations,
  kClosest,
  kNothingMeets,
  kDirectedBy,
  kStars,
};

struct Phrase {
  const char* en;
  const char* ko;
};

// Indexed by Say. {name} is filled in by say(); everything else is literal.
constexpr Phrase kPhrases[] = {
    {"{genres} like '{title}'", "'{title}'와(과) 같은 {genres}"},
    {"a story close to '{title}'", "'{title}'와(과) 비슷한 이야기"},
    {"both about {keywords}", "공통 키워드: {keywords}"},
    {"fans of '{title}' loved it", "'{title}'을(를) 좋아한 사람들이 좋아한 영화"},
    {"often suggested after '{title}'", "'{title}' 다음으로 자주 추천된 영화"},
    {"shares its director or stars with '{title}'", "'{title}'와(과) 감독이나 주연이 같은 영화"},
    {"in the same series as '{title}'", "'{title}'와(과) 같은 시리즈"},
    {"matches {words}", "{words} 와(과) 관련"},
    {"{genres}", "{genres} 장르"},
    {"from {year}", "{year}년 작품"},
    {"original language: {language}", "원어: {language}"},
    {"rated {mean}/5 by {count} people", "평점 {mean}/5 ({count}명)"},
    {"TMDB {average}/10", "TMDB 평점 {average}/10"},
    {"a close match", "비슷한 분위기"},
    {"You feel {label} ({score}) about {names}.",
     "당신은 {names}에 대해 {label} ({score}) 감정을 갖고 있군요."},
    {"The catalogue only knows movies up to {year}.",
     "카탈로그는 {year}년까지의 영화만 알고 있어요."},
    {"I could not find a strong match in the catalogue.",
     "카탈로그에서 딱 맞는 영화를 찾기 어려웠어요."},
    {"Recommendations:", "추천 영화:"},
    {"The closest I have:", "추천 영화:"},
    {"No movie in the catalogue meets that.", "조건에 맞는 영화가 없어요."},
    {"directed by {name}", "{name} 감독 작품"},
    {"stars {name}", "{name} 출연"},
};

using Args = std::initializer_list<std::pair<const char*, std::string>>;

// The phrase in `lang` with each {name} replaced by its value (one pass: values are not read
// again, so a title with braces stays as it is).
std::string say(Say what, Lang lang, Args args = {}) {
  const Phrase& p = kPhrases[static_cast<size_t>(what)];
  const std::string t = lang == Lang::kKorean ? p.ko : p.en;
  std::string out;
  size_t i = 0;
  while (i < t.size()) {
    const size_t open = t.find('{', i);
    const size_t close = open == std::string::npos ? open : t.find('}', open);
    if (close == std::string::npos) {
      out += t.substr(i);
      break;
    }
    out += t.substr(i, open - i);
    const std::string name = t.substr(open + 1, close - open - 1);
    for (const auto& [key, value] : args) {
      if (name == key) out += value;
    }
    i = close + 1;
  }
  return out;
}

std::string fixed(double v, int decimals) {
  char b[32];
  std::snprintf(b, sizeof b, "%.*f", decimals, v);
  return b;
}

std::string genre_list(uint32_t mask, size_t max = 3) {
  std::string s;
  size_t n = 0;
  for (int i = 0; i < kGenreCount && n < max; ++i) {
    if (!(mask & (1u << i))) continue;
    if (!s.empty()) s += ", ";
    s += kGenreNames[i];
    ++n;
  }
  return s;
}

// Up to two keywords or tags of `from` that `m` has too, as written in `from`.
std::vector<std::string> shared_keywords(const Movie& m, const Movie& from) {
  std::vector<std::string> shared;
  const std::string mine = ", " + fold_for_matching(m.keywords + ", " + m.tags) + ",";
  const std::string theirs = from.keywords + ", " + from.tags;
  size_t p = 0;
  while (p < theirs.size() && shared.size() < 2) {
    size_t e = theirs.find(',', p);
    if (e == std::string::npos) e = theirs.size();
    std::string kw = theirs.substr(p, e - p);
    while (!kw.empty() && kw[0] == ' ') kw.erase(0, 1);
    const std::string f = fold_for_matching(kw);
    if (f.size() >= 3 && mine.find(" " + f + ",") != std::string::npos &&
        std::find(shared.begin(), shared.end(), kw) == shared.end())
      shared.push_back(kw);
    p = e + 1;
  }
  return shared;
}

// Up to two of the message's words found in the movie's title, overview, keywords or tags.
std::vector<std::string> matched_words(const Movie& m, const std::vector<std::string>& words) {
  std::vector<std::string> hit;
  if (words.empty()) return hit;
  const std::string text =
      " " + fold_for_matching(m.title + " " + m.overview + " " + m.keywords + " " + m.tags) + " ";
  for (const auto& wd : words) {
    if (text.find(" " + wd + " ") != std::string::npos) hit.push_back(wd);
    if (hit.size() == 2) break;
  }
  return hit;
}

// The reasons that name a liked film: what it shares with it, or that its fans loved it.
// The reason a related list gives: what tied the result to a film of the conversation.
std::string related_reason(const MovieTable& table, const Signals& s, Lang lang) {
  const std::string& title = table.movie(s.related_from).title;
  switch (s.related_kind) {
    case NeighbourKind::kRatings: return say(Say::kFansLoved, lang, {{"title", title}});
    case NeighbourKind::kDialogues: return say(Say::kSuggestedAfter, lang, {{"title", title}});
    case NeighbourKind::kPeople: return say(Say::kSamePeople, lang, {{"title", title}});
    case NeighbourKind::kFranchise: return say(Say::kSameSeries, lang, {{"title", title}});
  }
  return "";
}

void liked_reasons(const MovieTable& table, const Signals& s, const Weights& w, const Tuning& t,
                   Lang lang, std::vector<std::string>* parts) {
  const Movie& m = table.movie(s.row);
  // A related list that outweighs content and collaborative similarity names its own film.
  if (s.related_from != kNoRow && s.related_best > w.item * s.item &&
      s.related_best > w.collab * s.collab) {
    parts->push_back(related_reason(table, s, lang));
    return;
  }
  if (s.item_from != kNoRow && w.item * s.item >= w.collab * s.collab &&
      s.item > t.reason_item_min) {
    const Movie& from = table.movie(s.item_from);
    const uint32_t shared = table.genres(s.row) & table.genres(s.item_from);
    parts->push_back(
        shared ? say(Say::kLikeTitle, lang, {{"genres", genre_list(shared)}, {"title", from.title}})
               : say(Say::kStoryCloseTo, lang, {{"title", from.title}}));
    const std::vector<std::string> kw = shared_keywords(m, from);
    if (!kw.empty()) {
      parts->push_back(
          say(Say::kBothAbout, lang, {{"keywords", kw[0] + (kw.size() > 1 ? ", " + kw[1] : "")}}));
    }
  } else if (s.collab_from != kNoRow && s.collab > t.reason_collab_min) {
    parts->push_back(say(Say::kFansLoved, lang, {{"title", table.movie(s.collab_from).title}}));
  }
}

std::string rating_reason(const Movie& m, Lang lang) {
  if (m.rating_count >= 5) {
    return say(Say::kRated, lang,
               {{"mean", fixed(m.rating_mean, 1)}, {"count", std::to_string(m.rating_count)}});
  }
  if (m.vote_count >= 10)
    return say(Say::kTmdbRated, lang, {{"average", fixed(m.vote_average, 1)}});
  return say(Say::kCloseMatch, lang);
}

}  // namespace

std::string explain(const MovieTable& table, const Signals& s, const Weights& w, const Tuning& t,
                    const Constraints& c, Lang lang, const std::vector<std::string>& words) {
  const Movie& m = table.movie(s.row);
  std::vector<std::string> parts;
  liked_reasons(table, s, w, t, lang, &parts);
  if (const auto hit = matched_words(m, words); !hit.empty()) {
    const std::string quoted =
        "\"" + hit[0] + "\"" + (hit.size() > 1 ? ", \"" + hit[1] + "\"" : "");
    parts.push_back(say(Say::kMatches, lang, {{"words", quoted}}));
  }
  if (const uint32_t wanted = c.want_genres & table.genres(s.row)) {
    const std::string g = genre_list(wanted, 2);
    if (parts.empty() || parts[0].find(g) == std::string::npos) {
      parts.push_back(say(Say::kGenre, lang, {{"genres", g}}));
    }
  }
  if (c.year_min || c.year_max)
    parts.push_back(say(Say::kFromYear, lang, {{"year", std::to_string(m.year)}}));
  if (!c.language.empty()) {
    parts.push_back(say(Say::kOriginalLanguage, lang, {{"language", m.original_language}}));
  }
  if (parts.empty() || c.highly_rated) parts.push_back(rating_reason(m, lang));
  std::string why;
  for (size_t i = 0; i < parts.size() && i < 3; ++i) why += (i ? "; " : "") + parts[i];
  return why;
}

std::string credit_reason(const std::string& person, bool directed, Lang lang) {
  return say(directed ? Say::kDirectedBy : Say::kStars, lang, {{"name", person}});
}

std::string intro_text(const MovieTable& table, const std::vector<Mention>& mentions, Lang lang) {
  // The message's own films, grouped by how the person feels about each: "You feel negative
  // (0.81) about 'The Notebook'." Earlier turns' films are not repeated in every answer.
  std::string out;
  for (const int stance : {1, -1, 0}) {
    std::string names;
    size_t n = 0;
    float score = 0;
    for (const Mention& m : mentions) {
      if (!m.from_user || !m.in_message || m.liked != stance || n == 3) continue;
      if (n == 0) score = m.score;
      names += (n++ ? ", '" : "'") + table.movie(table.row_of(m.movie_id)).title + "'";
    }
    if (names.empty()) continue;
    const SentimentLabel label = stance > 0   ? SentimentLabel::kPositive
                                 : stance < 0 ? SentimentLabel::kNegative
                                              : SentimentLabel::kNeutral;
    out +=
        (out.empty() ? "" : " ") +
        say(Say::kIntro, lang,
            {{"label", sentiment_label_name(label)}, {"score", fixed(score, 2)}, {"names", names}});
  }
  return out;
}

std::string answer_text(const MovieTable& table, const std::string& intro,
                        const std::vector<Recommendation>& results, FallbackReason fallback,
                        Lang lang) {
  std::vector<std::string> pieces;
  if (!intro.empty()) pieces.push_back(intro);
  if (fallback == FallbackReason::kNewerThanCatalogue) {
    pieces.push_back(say(Say::kOnlyUpTo, lang, {{"year", std::to_string(table.newest_year())}}));
  } else if (fallback != FallbackReason::kNone) {
    pieces.push_back(say(Say::kNoStrongMatch, lang));
  }
  if (results.empty()) {
    pieces.push_back(say(Say::kNothingMeets, lang));
  } else {
    std::string list =
        say(fallback != FallbackReason::kNone ? Say::kClosest : Say::kRecommendations, lang);
    for (size_t i = 0; i < results.size(); ++i) {
      const Movie& m = table.movie(table.row_of(results[i].movie_id));
      std::string g = m.genres;
      std::replace(g.begin(), g.end(), '|', ',');
      list += "\n" + std::to_string(i + 1) + ". " + m.title +
              (m.year ? " (" + std::to_string(m.year) + ")" : "") + " — " + g + " — " +
              results[i].why;
    }
    pieces.push_back(list);
  }
  std::string out;
  for (const auto& p : pieces) out += (out.empty() ? "" : " ") + p;
  return out;
}

}  // namespace cinerag
