// The catalogue build's readers, joins and factorisations on small inputs written here.
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "data/assemble.h"
#include "data/factorize.h"
#include "data/neighbours.h"
#include "data/ratings.h"
#include "data/sources.h"

using namespace cinerag;

namespace {

std::vector<Rating> ratings_of(const std::string& text, ReadReport* r) {
  std::istringstream in(text);
  std::vector<Rating> out;
  Error e;
  EXPECT_TRUE(read_ratings(
      in, [&](const Rating& x) { out.push_back(x); }, {}, r, &e));
  return out;
}

}  // namespace

TEST(Ratings, ReadsHeaderBomCrlfAndReportsBadLines) {
  ReadReport r;
  const auto v = ratings_of(
      "\xEF\xBB\xBFuserId,movieId,rating,timestamp\r\n"
      "1,1,4.0,964982703\r\n"
      "1,x,4.0,1\n"  // line 3: non-numeric id
      "2,3\n"        // line 4: too few fields
      "2,5,9.5,1\n"  // line 5: out of range
      "\n"           // blank: ignored
      "3,47,0.5,1\n"
      "4,50,5",  // no timestamp, no final newline
      &r);
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v[0].user_id, 1);
  EXPECT_EQ(v[0].movie_id, 1);
  EXPECT_FLOAT_EQ(v[0].value, 4.0f);
  EXPECT_EQ(v[1].movie_id, 47);
  EXPECT_FLOAT_EQ(v[2].value, 5.0f);
  EXPECT_EQ(r.rows, 3u);
  EXPECT_EQ(r.bad, 3u);
  ASSERT_EQ(r.problems.size(), 3u);
  EXPECT_EQ(r.problems[0].line, 3u);
  EXPECT_EQ(r.problems[1].line, 4u);
  EXPECT_EQ(r.problems[2].line, 5u);
}

TEST(Ratings, LinesAcrossChunkBoundariesAndAnOverlongLine) {
  std::string text = "userId,movieId,rating,timestamp\n";
  for (int i = 0; i < 120000; ++i) text += std::to_string(i) + ",7,3.5,1234567890\n";  // > 1 MB
  text += std::string(10000, '9') + "\n";  // a runaway line
  text += "5,8,2.0,1\n";
  ReadReport r;
  const auto v = ratings_of(text, &r);
  ASSERT_EQ(v.size(), 120001u);
  EXPECT_EQ(v.back().movie_id, 8);
  EXPECT_EQ(r.bad, 1u);
  EXPECT_EQ(r.problems.at(0).line, 120002u);
}

TEST(Sources, TmdbColumnsByNameAndBadRows) {
  std::istringstream in(
      "id,title,vote_average,vote_count,release_date,runtime,original_language,original_title,"
      "overview,popularity,poster_path,genres,keywords,extra\n"
      "496243,Parasite,8.5,18000,2019-05-30,133,ko,기생충,\"A poor family, \"\"schemes\"\".\","
      "90.1,/p.jpg,\"Comedy, Thriller\",\"class, twist\",x\n"
      "oops,Bad,1,1,2000-01-01,1,en,Bad,,1,,,,x\n"
      "597,Titanic,7.9,25000,1997-11-18,194,en,Titanic,Ship.,80,/t.jpg,Drama,ship\n");
  std::vector<TmdbMovie> out;
  ReadReport r;
  Error e;
  ASSERT_TRUE(read_tmdb(in, &out, &r, &e)) << e.message;
  ASSERT_EQ(out.size(), 1u);  // the short last row and the bad id are skipped
  EXPECT_EQ(r.bad, 2u);
  EXPECT_EQ(out[0].original_title, "기생충");
  EXPECT_EQ(out[0].overview, "A poor family, \"schemes\".");
  EXPECT_EQ(out[0].year, 2019);
  EXPECT_EQ(out[0].runtime, 133);
  EXPECT_EQ(out[0].vote_count, 18000);

  std::istringstream no_id("title,overview\nA,b\n");
  out.clear();
  EXPECT_FALSE(read_tmdb(no_id, &out, &r, &e));
  EXPECT_EQ(e.code, ErrorCode::kWrongSchema);
  EXPECT_NE(e.message.find("'id'"), std::string::npos);
  std::istringstream empty("");
  EXPECT_FALSE(read_tmdb(empty, &out, &r, &e));
  EXPECT_EQ(e.code, ErrorCode::kEmpty);
}

