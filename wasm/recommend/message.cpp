// Reading a message once: word splitting with spans, folding, commands, clauses, content words.
#include "recommend/message.h"

#include <algorithm>
#include <cstring>

#include "recommend/lexicon.h"
#include "text/nfkc.h"
#include "text/utf8.h"

namespace cinerag {
namespace {

bool is_ascii(const char* s) {
  for (const char* p = s; *p; ++p)
    if (static_cast<unsigned char>(*p) >= 0x80) return false;
  return true;
}

bool all_digits(const std::string& w) {
  return std::all_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; });
}

constexpr size_t kMaxClause = 300;

const std::vector<std::pair<const char*, const char*>> kNoTopics;

int ordinal_in(const std::string& folded) {
  for (const auto& [w, i] : ordinal_words()) {
    if (folded.find(w) != std::string::npos) return i;
  }
  return -1;
}

// One word of the text (code points) into its folded parts.
void add_word(std::string_view text, const std::u32string& cur, size_t start_byte, size_t end_byte,
              std::vector<Word>* out) {
  const std::string f = fold_for_matching(encode_utf8(cur));
  if (f.empty()) return;
  // Capitalised: an upper-case Latin letter, or a script without case (Hangul, CJK). Not a
  // symbol: "I loved Titanic 😍" has no name after the title.
  const char32_t c0 = cur[0];
  const bool cap = (c0 >= 'A' && c0 <= 'Z') || is_hangul(c0) || (c0 >= 0x2E80 && c0 <= 0x9FFF) ||
                   (c0 >= 0xF900 && c0 <= 0xFAFF);
  // A sentence starts at the text's start or after . ! ? (and spaces, quotes, newlines).
  size_t b = start_byte;
  while (b > 0 && (text[b - 1] == ' ' || text[b - 1] == '"' || text[b - 1] == '\n')) --b;
  const bool starts = b == 0 || text[b - 1] == '.' || text[b - 1] == '!' || text[b - 1] == '?';
  const bool quoted = start_byte > 0 && std::strchr("\"'", text[start_byte - 1]) != nullptr;
  const size_t first_part = out->size();
  size_t p = 0;
  while (p <= f.size()) {
    const size_t sp = f.find(' ', p);
    const std::string part = f.substr(p, sp == std::string::npos ? std::string::npos : sp - p);
    if (!part.empty()) {
      out->push_back({part, start_byte, end_byte, cap, starts && out->size() == first_part,
                      is_hangul(cur[0]), quoted && out->size() == first_part});
    }
    if (sp == std::string::npos) break;
    p = sp + 1;
  }
}

std::vector<Word> split_decoded(std::string_view text, const std::u32string& u) {
  std::vector<Word> out;
  size_t byte = 0, start_byte = 0;
  std::u32string cur;
  for (size_t i = 0; i < u.size(); ++i) {
    const char32_t c = u[i];
    const size_t len = utf8_sequence_bytes(text, byte);  // invalid bytes: not U+FFFD's 3
    // An apostrophe inside a word ("don't") is part of it; one before a word is a quotation
    // mark ('Up' was lovely).
    const bool word_char = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
                           (c >= 'A' && c <= 'Z') || c >= 0x80 || (c == '\'' && !cur.empty()) ||
                           c == '&';
    const bool hyphen_inside =
        (c == '-' || c == '.') && !cur.empty() && i + 1 < u.size() && u[i + 1] != ' ';
    if (word_char || hyphen_inside) {
      if (cur.empty()) start_byte = byte;
      cur += c;
    } else if (!cur.empty()) {
      add_word(text, cur, start_byte, byte, &out);
      cur.clear();
    }
    byte += len;
  }
  if (!cur.empty()) add_word(text, cur, start_byte, byte, &out);
  return out;
}

}  // namespace

std::vector<Word> split_words(std::string_view text) {
  return split_decoded(text, decode_utf8(text));
}

