// Sound keys that let a Korean transliteration find the English name it spells: 타이타닉 and
// "Titanic" both key to "ttnk", 인셉션 and "Inception" to "nspsn", 톰 행크스 and "Tom Hanks" to
// "t.mh.nks". A key is the consonants as Korean hears them, in classes Korean spelling does not
// tell apart (b/p/f/v, d/t, g/k/c/q, s/z/j/ch/sh, l/r), each run of vowels one '.', the vowel
// Korean adds between English consonants (ㅡ in 스트) none, repeats merged.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cinerag {

// The keys of folded Latin text (fold_for_matching output: lower-case ASCII words): one, or two
// when a g before e/i/y may be soft or hard ("Avengers", "Tiger"). Spaces and anything not a
// letter or digit are ignored; digits are kept as they are.
std::vector<std::string> latin_sound_keys(std::string_view folded);

// The consonants in a key (its length without the vowel marks).
size_t sound_key_consonants(const std::string& key);

// The key without its vowel marks, repeats merged again: where Korean spelling puts a vowel
// English does not say, or the reverse (스티븐 for "Steven"), longer keys still agree on this.
std::string consonant_key(const std::string& key);

// The key of Hangul text (syllables are decomposed; anything else but digits is ignored).
std::string hangul_sound_key(std::string_view utf8);

}  // namespace cinerag
