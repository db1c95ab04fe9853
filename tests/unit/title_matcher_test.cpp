// The title matcher on small hand-made catalogues: exact and lowercase titles, years, one typo,
// Hangul original titles with particles, everyday words that are not titles.
#include <gtest/gtest.h>

#include "recommend/titles.h"

using namespace cinerag;

namespace {

struct Fixture {
  std::vector<Movie> movies;
  std::vector<float> prior;
  void add(const char* title, int year, float p, const char* original = "", const char* alt = "") {
    Movie m;
    m.movie_id = static_cast<int64_t>(movies.size() + 1);
    m.title = title;
    m.year = year;
    m.original_title = original;
    m.alt_titles = alt;
    movies.push_back(m);
    prior.push_back(p);
  }
};

std::vector<std::string> found(const TitleMatcher& t, const Fixture& f, const char* text) {
  std::vector<std::string> out;
  for (const auto& m : t.find(text)) {
    out.push_back(f.movies[m.row].title + " " + std::to_string(f.movies[m.row].year));
  }
  return out;
}

}  // namespace

TEST(Titles, FindsNamedMoviesAndResolvesAmbiguity) {
  Fixture f;
  f.add("Titanic", 1997, 0.99f);
  f.add("Titanic", 1953, 0.30f);
  f.add("The Matrix", 1999, 0.98f);
  f.add("Toy Story", 1995, 0.97f);
  f.add("Toy Story 3", 2010, 0.90f);
  f.add("Parasite", 2019, 0.95f, "기생충");
  f.add("It", 2017, 0.999f);  // an everyday word: only the very popular film counts
  f.add("Up", 2009, 0.97f);
  f.add("Seven", 1995, 0.95f, "", "Se7en");
  f.add("Alien", 1979, 0.96f);
  f.add("Alien: Covenant", 2017, 0.98f);  // better known, but "Alien" names the 1979 film
  for (int i = 0; i < 60; ++i) f.add(("Obscure Film " + std::to_string(i)).c_str(), 2000, 0.01f);
  const TitleMatcher t(f.movies, f.prior);
  EXPECT_EQ(found(t, f, "I absolutely loved Titanic. It made me so emotional!"),
            (std::vector<std::string>{"Titanic 1997"}));
  EXPECT_EQ(found(t, f, "the 1953 one: Titanic (1953) was better"),
            (std::vector<std::string>{"Titanic 1953"}));
  EXPECT_EQ(found(t, f, "the matrix and Toy Story 3"),
            (std::vector<std::string>{"The Matrix 1999", "Toy Story 3 2010"}));
  EXPECT_EQ(found(t, f, "기생충을 봤어"), (std::vector<std::string>{"Parasite 2019"}));
  EXPECT_EQ(found(t, f, "Se7en is dark"), (std::vector<std::string>{"Seven 1995"}));
  EXPECT_EQ(found(t, f, "I loved Alien"), (std::vector<std::string>{"Alien 1979"}));
  EXPECT_EQ(found(t, f, "I loved Alien: Covenant"),
            (std::vector<std::string>{"Alien: Covenant 2017"}));
  EXPECT_EQ(found(t, f, "I watched Titanc yesterday"), (std::vector<std::string>{}));  // 6 letters
  EXPECT_EQ(found(t, f, "I watched The Matrx again"),
            (std::vector<std::string>{"The Matrix 1999"}));  // one edit, written as a title
  EXPECT_EQ(found(t, f, "I love it, cheer up"), (std::vector<std::string>{}));
  EXPECT_EQ(found(t, f, "Stephen King's It scared me"), (std::vector<std::string>{"It 2017"}));
  EXPECT_TRUE(found(t, f, "").empty());
  EXPECT_TRUE(found(t, f, "\xff\xfe broken utf-8 Titanic").size() == 1);
}

namespace {

// 100 films: the top 3 by prior are very popular (the top 3%), the next 12 popular (the top
// 15%), the rest obscure. `heavy` is the prior of the film "Heavy".
Fixture ranked_fixture(float heavy) {
  Fixture f;
  f.add("The Matrix", 1999, 0.9f);
  f.add("Titanic", 1997, 0.9f);
  f.add("Avatar", 2009, 0.9f);
  f.add("Heavy", 1995, heavy);
  f.add("Get Out", 2017, 0.5f);
  f.add("Inception", 2010, 0.5f);
  f.add("Interstellar", 2014, 0.5f);
  f.add("Toy Story", 1995, 0.5f);
  f.add("Toy Story 3", 2010, 0.5f);
  for (int i = 0; i < 6; ++i) f.add(("Popular Film " + std::to_string(i)).c_str(), 2000, 0.5f);
  f.add("Memento", 2000, 0.01f);
  f.add("Spirited Away", 2001, 0.01f);
  while (f.movies.size() < 100) {
    f.add(("Obscure Film " + std::to_string(f.movies.size())).c_str(), 2000, 0.01f);
  }
  return f;
}

using Found = std::vector<std::string>;

}  // namespace

