// The streaming CSV reader: RFC 4180 quoting, line endings, BOM, and recovery from bad records;
// then the real MovieLens and TMDB files from ../shared, counted exactly.
#include "data/csv.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace cinerag {
namespace {

using Rows = std::vector<std::vector<std::string>>;

struct Parsed {
  Rows rows;
  std::vector<CsvProblem> problems;
  uint64_t problem_count = 0;
};

Parsed parse(const std::string& text, size_t max_record_bytes = 1 << 20) {
  std::istringstream in(text);
  CsvReader reader(in, max_record_bytes);
  Parsed out;
  std::vector<std::string> fields;
  while (reader.next(&fields)) out.rows.push_back(fields);
  out.problems = reader.problems();
  out.problem_count = reader.problem_count();
  return out;
}

Rows read_all(const std::string& text) {
  return parse(text).rows;
}

TEST(Csv, PlainAndQuotedFields) {
  EXPECT_EQ(
      read_all("movieId,title,genres\n1,Toy Story (1995),Adventure|Animation\n"),
      (Rows{{"movieId", "title", "genres"}, {"1", "Toy Story (1995)", "Adventure|Animation"}}));
  EXPECT_EQ(read_all("11,\"American President, The (1995)\",Comedy\n"),
            (Rows{{"11", "American President, The (1995)", "Comedy"}}));
  EXPECT_EQ(read_all("1,\"He said \"\"hi\"\"\",x\n"), (Rows{{"1", "He said \"hi\"", "x"}}));
  EXPECT_EQ(read_all("1,\"two\nlines\",x\n2,y,z"),
            (Rows{{"1", "two\nlines", "x"}, {"2", "y", "z"}}));
  EXPECT_EQ(read_all("a,,c\n,\n"), (Rows{{"a", "", "c"}, {"", ""}}));
}

TEST(Csv, LineEndingsBomAndBlankLines) {
  EXPECT_EQ(read_all("\xEF\xBB\xBFid,t\r\n1,a\r\n\r\n2,b"),
            (Rows{{"id", "t"}, {"1", "a"}, {"2", "b"}}));
  EXPECT_EQ(read_all(""), Rows{});
  EXPECT_EQ(read_all("\n\n"), Rows{});
  EXPECT_EQ(read_all("a\rb,c\n"), (Rows{{"a\rb", "c"}}));  // a lone CR is data
}

TEST(Csv, BadRecordsAreCountedWithLinesAndSkipped) {
  const Parsed p = parse("id,t\n1,ok\n2,bro\"ken\n3,\"closed\"junk\n4,fine\n5,\"never closed\n");
  EXPECT_EQ(p.rows, (Rows{{"id", "t"}, {"1", "ok"}, {"4", "fine"}}));
  ASSERT_EQ(p.problem_count, 3u);
  EXPECT_EQ(p.problems[0].line, 3u);
  EXPECT_EQ(p.problems[0].message, "quote inside an unquoted field");
  EXPECT_EQ(p.problems[1].line, 4u);
  EXPECT_EQ(p.problems[1].message, "text after a closing quote");
  EXPECT_EQ(p.problems[2].line, 6u);
  EXPECT_EQ(p.problems[2].message, "unterminated quoted field");
}

TEST(Csv, RecordLengthIsBounded) {
  const Parsed p = parse("1,\"" + std::string(5000, 'x') + "\"\n2,b\n", 1000);
  ASSERT_FALSE(p.rows.empty());
  EXPECT_EQ(p.rows.back(), (std::vector<std::string>{"2", "b"}));
  EXPECT_GE(p.problem_count, 1u);
}

TEST(Csv, LineNumbersFollowMultiLineRecords) {
  std::istringstream in("a\n\"x\ny\"\nb\n");
  CsvReader r(in);
  std::vector<std::string> f;
  ASSERT_TRUE(r.next(&f));
  EXPECT_EQ(r.line(), 1u);
  ASSERT_TRUE(r.next(&f));
  EXPECT_EQ(r.line(), 2u);
  ASSERT_TRUE(r.next(&f));
  EXPECT_EQ(r.line(), 4u);
}

// The real inputs of the catalogue build (../shared/README.md gives these counts).
uint64_t count_records(const std::string& path, size_t columns, uint64_t* bad) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << path;
  CsvReader r(in);
  std::vector<std::string> f;
  uint64_t n = 0;
  *bad = 0;
  while (r.next(&f)) {
    if (f.size() == columns) {
      ++n;
    } else {
      ++*bad;
    }
  }
  *bad += r.problem_count();
  return n - 1;  // the header
}

TEST(Csv, ReadsTheSharedMovieFiles) {
  const char* env = std::getenv("CINERAG_SHARED");
  const std::string shared = env ? env : CINERAG_SOURCE_DIR "/../shared";
  uint64_t bad = 0;
  EXPECT_EQ(count_records(shared + "/data/movielens/ml-32m/movies.csv", 3, &bad), 87585u);
  EXPECT_EQ(bad, 0u);
  EXPECT_EQ(count_records(shared + "/data/movielens/ml-latest-small/movies.csv", 3, &bad), 9742u);
  EXPECT_EQ(count_records(shared + "/data/tmdb/tmdb_movies.csv", 24, &bad), 27301u);
  EXPECT_EQ(bad, 0u);
}

}  // namespace
}  // namespace cinerag
