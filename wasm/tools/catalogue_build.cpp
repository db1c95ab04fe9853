// The catalogue build's native half: joins the sources, streams ratings, factorises, projects and
// writes the SQLite file. scripts/build/build_db.mjs drives it and embeds the texts in between.
// Over 500 lines on purpose: it is the three commands' drivers in order; the readers, joins,
// ratings, factorisation, related lists and priors it drives live in wasm/data/ with tests.
//   catalogue_build texts  <sources> --out texts.jsonl [--movies-out movies.jsonl]
//                          # one {"id","text"} per movie; movies.jsonl: ids, titles, years, votes
//   catalogue_build write  <sources> --vectors content.f32 [--ratings F]...
//                          [--neighbours KIND=pairs.tsv]... [--suggestions F] [--people DATA_DIR]
//                          [--people-min-lead N] [--korean DIR] --out catalogue.db
//   catalogue_build gen-ratings --movies movies.csv --rows N --out ratings.csv
#include <sys/resource.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "data/assemble.h"
#include "data/factorize.h"
#include "data/korean_titles.h"
#include "data/neighbours.h"
#include "data/people.h"
#include "data/people_table.h"
#include "data/ratings.h"
#include "search/index.h"
#include "search/kernels.h"
#include "store/atomic_file.h"
#include "store/catalogue.h"
#include "tools/progress.h"

using namespace cinerag;
using json = nlohmann::json;

namespace {

struct Args {
  std::string command;
  std::map<std::string, std::vector<std::string>> values;  // --flag value (repeatable)
  const std::string& get(const std::string& k, const std::string& fallback = "") const {
    const auto it = values.find(k);
    return it == values.end() || it->second.empty() ? fallback : it->second.back();
  }
  const std::vector<std::string>& all(const std::string& k) const {
    static const std::vector<std::string> kNone;
    const auto it = values.find(k);
    return it == values.end() ? kNone : it->second;
  }
};

[[noreturn]] void die(const std::string& message) {
  std::fprintf(stderr, "catalogue_build: %s\n", message.c_str());
  std::exit(1);
}

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

double peak_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;
}

std::ifstream open_input(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) die("cannot open '" + path + "': " + std::strerror(errno));
  return in;
}

// Prints a reader's report: the counts and the first few problems with their lines.
void print_report(const std::string& what, const ReadReport& r, json* report) {
  std::fprintf(stderr, "  %s: %llu rows", what.c_str(), static_cast<unsigned long long>(r.rows));
  if (r.bad)
    std::fprintf(stderr, ", %llu bad lines skipped", static_cast<unsigned long long>(r.bad));
  std::fprintf(stderr, "\n");
  for (size_t i = 0; i < r.problems.size() && i < 5; ++i) {
    std::fprintf(stderr, "    line %llu: %s\n", static_cast<unsigned long long>(r.problems[i].line),
                 r.problems[i].message.c_str());
  }
  json problems = json::array();
  for (const auto& p : r.problems) problems.push_back({{"line", p.line}, {"message", p.message}});
  (*report)["inputs"][what] = {{"rows", r.rows}, {"bad", r.bad}, {"problems", problems}};
}

// Reads every source named on the command line.
BuildSources read_sources(const Args& a, json* report) {
  BuildSources s;
  Error e;
  const std::string movies = a.get("movies");
  if (movies.empty()) die("--movies FILE is required");
  {
    auto in = open_input(movies);
    ReadReport r;
    if (!read_movielens_movies(in, &s.movies, &r, &e)) die(movies + ": " + e.message);
    print_report("movies", r, report);
  }
  for (const auto& path : a.all("links")) {
    auto in = open_input(path);
    ReadReport r;
    if (!read_links(in, &s.links, &r, &e)) die(path + ": " + e.message);
    print_report("links " + path.substr(path.find_last_of('/') + 1), r, report);
  }
  if (!a.get("tags").empty()) {
    auto in = open_input(a.get("tags"));
    ReadReport r;
    if (!read_top_tags(in, 5, &s.tags, &r, &e)) die(a.get("tags") + ": " + e.message);
    print_report("tags", r, report);
  }
  if (!a.get("tmdb").empty()) {
    auto in = open_input(a.get("tmdb"));
    ReadReport r;
    if (!read_tmdb(in, &s.tmdb, &r, &e)) die(a.get("tmdb") + ": " + e.message);
    print_report("tmdb", r, report);
  }
  ReadReport wr;
  for (const auto& path : a.all("wikipedia")) {
    auto in = open_input(path);
    std::stringstream text;
    text << in.rdbuf();
    if (!read_wikipedia(text.str(), &s.wikipedia, &wr, &e)) die(path + ": " + e.message);
  }
  if (!a.all("wikipedia").empty()) print_report("wikipedia", wr, report);
  return s;
}

