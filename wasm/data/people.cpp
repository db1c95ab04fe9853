// The cast & crew readers, name normalisation and the priority merge behind read_people().
// Over 500 lines on purpose: seven small readers, one per published format (each a short
// function with its own tests), share the name helpers and the merge they feed.
#include "data/people.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>

#include "data/csv_fields.h"
#include "data/movielens.h"
#include "text/nfkc.h"

namespace cinerag {
namespace {

// --- small text helpers -----------------------------------------------------------------------

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// Splits on every `sep`, keeping empty pieces ("a;;b" -> a, "", b; "a\t" -> a, "").
std::vector<std::string_view> split(std::string_view s, std::string_view sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (;;) {
    const size_t at = s.find(sep, start);
    if (at == std::string_view::npos) break;
    out.push_back(s.substr(start, at - start));
    start = at + sep.size();
  }
  out.push_back(s.substr(start));
  return out;
}

// A whole-field positive integer; false for "", "12x", "0", "-3" or overflow.
bool parse_id(std::string_view s, int64_t* out) {
  s = trim(s);
  if (s.empty() || s.size() > 18) return false;
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  if (v <= 0) return false;
  *out = v;
  return true;
}

void replace_all(std::string* s, std::string_view from, std::string_view to) {
  size_t at = 0;
  while ((at = s->find(from, at)) != std::string::npos) {
    s->replace(at, from.size(), to);
    at += to.size();
  }
}

bool has_letter_or_digit(std::string_view s) {
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      return true;
    }
  }
  return false;
}

std::string without_spaces(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (!is_space(c)) out += c;
  }
  return out;
}

// Lines of a text file: a UTF-8 BOM on the first line and a CR before each LF are dropped.
class LineReader {
 public:
  explicit LineReader(std::istream& in) : in_(in) {}
  bool next(std::string* line) {
    if (!std::getline(in_, *line)) return false;
    ++line_;
    if (line_ == 1 && line->compare(0, 3, "\xEF\xBB\xBF") == 0) line->erase(0, 3);
    if (!line->empty() && line->back() == '\r') line->pop_back();
    return true;
  }
  uint64_t line() const { return line_; }

 private:
  std::istream& in_;
  uint64_t line_ = 0;
};

// A list field -> cleaned names. A piece that is only a suffix ("Jr.", "III") belongs to the
// name before it ("Sammy Davis, Jr.").
std::vector<std::string> split_names(std::string_view field, std::string_view sep) {
  std::vector<std::string> out;
  for (std::string_view piece : split(field, sep)) {
    std::string name = clean_person_name(piece);
    if (name.empty()) continue;
    const std::string key = normalise_person_name(name);
    const bool suffix = key == "jr" || key == "sr" || key == "ii" || key == "iii";
    if (suffix && !out.empty()) {
      out.back() += ", " + name;
    } else if (!key.empty()) {
      out.push_back(std::move(name));
    }
  }
  return out;
}

void add_name(std::vector<std::string>* names, std::string_view raw) {
  std::string name = clean_person_name(raw);
  if (!name.empty()) names->push_back(std::move(name));
}

// --- name normalisation -----------------------------------------------------------------------

// Latin letters NFKD does not decompose, so fold_for_matching keeps them as they are.
void spell_out_letters(std::string* s) {
  static const std::pair<std::string_view, std::string_view> kLetters[] = {
      {"\xC3\xB8", "o"},  {"\xC3\x98", "o"},  {"\xC5\x82", "l"},  {"\xC5\x81", "l"},
      {"\xC4\x91", "d"},  {"\xC4\x90", "d"},  {"\xC3\xB0", "d"},  {"\xC3\x90", "d"},
      {"\xC3\xA6", "ae"}, {"\xC3\x86", "ae"}, {"\xC5\x93", "oe"}, {"\xC5\x92", "oe"},
      {"\xC3\x9F", "ss"}, {"\xC3\xBE", "th"}, {"\xC3\x9E", "th"}, {"\xC4\xB1", "i"},
  };
  for (const auto& [from, to] : kLetters) replace_all(s, from, to);
}

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

bool is_initial(const std::string& token) {
  return token.size() == 1 && token[0] >= 'a' && token[0] <= 'z';
}

}  // namespace

std::string normalise_person_name(std::string_view name) {
  std::string spelled(name);
  spell_out_letters(&spelled);  // before folding: fold_case turns 'ł' (U+0142) into U+0143
  const std::string folded = fold_for_matching(spelled);
  std::vector<std::string> tokens;
  for (std::string_view t : split(folded, " ")) {
    if (!t.empty()) tokens.emplace_back(t);
  }
  // "Jr." is dropped ("Robert Downey Jr." = "Robert Downey, Jr." = "Robert Downey").
  if (tokens.size() > 1) {
    tokens.erase(std::remove(tokens.begin(), tokens.end(), "jr"), tokens.end());
  }
  std::string out;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const bool glue = i > 0 && is_initial(tokens[i]) && is_initial(tokens[i - 1]);
    if (i > 0 && !glue) out += ' ';
    out += tokens[i];
  }
  return has_letter_or_digit(out) ? out : std::string();
}

