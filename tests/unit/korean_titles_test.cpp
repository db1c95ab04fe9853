// Korean titles: the two readers on tiny inline files, the English title key, the title + year
// match (exact, one year off, ambiguous) and the people table's Korean director names.
#include "data/korean_titles.h"

#include <gtest/gtest.h>

#include <sstream>

#include "data/people_table.h"

namespace cinerag {
namespace {

Movie movie(int64_t id, const std::string& title, int year, const std::string& alt = "",
            const std::string& original = "", int64_t votes = 0) {
  Movie m;
  m.vote_count = votes;
  m.movie_id = id;
  m.title = title;
  m.year = year;
  m.alt_titles = alt;
  m.original_title = original;
  return m;
}

TEST(KoreanTitles, EnglishTitleKey) {
  EXPECT_EQ(english_title_key("Back to the Future Part II"), "backtothefuture2");
  EXPECT_EQ(english_title_key("Back To The Future Part 2"), "backtothefuture2");
  EXPECT_EQ(english_title_key("The Matrix"), "matrix");
  EXPECT_EQ(english_title_key("Amélie"), "amelie");
  EXPECT_EQ(english_title_key("醉拳, Drunken Master"), "drunkenmaster");
  EXPECT_EQ(english_title_key("The"), "the");  // an article alone is the title
  EXPECT_EQ(english_title_key("乱"), "");
}

TEST(KoreanTitles, ReadsKmrdMovies) {
  std::istringstream in(
      "movie\ttitle\ttitle_eng\tyear\tgrade\n"
      "10001\t시네마 천국\tCinema Paradiso , 1988\t2013\t전체 관람가\n"
      "10019\t금지된 장난\tJeux Interdits , Forbidden Games , 1952\t1954\t\n"
      "10020\t제목만\t\t\t\n");
  std::vector<KoreanTitle> out;
  ReadReport r;
  Error e;
  ASSERT_TRUE(read_kmrd_movies(in, &out, &r, &e)) << e.message;
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].korean, "시네마 천국");
  EXPECT_EQ(out[0].english, (std::vector<std::string>{"Cinema Paradiso"}));
  EXPECT_EQ(out[0].year, 1988);  // production year, not the Korean release
  EXPECT_EQ(out[1].english, (std::vector<std::string>{"Jeux Interdits", "Forbidden Games"}));
  EXPECT_EQ(r.bad, 1u);
  EXPECT_EQ(r.problems[0].line, 4u);
}

TEST(KoreanTitles, ReadsSoojubmFilmsAndDropsPlaceholders) {
  const std::string json = R"([
    {"releasedate": 2019, "titlekorean": "기생충", "titleenglish": "Parasite", "director": "봉준호"},
    {"releasedate": "2013", "titlekorean": "오직 사랑하는 이들만이 살아남는다",
     "titleenglish": "Only Lovers Left Alive", "director": "짐 자무시 /서울극장"},
    {"releasedate": 1962, "titlekorean": "13 고스트", "titleenglish": "The Outcast", "director": "x"},
    {"releasedate": 1962, "titlekorean": "비열한 거리", "titleenglish": "The Outcast"},
    {"releasedate": 2003, "titlekorean": "베를린", "titleenglish": "", "director": "류승완"},
    {"releasedate": null, "titlekorean": "무엇", "titleenglish": "What"},
    {"releasedate": "1978", "titlekorean": "취권", "titleenglish": "醉拳, Drunken Master",
     "director": "원화평, 누구"},
    7
  ])";
  std::vector<KoreanTitle> out;
  ReadReport r;
  Error e;
  ASSERT_TRUE(read_soojubm_films(json, &out, &r, &e)) << e.message;
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].korean, "기생충");
  EXPECT_EQ(out[0].year, 2019);
  EXPECT_EQ(out[0].director_ko, "봉준호");
  EXPECT_EQ(out[1].year, 2013);
  EXPECT_EQ(out[1].director_ko, "짐 자무시");  // the note after '/' dropped
  EXPECT_EQ(out[2].director_ko, "");           // two people: nobody
  EXPECT_EQ(r.bad, 5u);                        // two placeholders, no English, no year, not a row
  EXPECT_FALSE(read_soojubm_films("{oops", &out, &r, &e));
  EXPECT_EQ(e.code, ErrorCode::kCorrupt);
}