std::vector<Movie> assemble(const Args& a, json* report) {
  std::fprintf(stderr, "Reading sources\n");
  const BuildSources sources = read_sources(a, report);
  Coverage c;
  std::vector<Movie> movies = assemble_movies(sources, &c);
  const auto pct = [&](size_t v) { return c.movies ? 100.0 * v / c.movies : 0.0; };
  std::fprintf(stderr, "Coverage of %zu movies:\n", c.movies);
  std::fprintf(stderr, "  TMDB record      %6zu (%5.1f%%): %zu by tmdbId, %zu by title + year\n",
               c.tmdb_by_id + c.tmdb_by_title, pct(c.tmdb_by_id + c.tmdb_by_title), c.tmdb_by_id,
               c.tmdb_by_title);
  std::fprintf(stderr, "  Wikipedia        %6zu (%5.1f%%)\n", c.wikipedia, pct(c.wikipedia));
  std::fprintf(stderr, "  overview         %6zu (%5.1f%%), %zu from Wikipedia\n", c.overview,
               pct(c.overview), c.overview_from_wikipedia);
  std::fprintf(stderr, "  keywords         %6zu (%5.1f%%)\n", c.keywords, pct(c.keywords));
  std::fprintf(stderr, "  user tags        %6zu (%5.1f%%)\n", c.tags, pct(c.tags));
  std::fprintf(stderr, "  original title   %6zu (%5.1f%%)\n", c.original_title,
               pct(c.original_title));
  std::fprintf(stderr, "  runtime          %6zu (%5.1f%%)\n", c.runtime, pct(c.runtime));
  (*report)["coverage"] = {{"movies", c.movies},
                           {"tmdb_by_id", c.tmdb_by_id},
                           {"tmdb_by_title", c.tmdb_by_title},
                           {"wikipedia", c.wikipedia},
                           {"overview", c.overview},
                           {"overview_from_wikipedia", c.overview_from_wikipedia},
                           {"keywords", c.keywords},
                           {"tags", c.tags},
                           {"original_title", c.original_title},
                           {"runtime", c.runtime},
                           {"poster", c.poster}};
  if (movies.empty()) die("no movies in '" + a.get("movies") + "'");
  return movies;
}

void write_json_file(const std::string& path, const json& j) {
  std::ofstream out(temp_path(path));
  out << j.dump(2) << "\n";
  out.close();
  if (!out || !commit_file(path)) die("cannot write " + path);
}

int cmd_texts(const Args& a) {
  const std::string out_path = a.get("out");
  if (out_path.empty()) die("--out FILE is required");
  json report;
  const auto movies = assemble(a, &report);
  std::ofstream out(temp_path(out_path), std::ios::binary);
  for (const Movie& m : movies) {
    out << json{{"id", m.movie_id}, {"text", movie_text(m)}}.dump() << "\n";
  }
  out.close();
  if (!out || !commit_file(out_path)) die("cannot write " + out_path);
  // The joined movies' names, for the driver's readers of conversations (which name movies).
  if (const std::string names_path = a.get("movies-out"); !names_path.empty()) {
    std::ofstream names(temp_path(names_path), std::ios::binary);
    for (const Movie& m : movies) {
      names << json{{"movieId", m.movie_id},
                    {"title", m.title},
                    {"year", m.year},
                    {"originalTitle", m.original_title},
                    {"altTitles", m.alt_titles},
                    {"voteCount", m.vote_count}}
                   .dump(-1, ' ', false, json::error_handler_t::replace)
            << "\n";
    }
    names.close();
    if (!names || !commit_file(names_path)) die("cannot write " + names_path);
  }
  if (!a.get("report").empty()) write_json_file(a.get("report"), report);
  std::fprintf(stderr, "Wrote %zu texts to %s\n", movies.size(), out_path.c_str());
  return 0;
}

// Recall@10 of the int8 index over `proj` (rows projected to `dims`) against exact f32 search
// in the encoder's space; a movie is never its own neighbour. `strict`: shared ids. `tolerant`:
// as ann-benchmarks counts it, a returned movie is right when its exact score is within 1e-3 of
// the true 10th: two thirds of the full catalogue's texts are a title and genres, so exact ties
// among neighbours are common and "which of the tied ones" is not a search error.
struct Recall {
  double strict = 0, tolerant = 0;
};
Recall recall_at_10(const std::vector<float>& full, size_t dims_full,
                    const std::vector<float>& proj, size_t dims, const F32BruteForce& exact,
                    const std::vector<size_t>& queries) {
  Int8Index index(dims);
  const size_t n = full.size() / dims_full;
  index.reserve(n);
  for (size_t i = 0; i < n; ++i) index.add(proj.data() + i * dims);
  size_t strict = 0, tolerant = 0, wanted = 0;
  std::vector<Hit> want(11), got(11);
  for (size_t q : queries) {
    const float* qv = full.data() + q * dims_full;
    const size_t nw = exact.search(qv, 11, want.data());
    index.search(proj.data() + q * dims, 11, got.data());
    std::vector<uint32_t> w, g;
    float kth = -2;
    for (size_t i = 0; i < nw; ++i) {
      if (want[i].row != q && w.size() < 10) w.push_back(want[i].row), kth = want[i].score;
    }
    for (const Hit& h : got)
      if (h.row != q && g.size() < 10) g.push_back(h.row);
    for (uint32_t r : g) {
      strict += std::find(w.begin(), w.end(), r) != w.end();
      const float* rv = full.data() + size_t{r} * dims_full;
      float score = 0;
      for (size_t d = 0; d < dims_full; ++d) score += qv[d] * rv[d];
      tolerant += score >= kth - 1e-3f;
    }
    wanted += w.size();
  }
  if (!wanted) return {1, 1};
  return {static_cast<double>(strict) / wanted, static_cast<double>(tolerant) / wanted};
}