Message read_message(std::string_view text) {
  Message m;
  m.text = std::string(text);
  const std::u32string u = decode_utf8(text);
  m.words = split_decoded(text, u);
  m.hangul = std::any_of(u.begin(), u.end(), is_hangul);
  m.folded = fold_for_matching(text);
  m.commands.ordinal = ordinal_in(m.folded);
  m.commands.more_like = has_any_phrase(m.folded, more_like_phrases());
  m.commands.not_that = has_any_phrase(m.folded, not_that_phrases());
  m.commands.seen_it = has_any_phrase(m.folded, seen_it_phrases());
  return m;
}

std::vector<size_t> find_phrase(const std::string& folded, const char* phrase) {
  std::vector<size_t> out;
  const size_t n = std::strlen(phrase);
  const bool whole = is_ascii(phrase);
  for (size_t p = folded.find(phrase); p != std::string::npos; p = folded.find(phrase, p + 1)) {
    if (whole) {
      if (p > 0 && folded[p - 1] != ' ') continue;
      if (p + n < folded.size() && folded[p + n] != ' ') continue;
    }
    out.push_back(p);
  }
  return out;
}

std::vector<std::string> split_spaces(std::string_view text) {
  std::vector<std::string> out;
  size_t p = 0;
  while (p < text.size()) {
    const size_t e = std::min(text.find(' ', p), text.size());
    if (e > p) out.emplace_back(text.substr(p, e - p));
    p = e + 1;
  }
  return out;
}

bool starts_with_any(const std::string& word, const std::vector<const char*>& prefixes) {
  return std::any_of(prefixes.begin(), prefixes.end(),
                     [&](const char* p) { return word.rfind(p, 0) == 0; });
}

bool ends_with_any(const std::string& word, const std::vector<const char*>& suffixes) {
  return std::any_of(suffixes.begin(), suffixes.end(), [&](const char* s) {
    const size_t n = std::strlen(s);
    return word.size() > n && word.compare(word.size() - n, n, s) == 0;
  });
}

std::vector<std::string> particle_forms(const std::string& folded) {
  std::vector<std::string> forms = {folded};
  for (const char* particle : hangul_particles()) {
    const size_t n = std::strlen(particle);
    if (folded.size() > n + 3 && folded.compare(folded.size() - n, n, particle) == 0)
      forms.push_back(folded.substr(0, folded.size() - n));
  }
  return forms;
}

bool has_phrase(const std::string& folded, const char* phrase) {
  return !find_phrase(folded, phrase).empty();
}

bool has_any_phrase(const std::string& folded, const std::vector<const char*>& phrases) {
  return std::any_of(phrases.begin(), phrases.end(),
                     [&](const char* p) { return has_phrase(folded, p); });
}

std::string clause_around(const std::string& text, size_t begin, size_t end) {
  size_t b = begin, e = end;
  // A clause runs to the sentence's ends, but no further than kMaxClause bytes each side (text
  // without punctuation is not one long clause), stopping on a character boundary.
  const size_t lo = begin > kMaxClause ? begin - kMaxClause : 0;
  const size_t hi = std::min(text.size(), end + kMaxClause);
  while (b > lo && !std::strchr(".!?;\n", text[b - 1])) --b;
  while (e < hi && !std::strchr(".!?;\n", text[e])) ++e;
  while (b > 0 && b < begin && (static_cast<unsigned char>(text[b]) & 0xC0) == 0x80) ++b;
  while (e < text.size() && e > end && (static_cast<unsigned char>(text[e]) & 0xC0) == 0x80) --e;
  std::string c = text.substr(b, e - b);
  const size_t rel_b = begin - b, rel_e = end - b;
  for (const char* sep : clause_breaks()) {
    const size_t n = std::strlen(sep);
    const size_t before = c.rfind(sep, rel_b);
    if (before != std::string::npos && before + n <= rel_b) {
      c = c.substr(before + n);
      return clause_around(c, rel_b - before - n, rel_e - before - n);
    }
    const size_t after = c.find(sep, rel_e);
    if (after != std::string::npos) return c.substr(0, after);
  }
  return c;
}

