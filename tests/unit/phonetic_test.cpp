// Sound keys: a Korean transliteration and the English name it spells share a key; names that
// only look alike in a few consonants do not. The Latin side is folded as the matchers fold it.
#include "recommend/phonetic.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "text/nfkc.h"

namespace cinerag {
namespace {

// Whether any key of the English text is the Korean text's key.
bool same_sound(const std::string& english, const std::string& korean) {
  const std::vector<std::string> keys = latin_sound_keys(fold_for_matching(english));
  return std::find(keys.begin(), keys.end(), hangul_sound_key(korean)) != keys.end();
}

TEST(Phonetic, KoreanSpellingsShareTheKeyOfTheEnglishName) {
  const std::vector<std::pair<const char*, const char*>> pairs = {
      {"Titanic", "타이타닉"},          {"Inception", "인셉션"},
      {"Matrix", "매트릭스"},  // "The Matrix" without its article, as the title matcher indexes it
      {"Harry Potter", "해리 포터"},    {"Avengers", "어벤져스"},  // a soft g
      {"Interstellar", "인터스텔라"},   {"Forrest Gump", "포레스트 검프"},
      {"Tom Hanks", "톰 행크스"},       {"Christopher Nolan", "크리스토퍼 놀란"},
      {"Toy Story 3", "토이 스토리 3"},  // digits are kept
  };
  for (const auto& [english, korean] : pairs) {
    EXPECT_TRUE(same_sound(english, korean))
        << english << " / " << korean << ": " << latin_sound_keys(fold_for_matching(english))[0]
        << " vs " << hangul_sound_key(korean);
  }
  EXPECT_EQ(hangul_sound_key("타이타닉"), "t.t.n.k");
  EXPECT_EQ(hangul_sound_key("타이 타닉"), hangul_sound_key("타이타닉"));  // spaces do not count
}

TEST(Phonetic, DifferentNamesKeepDifferentKeys) {
  EXPECT_FALSE(same_sound("Titanic", "덩케르크"));
  EXPECT_FALSE(same_sound("Dunkirk", "타이타닉"));
  EXPECT_FALSE(same_sound("Toy Story", "토이 스토리 3"));  // the number is part of the name
  // An everyday Korean word is no title: 시간 ("time") keys to none of these.
  for (const char* title : {"Titanic", "Inception", "Seven", "Shining", "Matrix", "Saw"}) {
    EXPECT_FALSE(same_sound(title, "시간")) << title;
  }
}

TEST(Phonetic, SoftAndHardGGiveTwoKeys) {
  EXPECT_EQ(latin_sound_keys("avengers").size(), 2u);
  EXPECT_EQ(latin_sound_keys("titanic").size(), 1u);
  EXPECT_TRUE(same_sound("Tiger", "타이거"));  // the hard reading is kept too
}

TEST(Phonetic, ConsonantKeyAndCount) {
  EXPECT_EQ(sound_key_consonants("t.t.n.k"), 4u);
  EXPECT_EQ(sound_key_consonants(""), 0u);
  EXPECT_EQ(consonant_key("t.t.n.k"), "tnk");  // repeats merge again once the vowels are gone
  EXPECT_EQ(consonant_key("m.t.r.ks"), "mtrks");
  // Where Korean writes a vowel English does not say (스티븐 for "Steven"), the vowel-free keys
  // still agree though the full keys do not.
  const std::string ko = hangul_sound_key("스티븐 스필버그");
  const std::vector<std::string> en = latin_sound_keys(fold_for_matching("Steven Spielberg"));
  EXPECT_TRUE(std::find(en.begin(), en.end(), ko) == en.end()) << ko;
  EXPECT_TRUE(std::any_of(en.begin(), en.end(), [&](const std::string& k) {
    return consonant_key(k) == consonant_key(ko);
  })) << consonant_key(ko);
  // Titanic and Dunkirk differ by their vowels only: their vowel-free keys meet.
  EXPECT_EQ(consonant_key(hangul_sound_key("타이타닉")),
            consonant_key(latin_sound_keys("dunkirk")[0]));
}

}  // namespace
}  // namespace cinerag