// The people index (data/people.h) over the catalogue's movies.
PeopleIndex load_people(const std::string& data_dir, const std::vector<Movie>& movies,
                        PeopleReport* r) {
  std::vector<MovieLensMovie> named(movies.size());
  for (size_t i = 0; i < movies.size(); ++i) {
    named[i].movie_id = movies[i].movie_id;
    named[i].raw_title =
        movies[i].title + (movies[i].year ? " (" + std::to_string(movies[i].year) + ")" : "");
  }
  PeopleInputs in = people_inputs_under(data_dir);
  in.wikipedia_join = wikipedia_join_by_title(named);
  PeopleIndex index;
  Error e;
  if (!read_people(in, &index, r, &e)) die(e.message);
  return index;
}

// The people index as "same director / same leads" lists (data/neighbours.h).
std::vector<ItemList> people_lists(const PeopleIndex& index, const PeopleReport& r,
                                   const std::unordered_map<int64_t, uint32_t>& row_of,
                                   json* report) {
  const auto tp = std::chrono::steady_clock::now();
  std::vector<FilmPeople> by_row(row_of.size());
  for (const auto& [movie_id, credits] : index.movies) {
    const auto it = row_of.find(movie_id);
    if (it == row_of.end()) continue;
    by_row[it->second].directors = credits.directors;
    by_row[it->second].cast = credits.cast;
  }
  std::vector<ItemList> out = shared_people_lists(by_row, SharedPeopleOptions{});
  size_t with = 0;
  for (const auto& l : out) with += !l.empty();
  size_t credited = 0;
  for (const auto& [movie_id, credits] : index.movies) credited += row_of.count(movie_id) > 0;
  std::fprintf(stderr,
               "  people: %zu people, %zu movies credited, %zu with a film sharing a director or "
               "leads (%.1fs)\n",
               index.people.size(), credited, with, seconds_since(tp));
  (*report)["neighbours"]["people"] = {{"people", index.people.size()},
                                       {"movies_credited", credited},
                                       {"movies", with},
                                       {"unmatched_imdb", r.unmatched_imdb},
                                       {"unmatched_wikipedia", r.unmatched_wikipedia}};
  return out;
}

// Korean titles (kmrd-small, soojubm) matched to the movies: the aliases, and the films'
// Korean director names for the people table.
std::vector<TitleAlias> read_korean_aliases(const std::string& dir,
                                            const std::vector<Movie>& movies,
                                            std::vector<std::pair<int64_t, std::string>>* directors,
                                            json* report) {
  std::vector<KoreanTitle> kmrd, films;
  Error e;
  ReadReport rk, rf;
  {
    auto in = open_input(dir + "/kmrd-small/movies.txt");
    if (!read_kmrd_movies(in, &kmrd, &rk, &e)) die(dir + "/kmrd-small/movies.txt: " + e.message);
  }
  {
    auto in = open_input(dir + "/soojubm/films.json");
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (!read_soojubm_films(text, &films, &rf, &e)) die(dir + "/soojubm/films.json: " + e.message);
  }
  print_report("korean kmrd-small/movies.txt", rk, report);
  print_report("korean soojubm/films.json", rf, report);
  std::vector<KoreanTitleCounts> counts;
  std::vector<TitleAlias> aliases = korean_aliases(movies, {&kmrd, &films}, &counts, directors);
  const char* names[] = {"kmrd-small", "soojubm"};
  for (size_t s = 0; s < counts.size(); ++s) {
    const KoreanTitleCounts& c = counts[s];
    std::fprintf(stderr,
                 "  Korean titles, %s: %zu of %zu matched (%zu exact year, %zu one year off, %zu "
                 "two off, %zu undated), %zu ambiguous, %zu new aliases\n",
                 names[s], c.exact + c.near_year + c.two_years + c.undated, c.rows, c.exact,
                 c.near_year, c.two_years, c.undated, c.ambiguous, c.aliases);
    (*report)["aliases"][names[s]] = {{"rows", c.rows},           {"exact", c.exact},
                                      {"near_year", c.near_year}, {"two_years", c.two_years},
                                      {"undated", c.undated},     {"ambiguous", c.ambiguous},
                                      {"unmatched", c.unmatched}, {"aliases", c.aliases}};
  }
  (*report)["aliases"]["total"] = aliases.size();
  return aliases;
}