namespace {

// Where the sentence holding byte `at` ends (its terminator's index, or text.size()).
size_t sentence_end(const std::string& text, size_t at) {
  const size_t hi = std::min(text.size(), at + kMaxClause);
  while (at < hi && !std::strchr(".!?;\n", text[at])) ++at;
  return at;
}

}  // namespace

TitleClause title_clause(const std::string& text, size_t begin, size_t end) {
  TitleClause c;
  // Only kMaxClause bytes either side can matter (a few more so that the window's edges are never
  // where a bound is tested): a 100 KB message with many titles is not copied once per title.
  const size_t from = begin > kMaxClause + 4 ? begin - kMaxClause - 4 : 0;
  const size_t to = std::min(text.size(), end + kMaxClause + 4);
  const std::string masked = text.substr(from, begin - from) + text.substr(end, to - end);
  begin -= from;
  c.text = clause_around(masked, begin, begin);
  // It asks when the part of its sentence up to the title, from the last comma, is a request
  // ("can you recommend something other than X"), or when that sentence is a question the title
  // ends ("Have you seen X?"); "I loved X, recommend something similar" and "I loved X, any
  // suggestions?" tell how X was.
  const size_t lo = begin > kMaxClause ? begin - kMaxClause : 0;
  size_t b = begin;
  while (b > lo && !std::strchr(".!?;\n,", masked[b - 1])) --b;
  const size_t e = sentence_end(masked, begin);
  const bool question = e < masked.size() && masked[e] == '?' && masked.find(',', begin) >= e;
  c.asks = question || is_request(fold_for_matching(masked.substr(b, begin - b)));
  return c;
}

bool is_request(const std::string& folded) {
  return has_any_phrase(folded, request_phrases());
}

bool is_greeting(const std::string& folded) {
  const std::vector<std::string> words = split_spaces(folded);
  return !words.empty() && std::all_of(words.begin(), words.end(), [](const std::string& w) {
    return greeting_words().count(w) > 0;
  });
}

int stance_cue(const std::string& folded) {
  const std::vector<std::string> words = split_spaces(folded);
  auto negated = [&](size_t k) {
    for (size_t j = k >= 4 ? k - 4 : 0; j < k; ++j) {
      if (reference_negations().count(words[j])) return true;
    }
    return false;
  };
  // A word of complaint: a dislike, unless negated ("wasn't bad at all").
  for (size_t k = 0; k < words.size(); ++k) {
    if (complaint_words().count(words[k])) return negated(k) ? 1 : -1;
  }
  if (has_any_phrase(folded, disliked_before())) return -1;
  // A negation at most four words before a word of liking: "don't like", "not really a fan",
  // "not a Jim Carrey fan", "wasn't that funny".
  for (size_t k = 0; k < words.size(); ++k) {
    if ((liking_verbs().count(words[k]) || liking_words().count(words[k])) && negated(k)) return -1;
  }
  return 0;
}

std::string opinion_text(const Message& message, const std::vector<Span>& titles) {
  // The text with the titles blanked, then clause by clause (at . ! ? ; , and newlines).
  std::string t = message.text;
  for (const Span& s : titles) {
    for (size_t i = s.first; i < s.second && i < t.size(); ++i) t[i] = ' ';
  }
  std::string out;
  size_t start = 0;
  for (size_t i = 0; i <= t.size(); ++i) {
    if (i < t.size() && !std::strchr(".!?;,\n", t[i])) continue;
    const std::string piece = t.substr(start, i - start);
    const bool question = i < t.size() && t[i] == '?';
    start = i + 1;
    const std::string folded = fold_for_matching(piece);
    if (folded.empty() || question || is_request(folded) || is_greeting(folded)) continue;
    out += piece;
    out += i < t.size() ? t[i] : '.';
  }
  return out;
}

