// UTF-8 decoding must replace invalid bytes exactly as the WHATWG decoder (TextDecoder) does.
#include "text/utf8.h"

#include <gtest/gtest.h>

namespace cinerag {
namespace {

TEST(Utf8, DecodesValidText) {
  EXPECT_EQ(decode_utf8("Titanic"), U"Titanic");
  EXPECT_EQ(decode_utf8("타이타닉 🎬"), U"타이타닉 🎬");
  EXPECT_EQ(decode_utf8(""), U"");
}

TEST(Utf8, ReplacesEachMaximalInvalidSubpartOnce) {
  // Cases from the WHATWG encoding tests / Unicode ch. 3 "U+FFFD substitution of maximal subparts".
  struct Case {
    std::string bytes;
    std::u32string want;
  };
  const Case cases[] = {
      {"\x80", U"\uFFFD"},
      {"\xC0\x80", U"\uFFFD\uFFFD"},                      // overlong lead byte: each byte alone
      {"\xE0\x80\x80", U"\uFFFD\uFFFD\uFFFD"},            // overlong 3-byte
      {"\xED\xA0\x80", U"\uFFFD\uFFFD\uFFFD"},            // a surrogate
      {"\xF4\x90\x80\x80", U"\uFFFD\uFFFD\uFFFD\uFFFD"},  // above U+10FFFF
      {"\xE2\x82", U"\uFFFD"},                            // truncated at the end: one replacement
      {"\xE2\x82"
       "a",
       U"\uFFFDa"},  // truncated, then ASCII
      {"\xF0\x9F\x8E", U"\uFFFD"},
      {"a\xFF"
       "b",
       U"a\uFFFDb"},
      {"\xF0\x9F\x8E\xAC", U"\U0001F3AC"},
  };
  for (const Case& c : cases)
    EXPECT_EQ(decode_utf8(c.bytes), c.want) << testing::PrintToString(c.bytes);
}

TEST(Utf8, EncodesAndRoundTrips) {
  const std::u32string all = U"a\u00E9\u2581\uAC00\U0001F600";
  EXPECT_EQ(decode_utf8(encode_utf8(all)), all);
  std::string out;
  append_utf8(out, 0xD800);  // surrogates cannot be encoded
  EXPECT_EQ(out, "\xEF\xBF\xBD");
}

}  // namespace
}  // namespace cinerag