TEST(Sources, WikipediaJson) {
  std::vector<WikiFilm> out;
  ReadReport r;
  Error e;
  ASSERT_TRUE(read_wikipedia(
      R"([{"title":"Titanic","year":1997,"extract":"An epic."},{"title":"No year"},3])", &out, &r,
      &e));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].extract, "An epic.");
  EXPECT_EQ(r.bad, 2u);
  EXPECT_FALSE(read_wikipedia("{\"title\":", &out, &r, &e));
  EXPECT_EQ(e.code, ErrorCode::kCorrupt);
}

TEST(Sources, TopTagsFoldCase) {
  std::istringstream in(
      "userId,movieId,tag,timestamp\n1,5,Pixar,1\n2,5,pixar,2\n3,5,fun,3\n4,5,PIXAR,4\n"
      "5,5,fun,5\n6,5,toys,6\nx,y,z,1\n");
  std::unordered_map<int64_t, std::vector<std::string>> tags;
  ReadReport r;
  Error e;
  ASSERT_TRUE(read_top_tags(in, 2, &tags, &r, &e));
  EXPECT_EQ(tags[5], (std::vector<std::string>{"Pixar", "fun"}));
  EXPECT_EQ(r.bad, 1u);
}

TEST(Assemble, JoinsByLinkThenTitleAndYear) {
  BuildSources s;
  s.movies = {{1721, "Titanic (1997)", "Drama|Romance"},
              {2571, "Matrix, The (1999)", "Action|Sci-Fi"},
              {47, "Seven (a.k.a. Se7en) (1995)", "Mystery|Thriller"},
              {9, "Unknown Film (2001)", "(no genres listed)"},
              {118916, "Titanic (1996)", "Drama"},  // must not take the linked 1997 record
              {1721, "Titanic duplicate (1997)", ""}};
  s.links = {{1721, "tt0120338", 597}};
  TmdbMovie titanic;
  titanic.id = 597;
  titanic.title = "Titanic";
  titanic.original_title = "Titanic";
  titanic.overview = "A ship.";
  titanic.year = 1997;
  TmdbMovie matrix;  // no link: found by title, the year one off
  matrix.id = 603;
  matrix.title = "The Matrix";
  matrix.year = 1998;
  matrix.overview = "A hacker.";
  TmdbMovie se7en;  // found through the alternate title
  se7en.id = 807;
  se7en.title = "Se7en";
  se7en.year = 1995;
  TmdbMovie wrong_year;
  wrong_year.id = 1;
  wrong_year.title = "Unknown Film";
  wrong_year.year = 1980;
  s.tmdb = {titanic, matrix, se7en, wrong_year};
  s.wikipedia = {{"Seven", 1995, "A detective thriller."}};
  s.tags[2571] = {"cyberpunk", "philosophy"};
  Coverage c;
  const auto movies = assemble_movies(s, &c);
  ASSERT_EQ(movies.size(), 5u);
  EXPECT_EQ(movies.back().movie_id, 118916);
  EXPECT_EQ(movies.back().tmdb_id, 0);
  EXPECT_EQ(movies[0].movie_id, 9);  // movieId order
  EXPECT_EQ(movies[0].tmdb_id, 0);   // 1980 is too far from 2001
  EXPECT_EQ(movies[1].title, "Seven");
  EXPECT_EQ(movies[1].tmdb_id, 807);
  EXPECT_EQ(movies[1].alt_titles, "Se7en");
  EXPECT_EQ(movies[1].overview, "A detective thriller.");  // TMDB had none: Wikipedia's
  EXPECT_EQ(movies[2].imdb_id, "tt0120338");
  EXPECT_EQ(movies[2].overview, "A ship.");
  EXPECT_EQ(movies[3].title, "The Matrix");
  EXPECT_EQ(movies[3].tmdb_id, 603);
  EXPECT_EQ(movies[3].tags, "cyberpunk, philosophy");
  EXPECT_EQ(c.tmdb_by_id, 1u);
  EXPECT_EQ(c.tmdb_by_title, 2u);
  EXPECT_EQ(c.overview_from_wikipedia, 1u);
  EXPECT_EQ(movie_text(movies[3]),
            "The Matrix (1999). Genres: Action, Sci-Fi. A hacker. Tags: cyberpunk, philosophy.");
  const std::string long_text = movie_text(movies[3], 20);
  EXPECT_LE(long_text.size(), 20u);
}