bool named_as_reference(const std::vector<Word>& words, size_t first, size_t last) {
  // Korean: the cue follows the title, attached or as the next word.
  for (const char* cue : reference_after_hangul()) {
    const std::string& tail = words[last].folded;
    const size_t n = std::strlen(cue);
    if (tail.size() > n && tail.compare(tail.size() - n, n, cue) == 0) return true;
    if (last + 1 < words.size() && words[last + 1].folded.rfind(cue, 0) == 0) return true;
  }
  // English: the cue's words end right before the title.
  for (const char* cue : reference_before()) {
    const std::vector<std::string> cue_words = split_spaces(cue);
    if (cue_words.size() > first) continue;
    const size_t at = first - cue_words.size();
    bool match = true;
    for (size_t k = 0; k < cue_words.size() && match; ++k)
      match = words[at + k].folded == cue_words[k];
    if (!match) continue;
    // "didn't like X", "don't really like X": a negation up to two words before the cue.
    for (size_t k = at >= 2 ? at - 2 : 0; k < at; ++k) {
      if (reference_negations().count(words[k].folded)) return false;
    }
    return true;
  }
  return false;
}

bool words_before_are(const std::vector<Word>& words, size_t first, const char* phrase) {
  const std::vector<std::string> ph = split_spaces(phrase);
  if (ph.size() > first) return false;
  for (size_t k = 0; k < ph.size(); ++k) {
    if (words[first - ph.size() + k].folded != ph[k]) return false;
  }
  return true;
}

bool named_as_disliked(const std::vector<Word>& words, size_t first) {
  // "not a fan of X", "couldn't stand X"; "the" may sit between ("not a fan of the movie X" is
  // not read).
  const size_t at = first > 0 && words[first - 1].folded == "the" ? first - 1 : first;
  for (const char* phrase : disliked_before()) {
    if (words_before_are(words, first, phrase) || words_before_are(words, at, phrase)) return true;
  }
  // The verb right before the title, or one word before it ("didn't like the movie X" is not
  // read, "didn't really like X" is: an adverb may sit between negation and verb).
  for (size_t back = 1; back <= 2 && back <= first; ++back) {
    if (!liking_verbs().count(words[first - back].folded)) continue;
    const size_t verb = first - back;
    for (size_t k = verb >= 3 ? verb - 3 : 0; k < verb; ++k) {
      if (reference_negations().count(words[k].folded)) return true;
    }
  }
  return false;
}

std::vector<std::string> content_words(const Message& message, const std::vector<Span>& skip) {
  std::vector<std::string> out;
  for (const Word& w : message.words) {
    const bool in_title = std::any_of(skip.begin(), skip.end(), [&](const Span& s) {
      return w.begin >= s.first && w.end <= s.second;
    });
    if (in_title || w.folded.size() < 3 || stop_words().count(w.folded) || all_digits(w.folded) ||
        std::find(out.begin(), out.end(), w.folded) != out.end())
      continue;
    // The text index is English: a Korean topic word searches as its English words ("시간
    // 여행" -> "time travel").
    bool translated = false;
    for (const auto& [stem, english] : w.hangul ? korean_topic_words() : kNoTopics) {
      if (w.folded.rfind(stem, 0) != 0) continue;
      for (const std::string& e : split_spaces(english)) {
        if (std::find(out.begin(), out.end(), e) == out.end()) out.push_back(e);
      }
      translated = true;
      break;
    }
    if (!translated) out.push_back(w.folded);
  }
  return out;
}

std::string embedding_text(const std::vector<Turn>& turns) {
  std::vector<const std::string*> recent;
  for (auto t = turns.rbegin(); t != turns.rend() && recent.size() < kEmbedTurns; ++t) {
    if (t->user) recent.push_back(&t->text);
  }
  std::string joined;
  for (auto t = recent.rbegin(); t != recent.rend(); ++t) {
    if (t != recent.rbegin()) joined += ' ';
    joined += **t;
  }
  std::string out;
  size_t units = 0;
  for (char32_t cp : decode_utf8(joined)) {
    units += cp >= 0x10000 ? 2 : 1;
    if (units > kEmbedMaxUnits) break;
    append_utf8(out, cp);
  }
  return out;
}

}  // namespace cinerag
