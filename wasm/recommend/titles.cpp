// Title lookup by folded word spans, longest first; a one-deletion index (SymSpell-style) for
// typos in titles of 6+ letters; a stop list keeps everyday words ("her", "up", "it") from being
// read as the films of that name unless written as a title.
#include "recommend/titles.h"

#include <algorithm>
#include <cstring>
#include <unordered_set>

#include "text/nfkc.h"
#include "text/utf8.h"

namespace cinerag {
namespace {

// Everyday words that are also film titles; a one-word title from this list counts only when
// capitalised mid-sentence or followed by a year.
const std::unordered_set<std::string>& common_words() {
  static const std::unordered_set<std::string> words = {
      "a", "about", "after", "again", "all", "also", "always", "am", "an", "and", "any", "are",
      "as", "at", "away", "awesome", "bad", "be", "beautiful", "because", "been", "before",
      "best", "better", "big", "boring", "both", "but", "by", "can", "cant", "check", "classic",
      "come", "could", "crash", "cry", "dark", "day", "did", "do", "does", "done", "dont",
      "down", "drama", "each", "else", "enjoy", "enjoyed", "even", "ever", "every", "fan",
      "fantastic", "favorite", "favourite", "feel", "film", "films", "find", "fine", "first",
      "for", "from", "fun", "funny", "get", "give", "go", "good", "got", "great", "had", "happy",
      "has", "hate", "hated", "have", "he", "heat", "hello", "her", "here", "hey", "hi", "him",
      "his", "home", "how", "i", "if", "im", "in", "into", "is", "it", "its", "ive", "just",
      "kind", "know", "last", "laugh", "let", "life", "like", "liked", "little", "look", "lot",
      "love", "loved", "made", "make", "many", "maybe", "me", "mine", "more", "most", "movie",
      "movies", "much", "my", "need", "never", "new", "next", "nice", "no", "not", "nothing",
      "now", "of", "off", "oh", "ok", "okay", "old", "on", "once", "one", "only", "or", "other",
      "our", "out", "over", "people", "perfect", "please", "pretty", "real", "really",
      "recommend", "red", "right", "sad", "said", "saw", "say", "scary", "see", "seen", "she",
      "show", "similar", "so", "some", "something", "sorry", "still", "story", "such", "sure",
      "take", "thank", "thanks", "that", "the", "their", "them", "then", "there", "these",
      "they", "thing", "things", "think", "this", "those", "though", "time", "to", "today",
      "too", "true", "try", "two", "up", "us", "very", "want", "was", "watch", "watched",
      "way", "we", "well", "went", "were", "what", "when", "where", "which", "while", "who",
      "why", "will", "with", "without", "wonderful", "would", "yeah", "yes", "yet", "you",
      "your", "both", "three", "nine", "ten", "seven", "heat", "signs", "rush", "cars", "her",
      "them", "crazy", "taken", "gravity", "frozen", "speed", "inception"};
  return words;
}

bool is_hangul(char32_t c) { return (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0x1100 && c <= 0x11FF); }

std::vector<std::string> deletions(const std::string& key) {
  std::vector<std::string> out;
  const std::u32string u = decode_utf8(key);
  for (size_t i = 0; i < u.size(); ++i) {
    if (u[i] == U' ') continue;
    std::u32string d = u;
    d.erase(i, 1);
    out.push_back(encode_utf8(d));
  }
  return out;
}

size_t letters(const std::string& key) {
  size_t n = 0;
  for (char32_t c : decode_utf8(key)) n += c != U' ';
  return n;
}

}  // namespace

TitleMatcher::TitleMatcher(const std::vector<Movie>& movies, const std::vector<float>& prior)
    : prior_(prior) {
  auto add = [&](const std::string& title, uint32_t row, int year) {
    std::string key = fold_for_matching(title);
    if (key.empty()) return;
    auto put = [&](const std::string& k) {
      auto& v = titles_[k];
      for (const Entry& e : v)
        if (e.row == row) return;
      v.push_back({row, year});
      max_words_ = std::max<size_t>(max_words_, std::count(k.begin(), k.end(), ' ') + 1);
      if (letters(k) >= 6) {
        for (auto& d : deletions(k)) deletions_[d].push_back(k);
      }
    };
    put(key);
    // "The Matrix" is also "matrix"; "Star Wars: Episode IV - A New Hope" also "star wars
    // episode iv" is not attempted: subtitles are matched through the FTS index instead.
    for (const char* article : {"the ", "a ", "an "}) {
      if (key.rfind(article, 0) == 0 && key.size() > std::strlen(article) + 3) {
        put(key.substr(std::strlen(article)));
      }
    }
    const size_t colon = title.find(':');
    if (colon != std::string::npos && colon >= 4) put(fold_for_matching(title.substr(0, colon)));
  };
  for (uint32_t i = 0; i < movies.size(); ++i) {
    const Movie& m = movies[i];
    add(m.title, i, m.year);
    if (!m.original_title.empty()) add(m.original_title, i, m.year);
    size_t start = 0;
    while (start < m.alt_titles.size()) {
      const size_t bar = m.alt_titles.find('|', start);
      const size_t end = bar == std::string::npos ? m.alt_titles.size() : bar;
      add(m.alt_titles.substr(start, end - start), i, m.year);
      start = end + 1;
    }
  }
  max_words_ = std::min<size_t>(max_words_, 10);
}

std::vector<TitleMatcher::Word> TitleMatcher::words_of(std::string_view text) {
  // Split the original text into words (letters, digits, apostrophes inside words), folding
  // each one as fold_for_matching folds whole titles.
  std::vector<Word> out;
  const std::u32string u = decode_utf8(text);
  size_t byte = 0, start_byte = 0;
  std::u32string cur;
  auto flush = [&](size_t end_byte) {
    if (cur.empty()) return;
    const std::string raw = encode_utf8(cur);
    std::string f = fold_for_matching(raw);
    if (!f.empty()) {
      const bool cap = (cur[0] >= 'A' && cur[0] <= 'Z') || is_hangul(cur[0]) || cur[0] > 0x2E80;
      // fold_for_matching may split "Spider-Man" into two words: keep them as two
      size_t p = 0;
      while (p <= f.size()) {
        const size_t sp = f.find(' ', p);
        const std::string part = f.substr(p, sp == std::string::npos ? std::string::npos : sp - p);
        if (!part.empty()) out.push_back({part, start_byte, end_byte, cap});
        if (sp == std::string::npos) break;
        p = sp + 1;
      }
    }
    cur.clear();
  };
  for (size_t i = 0; i < u.size(); ++i) {
    const char32_t c = u[i];
    const size_t len = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    const bool word_char = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
                           (c >= 'A' && c <= 'Z') || c >= 0x80 || c == '\'' || c == '&';
    const bool hyphen_inside = (c == '-' || c == '.') && !cur.empty() && i + 1 < u.size() &&
                               u[i + 1] != ' ';
    if (word_char || hyphen_inside) {
      if (cur.empty()) start_byte = byte;
      cur += c;
    } else {
      flush(byte);
    }
    byte += len;
  }
  flush(byte);
  return out;
}

bool TitleMatcher::acceptable(const std::vector<Word>& w, size_t first, size_t count,
                              bool exact) const {
  if (count > 1) {
    // Everyday words ("the one", "love it") are a title only when written as one.
    bool all_common = true, any_capital = false;
    for (size_t i = first; i < first + count; ++i) {
      all_common &= common_words().count(w[i].folded) > 0;
      any_capital |= w[i].capitalised;
    }
    if (!exact) return !all_common && (any_capital || count >= 3);
    return !all_common || (w[first].capitalised && first > 0);
  }
  const Word& word = w[first];
  const bool followed_by_year =
      first + 1 < w.size() && w[first + 1].folded.size() == 4 &&
      std::all_of(w[first + 1].folded.begin(), w[first + 1].folded.end(), ::isdigit);
  if (common_words().count(word.folded) || letters(word.folded) <= 2) {
    return followed_by_year || (word.capitalised && first > 0 && letters(word.folded) > 2);
  }
  if (std::all_of(word.folded.begin(), word.folded.end(), ::isdigit)) return false;  // "2012"
  return exact || word.capitalised;
}

const TitleMatcher::Entry* TitleMatcher::pick(const std::vector<Entry>& entries, int year) const {
  const Entry* best = nullptr;
  for (const Entry& e : entries) {
    if (year && std::abs(e.year - year) <= 1) {
      if (!best || std::abs(e.year - year) < std::abs(best->year - year)) best = &e;
    }
  }
  if (best) return best;
  for (const Entry& e : entries) {
    if (!best || prior_[e.row] > prior_[best->row]) best = &e;
  }
  return best;
}

std::vector<TitleMention> TitleMatcher::find(std::string_view text) const {
  const std::vector<Word> w = words_of(text);
  std::vector<TitleMention> out;
  size_t i = 0;
  while (i < w.size()) {
    bool matched = false;
    for (size_t n = std::min(max_words_, w.size() - i); n >= 1 && !matched; --n) {
      std::string key = w[i].folded;
      for (size_t j = i + 1; j < i + n; ++j) key += ' ' + w[j].folded;
      const std::vector<Entry>* entries = nullptr;
      bool exact = true;
      const auto it = titles_.find(key);
      if (it != titles_.end()) {
        entries = &it->second;
      } else if (letters(key) >= 6) {
        // One edit away: a letter missing, extra or changed (SymSpell's deletion keys).
        std::vector<std::string> candidates;
        if (const auto d = deletions_.find(key); d != deletions_.end()) {
          candidates.insert(candidates.end(), d->second.begin(), d->second.end());
        }
        for (const auto& probe : deletions(key)) {
          if (titles_.count(probe)) candidates.push_back(probe);
          if (const auto d = deletions_.find(probe); d != deletions_.end()) {
            candidates.insert(candidates.end(), d->second.begin(), d->second.end());
          }
        }
        float best = -1;
        for (const auto& title : candidates) {
          if (title[0] != key[0]) continue;  // typos rarely hit the first letter
          const auto t = titles_.find(title);
          for (const Entry& e : t->second) {
            if (prior_[e.row] > best) best = prior_[e.row], entries = &t->second;
          }
        }
        exact = false;
      }
      if (!entries || !acceptable(w, i, n, exact)) continue;
      int year = 0;
      size_t end_word = i + n - 1;
      if (i + n < w.size() && w[i + n].folded.size() == 4 &&
          std::all_of(w[i + n].folded.begin(), w[i + n].folded.end(), ::isdigit)) {
        year = std::stoi(w[i + n].folded);
        if (year >= 1870 && year <= 2100) {
          ++end_word;
        } else {
          year = 0;
        }
      }
      const Entry* e = pick(*entries, year);
      if (!e) continue;
      TitleMention m;
      m.row = e->row;
      m.begin = w[i].begin;
      m.end = w[end_word].end;
      if (end_word > i + n - 1 && m.end < text.size() && text[m.end] == ')') ++m.end;
      m.exact = exact;
      m.surface = std::string(text.substr(m.begin, w[i + n - 1].end - m.begin));
      out.push_back(std::move(m));
      i = end_word + 1;
      matched = true;
    }
    if (!matched) ++i;
  }
  return out;
}

}  // namespace cinerag