TEST(Titles, LowerCaseOneWordTitlesNeedACueUnlessVeryPopular) {
  const Fixture f = ranked_fixture(0.5f);  // Heavy: popular, not very popular
  const TitleMatcher t(f.movies, f.prior);
  EXPECT_EQ(found(t, f, "that was heavy"), Found{});
  EXPECT_EQ(found(t, f, "Heavy rain all day"), Found{});  // opening a sentence, no cue
  EXPECT_EQ(found(t, f, "I loved Heavy"), Found{"Heavy 1995"});
  EXPECT_EQ(found(t, f, "i loved heavy"), Found{"Heavy 1995"});
  EXPECT_EQ(found(t, f, "we watched \"heavy\" yesterday"), Found{"Heavy 1995"});
  EXPECT_EQ(found(t, f, "Heavy was great"), Found{"Heavy 1995"});
  // A film everybody names needs no cue.
  const Fixture g = ranked_fixture(0.95f);
  const TitleMatcher very(g.movies, g.prior);
  EXPECT_EQ(found(very, g, "that was heavy"), Found{"Heavy 1995"});
}

TEST(Titles, TypoAfterTheInAVeryPopularTitle) {
  const Fixture f = ranked_fixture(0.5f);
  const TitleMatcher t(f.movies, f.prior);
  EXPECT_EQ(found(t, f, "I really enjoyed the matirx"), Found{"The Matrix 1999"});
  EXPECT_EQ(found(t, f, "i enjoyed the intersteller"), Found{});  // popular, not very popular
  EXPECT_EQ(found(t, f, "I enjoyed Intersteller"), Found{"Interstellar 2014"});  // as a title
}

TEST(Titles, SentenceOpeningTitlesAreJudgedByTheirOtherWords) {
  const Fixture f = ranked_fixture(0.5f);
  const TitleMatcher t(f.movies, f.prior);
  EXPECT_EQ(found(t, f, "Get Out was brilliant"), Found{"Get Out 2017"});
  EXPECT_EQ(found(t, f, "I think Get Out was brilliant"), Found{"Get Out 2017"});
  EXPECT_EQ(found(t, f, "Get out of here"), Found{});
  EXPECT_EQ(found(t, f, "let me get out tonight"), Found{});
}

TEST(Titles, KoreanAliasesAndSpellingsBySound) {
  const Fixture f = ranked_fixture(0.5f);
  const uint32_t spirited = 16;
  ASSERT_EQ(f.movies[spirited].title, "Spirited Away");
  const TitleMatcher plain(f.movies, f.prior);
  const TitleMatcher t(f.movies, f.prior,
                       {{spirited, "센과 치히로의 행방불명"}, {100000, "없는 영화"}});
  // An alias is a title like any other, even of an obscure film.
  EXPECT_EQ(found(t, f, "센과 치히로의 행방불명 좋았어"), Found{"Spirited Away 2001"});
  EXPECT_EQ(found(plain, f, "센과 치히로의 행방불명 좋았어"), Found{});
  // Popular display titles by the sound of their Korean spelling, particles dropped.
  EXPECT_EQ(found(t, f, "인셉션을 봤어"), Found{"Inception 2010"});
  EXPECT_EQ(found(t, f, "타이타닉은 최고"), Found{"Titanic 1997"});
  EXPECT_EQ(found(t, f, "매트릭스 재밌어"), Found{"The Matrix 1999"});
  EXPECT_EQ(found(t, f, "메멘토 봤어"), Found{});  // obscure: no sound key
  // The longest span first: 토이 스토리 3 is Toy Story 3 before 토이 스토리 is Toy Story.
  EXPECT_EQ(found(t, f, "토이 스토리 3 봤어"), Found{"Toy Story 3 2010"});
  EXPECT_EQ(found(t, f, "토이 스토리 봤어"), Found{"Toy Story 1995"});
  // Everyday Korean words and verbs are no titles.
  EXPECT_EQ(found(t, f, "주말에 시간 있어"), Found{});
}

// A single quotation mark marks a title: "that was 'heavy'" is the popular film Heavy.
TEST(Titles, SingleQuotedOneWordTitle) {
  const Fixture f = ranked_fixture(0.5f);
  const TitleMatcher t(f.movies, f.prior);
  EXPECT_EQ(found(t, f, "that was 'heavy'"), Found{"Heavy 1995"});
}
