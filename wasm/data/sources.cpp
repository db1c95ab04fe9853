// MovieLens, TMDB and Wikipedia readers on top of the streaming CSV reader and nlohmann::json.
#include "data/sources.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>

#include "data/csv_fields.h"
#include "text/nfkc.h"

namespace cinerag {

void ReadReport::add_problem(uint64_t line, std::string message) {
  ++bad;
  if (problems.size() < CsvReader::kKeepProblems) problems.push_back({line, std::move(message)});
}

void ReadReport::add_csv_problems(const CsvReader& reader) {
  bad += reader.problem_count();
  for (const auto& p : reader.problems()) {
    if (problems.size() >= CsvReader::kKeepProblems) break;
    problems.push_back(p);
  }
  std::sort(problems.begin(), problems.end(),
            [](const CsvProblem& a, const CsvProblem& b) { return a.line < b.line; });
}

namespace {

// A whole-field integer; false for "", "12x", "-" or overflow.
bool parse_int(const std::string& s, int64_t* out) {
  if (s.empty()) return false;
  char* end = nullptr;
  errno = 0;
  const long long v = std::strtoll(s.c_str(), &end, 10);
  if (*end != '\0' || errno == ERANGE) return false;
  *out = v;
  return true;
}

double parse_double_or_zero(const std::string& s) {
  if (s.empty()) return 0;
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  return (*end == '\0' && v == v) ? v : 0;  // NaN -> 0
}

// The record's movieId in `column`, a positive number; reported when it is not.
bool movie_id_of(const std::vector<std::string>& f, int column, const CsvReader& reader,
                 ReadReport* report, int64_t* out) {
  if (parse_int(field(f, column), out) && *out > 0) return true;
  report->add_problem(reader.line(), "movieId '" + field(f, column) + "' is not a number");
  return false;
}

}  // namespace

int year_of_date(std::string_view date) {
  if (date.size() < 4) return 0;
  int y = 0;
  for (size_t i = 0; i < 4; ++i) {
    if (date[i] < '0' || date[i] > '9') return 0;
    y = y * 10 + (date[i] - '0');
  }
  if (date.size() > 4 && date[4] != '-') return 0;
  return y >= 1870 && y <= 2100 ? y : 0;
}

bool read_movielens_movies(std::istream& in, std::vector<MovieLensMovie>* out, ReadReport* report,
                           Error* error) {
  CsvReader reader(in);
  std::vector<std::string> f;
  if (!read_header(reader, &f, "movies.csv", error)) return false;
  const Columns c(f);
  if (!require(c, {"movieId", "title", "genres"}, "movies.csv", error)) return false;
  const int id = c["movieId"], title = c["title"], genres = c["genres"];
  while (reader.next(&f)) {
    MovieLensMovie m;
    if (!has_fields(f, 3, reader, report) || !movie_id_of(f, id, reader, report, &m.movie_id)) {
      continue;
    }
    m.raw_title = field(f, title);
    m.genres = field(f, genres) == "(no genres listed)" ? "" : field(f, genres);
    out->push_back(std::move(m));
    ++report->rows;
  }
  report->add_csv_problems(reader);
  return true;
}

bool read_links(std::istream& in, std::vector<Link>* out, ReadReport* report, Error* error) {
  CsvReader reader(in);
  std::vector<std::string> f;
  if (!read_header(reader, &f, "links.csv", error)) return false;
  const Columns c(f);
  if (!require(c, {"movieId", "imdbId", "tmdbId"}, "links.csv", error)) return false;
  const int id = c["movieId"], imdb = c["imdbId"], tmdb = c["tmdbId"];
  while (reader.next(&f)) {
    Link l;
    if (!has_fields(f, 3, reader, report) || !movie_id_of(f, id, reader, report, &l.movie_id)) {
      continue;
    }
    int64_t v = 0;
    if (!field(f, tmdb).empty() && !parse_int(field(f, tmdb), &v)) {
      report->add_problem(reader.line(), "tmdbId '" + field(f, tmdb) + "' is not a number");
      continue;
    }
    l.tmdb_id = v;
    if (!field(f, imdb).empty()) l.imdb_id = "tt" + field(f, imdb);
    out->push_back(std::move(l));
    ++report->rows;
  }
  report->add_csv_problems(reader);
  return true;
}

bool read_top_tags(std::istream& in, size_t per_movie,
                   std::unordered_map<int64_t, std::vector<std::string>>* out, ReadReport* report,
                   Error* error) {
  CsvReader reader(in);
  std::vector<std::string> f;
  if (!read_header(reader, &f, "tags.csv", error)) return false;
  const Columns c(f);
  if (!require(c, {"movieId", "tag"}, "tags.csv", error)) return false;
  const int id = c["movieId"], tag = c["tag"];
  struct Count {
    std::string spelling;
    uint32_t n = 0;
    uint64_t first = 0;
  };
  std::unordered_map<int64_t, std::map<std::string, Count>> counts;
  while (reader.next(&f)) {
    int64_t movie = 0;
    if (!movie_id_of(f, id, reader, report, &movie)) continue;
    const std::string& t = field(f, tag);
    const std::string key = fold_for_matching(t);
    if (key.empty()) continue;
    Count& k = counts[movie][key];
    if (k.n++ == 0) {
      k.spelling = t;
      k.first = reader.line();
    }
    ++report->rows;
  }
  report->add_csv_problems(reader);
  for (auto& [movie, tags] : counts) {
    std::vector<const Count*> v;
    for (const auto& [key, count] : tags) v.push_back(&count);
    std::sort(v.begin(), v.end(), [](const Count* a, const Count* b) {
      return a->n != b->n ? a->n > b->n : a->first < b->first;
    });
    auto& dst = (*out)[movie];
    for (size_t i = 0; i < v.size() && i < per_movie; ++i) dst.push_back(v[i]->spelling);
  }
  return true;
}

bool read_tmdb(std::istream& in, std::vector<TmdbMovie>* out, ReadReport* report, Error* error) {
  CsvReader reader(in);
  std::vector<std::string> f;
  if (!read_header(reader, &f, "the TMDB CSV", error)) return false;
  const Columns c(f);
  if (!require(c, {"id", "title"}, "the TMDB CSV", error)) return false;
  const size_t width = f.size();
  const int id = c["id"], title = c["title"], otitle = c["original_title"],
            olang = c["original_language"], overview = c["overview"], tagline = c["tagline"],
            keywords = c["keywords"], genres = c["genres"], imdb = c["imdb_id"],
            poster = c["poster_path"], date = c["release_date"], runtime = c["runtime"],
            pop = c["popularity"], va = c["vote_average"], vc = c["vote_count"], adult = c["adult"];
  while (reader.next(&f)) {
    if (!has_fields(f, width, reader, report)) continue;
    TmdbMovie m;
    if (!parse_int(field(f, id), &m.id) || m.id <= 0) {
      report->add_problem(reader.line(), "id '" + field(f, id) + "' is not a number");
      continue;
    }
    m.title = field(f, title);
    m.original_title = field(f, otitle);
    m.original_language = field(f, olang);
    m.overview = field(f, overview);
    m.tagline = field(f, tagline);
    m.keywords = field(f, keywords);
    m.genres = field(f, genres);
    m.imdb_id = field(f, imdb);
    m.poster_path = field(f, poster);
    m.year = year_of_date(field(f, date));
    int64_t v = 0;
    if (parse_int(field(f, runtime), &v) && v > 0 && v < 10000) m.runtime = static_cast<int>(v);
    m.popularity = parse_double_or_zero(field(f, pop));
    m.vote_average = parse_double_or_zero(field(f, va));
    if (parse_int(field(f, vc), &v) && v > 0) m.vote_count = v;
    m.adult = field(f, adult) == "True" || field(f, adult) == "true";
    out->push_back(std::move(m));
    ++report->rows;
  }
  report->add_csv_problems(reader);
  return true;
}

bool read_wikipedia(std::string_view json, std::vector<WikiFilm>* out, ReadReport* report,
                    Error* error) {
  const nlohmann::json doc = nlohmann::json::parse(json.begin(), json.end(), nullptr,
                                                   /*allow_exceptions=*/false);
  if (!doc.is_array()) return fail(error, ErrorCode::kCorrupt, "not a JSON array of films");
  uint64_t n = 0;
  for (const auto& e : doc) {
    ++n;
    WikiFilm w;
    if (!e.is_object()) {
      report->add_problem(n, "entry is not an object");
      continue;
    }
    const auto t = e.find("title"), y = e.find("year"), x = e.find("extract");
    if (t == e.end() || !t->is_string() || y == e.end() || !y->is_number_integer()) {
      report->add_problem(n, "entry without a title and a year");
      continue;
    }
    w.title = t->get<std::string>();
    w.year = y->get<int>();
    if (x != e.end() && x->is_string()) w.extract = x->get<std::string>();
    out->push_back(std::move(w));
    ++report->rows;
  }
  return true;
}

}  // namespace cinerag