// The people table's rows (data/people_table.h), with what was kept in the report.
std::vector<PersonCredits> people_rows(
    const PeopleIndex& index, const std::vector<Movie>& movies,
    const std::vector<std::pair<int64_t, std::string>>& film_directors, size_t min_lead,
    json* report) {
  std::unordered_set<int64_t> ids;
  for (const Movie& m : movies) ids.insert(m.movie_id);
  PeopleTableOptions options;
  options.min_lead_credits = min_lead;
  PeopleTableReport r;
  std::vector<PersonCredits> rows = people_table(index, ids, film_directors, options, &r);
  std::fprintf(stderr,
               "  people table: %zu people (%zu with a Korean name, %zu of them from the films' "
               "directors; %zu actors with fewer than %zu lead credits left out), %zu films "
               "credited to a director by Korean name\n",
               r.people, r.with_korean, r.korean_from_films, r.dropped_actors, min_lead,
               r.directed_from_films);
  (*report)["people_table"] = {{"people", r.people},
                               {"with_korean", r.with_korean},
                               {"korean_from_films", r.korean_from_films},
                               {"korean_ambiguous", r.korean_ambiguous},
                               {"dropped_actors", r.dropped_actors},
                               {"min_lead_credits", min_lead},
                               {"directed_from_films", r.directed_from_films}};
  return rows;
}