std::string clean_person_name(std::string_view raw) {
  std::string s(raw);
  replace_all(&s, "\xC2\xA0", " ");  // NBSP (IMDB 5000 pads titles and names with it)
  // Trailing notes: "(co-director)", "(actor)", "(voice)"; repeated: "X (Tex) (actor)".
  for (;;) {
    const std::string_view t = trim(s);
    if (t.empty() || t.back() != ')') break;
    const size_t open = t.rfind('(');
    if (open == std::string_view::npos) break;
    s = std::string(t.substr(0, open));
  }
  std::string out;
  for (char c : s) {
    if (c == '[' || c == ']' || c == '(' || c == ')') continue;  // wiki markup leftovers
    if (is_space(c)) {
      if (!out.empty() && out.back() != ' ') out += ' ';
      continue;
    }
    out += c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (out == "N/A" || normalise_person_name(out).empty()) return {};
  return out;
}

std::string dbpedia_page(std::string_view uri) {
  const size_t res = uri.find("/resource/");
  std::string_view seg = res != std::string_view::npos ? uri.substr(res + 10) : uri;
  if (res == std::string_view::npos) {
    const size_t slash = seg.rfind('/');
    if (slash != std::string_view::npos) seg = seg.substr(slash + 1);
  }
  std::string out;
  for (size_t i = 0; i < seg.size(); ++i) {
    if (seg[i] == '%' && i + 2 < seg.size() && hex(seg[i + 1]) >= 0 && hex(seg[i + 2]) >= 0) {
      out += static_cast<char>(hex(seg[i + 1]) * 16 + hex(seg[i + 2]));
      i += 2;
    } else {
      out += seg[i] == '_' ? ' ' : seg[i];
    }
  }
  return out;
}

std::string dbpedia_name(std::string_view uri) {
  return clean_person_name(dbpedia_page(uri));  // drops "(actor)", "(film director)", ...
}

const char* people_source_name(PeopleSource source) {
  switch (source) {
    case PeopleSource::kImdb5000: return "imdb5000";
    case PeopleSource::kMelu: return "melu";
    case PeopleSource::kCinemate: return "cinemate";
    case PeopleSource::kEntity2rec: return "entity2rec";
    case PeopleSource::kWikipedia: return "wikipedia";
    case PeopleSource::kHetrec: return "hetrec";
  }
  return "?";
}

// --- readers ----------------------------------------------------------------------------------

namespace {

// Column positions by header name; -1 for a column the header lacks.
int column(const std::vector<std::string_view>& header, std::string_view name) {
  for (size_t i = 0; i < header.size(); ++i) {
    if (trim(header[i]) == name) return static_cast<int>(i);
  }
  return -1;
}

std::string_view at(const std::vector<std::string_view>& f, int i) {
  return i >= 0 && static_cast<size_t>(i) < f.size() ? f[static_cast<size_t>(i)]
                                                     : std::string_view();
}

// "http://www.imdb.com/title/tt0499549/?ref_=..." -> "tt0499549"; "" without one.
std::string imdb_id_in(std::string_view link) {
  const size_t tt = link.find("/title/tt");
  if (tt == std::string_view::npos) return {};
  size_t end = tt + 9;
  while (end < link.size() && link[end] >= '0' && link[end] <= '9') ++end;
  return end > tt + 9 ? std::string(link.substr(tt + 7, end - tt - 7)) : std::string();
}

bool wrong_schema(Error* error, const std::string& what, std::string_view name) {
  return fail(error, ErrorCode::kWrongSchema,
              what + ": the header has no '" + std::string(name) + "' column");
}

}  // namespace

bool read_imdb5000(std::istream& in, std::vector<FilmCredits>* out, ReadReport* report,
                   Error* error) {
  LineReader lines(in);
  std::string line;
  if (!lines.next(&line)) return fail(error, ErrorCode::kEmpty, "movie_metadata.csv is empty");
  const std::string header_line = line;  // the views below point into it
  const auto header = split(header_line, ";");
  const char* kColumns[] = {"director_name", "actor_1_name", "actor_2_name", "actor_3_name",
                            "movie_imdb_link"};
  int col[5];
  for (int i = 0; i < 5; ++i) {
    col[i] = column(header, kColumns[i]);
    if (col[i] < 0) return wrong_schema(error, "movie_metadata.csv", kColumns[i]);
  }
  while (lines.next(&line)) {
    if (trim(line).empty()) continue;
    const auto f = split(line, ";");
    if (f.size() != header.size()) {
      report->add_problem(lines.line(), "expected " + std::to_string(header.size()) +
                                            " fields, found " + std::to_string(f.size()));
      continue;
    }
    FilmCredits c;
    c.line = lines.line();
    c.imdb_id = imdb_id_in(at(f, col[4]));
    if (c.imdb_id.empty()) {
      report->add_problem(lines.line(), "no IMDb id in movie_imdb_link");
      continue;
    }
    add_name(&c.directors, at(f, col[0]));
    for (int i = 1; i <= 3; ++i) add_name(&c.cast, at(f, col[i]));
    out->push_back(std::move(c));
    ++report->rows;
  }
  return true;
}

bool read_hetrec_directors(std::istream& in, std::vector<FilmCredits>* out, ReadReport* report,
                           Error* error) {
  LineReader lines(in);
  std::string line;
  bool any = false;
  while (lines.next(&line)) {
    any = true;
    if (trim(line).empty()) continue;
    // The header is "movieID directorID\tdirectorName": a space where a tab belongs.
    if (lines.line() == 1 && line.compare(0, 7, "movieID") == 0) continue;
    const auto f = split(line, "\t");
    FilmCredits c;
    c.line = lines.line();
    if (f.size() != 3 || !parse_id(f[0], &c.movie_id)) {
      report->add_problem(lines.line(), "expected movieID\\tdirectorID\\tdirectorName");
      continue;
    }
    add_name(&c.directors, f[2]);
    if (c.directors.empty()) {
      report->add_problem(lines.line(), "no director name");
      continue;
    }
    out->push_back(std::move(c));
    ++report->rows;
  }
  if (!any) return fail(error, ErrorCode::kEmpty, "movie_directors.dat is empty");
  return true;
}

bool read_hetrec_mismatch(std::istream& in, std::unordered_set<int64_t>* out, ReadReport* report,
                          Error* error) {
  CsvReader reader(in);
  std::vector<std::string> f;
  if (!read_header(reader, &f, "imdb_mismatch.csv", error)) return false;
  const Columns c(f);
  if (!require(c, {"movieId"}, "imdb_mismatch.csv", error)) return false;
  const int col = c["movieId"];
  while (reader.next(&f)) {
    int64_t movie = 0;
    if (!parse_id(field(f, col), &movie)) {
      report->add_problem(reader.line(), "movieId is not a number");
      continue;
    }
    out->insert(movie);
    ++report->rows;
  }
  report->add_csv_problems(reader);
  return true;
}

bool read_cinemate(std::istream& in, std::vector<FilmCredits>* out, ReadReport* report,
                   Error* error) {
  CsvReader reader(in);
  std::vector<std::string> f;
  if (!read_header(reader, &f, "movies_enriched.csv", error)) return false;
  const Columns columns(f);
  if (!require(columns, {"movie_id", "director", "cast_top3"}, "movies_enriched.csv", error))
    return false;
  const size_t fields = f.size();
  const int id = columns["movie_id"], director = columns["director"], cast = columns["cast_top3"];
  while (reader.next(&f)) {
    FilmCredits c;
    c.line = reader.line();
    if (!has_fields(f, fields, reader, report)) continue;
    if (!parse_id(field(f, id), &c.movie_id)) {
      report->add_problem(reader.line(), "movie_id '" + field(f, id) + "' is not a number");
      continue;
    }
    c.directors = split_names(field(f, director), "|");
    c.cast = split_names(field(f, cast), "|");
    out->push_back(std::move(c));
    ++report->rows;
  }
  report->add_csv_problems(reader);
  return true;
}

bool read_melu(std::istream& in, std::vector<FilmCredits>* out, ReadReport* report, Error* error) {
  LineReader lines(in);
  std::string line;
  bool any = false;
  while (lines.next(&line)) {
    any = true;
    if (trim(line).empty()) continue;
    const auto f = split(line, "::");
    FilmCredits c;
    c.line = lines.line();
    if (f.size() != 11) {
      report->add_problem(lines.line(),
                          "expected 11 '::'-separated fields, found " + std::to_string(f.size()));
      continue;
    }
    if (!parse_id(f[0], &c.movie_id)) {
      report->add_problem(lines.line(), "movie_id '" + std::string(f[0]) + "' is not a number");
      continue;
    }
    c.directors = split_names(f[6], ",");
    c.cast = split_names(f[8], ",");
    out->push_back(std::move(c));
    ++report->rows;
  }
  if (!any) return fail(error, ErrorCode::kEmpty, "movies_extrainfos.dat is empty");
  return true;
}

namespace {

// The year in a title's last "(1996)"; 0 when there is none.
int title_year(std::string_view title) {
  title = trim(title);
  if (title.size() < 6 || title.back() != ')' || title[title.size() - 6] != '(') return 0;
  int64_t y = 0;
  return parse_id(title.substr(title.size() - 5, 4), &y) ? static_cast<int>(y) : 0;
}

// Why a mapping's film URI cannot be the film its title names, or "" when it may be: a
// franchise or series page (Home Alone -> Home_Alone_(franchise) lists every sequel's
// director), or a film of another year (Taxi Driver (1976) -> Taxi_Driver_(1954_film)).
std::string wrong_film(std::string_view title, std::string_view uri) {
  const std::string page = dbpedia_page(uri);
  for (const char* series : {"(franchise)", "(film series)", "trilogy"}) {
    if (page.find(series) != std::string::npos) return "the film URI is a series page";
  }
  const size_t open = page.rfind(" (");
  int64_t uri_year = 0;
  if (open == std::string::npos || page.find("film)", open) == std::string::npos ||
      !parse_id(std::string_view(page).substr(open + 2, 4), &uri_year)) {
    return {};
  }
  const int year = title_year(title);
  if (year == 0 || std::abs(year - static_cast<int>(uri_year)) <= 1) return {};
  return "the film URI names a " + std::to_string(uri_year) + " film, the title " +
         std::to_string(year);
}

}  // namespace

bool read_entity2rec_mappings(std::istream& in,
                              std::unordered_map<std::string, std::vector<int64_t>>* film_movies,
                              ReadReport* report, Error* error) {
  LineReader lines(in);
  std::string line;
  bool any = false;
  while (lines.next(&line)) {
    any = true;
    if (trim(line).empty()) continue;
    const auto f = split(line, "\t");
    int64_t movie = 0;
    if (f.size() != 3 || !parse_id(f[0], &movie) || trim(f[2]).empty()) {
      report->add_problem(lines.line(), "expected movieId\\ttitle\\tURI");
      continue;
    }
    const std::string why = wrong_film(f[1], trim(f[2]));
    if (!why.empty()) {
      report->add_problem(lines.line(), why);
      (*film_movies)[std::string(trim(f[2]))];  // known, mapped to nothing: its edges are skipped
      continue;
    }
    (*film_movies)[std::string(trim(f[2]))].push_back(movie);
    ++report->rows;
  }
  if (!any) return fail(error, ErrorCode::kEmpty, "mappings.tsv is empty");
  return true;
}

bool read_entity2rec_edges(std::istream& in,
                           const std::unordered_map<std::string, std::vector<int64_t>>& film_movies,
                           PeopleRole role, std::vector<FilmCredits>* out, ReadReport* report,
                           Error* error) {
  LineReader lines(in);
  std::string line;
  bool any = false;
  // Film URI -> its people in file order (one film's edges need not be adjacent).
  std::vector<std::pair<std::string, FilmCredits>> films;
  std::unordered_map<std::string, size_t> index;
  while (lines.next(&line)) {
    any = true;
    const std::string_view t = trim(line);
    if (t.empty()) continue;
    const size_t gap = t.find_first_of(" \t");
    const std::string film(t.substr(0, gap));
    const std::string_view person = gap == std::string_view::npos ? "" : trim(t.substr(gap));
    if (person.empty() || person.find_first_of(" \t") != std::string_view::npos) {
      report->add_problem(lines.line(), "expected 'film-URI person-URI'");
      continue;
    }
    const auto movies = film_movies.find(film);
    if (movies == film_movies.end()) {
      report->add_problem(lines.line(), "film not in mappings.tsv: " + film);
      continue;
    }
    if (movies->second.empty()) continue;  // a mapping already reported as wrong
    std::string name = dbpedia_name(person);
    if (name.empty()) {
      report->add_problem(lines.line(), "no name in " + std::string(person));
      continue;
    }
    auto [it, fresh] = index.emplace(film, films.size());
    if (fresh) {
      films.emplace_back(film, FilmCredits{});
      films.back().second.line = lines.line();
    }
    FilmCredits& c = films[it->second].second;
    (role == PeopleRole::kDirector ? c.directors : c.cast).push_back(std::move(name));
    ++report->rows;
  }
  if (!any) return fail(error, ErrorCode::kEmpty, "the edgelist is empty");
  for (auto& [film, credits] : films) {
    for (int64_t movie : film_movies.at(film)) {
      FilmCredits c = credits;
      c.movie_id = movie;
      out->push_back(std::move(c));
    }
  }
  return true;
}

namespace {

// Wikipedia cast entries include notes and fragments: "(voices)", "narrated by", "]", "the life
// and times of". A name starts with a capital (or a non-ASCII letter: "Émile").
std::string wikipedia_cast_name(std::string_view raw) {
  std::string name = clean_person_name(raw);
  if (name.empty()) return {};
  const auto first = static_cast<unsigned char>(name[0]);
  if (!(first >= 0x80 || (first >= 'A' && first <= 'Z'))) return {};
  if (name.rfind("Academy Award", 0) == 0) return {};
  return name;
}

}  // namespace

bool read_wikipedia_cast(std::string_view json, std::vector<FilmCredits>* out, ReadReport* report,
                         Error* error) {
  const nlohmann::json doc = nlohmann::json::parse(json.begin(), json.end(), nullptr,
                                                   /*allow_exceptions=*/false);
  if (!doc.is_array()) return fail(error, ErrorCode::kCorrupt, "not a JSON array of films");
  uint64_t n = 0;
  for (const auto& e : doc) {
    ++n;
    if (!e.is_object()) {
      report->add_problem(n, "entry is not an object");
      continue;
    }
    const auto t = e.find("title"), y = e.find("year"), cast = e.find("cast");
    if (t == e.end() || !t->is_string() || y == e.end() || !y->is_number_integer()) {
      report->add_problem(n, "entry without a title and a year");
      continue;
    }
    FilmCredits c;
    c.line = n;
    c.title = t->get<std::string>();
    c.year = y->get<int>();
    if (cast != e.end() && cast->is_array()) {
      for (const auto& x : *cast) {
        if (!x.is_string()) continue;
        std::string name = wikipedia_cast_name(x.get<std::string>());
        if (!name.empty()) c.cast.push_back(std::move(name));
      }
    }
    if (c.cast.empty()) continue;
    out->push_back(std::move(c));
    ++report->rows;
  }
  return true;
}

bool read_kmrd_people(std::istream& in, std::vector<KmrdPerson>* out, ReadReport* report,
                      Error* error) {
  LineReader lines(in);
  std::string line;
  bool any = false;
  while (lines.next(&line)) {
    any = true;
    if (trim(line).empty()) continue;
    if (lines.line() == 1 && line.compare(0, 6, "people") == 0) continue;
    const auto f = split(line, "\t");
    KmrdPerson p;
    if (f.size() != 3 || !parse_id(f[0], &p.id) || trim(f[1]).empty()) {
      report->add_problem(lines.line(), "expected people\\tkorean\\toriginal");
      continue;
    }
    p.korean = std::string(trim(f[1]));
    p.original = clean_person_name(f[2]);
    out->push_back(std::move(p));
    ++report->rows;
  }
  if (!any) return fail(error, ErrorCode::kEmpty, "peoples.txt is empty");
  return true;
}

// --- keys -------------------------------------------------------------------------------------

namespace {

// "tt0114709" / "0114709" -> 114709; 0 when not a number.
int64_t imdb_number(std::string_view id) {
  if (id.compare(0, 2, "tt") == 0) id.remove_prefix(2);
  int64_t v = 0;
  return parse_id(id, &v) ? v : 0;
}

}  // namespace

size_t resolve_imdb_ids(const std::vector<Link>& links, std::vector<FilmCredits>* credits) {
  std::unordered_map<int64_t, int64_t> movie_of;
  for (const Link& l : links) {
    const int64_t n = imdb_number(l.imdb_id);
    if (n) movie_of.emplace(n, l.movie_id);  // the first link wins, as in the file
  }
  size_t unmatched = 0;
  for (FilmCredits& c : *credits) {
    if (c.movie_id || c.imdb_id.empty()) continue;
    const auto it = movie_of.find(imdb_number(c.imdb_id));
    if (it == movie_of.end()) {
      ++unmatched;
    } else {
      c.movie_id = it->second;
    }
  }
  return unmatched;
}

size_t resolve_wikipedia(const WikiFilmJoin& join, std::vector<FilmCredits>* credits) {
  size_t unmatched = 0;
  for (FilmCredits& c : *credits) {
    if (c.movie_id || c.title.empty()) continue;
    c.movie_id = join ? join(fold_for_matching(c.title), c.year) : 0;
    unmatched += c.movie_id == 0;
  }
  return unmatched;
}

WikiFilmJoin wikipedia_join_by_title(const std::vector<MovieLensMovie>& movies) {
  // Folded title -> (year, movieId), the lowest movieId first for a shared title and year.
  auto index =
      std::make_shared<std::unordered_map<std::string, std::vector<std::pair<int, int64_t>>>>();
  for (const MovieLensMovie& m : movies) {
    const MovieLensTitle t = parse_movielens_title(m.raw_title);
    if (t.year == 0) continue;
    (*index)[fold_for_matching(t.title)].push_back({t.year, m.movie_id});
    for (const auto& alt : t.alternates) {
      (*index)[fold_for_matching(alt)].push_back({t.year, m.movie_id});
    }
  }
  for (auto& [key, v] : *index) std::sort(v.begin(), v.end());
  return [index](const std::string& folded, int year) -> int64_t {
    const auto it = index->find(folded);
    if (it == index->end() || year == 0) return 0;
    for (int off : {0, -1, 1}) {  // as assemble.cpp: the exact year, then one off
      for (const auto& [y, id] : it->second) {
        if (y == year + off) return id;
      }
    }
    return 0;
  };
}

// --- merge ------------------------------------------------------------------------------------

namespace {

constexpr PeopleSource kDirectorOrder[] = {PeopleSource::kImdb5000, PeopleSource::kMelu,
                                           PeopleSource::kCinemate, PeopleSource::kEntity2rec,
                                           PeopleSource::kHetrec};
// Billing order first: OMDb (MeLU), TMDB (cinemate), the Wikipedia infobox; IMDB 5000 ranks by
// Facebook likes (Jurassic Park: Ariana Richards, Wayne Knight, Bob Peck) and DBpedia's starring
// list has no order.
constexpr PeopleSource kCastOrder[] = {PeopleSource::kMelu, PeopleSource::kCinemate,
                                       PeopleSource::kWikipedia, PeopleSource::kImdb5000,
                                       PeopleSource::kEntity2rec};

// The key's words sorted: "wong kar wai" and "kar wai wong" (sources disagree on East Asian name
// order) meet here. Only used within one film: globally it would join Keith David and David Keith.
std::string any_order(const std::string& key) {
  std::vector<std::string_view> words = split(key, " ");
  std::sort(words.begin(), words.end());
  std::string out;
  for (std::string_view w : words) {
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

struct Name {
  std::string key, loose;  // normalise_person_name, any_order of it
};

// One film's list: each person once, compared in any word order.
struct Names {
  std::vector<Name> items;
  const Name* find(const std::string& loose) const {
    for (const Name& n : items) {
      if (n.loose == loose) return &n;
    }
    return nullptr;
  }
};

// Keys that one film shows to be one person ("Kar-Wai Wong" beside "Wong Kar-wai"): a
// union-find over keys.
class Aliases {
 public:
  std::string root(const std::string& key) {
    const auto it = parent_.find(key);
    if (it == parent_.end() || it->second == key) return key;
    std::string r = root(it->second);
    parent_[key] = r;  // path compression
    return r;
  }
  void link(const std::string& a, const std::string& b) {
    const std::string ra = root(a), rb = root(b);
    if (ra != rb) parent_[ra] = rb;
  }

 private:
  std::unordered_map<std::string, std::string> parent_;
};

struct Pooled {
  Names directors, cast;
};

// Spellings seen per key, with counts; the first seen wins ties.
struct Spellings {
  std::vector<std::pair<std::string, uint32_t>> seen;
  uint32_t total = 0;
  void add(const std::string& s, uint32_t n = 1) {
    total += n;
    for (auto& [name, count] : seen) {
      if (name == s) {
        count += n;
        return;
      }
    }
    seen.push_back({s, n});
  }
  const std::string& best() const {
    size_t b = 0;
    for (size_t i = 1; i < seen.size(); ++i) {
      if (seen[i].second > seen[b].second) b = i;
    }
    return seen[b].first;
  }
};

// Adds one list's names to `into`, each person once; spellings counted under their key.
void pool_names(const std::vector<std::string>& names, Names* into,
                std::unordered_map<std::string, Spellings>* spellings, Aliases* aliases) {
  for (const std::string& n : names) {
    Name name;
    name.key = normalise_person_name(n);
    if (name.key.empty()) continue;
    (*spellings)[name.key].add(n);
    name.loose = any_order(name.key);
    if (const Name* there = into->find(name.loose)) {
      if (there->key != name.key) aliases->link(name.key, there->key);
    } else {
      into->items.push_back(std::move(name));
    }
  }
}

bool shares_a_name(const Names& a, const Names& b) {
  return std::any_of(a.items.begin(), a.items.end(),
                     [&](const Name& n) { return b.find(n.loose) != nullptr; });
}

uint8_t bit(PeopleSource s) {
  return static_cast<uint8_t>(1u << static_cast<unsigned>(s));
}

// One role's lists for one movie, in priority order.
using RoleLists = std::vector<std::pair<PeopleSource, const Names*>>;

// The anchor is the first list that shares a name with another list (the first list when none
// does): a list that agrees with nobody does not lead when others agree (MeLU's cast of Taxi
// Driver is four minor actors in alphabetical order). Then every other list that shares a name
// with what is taken adds its new names, in priority order; one that shares none describes
// another film or is wrong, and is left out. Last, names named by more of the taken lists come
// first, priority order breaking ties (MeLU's Se7en reads "Morgan Freeman, Andrew Kevin Walker,
// Daniel Zacapa, Brad Pitt"; the others agree on Freeman, Pitt, Spacey). Returns the bits of the
// lists taken.
uint8_t merge_role(const RoleLists& lists, Names* merged, Aliases* aliases) {
  if (lists.empty()) return 0;
  size_t anchor = lists.size();
  for (size_t i = 0; i < lists.size() && anchor == lists.size(); ++i) {
    for (size_t j = 0; j < lists.size(); ++j) {
      if (i != j && shares_a_name(*lists[i].second, *lists[j].second)) {
        anchor = i;
        break;
      }
    }
  }
  if (anchor == lists.size()) anchor = 0;
  Names taken_names = *lists[anchor].second;
  std::vector<uint32_t> support(taken_names.items.size(), 1);
  uint8_t taken = bit(lists[anchor].first);
  for (size_t i = 0; i < lists.size(); ++i) {
    if (i == anchor || !shares_a_name(*lists[i].second, taken_names)) continue;
    for (const Name& n : lists[i].second->items) {
      const Name* there = taken_names.find(n.loose);
      if (!there) {
        taken_names.items.push_back(n);
        support.push_back(1);
        continue;
      }
      if (there->key != n.key) aliases->link(n.key, there->key);
      ++support[static_cast<size_t>(there - taken_names.items.data())];
    }
    taken |= bit(lists[i].first);
  }
  std::vector<size_t> order(support.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return support[a] > support[b]; });
  merged->items.clear();
  for (size_t i : order) merged->items.push_back(std::move(taken_names.items[i]));
  return taken;
}

// One movie's merged lists, plus which sources named anyone / were taken.
struct MergedMovie {
  Names directors, cast;
  uint8_t director_sources = 0, cast_sources = 0, director_named = 0, cast_named = 0;
};

MergedMovie merge_movie(const std::unordered_map<int64_t, Pooled> (&pooled)[kPeopleSources],
                        int64_t movie, Aliases* aliases) {
  // Shape: gather each role's non-empty lists in priority order -> merge_role.
  RoleLists directors, cast;
  const auto of = [&](PeopleSource s) -> const Pooled* {
    const auto& p = pooled[static_cast<size_t>(s)];
    const auto it = p.find(movie);
    return it == p.end() ? nullptr : &it->second;
  };
  for (PeopleSource s : kDirectorOrder) {
    const Pooled* p = of(s);
    if (p && !p->directors.items.empty()) directors.push_back({s, &p->directors});
  }
  for (PeopleSource s : kCastOrder) {
    const Pooled* p = of(s);
    if (p && !p->cast.items.empty()) cast.push_back({s, &p->cast});
  }
  MergedMovie m;
  for (const auto& [s, names] : directors) m.director_named |= bit(s);
  for (const auto& [s, names] : cast) m.cast_named |= bit(s);
  m.director_sources = merge_role(directors, &m.directors, aliases);
  m.cast_sources = merge_role(cast, &m.cast, aliases);
  if (m.cast.items.size() > PeopleIndex::kLeadCast) m.cast.items.resize(PeopleIndex::kLeadCast);
  return m;
}

// One person per group of aliased keys: the key and spelling used most name it; every key of the
// group finds it. People are ordered by key.
void build_people(const std::set<std::string>& keys, Aliases* aliases,
                  const std::unordered_map<std::string, Spellings>& spellings, PeopleIndex* out) {
  std::map<std::string, std::vector<std::string>> groups;  // root -> member keys
  for (const std::string& k : keys) groups[aliases->root(k)].push_back(k);
  struct Draft {
    std::string key;
    Spellings names;
    std::vector<std::string> members;
  };
  std::vector<Draft> drafts;
  for (auto& [root, members] : groups) {
    Draft d;
    uint32_t best = 0;
    for (const std::string& k : members) {
      const auto it = spellings.find(k);
      const uint32_t n = it == spellings.end() ? 0 : it->second.total;
      if (d.key.empty() || n > best) d.key = k, best = n;
      if (it == spellings.end()) continue;
      for (const auto& [spelling, count] : it->second.seen) d.names.add(spelling, count);
    }
    d.members = std::move(members);
    drafts.push_back(std::move(d));
  }
  std::sort(drafts.begin(), drafts.end(),
            [](const Draft& a, const Draft& b) { return a.key < b.key; });
  for (Draft& d : drafts) {
    const auto index = static_cast<uint32_t>(out->people.size());
    out->people.push_back({d.names.seen.empty() ? d.key : d.names.best(), d.key, {}});
    for (const std::string& k : d.members) {
      out->by_key.emplace(k, index);
      auto& loose = out->by_any_order[any_order(k)];
      if (std::find(loose.begin(), loose.end(), index) == loose.end()) loose.push_back(index);
    }
  }
}

// The person a name from outside the credits (kmrd's original names) stands for, or -1: the
// exact key, else a unique person with the same words in another order.
int64_t person_of(const PeopleIndex& index, const std::string& key) {
  const auto it = index.by_key.find(key);
  if (it != index.by_key.end()) return it->second;
  const auto loose = index.by_any_order.find(any_order(key));
  if (loose == index.by_any_order.end() || loose->second.size() != 1) return -1;
  return loose->second[0];
}

void add_korean_names(const std::vector<KmrdPerson>& kmrd, PeopleIndex* out) {
  for (const KmrdPerson& k : kmrd) {
    if (k.original.empty()) continue;
    const int64_t who = person_of(*out, normalise_person_name(k.original));
    if (who < 0) continue;
    const auto i = static_cast<uint32_t>(who);
    Person& p = out->people[i];
    if (std::find(p.korean.begin(), p.korean.end(), k.korean) != p.korean.end()) continue;
    p.korean.push_back(k.korean);
    auto& ids = out->by_korean[without_spaces(k.korean)];
    if (std::find(ids.begin(), ids.end(), i) == ids.end()) ids.push_back(i);
  }
}

}  // namespace

const Person* PeopleIndex::find(std::string_view name) const {
  const std::string key = normalise_person_name(name);
  if (!key.empty()) {
    const int64_t who = person_of(*this, key);
    if (who >= 0) return &people[static_cast<size_t>(who)];
  }
  const auto ko = by_korean.find(without_spaces(name));
  if (ko != by_korean.end() && !ko->second.empty()) return &people[ko->second.front()];
  return nullptr;
}

void merge_people(const PeopleSources& sources, PeopleIndex* out) {
  *out = PeopleIndex{};
  // Shape: pool each source per movie -> merge per movie by priority -> people -> Korean names.
  std::unordered_map<int64_t, Pooled> pooled[kPeopleSources];
  std::unordered_map<std::string, Spellings> spellings;
  Aliases aliases;
  std::vector<int64_t> movies;
  for (size_t s = 0; s < kPeopleSources; ++s) {
    const bool hetrec = s == static_cast<size_t>(PeopleSource::kHetrec);
    for (const FilmCredits& c : sources.by_source[s]) {
      if (c.movie_id <= 0 || (hetrec && sources.hetrec_mismatch.count(c.movie_id))) continue;
      Pooled& p = pooled[s][c.movie_id];
      pool_names(c.directors, &p.directors, &spellings, &aliases);
      pool_names(c.cast, &p.cast, &spellings, &aliases);
      movies.push_back(c.movie_id);
    }
  }
  std::sort(movies.begin(), movies.end());
  movies.erase(std::unique(movies.begin(), movies.end()), movies.end());

  std::vector<std::pair<int64_t, MergedMovie>> merged;
  std::set<std::string> keys;
  for (int64_t movie : movies) {
    MergedMovie m = merge_movie(pooled, movie, &aliases);
    if (m.directors.items.empty() && m.cast.items.empty()) continue;
    for (const Name& n : m.directors.items) keys.insert(n.key);
    for (const Name& n : m.cast.items) keys.insert(n.key);
    merged.emplace_back(movie, std::move(m));
  }
  // Aliases of kept people (seen beside them in some film) join their group.
  std::set<std::string> roots, with_aliases = keys;
  for (const std::string& k : keys) roots.insert(aliases.root(k));
  for (const auto& [key, spelled] : spellings) {
    if (!keys.count(key) && roots.count(aliases.root(key))) with_aliases.insert(key);
  }
  build_people(with_aliases, &aliases, spellings, out);
  for (const auto& [movie, m] : merged) {
    MovieCredits& c = out->movies[movie];
    for (const Name& n : m.directors.items) c.directors.push_back(out->by_key.at(n.key));
    for (const Name& n : m.cast.items) c.cast.push_back(out->by_key.at(n.key));
    c.director_sources = m.director_sources;
    c.cast_sources = m.cast_sources;
    c.director_named = m.director_named;
    c.cast_named = m.cast_named;
  }
  add_korean_names(sources.kmrd, out);
}

// --- read_people ------------------------------------------------------------------------------

PeopleInputs people_inputs_under(const std::string& data_dir) {
  PeopleInputs in;
  in.people_dir = data_dir + "/people";
  in.links_csv = data_dir + "/movielens/ml-25m/links.csv";
  for (int decade = 1900; decade <= 2020; decade += 10) {
    in.wikipedia_json.push_back(data_dir + "/wikipedia/movies-" + std::to_string(decade) +
                                "s.json");
  }
  in.kmrd_dir = data_dir + "/korean/kmrd-small";
  return in;
}

namespace {

// Runs `read(stream, report, error)` on the file at `path`, recording its report under the path.
template <typename Read>
bool read_file(const std::string& path, PeopleReport* report, Error* error, Read read) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(error, ErrorCode::kIo, "cannot open " + path);
  report->files.push_back({path, ReadReport{}});
  if (read(in, &report->files.back().second, error)) return true;
  if (error) error->message = path + ": " + error->message;
  return false;
}

bool read_people_sources(const PeopleInputs& in, PeopleSources* src, PeopleReport* report,
                         Error* error) {
  const auto slot = [src](PeopleSource s) { return &src->by_source[static_cast<size_t>(s)]; };
  // Each reader with its destination bound: (stream, report, error) -> bool.
  const auto into = [](auto reader, auto* dst) {
    return [reader, dst](std::istream& s, ReadReport* r, Error* e) { return reader(s, dst, r, e); };
  };
  std::unordered_map<std::string, std::vector<int64_t>> films;  // entity2rec film URI -> movies
  const auto edges = [&films, out = slot(PeopleSource::kEntity2rec)](PeopleRole role) {
    return [&films, out, role](std::istream& s, ReadReport* r, Error* e) {
      return read_entity2rec_edges(s, films, role, out, r, e);
    };
  };
  const std::string& p = in.people_dir;
  return read_file(p + "/imdb5000/movie_metadata.csv", report, error,
                   into(read_imdb5000, slot(PeopleSource::kImdb5000))) &&
         read_file(p + "/melu_ml1m/movies_extrainfos.dat", report, error,
                   into(read_melu, slot(PeopleSource::kMelu))) &&
         read_file(p + "/cinemate/movies_enriched.csv", report, error,
                   into(read_cinemate, slot(PeopleSource::kCinemate))) &&
         read_file(p + "/entity2rec_ml1m/mappings.tsv", report, error,
                   into(read_entity2rec_mappings, &films)) &&
         read_file(p + "/entity2rec_ml1m/dbo_director.edgelist", report, error,
                   edges(PeopleRole::kDirector)) &&
         read_file(p + "/entity2rec_ml1m/dbo_starring.edgelist", report, error,
                   edges(PeopleRole::kCast)) &&
         read_file(p + "/hetrec2011/movie_directors.dat", report, error,
                   into(read_hetrec_directors, slot(PeopleSource::kHetrec))) &&
         read_file(p + "/hetrec2011/imdb_mismatch.csv", report, error,
                   into(read_hetrec_mismatch, &src->hetrec_mismatch)) &&
         read_file(in.kmrd_dir + "/peoples.txt", report, error, into(read_kmrd_people, &src->kmrd));
}

bool read_wikipedia_files(const PeopleInputs& in, std::vector<FilmCredits>* out,
                          PeopleReport* report, Error* error) {
  for (const std::string& path : in.wikipedia_json) {
    const auto read = [out](std::istream& s, ReadReport* r, Error* e) {
      const std::string json{std::istreambuf_iterator<char>(s), std::istreambuf_iterator<char>()};
      return read_wikipedia_cast(json, out, r, e);
    };
    if (!read_file(path, report, error, read)) return false;
  }
  return true;
}

}  // namespace

bool read_people(const PeopleInputs& in, PeopleIndex* out, PeopleReport* report, Error* error) {
  *report = PeopleReport{};
  if (!in.wikipedia_json.empty() && !in.wikipedia_join) {
    return fail(error, ErrorCode::kInvalidArgument,
                "read_people: Wikipedia files given without a title + year join");
  }
  PeopleSources src;
  std::vector<Link> links;
  const auto read_links_file = [&links](std::istream& s, ReadReport* r, Error* e) {
    return read_links(s, &links, r, e);
  };
  auto& wiki = src.by_source[static_cast<size_t>(PeopleSource::kWikipedia)];
  if (!read_file(in.links_csv, report, error, read_links_file) ||
      !read_people_sources(in, &src, report, error) ||
      !read_wikipedia_files(in, &wiki, report, error)) {
    return false;
  }
  report->unmatched_imdb =
      resolve_imdb_ids(links, &src.by_source[static_cast<size_t>(PeopleSource::kImdb5000)]);
  report->unmatched_wikipedia = resolve_wikipedia(in.wikipedia_join, &wiki);
  for (const FilmCredits& c : src.by_source[static_cast<size_t>(PeopleSource::kHetrec)]) {
    report->hetrec_skipped += src.hetrec_mismatch.count(c.movie_id);
  }
  merge_people(src, out);
  for (const KmrdPerson& k : src.kmrd) {
    report->kmrd_mapped +=
        !k.original.empty() && out->by_key.count(normalise_person_name(k.original));
  }
  return true;
}

}  // namespace cinerag
