// Tokenising and hashing text for the linear sentiment models.
#include "sentiment/features.h"

#include <algorithm>
#include <string>

#include "text/utf8.h"

namespace cinerag {
namespace {

bool is_word_char(char32_t c) {
  if (c < 0x80) return std::isalnum(static_cast<int>(c)) || c == '\'';
  return c >= 0xC0 && c != 0xD7 && c != 0xF7 && c != 0x2019 && !(c >= 0x2000 && c <= 0x206F) &&
         !(c >= 0x3000 && c <= 0x303F) && !(c >= 0xFF00 && c <= 0xFF0F);
}

char32_t lower(char32_t c) {
  if (c >= 'A' && c <= 'Z') return c + 32;
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 32;
  return c;
}

// FNV-1a over the UTF-32 code points, with a seed per feature family.
uint64_t hash(std::u32string_view s, uint64_t seed) {
  uint64_t h = 1469598103934665603ull ^ (seed * 0x9E3779B97F4A7C15ull);
  for (char32_t c : s) {
    for (int k = 0; k < 4; ++k) {
      h ^= (c >> (8 * k)) & 0xFF;
      h *= 1099511628211ull;
    }
  }
  return h;
}

// a + sep + b, built by appending (GCC 12 warns falsely, -Wrestrict, on chained operator+).
std::u32string join(std::u32string_view a, std::u32string_view sep, std::u32string_view b) {
  std::u32string out;
  out.reserve(a.size() + sep.size() + b.size());
  out.append(a).append(sep).append(b);
  return out;
}

bool is_negation(const std::u32string& w) {
  static const char32_t* const kWords[] = {
      U"not",     U"no",   U"never",   U"n't",    U"nothing", U"nobody", U"none",
      U"neither", U"nor",  U"without", U"hardly", U"cannot",  U"dont",   U"didnt",
      U"doesnt",  U"isnt", U"wasnt",   U"arent",  U"werent",  U"wont",   U"cant"};
  if (w.size() > 3 && w.compare(w.size() - 3, 3, U"n't") == 0) return true;
  return std::any_of(std::begin(kWords), std::end(kWords),
                     [&](const char32_t* k) { return w == k; });
}

}  // namespace

SentimentLang detect_sentiment_lang(std::u32string_view text) {
  return std::any_of(text.begin(), text.end(), is_hangul) ? SentimentLang::kKorean
                                                          : SentimentLang::kEnglish;
}

void sentiment_features(std::string_view text, SentimentLang lang, int bits,
                        std::vector<uint32_t>* out) {
  const uint32_t mask = (uint32_t{1} << bits) - 1;
  const size_t first = out->size();
  std::u32string s = decode_utf8(text);
  // "<br />" in IMDb reviews is markup, not words.
  for (size_t at = 0; (at = s.find(U"<br />", at)) != std::u32string::npos; at += 6) {
    std::fill(s.begin() + at, s.begin() + at + 6, U' ');
  }
  auto emit = [&](uint64_t h) { out->push_back(static_cast<uint32_t>(h) & mask); };

  std::vector<std::u32string> words;
  std::vector<bool> clause_end;  // punctuation after word i ends a negation scope
  std::u32string word;
  for (size_t i = 0; i <= s.size(); ++i) {
    const char32_t c = i < s.size() ? lower(s[i]) : U' ';
    if (is_word_char(c)) {
      word += c;
      continue;
    }
    if (!word.empty()) {
      words.push_back(word);
      clause_end.push_back(false);
      word.clear();
    }
    if (c == '.' || c == ',' || c == '!' || c == '?' || c == ';' || c == ':' || c == ')') {
      if (!clause_end.empty()) clause_end.back() = true;
      if (lang == SentimentLang::kEnglish && (c == '!' || c == '?')) {
        words.push_back(std::u32string(1, c));  // "!" and "?" carry sentiment
        clause_end.push_back(true);
      }
    }
  }

  if (lang == SentimentLang::kEnglish) {
    bool negated = false;
    std::u32string prev = U"<s>";
    for (size_t i = 0; i < words.size(); ++i) {
      std::u32string w = words[i];
      const bool neg_word = is_negation(w);
      if (negated && !neg_word) w = join(U"not_", U"", w);
      emit(hash(w, 1));
      emit(hash(join(prev, U" ", w), 2));
      prev = w;
      if (neg_word) negated = true;
      if (clause_end[i]) negated = false;
    }
    emit(hash(join(prev, U" ", U"</s>"), 2));
  } else {
    for (const std::u32string& w : words) {
      emit(hash(w, 3));
      const std::u32string b = join(U"<", w, U">");
      for (size_t n = 1; n <= 3; ++n) {
        for (size_t i = 0; i + n <= b.size(); ++i) {
          if (n == 1 && (b[i] == '<' || b[i] == '>')) continue;
          emit(hash(std::u32string_view(b).substr(i, n), 4 + n));
        }
      }
    }
    for (size_t i = 0; i + 1 < words.size(); ++i) emit(hash(join(words[i], U" ", words[i + 1]), 8));
  }
  std::sort(out->begin() + first, out->end());
  out->erase(std::unique(out->begin() + first, out->end()), out->end());
}

}  // namespace cinerag