int cmd_write(const Args& a) {
  const auto t0 = std::chrono::steady_clock::now();
  const std::string out_path = a.get("out"), vectors_path = a.get("vectors");
  if (out_path.empty() || vectors_path.empty()) die("--out FILE and --vectors FILE are required");
  const size_t enc_dims = std::stoul(a.get("dims", "512"));
  const double min_recall = std::stod(a.get("min-recall", "0.95"));
  json report;
  std::vector<Movie> movies = assemble(a, &report);
  const size_t n = movies.size();

  // --- content vectors from the encoder: (n, enc_dims) f32 in the texts' order ----------------
  std::vector<float> content(n * enc_dims);
  {
    auto in = open_input(vectors_path);
    in.read(reinterpret_cast<char*>(content.data()),
            static_cast<std::streamsize>(content.size() * sizeof(float)));
    if (static_cast<size_t>(in.gcount()) != content.size() * sizeof(float) || in.peek() != EOF) {
      die(vectors_path + " does not hold " + std::to_string(n) + " x " + std::to_string(enc_dims) +
          " floats: the texts and the vectors are from different runs (rerun the build)");
    }
  }

  // --- ratings: per-movie stats and the triplets for collaborative vectors -------------------
  std::unordered_map<int64_t, uint32_t> row_of;
  for (size_t i = 0; i < n; ++i) row_of[movies[i].movie_id] = static_cast<uint32_t>(i);
  std::vector<double> sum(n, 0.0);
  std::vector<int64_t> count(n, 0);
  std::unordered_map<int64_t, uint32_t> users;
  RatingTriplets triplets;
  uint64_t unknown_movie = 0;
  double ingest_s = 0;
  // Each ratings file has its own users (their ids are not shared across files). A rating of 4
  // or more counts as "liked" for the item-item lists.
  std::vector<std::vector<uint32_t>> liked_by_user;
  const std::vector<std::string>& ratings_paths = a.all("ratings");
  ReadReport all_ratings;
  for (size_t fi = 0; fi < ratings_paths.size(); ++fi) {
    const std::string& ratings_path = ratings_paths[fi];
    std::fprintf(stderr, "Streaming ratings from %s\n", ratings_path.c_str());
    const auto tr = std::chrono::steady_clock::now();
    auto in = open_input(ratings_path);
    in.seekg(0, std::ios::end);
    const uint64_t size = static_cast<uint64_t>(in.tellg());
    in.seekg(0);
    Progress bar("ratings", size >> 20, " MB");
    ReadReport r;
    Error e;
    const bool ok = read_ratings(
        in,
        [&](const Rating& x) {
          const auto it = row_of.find(x.movie_id);
          if (it == row_of.end()) {
            ++unknown_movie;
            return;
          }
          sum[it->second] += x.value;
          ++count[it->second];
          const int64_t key = (static_cast<int64_t>(fi) << 40) ^ x.user_id;
          const auto u = users.emplace(key, static_cast<uint32_t>(users.size())).first;
          triplets.add(u->second, it->second, x.value);
          if (x.value >= 4.0f) {
            if (liked_by_user.size() <= u->second) liked_by_user.resize(u->second + 1);
            liked_by_user[u->second].push_back(it->second);
          }
        },
        [&](uint64_t bytes) { bar.update(bytes >> 20); }, &r, &e);
    if (!ok) die(ratings_path + ": " + e.message);
    bar.done();
    ingest_s += seconds_since(tr);
    print_report("ratings " + ratings_path.substr(ratings_path.find_last_of('/') + 1), r, &report);
    all_ratings.rows += r.rows;
    all_ratings.bad += r.bad;
  }
  if (!ratings_paths.empty()) {
    std::fprintf(stderr, "  %zu users; %llu ratings of movies outside the catalogue ignored\n",
                 users.size(), static_cast<unsigned long long>(unknown_movie));
    report["ratings"] = {{"files", ratings_paths.size()},
                         {"rows", all_ratings.rows},
                         {"bad", all_ratings.bad},
                         {"users", users.size()},
                         {"unknown_movie", unknown_movie},
                         {"ingest_s", ingest_s},
                         {"triplet_mb", triplets.bytes() >> 20}};
  }
  size_t rated = 0;
  for (size_t i = 0; i < n; ++i) {
    if (!count[i]) continue;
    movies[i].rating_count = count[i];
    movies[i].rating_mean = std::round(sum[i] / count[i] * 1000) / 1000;
    ++rated;
  }
  std::fprintf(stderr, "  ratings reached %zu movies (%.1f%%)\n", rated, 100.0 * rated / n);
  report["coverage"]["ratings"] = rated;

  // --- collaborative item vectors -------------------------------------------------------------
  const size_t rank = std::stoul(a.get("collab-rank", "48"));
  const size_t min_ratings = std::stoul(a.get("collab-min-ratings", "5"));
  ItemFactors collab;
  size_t collab_rows = 0;
  if (triplets.size() && rank) {
    std::fprintf(stderr, "Factorising %zu ratings (rank %zu, items with >= %zu ratings)\n",
                 triplets.size(), rank, min_ratings);
    const auto tf = std::chrono::steady_clock::now();
    collab = item_factors(triplets, users.size(), n, rank, min_ratings);
    for (size_t i = 0; i < n; ++i) collab_rows += count[i] >= static_cast<int64_t>(min_ratings);
    std::fprintf(stderr, "  %zu collaborative vectors in %.1fs\n", collab_rows, seconds_since(tf));
    report["collab"] = {{"rank", rank}, {"movies", collab_rows}, {"seconds", seconds_since(tf)}};
  }
  triplets = RatingTriplets();

  // --- related-movie lists: item-kNN over liked ratings, counted pairs from the driver ---------
  std::map<std::string, std::vector<ItemList>> lists;
  if (!liked_by_user.empty()) {
    const auto tk = std::chrono::steady_clock::now();
    for (auto& items : liked_by_user) {
      std::sort(items.begin(), items.end());
      items.erase(std::unique(items.begin(), items.end()), items.end());
    }
    ItemKnnOptions options;
    options.top_n = std::stoul(a.get("neighbours-top", "50"));
    options.shrink = std::stof(a.get("knn-shrink", "20"));
    lists["ratings"] = item_knn(liked_by_user, n, options);
    size_t with = 0;
    for (const auto& l : lists["ratings"]) with += !l.empty();
    std::fprintf(stderr,
                 "  item-kNN over %zu users' liked movies: %zu movies with neighbours (%.1fs)\n",
                 liked_by_user.size(), with, seconds_since(tk));
    report["neighbours"]["ratings"] = {{"movies", with}, {"seconds", seconds_since(tk)}};
  }
  liked_by_user = {};
  PeopleIndex people;
  const bool with_people = !a.get("people").empty();
  if (with_people) {
    PeopleReport pr;
    people = load_people(a.get("people"), movies, &pr);
    lists["people"] = people_lists(people, pr, row_of, &report);
  }
  std::vector<std::pair<int64_t, std::string>> film_directors;  // (movie, Korean director)
  std::vector<TitleAlias> aliases;
  if (!a.get("korean").empty()) {
    aliases = read_korean_aliases(a.get("korean"), movies, &film_directors, &report);
  }
  std::vector<PersonCredits> people_table_rows;
  if (with_people) {
    people_table_rows = people_rows(people, movies, film_directors,
                                    std::stoul(a.get("people-min-lead", "1")), &report);
  }
  people = PeopleIndex();
  {  // Sequels and series: "Toy Story", "Toy Story 2"; "Star Wars: Episode IV", "... V".
    std::vector<std::string> titles(n);
    for (size_t i = 0; i < n; ++i) titles[i] = movies[i].title;
    lists["franchise"] = series_lists(titles, 30);
    size_t with = 0;
    for (const auto& l : lists["franchise"]) with += !l.empty();
    std::fprintf(stderr, "  series: %zu movies with another film of their series\n", with);
    report["neighbours"]["franchise"] = {{"movies", with}};
  }
  for (const std::string& spec : a.all("neighbours")) {  // kind=pairs.tsv: "a<TAB>b<TAB>count"
    const size_t eq = spec.find('=');
    if (eq == std::string::npos) die("--neighbours takes kind=FILE, got '" + spec + "'");
    const std::string kind = spec.substr(0, eq);
    std::vector<std::pair<std::pair<uint32_t, uint32_t>, float>> pairs;
    auto in = open_input(spec.substr(eq + 1));
    int64_t x, y;
    double c;
    size_t unknown = 0;
    while (in >> x >> y >> c) {
      const auto ix = row_of.find(x), iy = row_of.find(y);
      if (ix == row_of.end() || iy == row_of.end()) {
        ++unknown;
        continue;
      }
      pairs.push_back({{ix->second, iy->second}, static_cast<float>(c)});
    }
    if (!in.eof()) die(spec.substr(eq + 1) + ": expected lines of movieId, movieId, count");
    lists[kind] = pair_lists(pairs, n, std::stoul(a.get("neighbours-top", "50")),
                             std::stof(a.get("pair-shrink", "2")));
    size_t with = 0;
    for (const auto& l : lists[kind]) with += !l.empty();
    std::fprintf(stderr,
                 "  '%s' pairs: %zu (%zu with unknown movies), %zu movies with neighbours\n",
                 kind.c_str(), pairs.size(), unknown, with);
    report["neighbours"][kind] = {{"pairs", pairs.size()}, {"unknown", unknown}, {"movies", with}};
  }
  // The prior learned from conversations: how often films were suggested, by vote count and year.
  std::string prior_model;
  if (!a.get("suggestions").empty()) {
    std::vector<double> suggested(n, 0);
    auto in = open_input(a.get("suggestions"));
    int64_t id;
    double c;
    while (in >> id >> c) {
      if (const auto it = row_of.find(id); it != row_of.end()) suggested[it->second] += c;
    }
    std::vector<int64_t> votes(n);
    std::vector<int> years(n);
    for (size_t i = 0; i < n; ++i) votes[i] = movies[i].vote_count, years[i] = movies[i].year;
    const SuggestionPrior fit = fit_suggestion_prior(votes, years, suggested);
    const json model = {{"vote_edges", fit.vote_edges},
                        {"year_edges", fit.year_edges},
                        {"values", fit.values},
                        {"suggestions", fit.suggestions}};
    prior_model = model.dump();
    std::fprintf(stderr, "  suggestion prior from %.0f suggestions\n", fit.suggestions);
    report["suggestion_prior"] = model;
  }

  // --- content: PCA, choosing the smallest size whose recall@10 holds -----------------------
  for (size_t i = 0; i < n; ++i) {  // unit rows (they are; a zero row from an empty text stays 0)
    float* r = content.data() + i * enc_dims;
    double s = 0;
    for (size_t d = 0; d < enc_dims; ++d) s += double(r[d]) * r[d];
    if (s > 0) {
      const float inv = static_cast<float>(1.0 / std::sqrt(s));
      for (size_t d = 0; d < enc_dims; ++d) r[d] *= inv;
    }
  }
  std::fprintf(stderr, "Choosing the content dims (recall@10 against full f32 >= %.2f)\n",
               min_recall);
  F32BruteForce exact(enc_dims);
  for (size_t i = 0; i < n; ++i) exact.add(content.data() + i * enc_dims);
  std::vector<size_t> queries;
  const size_t nq = std::min<size_t>(n, std::stoul(a.get("recall-queries", "300")));
  for (size_t i = 0; i < nq; ++i) queries.push_back(i * n / nq);
  const Recall recall_full = recall_at_10(content, enc_dims, content, enc_dims, exact, queries);
  std::fprintf(stderr, "  int8 at %zu dims: recall@10 %.3f (strict %.3f)\n", enc_dims,
               recall_full.tolerant, recall_full.strict);
  report["content"]["recall_by_dims"][std::to_string(enc_dims)] = recall_full.tolerant;
  report["content"]["strict_recall_by_dims"][std::to_string(enc_dims)] = recall_full.strict;
  size_t dims = enc_dims;
  std::vector<float> directions, projected;
  const std::string forced = a.get("content-dims", "auto");
  std::vector<size_t> candidates;
  if (forced == "auto") {
    candidates = {64, 96, 128, 160, 192, 256, 320, 384};
  } else if (std::stoul(forced) < enc_dims) {
    candidates = {std::stoul(forced)};
  }
  if (!candidates.empty()) {
    const size_t max_dims = candidates.back();
    directions = principal_directions(content.data(), n, enc_dims, max_dims);
    std::vector<float> all(n * max_dims);  // (n, max_dims): any prefix of a row is a projection
    for (size_t i = 0; i < n; ++i) {
      for (size_t k = 0; k < max_dims; ++k) {
        const float* dir = directions.data() + k * enc_dims;
        const float* x = content.data() + i * enc_dims;
        float acc = 0;
        for (size_t d = 0; d < enc_dims; ++d) acc += dir[d] * x[d];
        all[i * max_dims + k] = acc;
      }
    }
    Progress bar("recall by dims", candidates.size());
    size_t done = 0;
    for (size_t c : candidates) {
      std::vector<float> p(n * c);
      for (size_t i = 0; i < n; ++i) std::copy_n(all.data() + i * max_dims, c, p.data() + i * c);
      const Recall rec = recall_at_10(content, enc_dims, p, c, exact, queries);
      report["content"]["recall_by_dims"][std::to_string(c)] = rec.tolerant;
      report["content"]["strict_recall_by_dims"][std::to_string(c)] = rec.strict;
      bar.update(++done);
      std::fprintf(stderr, "%s  %zu dims: recall@10 %.3f (strict %.3f)\n", isatty(2) ? "\n" : "", c,
                   rec.tolerant, rec.strict);
      if (rec.tolerant >= min_recall || forced != "auto") {
        dims = c;
        projected = std::move(p);
        break;
      }
    }
    bar.done();
    directions.resize(dims * enc_dims);
  }
  const bool project = dims < enc_dims;
  const double recall = report["content"]["recall_by_dims"][std::to_string(dims)].get<double>();
  const double recall_strict =
      report["content"]["strict_recall_by_dims"][std::to_string(dims)].get<double>();
  std::fprintf(stderr, "  content vectors: %zu dims%s, recall@10 %.3f (strict %.3f)\n", dims,
               project ? " (PCA)" : "", recall, recall_strict);
  report["content"]["dims"] = dims;
  report["content"]["recall_at_10"] = recall;
  report["content"]["strict_recall_at_10"] = recall_strict;

  // --- write ----------------------------------------------------------------------------------
  std::fprintf(stderr, "Writing %s\n", out_path.c_str());
  Error e;
  auto w = CatalogueWriter::create(out_path, &e);
  if (!w) die(e.message);
  const std::string model = a.get("model"), model_sha = a.get("model-sha256");
  if (!w->add_vector_kind("content", dims, model, model_sha, &e)) die(e.message);
  if (project && !w->add_projection("content", enc_dims, dims, directions.data(), &e))
    die(e.message);
  if (collab_rows && !w->add_vector_kind("collab", rank, "ratings-svd", "", &e)) die(e.message);
  {
    Progress bar("movies", n);
    std::vector<int8_t> q(std::max(dims, rank));
    for (size_t i = 0; i < n; ++i) {
      const Movie& m = movies[i];
      if (!w->add_movie(m, &e)) die(e.message);
      const float* v = project ? projected.data() + i * dims : content.data() + i * enc_dims;
      float scale = quantize_i8(v, dims, q.data());
      if (!w->add_vector("content", m.movie_id, q.data(), dims, scale, &e)) die(e.message);
      if (collab_rows && count[i] >= static_cast<int64_t>(min_ratings)) {
        std::vector<float> c(collab.vectors.begin() + static_cast<std::ptrdiff_t>(i * rank),
                             collab.vectors.begin() + static_cast<std::ptrdiff_t>((i + 1) * rank));
        double s = 0;
        for (float x : c) s += double(x) * x;
        if (s > 0) {
          for (float& x : c) x = static_cast<float>(x / std::sqrt(s));
          scale = quantize_i8(c.data(), rank, q.data());
          if (!w->add_vector("collab", m.movie_id, q.data(), rank, scale, &e)) die(e.message);
        }
      }
      bar.update(i + 1);
    }
  }
  for (const auto& [kind, per_row] : lists) {
    std::vector<std::pair<int64_t, float>> ids;
    for (size_t i = 0; i < n; ++i) {
      if (per_row[i].empty()) continue;
      ids.clear();
      for (const auto& [row, weight] : per_row[i]) ids.push_back({movies[row].movie_id, weight});
      if (!w->add_neighbours(kind, movies[i].movie_id, ids, &e)) die(e.message);
    }
  }
  for (const PersonCredits& p : people_table_rows) {
    if (!w->add_person(p, &e)) die(e.message);
  }
  for (const TitleAlias& alias : aliases) {
    if (!w->add_alias(alias, &e)) die(e.message);
  }
  auto meta = [&](const std::string& k, const std::string& v) {
    if (!w->set_meta(k, v, &e)) die(e.message);
  };
  if (!prior_model.empty()) meta("suggestion_prior", prior_model);
  meta("content_dims", std::to_string(dims));
  meta("encoder_dims", std::to_string(enc_dims));
  meta("content_recall_at_10", std::to_string(recall));
  meta("content_strict_recall_at_10", std::to_string(recall_strict));
  meta("model_name", model);
  meta("model_sha256", model_sha);
  meta("collab_rank", collab_rows ? std::to_string(rank) : "0");
  meta("rated_movies", std::to_string(rated));
  meta("ratings_users", std::to_string(users.size()));
  meta("coverage", report["coverage"].dump());
  for (const auto& kv : a.all("meta")) {  // key=value from the driver: preset, sources, ...
    const size_t eq = kv.find('=');
    if (eq == std::string::npos) die("--meta takes key=value, got '" + kv + "'");
    meta(kv.substr(0, eq), kv.substr(eq + 1));
  }
  if (!w->finish(&e)) die(e.message);
  report["seconds"] = seconds_since(t0);
  report["peak_rss_mb"] = peak_rss_mb();
  if (!a.get("report").empty()) write_json_file(a.get("report"), report);
  std::fprintf(stderr,
               "Wrote %s: %zu movies, content %zu dims, %zu collaborative vectors (%.1fs, peak RSS "
               "%.0f MB)\n",
               out_path.c_str(), n, dims, collab_rows, seconds_since(t0), peak_rss_mb());
  return 0;
}

