// NFKC against the Unicode Consortium's NormalizationTest.txt (from Debian's unicode-data).
#include "text/nfkc.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "text/utf8.h"

namespace cinerag {
namespace {

std::u32string parse_cps(const std::string& field) {
  std::u32string out;
  std::istringstream in(field);
  std::string hex;
  while (in >> hex) out.push_back(static_cast<char32_t>(std::stoul(hex, nullptr, 16)));
  return out;
}

std::string show(const std::u32string& s) {
  std::string out;
  char buf[16];
  for (char32_t c : s) {
    std::snprintf(buf, sizeof buf, "%04X ", static_cast<unsigned>(c));
    out += buf;
  }
  return out;
}

TEST(Nfkc, HandPickedCases) {
  EXPECT_EQ(nfkc(U"Titanic"), U"Titanic");
  EXPECT_EQ(nfkc(U"\uFB01lm"), U"film");              // ligature fi
  EXPECT_EQ(nfkc(U"e\u0301"), U"\u00E9");             // composition
  EXPECT_EQ(nfkc(U"\u1100\u1161\u11A8"), U"\uAC01");  // Hangul jamo compose to 각
  EXPECT_EQ(nfkc(U"\uAC01"), U"\uAC01");
  EXPECT_EQ(nfkc(U"\uFF34\uFF49"), U"Ti");             // full-width letters
  EXPECT_EQ(nfkc(U"\u00A0"), U" ");                    // no-break space
  EXPECT_EQ(nfkc(U"\u2460"), U"1");                    // circled digit one
  EXPECT_EQ(nfkc(U"a\u0328\u0301"), U"\u0105\u0301");  // ordering then composition
}

// Every line of NormalizationTest.txt: NFKC(c1..c5) == c4 (columns as in its header).
TEST(Nfkc, ConformanceFile) {
  const char* path = "/usr/share/unicode/NormalizationTest.txt.bz2";
  std::unique_ptr<FILE, int (*)(FILE*)> in(
      popen((std::string("bzcat ") + path + " 2>/dev/null").c_str(), "r"), pclose);
  ASSERT_TRUE(in) << "cannot run bzcat";
  std::string line;
  size_t checked = 0, failures = 0;
  char buf[4096];
  while (std::fgets(buf, sizeof buf, in.get())) {
    line = buf;
    if (line.empty() || line[0] == '#' || line[0] == '@') continue;
    std::vector<std::u32string> cols;
    size_t start = 0;
    for (int c = 0; c < 5; ++c) {
      const size_t semi = line.find(';', start);
      if (semi == std::string::npos) break;
      cols.push_back(parse_cps(line.substr(start, semi - start)));
      start = semi + 1;
    }
    if (cols.size() != 5) continue;
    for (int c = 0; c < 5; ++c) {
      const std::u32string got = nfkc(cols[c]);
      if (got != cols[3] && ++failures <= 10) {
        ADD_FAILURE() << "NFKC(" << show(cols[c]) << ") = " << show(got) << ", want "
                      << show(cols[3]);
      }
    }
    ++checked;
  }
  EXPECT_EQ(failures, 0u);
  EXPECT_GT(checked, 18000u)
      << "NormalizationTest.txt missing? install unicode-data (npm run setup)";
}

}  // namespace
}  // namespace cinerag
