// The joins behind assemble_movies(); every key goes through fold_for_matching().
#include "data/assemble.h"

#include <algorithm>
#include <map>
#include <set>

#include "data/movielens.h"
#include "text/nfkc.h"

namespace cinerag {
namespace {

// Folded title -> candidate records, each with its year.
class TitleIndex {
 public:
  void add(const std::string& title, int year, size_t record) {
    const std::string key = fold_for_matching(title);
    if (!key.empty()) index_[key].push_back({year, record});
  }
  // The records whose title folds like `title` with the year `year` (then year +-1 when
  // `fuzzy_year`). Several hits: `better(a, b)` picks.
  template <typename Better>
  bool find(const std::string& title, int year, Better better, size_t* out) const {
    const auto it = index_.find(fold_for_matching(title));
    if (it == index_.end() || year == 0) return false;
    for (int off : {0, -1, 1}) {
      bool found = false;
      for (const auto& [y, r] : it->second) {
        if (y != year + off) continue;
        if (!found || better(r, *out)) *out = r;
        found = true;
      }
      if (found) return true;
    }
    return false;
  }

 private:
  std::unordered_map<std::string, std::vector<std::pair<int, size_t>>> index_;
};

void append_alt(std::string* alts, const std::string& title, const std::string& display) {
  if (title.empty() || fold_for_matching(title) == fold_for_matching(display)) return;
  size_t start = 0;
  while (start <= alts->size()) {  // already there?
    const size_t bar = alts->find('|', start);
    const std::string cur = alts->substr(start, bar == std::string::npos ? bar : bar - start);
    if (fold_for_matching(cur) == fold_for_matching(title)) return;
    if (bar == std::string::npos) break;
    start = bar + 1;
  }
  if (!alts->empty()) *alts += '|';
  *alts += title;
}

// Cuts `s` to at most `max` bytes at a space, never inside a UTF-8 sequence.
std::string cut(const std::string& s, size_t max) {
  if (s.size() <= max) return s;
  size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  const size_t space = s.rfind(' ', end);
  if (space != std::string::npos && space > max / 2) end = space;
  return s.substr(0, end);
}

}  // namespace

std::vector<Movie> assemble_movies(const BuildSources& src, Coverage* cov) {
  *cov = Coverage{};
  std::unordered_map<int64_t, size_t> tmdb_by_id;
  TitleIndex tmdb_titles, wiki_titles;
  for (size_t i = 0; i < src.tmdb.size(); ++i) {
    const TmdbMovie& t = src.tmdb[i];
    tmdb_by_id.emplace(t.id, i);
    tmdb_titles.add(t.title, t.year, i);
    if (t.original_title != t.title) tmdb_titles.add(t.original_title, t.year, i);
  }
  for (size_t i = 0; i < src.wikipedia.size(); ++i) {
    wiki_titles.add(src.wikipedia[i].title, src.wikipedia[i].year, i);
  }
  std::unordered_map<int64_t, const Link*> links;
  for (const Link& l : src.links) links.emplace(l.movie_id, &l);
  const auto more_votes = [&](size_t a, size_t b) {
    return src.tmdb[a].vote_count > src.tmdb[b].vote_count;
  };
  const auto longer_extract = [&](size_t a, size_t b) {
    return src.wikipedia[a].extract.size() > src.wikipedia[b].extract.size();
  };

  // TMDB records that a link names belong to that movie: a title match must not hand them to
  // another (the 1996 "Titanic" miniseries is not the 1997 film).
  std::unordered_map<int64_t, int> claimed;
  for (const Link& l : src.links) {
    if (l.tmdb_id && tmdb_by_id.count(l.tmdb_id)) claimed[l.tmdb_id]++;
  }

  std::vector<const MovieLensMovie*> order;
  std::set<int64_t> seen;
  for (const auto& m : src.movies) {
    if (seen.insert(m.movie_id).second) order.push_back(&m);
  }
  std::sort(order.begin(), order.end(), [](const MovieLensMovie* a, const MovieLensMovie* b) {
    return a->movie_id < b->movie_id;
  });

  std::vector<Movie> out;
  out.reserve(order.size());
  for (const MovieLensMovie* ml : order) {
    const MovieLensTitle parsed = parse_movielens_title(ml->raw_title);
    Movie m;
    m.movie_id = ml->movie_id;
    m.title = parsed.title;
    m.year = parsed.year;
    m.genres = ml->genres;
    for (const auto& alt : parsed.alternates) append_alt(&m.alt_titles, alt, m.title);

    // TMDB: the link first, then the titles.
    const TmdbMovie* t = nullptr;
    const auto link = links.find(m.movie_id);
    if (link != links.end()) {
      m.tmdb_id = link->second->tmdb_id;
      m.imdb_id = link->second->imdb_id;
      const auto it = tmdb_by_id.find(m.tmdb_id);
      if (m.tmdb_id && it != tmdb_by_id.end()) {
        t = &src.tmdb[it->second];
        ++cov->tmdb_by_id;
      }
    }
    if (!t) {
      size_t r = 0;
      bool found = tmdb_titles.find(m.title, m.year, more_votes, &r);
      for (size_t a = 0; !found && a < parsed.alternates.size(); ++a) {
        found = tmdb_titles.find(parsed.alternates[a], m.year, more_votes, &r);
      }
      if (found && claimed.count(src.tmdb[r].id)) found = false;
      if (found) {
        claimed[src.tmdb[r].id]++;
        t = &src.tmdb[r];
        m.tmdb_id = t->id;
        ++cov->tmdb_by_title;
      }
    }
    if (t) {
      if (!t->original_title.empty() &&
          fold_for_matching(t->original_title) != fold_for_matching(m.title)) {
        m.original_title = t->original_title;
      }
      append_alt(&m.alt_titles, t->title, m.title);
      m.original_language = t->original_language;
      m.overview = t->overview;
      m.keywords = t->keywords;
      m.runtime = t->runtime;
      if (m.imdb_id.empty()) m.imdb_id = t->imdb_id;
      m.poster_path = t->poster_path;
      m.popularity = t->popularity;
      m.vote_average = t->vote_average;
      m.vote_count = t->vote_count;
      if (m.year == 0) m.year = t->year;
    }
    // Wikipedia: by the MovieLens titles, then TMDB's.
    size_t w = 0;
    bool wiki = wiki_titles.find(m.title, m.year, longer_extract, &w);
    for (size_t a = 0; !wiki && a < parsed.alternates.size(); ++a) {
      wiki = wiki_titles.find(parsed.alternates[a], m.year, longer_extract, &w);
    }
    if (!wiki && t) wiki = wiki_titles.find(t->title, m.year, longer_extract, &w);
    if (wiki) {
      ++cov->wikipedia;
      if (m.overview.empty() && !src.wikipedia[w].extract.empty()) {
        m.overview = cut(src.wikipedia[w].extract, 1000);
        ++cov->overview_from_wikipedia;
      }
    }
    const auto tags = src.tags.find(m.movie_id);
    if (tags != src.tags.end()) {
      for (const auto& tag : tags->second) {
        if (!m.tags.empty()) m.tags += ", ";
        m.tags += tag;
      }
    }
    cov->overview += !m.overview.empty();
    cov->keywords += !m.keywords.empty();
    cov->tags += !m.tags.empty();
    cov->original_title += !m.original_title.empty();
    cov->runtime += m.runtime > 0;
    cov->poster += !m.poster_path.empty();
    out.push_back(std::move(m));
  }
  cov->movies = out.size();
  return out;
}

std::string movie_text(const Movie& m, size_t max_bytes) {
  std::string s = m.title;
  if (m.year) s += " (" + std::to_string(m.year) + ")";
  s += ".";
  if (!m.genres.empty()) {
    std::string g = m.genres;
    std::replace(g.begin(), g.end(), '|', ',');
    size_t p = 0;
    while ((p = g.find(',', p)) != std::string::npos) g.replace(p, 1, ", "), p += 2;
    s += " Genres: " + g + ".";
  }
  if (!m.overview.empty()) s += " " + m.overview;
  if (!m.keywords.empty()) s += " Keywords: " + m.keywords + ".";
  if (!m.tags.empty()) s += " Tags: " + m.tags + ".";
  return cut(s, max_bytes);
}

}  // namespace cinerag