// A synthetic ratings.csv in the MovieLens schema: users rate a popularity-skewed set of movies
// with a per-user bias, sorted by user like the real file. For the 32M-row ingest benchmark.
int cmd_gen_ratings(const Args& a) {
  const std::string out_path = a.get("out");
  if (out_path.empty() || a.get("movies").empty()) die("--movies FILE and --out FILE are required");
  const uint64_t rows = std::stoull(a.get("rows", "32000000"));
  std::vector<MovieLensMovie> movies;
  {
    auto in = open_input(a.get("movies"));
    ReadReport r;
    Error e;
    if (!read_movielens_movies(in, &movies, &r, &e)) die(e.message);
  }
  if (movies.empty()) die("no movies");
  std::mt19937_64 rng(std::stoull(a.get("seed", "1")));
  // Zipf-like popularity: movie k (in a shuffled order) drawn with weight 1/(k+10).
  std::vector<size_t> order(movies.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), rng);
  std::vector<double> weights(movies.size());
  for (size_t k = 0; k < weights.size(); ++k) weights[k] = 1.0 / (static_cast<double>(k) + 10);
  std::discrete_distribution<size_t> pick(weights.begin(), weights.end());
  std::FILE* out = std::fopen(temp_path(out_path).c_str(), "wb");
  if (!out) die("cannot write " + out_path);
  std::setvbuf(out, nullptr, _IOFBF, 1 << 20);
  std::fputs("userId,movieId,rating,timestamp\n", out);
  Progress bar("synthetic ratings", rows);
  std::uniform_int_distribution<int> per_user(20, 300);
  std::normal_distribution<double> noise(0, 0.9);
  uint64_t written = 0;
  for (uint64_t user = 1; written < rows; ++user) {
    const int k = per_user(rng);
    const double bias = noise(rng) * 0.5;
    for (int j = 0; j < k && written < rows; ++j, ++written) {
      const size_t m = order[pick(rng)];
      double r = 3.5 + bias + noise(rng);
      r = std::min(5.0, std::max(0.5, std::round(r * 2) / 2));
      std::fprintf(out, "%llu,%lld,%.1f,%llu\n", static_cast<unsigned long long>(user),
                   static_cast<long long>(movies[m].movie_id), r,
                   static_cast<unsigned long long>(1000000000 + written));
    }
    if ((user & 1023) == 0) bar.update(written);
  }
  bar.done();
  if (std::fclose(out) != 0 || !commit_file(out_path)) die("cannot write " + out_path);
  return 0;
}

