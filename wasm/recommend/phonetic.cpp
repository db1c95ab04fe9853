// Sound keys for Latin and Hangul text: rules for how English spellings sound to a Korean ear,
// and the Hangul jamo tables (initial, final) in the same consonant classes.
#include "recommend/phonetic.h"

#include <algorithm>
#include <cstring>

#include "text/utf8.h"

namespace cinerag {
namespace {

// The consonant classes: p (b p f v), t (d t th), k (g k c q), s (s z j ch sh), r (l r), m, n,
// h. Vowels, w and y make no sound of their own in a key.
bool vowel(char c) {
  return c && std::strchr("aeiouy", c) != nullptr;
}

bool consonant(char c) {
  return c >= 'a' && c <= 'z' && !vowel(c);
}

// Appends `c` unless it repeats the key's last symbol ("tt", "ll" merge; "t.t" does not); a
// vowel is one '.', none at the start.
void put(std::string* key, char c) {
  if (c == '.' && key->empty()) return;
  if (key->empty() || key->back() != c) key->push_back(c);
}

std::string trimmed(std::string key) {
  while (!key.empty() && key.back() == '.') key.pop_back();
  return key;
}

// One word's key; `soft_g`: read g before e/i/y as in "Avengers" (s) rather than "Tiger" (k).
void latin_word(const std::string& w, bool soft_g, std::string* key) {
  const size_t n = w.size();
  auto at = [&](size_t i) { return i < n ? w[i] : '\0'; };
  for (size_t i = 0; i < n; ++i) {
    const char c = w[i], next = at(i + 1);
    if (c >= '0' && c <= '9') {
      put(key, c);
      continue;
    }
    if (vowel(c) || c == 'w') {
      put(key, '.');
      continue;
    }
    switch (c) {
      case 'b':
      case 'f':
      case 'v': put(key, 'p'); break;
      case 'p':
        put(key, 'p');
        if (next == 'h') ++i;
        break;
      case 'd': put(key, 't'); break;
      case 't':
        if (next == 'h') {
          put(key, 't');
          ++i;
        } else if (next == 'i' && vowel(at(i + 2))) {
          put(key, 's');  // "-tion", "-tial"
        } else {
          put(key, 't');
        }
        break;
      case 'c':
        if (next == 'h') {
          put(key, at(i + 2) == 'r' || at(i + 2) == 'l' ? 'k' : 's');  // "Christopher", "Charlie"
          ++i;
        } else if (next == 'e' || next == 'i' || next == 'y') {
          put(key, 's');
        } else {
          put(key, 'k');
          if (next == 'k') ++i;
        }
        break;
      case 'g':
        if (next == 'h') {
          ++i;  // "night", "Knight": silent
        } else if (i > 0 && (next == 'e' || next == 'i' || next == 'y')) {
          put(key, soft_g ? 's' : 'k');
        } else if (!(next == 'n' && i == 0)) {
          put(key, 'k');
        }
        break;
      case 'k':
        if (!(i == 0 && next == 'n')) put(key, 'k');  // "Knight"
        break;
      case 'q': put(key, 'k'); break;
      case 'x':
        put(key, 'k');
        put(key, 's');
        break;
      case 's':
        put(key, 's');
        if (next == 'h') ++i;
        break;
      case 'z':
      case 'j': put(key, 's'); break;
      case 'h':
        if (i == 0) put(key, 'h');  // "Harry", "Hanks"; silent after a vowel ("John")
        break;
      case 'r': {
        // Korean keeps an r only before a vowel ("Harry", "Matrix"); after a vowel and before a
        // consonant or the end it is not heard ("Star", "Interstellar", "Potter").
        size_t j = i;
        while (at(j + 1) == 'r') ++j;
        const bool after_vowel = i > 0 && vowel(w[i - 1]);
        const bool before_vowel = vowel(at(j + 1));
        if (!after_vowel || before_vowel) put(key, 'r');
        i = j;
        break;
      }
      case 'l': put(key, 'r'); break;
      case 'n':
        put(key, 'n');
        if (next == 'g' && !vowel(at(i + 2))) ++i;  // "King": ng is one sound (ㅇ)
        break;
      case 'm': put(key, 'm'); break;
      default:
        if (consonant(c)) put(key, c);
    }
  }
}

std::string latin_key(std::string_view folded, bool soft_g) {
  std::string key, word;
  for (size_t i = 0; i <= folded.size(); ++i) {
    const char c = i < folded.size() ? folded[i] : ' ';
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      word += c;
    } else if (!word.empty()) {
      latin_word(word, soft_g, &key);
      word.clear();
    }
  }
  return trimmed(key);
}

// Hangul syllable = 0xAC00 + (initial * 21 + medial) * 28 + final.
constexpr const char* kInitial[19] = {"k", "k", "n", "t", "t", "r", "m", "p", "p", "s",
                                      "s", "",  "s", "s", "s", "k", "t", "p", "h"};
constexpr const char* kFinal[28] = {"",   "k",  "k",  "ks", "n",  "ns", "n", "t", "r",  "rk",
                                    "rm", "rp", "rs", "rt", "rp", "r",  "m", "p", "ps", "t",
                                    "t",  "n",  "t",  "t",  "k",  "t",  "p", ""};
// ㅡ: the vowel Korean spelling adds between consonants English runs together (스트 for "st").
constexpr uint32_t kEu = 18;

}  // namespace

std::vector<std::string> latin_sound_keys(std::string_view folded) {
  std::vector<std::string> keys = {latin_key(folded, /*soft_g=*/true)};
  std::string hard = latin_key(folded, /*soft_g=*/false);
  if (hard != keys[0]) keys.push_back(std::move(hard));
  return keys;
}

std::string hangul_sound_key(std::string_view utf8) {
  std::string key;
  for (char32_t c : decode_utf8(utf8)) {
    if (c >= '0' && c <= '9') {
      put(&key, static_cast<char>(c));
    } else if (c >= 0xAC00 && c <= 0xD7A3) {
      const uint32_t s = c - 0xAC00;
      for (const char* p = kInitial[s / 588]; *p; ++p) put(&key, *p);
      if ((s % 588) / 28 != kEu) put(&key, '.');
      for (const char* p = kFinal[s % 28]; *p; ++p) put(&key, *p);
    }
  }
  return trimmed(key);
}

std::string consonant_key(const std::string& key) {
  std::string out;
  for (char c : key) {
    if (c != '.') put(&out, c);
  }
  return out;
}

size_t sound_key_consonants(const std::string& key) {
  return key.size() - static_cast<size_t>(std::count(key.begin(), key.end(), '.'));
}

}  // namespace cinerag
