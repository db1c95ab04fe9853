// Constraints read from a message: genres and negated genres, decades and years, runtime,
// ratings, language, family and "lighter", in English and Korean.
#include "recommend/constraints.h"

#include <gtest/gtest.h>

using namespace cinerag;

TEST(Constraints, GenresYearsAndMore) {
  Constraints c = parse_constraints("a 90s comedy, no horror please", 2018);
  EXPECT_EQ(c.year_min, 1990);
  EXPECT_EQ(c.year_max, 1999);
  EXPECT_EQ(c.want_genres, genre_mask("Comedy"));
  EXPECT_EQ(c.avoid_genres, genre_mask("Horror"));

  c = parse_constraints("something after 2010, short and highly rated", 2018);
  EXPECT_EQ(c.year_min, 2011);
  EXPECT_EQ(c.runtime_max, 100);
  EXPECT_TRUE(c.highly_rated);

  c = parse_constraints("한국 영화 중에 80년대 스릴러", 2018);
  EXPECT_EQ(c.language, "ko");
  EXPECT_EQ(c.year_min, 1980);
  EXPECT_EQ(c.want_genres, genre_mask("Thriller"));

  c = parse_constraints("공포 말고 가벼운 거", 2018);
  EXPECT_TRUE(c.avoid_genres & genre_mask("Horror"));
  EXPECT_TRUE(c.lighter);

  c = parse_constraints("best movies of 2025", 2018);
  EXPECT_EQ(c.asked_year, 2025);

  c = parse_constraints("a movie for my kids", 2018);
  EXPECT_TRUE(c.kids);
  EXPECT_TRUE(c.avoid_genres & genre_mask("Horror"));

  c = parse_constraints("I loved Titanic", 2018);
  EXPECT_FALSE(c.any());
  EXPECT_EQ(genre_mask("Drama|Sci-Fi|Nope"), genre_mask("Drama") | genre_mask("Sci-Fi"));
}