TEST(KoreanTitles, MatchesByTitleAndYear) {
  const std::vector<Movie> movies = {
      movie(1721, "Titanic", 1997, "", "", 7562),
      movie(2157, "Titanic", 1953),
      movie(2011, "Back to the Future Part II", 1989),
      movie(202439, "Parasite", 2019),
      movie(6016, "City of God", 2002, "Cidade de Deus"),
      movie(30, "Twins", 1988),
      movie(31, "Twins", 1988),
      movie(27, "Memories of Murder", 2003, "", "살인의 추억"),
      movie(131282, "Hurricane", 1974),
      movie(286783, "Poor Things", 0),  // no year in MovieLens
  };
  const std::vector<KoreanTitle> kmrd = {
      {"빽 투 더 퓨쳐 2", {"Back To The Future Part 2"}, 1989, "", 2},
      {"시티 오브 갓", {"Cidade de Deus"}, 2003, "", 3},  // one year off
      {"트윈스", {"Twins"}, 1988, "", 4},                 // two movies: skipped
      {"없는 영화", {"No Such Film"}, 2000, "", 5},
  };
  const std::vector<KoreanTitle> films = {
      {"타이타닉", {"Titanic"}, 1999, "제임스 카메론", 1},  // its Korean release, near enough
      {"기생충", {"Parasite"}, 2019, "봉준호", 2},
      {"살인의추억", {"Memories of Murder"}, 2003, "봉준호", 3},  // its original title already
      {"타이타닉", {"Titanic"}, 1997, "", 4},                     // again
      {"금선풍", {"The Hurricane金旋風"}, 1972, "", 5},  // two years off, few votes: another film
      {"가여운 것들", {"Poor Things"}, 2023, "", 6},
  };
  std::vector<KoreanTitleCounts> counts;
  std::vector<std::pair<int64_t, std::string>> directors;
  const auto aliases = korean_aliases(movies, {&kmrd, &films}, &counts, &directors);
  ASSERT_EQ(aliases.size(), 5u);
  EXPECT_EQ(aliases[0].movie_id, 1721);
  EXPECT_EQ(aliases[0].lang, "ko");
  EXPECT_EQ(aliases[0].title, "타이타닉");
  EXPECT_EQ(aliases[1].movie_id, 2011);
  EXPECT_EQ(aliases[2].movie_id, 6016);
  EXPECT_EQ(aliases[3].movie_id, 202439);
  EXPECT_EQ(aliases[3].title, "기생충");
  EXPECT_EQ(aliases[4].movie_id, 286783);
  EXPECT_EQ(counts[0].exact, 1u);
  EXPECT_EQ(counts[0].near_year, 1u);
  EXPECT_EQ(counts[0].ambiguous, 1u);
  EXPECT_EQ(counts[0].unmatched, 1u);
  EXPECT_EQ(counts[1].exact, 3u);
  EXPECT_EQ(counts[1].two_years, 1u);
  EXPECT_EQ(counts[1].undated, 1u);
  EXPECT_EQ(counts[1].unmatched, 1u);
  EXPECT_EQ(counts[1].aliases, 3u);
  EXPECT_EQ(directors.size(), 3u);  // Titanic, Parasite, Memories of Murder
}

TEST(PeopleTable, KoreanDirectorNamesAndCredits) {
  PeopleIndex index;
  index.people = {{"Bong Joon-ho", "bong joon ho", {}},
                  {"James Cameron", "james cameron", {"제임스 카메론"}},
                  {"Leonardo DiCaprio", "leonardo dicaprio", {}},
                  {"Kate Winslet", "kate winslet", {}},
                  {"Song Kang-ho", "song kang ho", {}}};
  index.by_korean["제임스카메론"] = {1};
  index.movies[1721].directors = {1};
  index.movies[1721].cast = {2, 3};
  index.movies[27].directors = {0};
  index.movies[27].cast = {4};
  index.movies[5000].cast = {2};
  index.movies[99999].directors = {0};  // not in the catalogue
  const std::unordered_set<int64_t> catalogue = {27, 1721, 5000, 202439};
  const std::vector<std::pair<int64_t, std::string>> film_directors = {
      {27, "봉준호"}, {202439, "봉 준호"}, {1721, "제임스 카메론"}};
  PeopleTableReport r;
  auto rows = people_table(index, catalogue, film_directors, PeopleTableOptions{}, &r);
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0].person_id, 1);
  EXPECT_EQ(rows[0].names_ko, (std::vector<std::string>{"봉준호"}));
  EXPECT_EQ(rows[0].directed, (std::vector<int64_t>{27, 202439}));  // Parasite by Korean name
  EXPECT_EQ(rows[1].names_ko, (std::vector<std::string>{"제임스 카메론"}));  // not repeated
  EXPECT_EQ(rows[2].starred, (std::vector<int64_t>{1721, 5000}));
  EXPECT_EQ(r.korean_from_films, 1u);
  EXPECT_EQ(r.directed_from_films, 1u);

  PeopleTableOptions two;
  two.min_lead_credits = 2;
  rows = people_table(index, catalogue, film_directors, two, &r);
  EXPECT_EQ(rows.size(), 3u);  // Winslet and Song have one lead credit each
  EXPECT_EQ(r.dropped_actors, 2u);
}

TEST(PeopleTable, ANameTwoPeopleShareIsNotGiven) {
  PeopleIndex index;
  index.people = {{"A", "a", {}}, {"B", "b", {}}};
  index.movies[1].directors = {0};
  index.movies[2].directors = {1};
  PeopleTableReport r;
  const auto rows =
      people_table(index, {1, 2, 3}, {{1, "김감독"}, {2, "김감독"}, {3, "김감독"}}, {}, &r);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_TRUE(rows[0].names_ko.empty());
  EXPECT_TRUE(rows[1].names_ko.empty());
  EXPECT_EQ(r.korean_ambiguous, 1u);
  EXPECT_EQ(r.directed_from_films, 0u);
}

}  // namespace
}  // namespace cinerag