TEST(Factorize, PrincipalDirectionsFindTheDominantAxes) {
  // Points spread along (1,1,0)/sqrt2 strongly and (0,0,1) weakly.
  std::vector<float> x;
  for (int i = -50; i <= 50; ++i) {
    const float a = static_cast<float>(i) / 10, b = static_cast<float>(i % 7) / 50;
    x.insert(x.end(), {a / std::sqrt(2.0f), a / std::sqrt(2.0f), b});
  }
  const auto d = principal_directions(x.data(), x.size() / 3, 3, 2);
  ASSERT_EQ(d.size(), 6u);
  EXPECT_NEAR(std::fabs(d[0]), 1 / std::sqrt(2.0f), 1e-3);
  EXPECT_NEAR(std::fabs(d[1]), 1 / std::sqrt(2.0f), 1e-3);
  EXPECT_NEAR(std::fabs(d[5]), 1.0f, 1e-3);
}

TEST(Factorize, ItemFactorsGroupItemsLikedTogether) {
  // Two tastes: users 0-19 love items 0-2 and dislike 3-5; users 20-39 the reverse.
  RatingTriplets t;
  for (uint32_t u = 0; u < 40; ++u) {
    for (uint32_t i = 0; i < 6; ++i) {
      const bool first = u < 20, item_first = i < 3;
      t.add(u, i, first == item_first ? 5.0f : 1.0f + static_cast<float>((u + i) % 2));
    }
  }
  t.add(0, 6, 4.0f);  // item 6: one rating, below min_ratings
  const ItemFactors f = item_factors(t, 40, 7, 4, 3);
  auto cos = [&](size_t a, size_t b) {
    double ab = 0, aa = 0, bb = 0;
    for (size_t k = 0; k < f.rank; ++k) {
      const double x = f.vectors[a * f.rank + k], y = f.vectors[b * f.rank + k];
      ab += x * y, aa += x * x, bb += y * y;
    }
    return ab / std::sqrt(aa * bb);
  };
  EXPECT_GT(cos(0, 1), 0.9);
  EXPECT_GT(cos(3, 5), 0.9);
  EXPECT_LT(cos(0, 4), -0.5);
  for (size_t k = 0; k < f.rank; ++k) EXPECT_EQ(f.vectors[6 * f.rank + k], 0.0f);
}

namespace cinerag {
namespace {

TEST(Neighbours, ItemKnnRanksSharedFansAndShrinksRarePairs) {
  // Items 0 and 1 are liked together by many users; 0 and 2 by two; 3 by one user alone.
  std::vector<std::vector<uint32_t>> users;
  for (int u = 0; u < 30; ++u) users.push_back({0, 1});
  users.push_back({0, 2});
  users.push_back({0, 2, 3});
  ItemKnnOptions o;
  o.shrink = 5;
  const auto lists = item_knn(users, 5, o);
  ASSERT_EQ(lists.size(), 5u);
  ASSERT_EQ(lists[0].size(), 2u);
  EXPECT_EQ(lists[0][0].first, 1u);
  EXPECT_EQ(lists[0][1].first, 2u);
  EXPECT_NEAR(lists[0][0].second, 30 / (std::sqrt(32.0 * 30) + 5), 1e-5);
  EXPECT_GT(lists[0][0].second, lists[0][1].second);
  EXPECT_TRUE(lists[3].empty());     // one user: below min_support
  EXPECT_TRUE(lists[4].empty());     // nobody
  EXPECT_EQ(lists[1][0].first, 0u);  // symmetric
}

TEST(Neighbours, PairListsAreConditionalAndMerged) {
  const auto lists = pair_lists({{{0, 1}, 3}, {{0, 2}, 1}, {{0, 1}, 1}, {{2, 2}, 5}}, 3, 1, 1);
  ASSERT_EQ(lists[0].size(), 1u);  // top 1
  EXPECT_EQ(lists[0][0].first, 1u);
  EXPECT_FLOAT_EQ(lists[0][0].second, 4.0f / (5 + 1));
  EXPECT_TRUE(lists[2].empty());  // a movie is not its own neighbour
}

}  // namespace
}  // namespace cinerag