Args parse_args(int argc, char** argv) {
  Args a;
  if (argc < 2) {
    std::fprintf(stderr,
                 "usage: catalogue_build texts|write|gen-ratings --movies FILE [--links FILE]... "
                 "[--tags FILE] [--tmdb FILE] [--wikipedia FILE]... [--ratings FILE]... "
                 "[--neighbours KIND=PAIRS.tsv]... [--suggestions FILE] [--people DATA_DIR] "
                 "[--people-min-lead N] [--korean DIR] "
                 "[--vectors FILE] [--out FILE] [--report FILE]\n");
    std::exit(2);
  }
  a.command = argv[1];
  for (int i = 2; i < argc; ++i) {
    const std::string k = argv[i];
    if (k.rfind("--", 0) != 0 || i + 1 >= argc) die("bad argument '" + k + "'");
    a.values[k.substr(2)].push_back(argv[++i]);
  }
  return a;
}

}  // namespace

int main(int argc, char** argv) {
  const Args a = parse_args(argc, argv);
  try {
    if (a.command == "texts") return cmd_texts(a);
    if (a.command == "write") return cmd_write(a);
    if (a.command == "gen-ratings") return cmd_gen_ratings(a);
  } catch (const std::exception& ex) {  // std::stoul on a bad number, bad_alloc
    die(std::string("error: ") + ex.what());
  }
  die("unknown command '" + a.command + "'");
}
