// MovieLens title conventions and the matching fold, on hand cases and all 87,585 ml-32m titles.
#include <gtest/gtest.h>

#include <fstream>

#include "data/csv.h"
#include "data/movielens.h"
#include "text/nfkc.h"

namespace cinerag {
namespace {

TEST(MovieLensTitle, ArticlesYearsAndAlternates) {
  auto t = parse_movielens_title("American President, The (1995)");
  EXPECT_EQ(t.title, "The American President");
  EXPECT_EQ(t.year, 1995);
  EXPECT_TRUE(t.alternates.empty());
  t = parse_movielens_title("City of Lost Children, The (Cité des enfants perdus, La) (1995)");
  EXPECT_EQ(t.title, "The City of Lost Children");
  EXPECT_EQ(t.alternates, std::vector<std::string>{"La Cité des enfants perdus"});
  t = parse_movielens_title("Seven (a.k.a. Se7en) (1995)");
  EXPECT_EQ(t.title, "Seven");
  EXPECT_EQ(t.alternates, std::vector<std::string>{"Se7en"});
  t = parse_movielens_title("Léon: The Professional (a.k.a. The Professional) (Léon) (1994)");
  EXPECT_EQ(t.title, "Léon: The Professional");
  EXPECT_EQ(t.alternates, (std::vector<std::string>{"The Professional", "Léon"}));
  t = parse_movielens_title("Avventura, L' (1960)");
  EXPECT_EQ(t.title, "L'Avventura");
  t = parse_movielens_title("Babe Ruth Story, The (1948) ");
  EXPECT_EQ(t.title, "The Babe Ruth Story");
  EXPECT_EQ(t.year, 1948);
  t = parse_movielens_title("Millions Game, The (Das Millionenspiel)");
  EXPECT_EQ(t.title, "The Millions Game");
  EXPECT_EQ(t.year, 0);
  EXPECT_EQ(t.alternates, std::vector<std::string>{"Das Millionenspiel"});
  t = parse_movielens_title("Stephen Fry In America - New World");
  EXPECT_EQ(t.title, "Stephen Fry In America - New World");
  t = parse_movielens_title("(500) Days of Summer (2009)");
  EXPECT_EQ(t.title, "(500) Days of Summer");
  EXPECT_EQ(t.year, 2009);
  t = parse_movielens_title("Band of Brothers (2001-)");
  EXPECT_EQ(t.year, 2001);
  t = parse_movielens_title(
      "Mona and the Time of Burning Love (Mona ja palavan rakkauden aika) (1983))");
  EXPECT_FALSE(t.title.empty());
  EXPECT_EQ(parse_movielens_title("").title, "");
  EXPECT_EQ(parse_movielens_title("(1995)").year, 1995);
}

TEST(Fold, MatchesTitlesAcrossCaseAccentsAndPunctuation) {
  EXPECT_EQ(fold_for_matching("Amélie"), "amelie");
  EXPECT_EQ(fold_for_matching("AMÉLIE!"), "amelie");
  EXPECT_EQ(fold_for_matching("  The Matrix:  Reloaded "), "the matrix reloaded");
  EXPECT_EQ(fold_for_matching("Tom & Jerry"), "tom and jerry");
  EXPECT_EQ(fold_for_matching("Schindler's List"), "schindlers list");
  EXPECT_EQ(fold_for_matching("Léon: The Professional"), "leon the professional");
  EXPECT_EQ(fold_for_matching("기생충"), "기생충");
  EXPECT_EQ(fold_for_matching("Ｔｉｔａｎｉｃ"), "titanic");
  EXPECT_EQ(fold_for_matching("Москва"), "москва");
  EXPECT_EQ(fold_for_matching("Wall·E"), "wall e");
  EXPECT_EQ(fold_for_matching(""), "");
  EXPECT_EQ(fold_for_matching(" \t "), "");
  EXPECT_EQ(fold_for_matching("$"), "$");
  EXPECT_EQ(fold_for_matching("\xff\xfe"), "\xef\xbf\xbd\xef\xbf\xbd");
}

TEST(MovieLensTitle, EveryMl32mTitleParses) {
  const char* env = std::getenv("CINERAG_SHARED");
  const std::string shared = env ? env : CINERAG_SOURCE_DIR "/../shared";
  std::ifstream in(shared + "/data/movielens/ml-32m/movies.csv", std::ios::binary);
  ASSERT_TRUE(in);
  CsvReader reader(in);
  std::vector<std::string> f;
  reader.next(&f);  // header
  size_t n = 0, with_year = 0, empty = 0, with_alternates = 0;
  while (reader.next(&f)) {
    const auto t = parse_movielens_title(f[1]);
    ++n;
    with_year += t.year != 0;
    with_alternates += !t.alternates.empty();
    if (fold_for_matching(t.title).empty()) {
      ++empty;
      ADD_FAILURE() << "empty after folding: " << f[1];
    }
  }
  EXPECT_EQ(n, 87585u);
  EXPECT_GE(with_year, 86900u);  // 617 ml-32m titles carry no year
  EXPECT_EQ(empty, 0u);
  EXPECT_GT(with_alternates, 4000u);
}

}  // namespace
}  // namespace cinerag