namespace cinerag {
namespace {

TEST(Neighbours, SeriesGroupSequelsAndSubtitles) {
  EXPECT_EQ(series_key("Toy Story 3"), "toy story");
  EXPECT_EQ(series_key("Star Wars: Episode V - The Empire Strikes Back"), "star wars");
  EXPECT_EQ(series_key("The Godfather: Part II"), "the godfather");
  EXPECT_EQ(series_key("Rocky IV"), "rocky");
  EXPECT_EQ(series_key("Toy Story"), "");  // no sequel marker: joins a series only by its key
  EXPECT_EQ(series_key("2001: A Space Odyssey"), "2001");
  EXPECT_EQ(series_key("1917"), "");
  const auto lists = series_lists(
      {"Toy Story", "Toy Story 2", "Toy Story 3", "Titanic", "Rocky", "Rocky II", "Story"}, 10);
  ASSERT_EQ(lists[0].size(), 2u);
  EXPECT_EQ(lists[0][0].first, 1u);
  EXPECT_EQ(lists[2].size(), 2u);
  EXPECT_TRUE(lists[3].empty());
  EXPECT_EQ(lists[4].size(), 1u);
  EXPECT_TRUE(lists[6].empty());
}

}  // namespace
}  // namespace cinerag

namespace cinerag {
namespace {

TEST(Neighbours, SharedDirectorsAndLeads) {
  // Person 1 directs films 0 and 1; person 2 leads 0 and 2 (billed first), 3 is billed fourth
  // in film 1 and first in film 2: not a lead of film 1.
  std::vector<FilmPeople> films(4);
  films[0] = {{1}, {2}};
  films[1] = {{1}, {7, 8, 9, 3}};
  films[2] = {{}, {2, 3}};
  const auto lists = shared_people_lists(films, SharedPeopleOptions{});
  ASSERT_EQ(lists[0].size(), 2u);
  EXPECT_EQ(lists[0][0].first, 1u);  // a shared director (0.6) beats a shared lead (0.3)
  EXPECT_FLOAT_EQ(lists[0][0].second, 0.6f);
  EXPECT_FLOAT_EQ(lists[0][1].second, 0.3f);
  EXPECT_EQ(lists[1].size(), 1u);
  EXPECT_TRUE(lists[3].empty());
}

TEST(Neighbours, SuggestionPriorFavoursTheBandsPeopleSuggest) {
  // Four films: two well-voted 1990s films suggested 10 times, two obscure recent ones never.
  const SuggestionPrior p =
      fit_suggestion_prior({5000, 5000, 2, 2}, {1994, 1995, 2021, 2022}, {6, 4, 0, 0}, 1);
  EXPECT_DOUBLE_EQ(p.suggestions, 10);
  ASSERT_EQ(p.values.size(), (p.vote_edges.size() + 1) * (p.year_edges.size() + 1));
  const size_t ny = p.year_edges.size() + 1;
  // 5000 votes: band 5 (edges 1..3000 below it); 1994: band 3; 2 votes: band 1; 2021: band 7.
  const double popular_90s = p.values[5 * ny + 3], obscure_recent = p.values[1 * ny + 7];
  const double unseen = p.values[0];  // no films there: the overall rate, between the two
  EXPECT_DOUBLE_EQ(popular_90s, 1.0);
  EXPECT_LT(obscure_recent, unseen);
  EXPECT_LT(unseen, popular_90s);
  EXPECT_GT(obscure_recent, 0.0);  // smoothed, never zero
}

}  // namespace
}  // namespace cinerag
