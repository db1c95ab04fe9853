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
