// Title lookup by folded word spans, longest first; a one-deletion index (SymSpell-style) for
// typos in titles of 6+ letters; everyday words ("her", "up", "it": recommend/lexicon.h) are not
// read as the films of that name unless written as a title.
#include "recommend/titles.h"

#include <algorithm>
#include <cstring>

#include "recommend/lexicon.h"
#include "text/nfkc.h"
#include "text/utf8.h"

namespace cinerag {
namespace {

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

// A cue right before word `first` ("loved titanic", "the movie her") or, for a sentence's first
// word, right after it ("Titanic was great"): the word is meant as a title.
bool cued(const std::vector<Word>& w, size_t first, size_t count) {
  if (w[first].quoted) return true;
  if (count >= 2 && w[first].folded == "the") return true;  // "the matirx"
  if (first > 0 && !w[first].sentence_start && title_cues_before().count(w[first - 1].folded))
    return true;
  if (first > 1 && w[first - 1].folded == "the" && title_cues_before().count(w[first - 2].folded))
    return true;
  const size_t next = first + count;
  return w[first].sentence_start && next < w.size() && !w[next].sentence_start &&
         title_cues_after().count(w[next].folded);
}

size_t letters(const std::string& key) {
  size_t n = 0;
  for (char32_t c : decode_utf8(key)) n += c != U' ';
  return n;
}

}  // namespace

TitleMatcher::TitleMatcher(const std::vector<Movie>& movies, const std::vector<float>& prior,
                           const std::vector<std::pair<uint32_t, std::string>>& aliases)
    : prior_(prior) {
  // "Popular": the top 15% by prior. Loose matches (lowercase, one edit) must name one of these.
  if (!prior.empty()) {
    std::vector<float> sorted(prior);
    std::sort(sorted.begin(), sorted.end());
    popular_threshold_ = std::max(sorted[sorted.size() * 85 / 100], 1e-6f);
    very_popular_threshold_ = std::max(sorted[sorted.size() * 97 / 100], 1e-6f);
  }
  // Popular films are found by the sound of their display title too, for Korean spellings of it
  // (타이타닉). Not by other titles: romanised ones ("Jui kuen" for Drunken Master) sound like
  // everyday Korean words (시간). A key of three consonants only for the very popular.
  auto add_sounds = [&](const std::string& key, uint32_t row, int year) {
    if (prior_[row] < popular_threshold_ || !std::all_of(key.begin(), key.end(), [](char c) {
          return static_cast<unsigned char>(c) < 0x80;
        }))
      return;
    const size_t min_key = prior_[row] >= very_popular_threshold_ ? kMinSoundKey : kMinSoundKey + 1;
    auto put_sound = [&](std::unordered_map<std::string, std::vector<Entry>>* index,
                         const std::string& s) {
      auto& v = (*index)[s];
      if (std::none_of(v.begin(), v.end(), [&](const Entry& e) { return e.row == row; }))
        v.push_back({row, year, false});
    };
    for (const std::string& s : latin_sound_keys(key)) {
      if (sound_key_consonants(s) < min_key) continue;
      put_sound(&sounds_, s);
      if (const std::string c = consonant_key(s); c.size() >= kMinLooseSoundKey)
        put_sound(&loose_sounds_, c);
    }
  };
  auto add = [&](const std::string& title, uint32_t row, int year, bool display = false) {
    std::string key = fold_for_matching(title);
    if (key.empty()) return;
    auto put = [&](const std::string& k, bool prefix = false) {
      max_key_bytes_ = std::max(max_key_bytes_, k.size());
      auto& v = titles_[k];
      for (const Entry& e : v)
        if (e.row == row) return;
      v.push_back({row, year, prefix});
      max_words_ = std::max<size_t>(max_words_, std::count(k.begin(), k.end(), ' ') + 1);
      if (letters(k) >= 7 && prior_[row] >= popular_threshold_) {
        for (auto& d : deletions(k)) deletions_[d].push_back(k);
      }
    };
    put(key);
    if (display) add_sounds(key, row, year);
    // "The Matrix" is also "matrix"; "Star Wars: Episode IV - A New Hope" also "star wars
    // episode iv" is not attempted: subtitles are matched through the FTS index instead.
    for (const char* article : {"the ", "a ", "an "}) {
      if (key.rfind(article, 0) == 0 && key.size() > std::strlen(article) + 3) {
        put(key.substr(std::strlen(article)));
        if (display) add_sounds(key.substr(std::strlen(article)), row, year);
      }
    }
    // "Indiana Jones and ...", "Star Wars: Episode V": the part before a colon names a popular
    // film too; everyday one-word prefixes ("Looking: The Movie") do not.
    const size_t colon = title.find(':');
    if (colon != std::string::npos && colon >= 4 && prior_[row] >= very_popular_threshold_) {
      const std::string prefix = fold_for_matching(title.substr(0, colon));
      if (prefix.find(' ') != std::string::npos || !title_common_words().count(prefix))
        put(prefix, true);
    }
  };
  for (uint32_t i = 0; i < movies.size(); ++i) {
    const Movie& m = movies[i];
    add(m.title, i, m.year, /*display=*/true);
    if (!m.original_title.empty()) add(m.original_title, i, m.year);
    size_t start = 0;
    while (start < m.alt_titles.size()) {
      const size_t bar = m.alt_titles.find('|', start);
      const size_t end = bar == std::string::npos ? m.alt_titles.size() : bar;
      add(m.alt_titles.substr(start, end - start), i, m.year);
      start = end + 1;
    }
  }
  for (const auto& [row, title] : aliases) {
    if (row < movies.size()) add(title, row, movies[row].year);
  }
  max_words_ = std::min<size_t>(max_words_, 10);
}

// What acceptable() asks of a loose (one-edit) match before any lookup: written as a title or
// three words or more, not all everyday words. Checked first because the edits cost.
bool TitleMatcher::could_be_loose(const std::vector<Word>& w, size_t first, size_t count) const {
  const bool titled_start = w[first].capitalised && (!w[first].sentence_start || w[first].hangul);
  if (count < 3 && !titled_start && !cued(w, first, count)) return false;
  for (size_t i = first; i < first + count; ++i) {
    if (!title_common_words().count(w[i].folded)) return true;
  }
  return false;
}

bool TitleMatcher::acceptable(const std::vector<Word>& w, size_t first, size_t count, bool exact,
                              int popularity) const {
  const bool popular = popularity >= 1, very_popular = popularity >= 2;
  // Written as a title: the first word capitalised where a sentence does not start, and every
  // word that is not a small word too ("The Dark Knight", "Toy Story 3").
  bool titled = w[first].capitalised && (!w[first].sentence_start || w[first].hangul);
  bool all_common = true;
  for (size_t i = first; i < first + count; ++i) {
    const bool small = w[i].folded.size() <= 3 && title_common_words().count(w[i].folded);
    const bool digits = std::all_of(w[i].folded.begin(), w[i].folded.end(), ::isdigit);
    if (i > first && !small && !digits && !w[i].capitalised) titled = false;
    all_common &= title_common_words().count(w[i].folded) > 0;
  }
  if (count > 1 && w[first].capitalised && w[first].sentence_start && !w[first].hangul) {
    // "Back to the Future was great.", "Get Out was brilliant": a title opening a sentence is
    // judged by its other words, every one that is not a small word capitalised.
    bool rest = false, others = true;
    for (size_t i = first + 1; i < first + count; ++i) {
      const bool small = w[i].folded.size() <= 3 && title_common_words().count(w[i].folded);
      const bool digits = std::all_of(w[i].folded.begin(), w[i].folded.end(), ::isdigit);
      rest |= w[i].capitalised;
      if (!small && !digits && !w[i].capitalised) others = false;
    }
    titled = rest && others;
  }
  // A capitalised word right after the span continues a name ("Paul Newman"), not a title.
  const bool name_continues =
      first + count < w.size() && w[first + count].capitalised &&
      !w[first + count].sentence_start && !w[first + count].hangul &&
      !title_common_words().count(w[first + count].folded) &&
      !std::all_of(w[first + count].folded.begin(), w[first + count].folded.end(), ::isdigit);
  const bool followed_by_year =
      first + count < w.size() && w[first + count].folded.size() == 4 &&
      std::all_of(w[first + count].folded.begin(), w[first + count].folded.end(), ::isdigit);
  const bool cue = cued(w, first, count);
  // A typo in a well-known title counts with a cue too: "enjoyed the matirx".
  if (!exact)
    return popular && !all_common && (titled || count >= 3 || (cue && very_popular)) &&
           !name_continues;
  if (count == 1) {
    const Word& word = w[first];
    if (std::all_of(word.folded.begin(), word.folded.end(), ::isdigit)) return false;  // "2012"
    if (followed_by_year) return true;
    if (name_continues) return false;
    // Hangul titles: no capitals to go by; a single word must name a known film (주말 is
    // "weekend" before it is Godard's Weekend).
    if (word.hangul) {
      const bool everyday = starts_with_any(word.folded, korean_everyday_stems());
      return letters(word.folded) >= 2 && popular && !everyday;
    }
    if (title_common_words().count(word.folded) || letters(word.folded) <= 2)
      return (titled || word.quoted) && (very_popular || (cue && popular));
    // A word in lower case or opening a sentence is a title only with a cue ("loved titanic",
    // "Titanic was great"), or when the film is one everybody names: "that was heavy" is not
    // the film Heavy.
    return titled ? popular : cue ? popular : very_popular;
  }
  if (all_common) return titled && popular;
  return titled || popular;
}

const TitleMatcher::Entry* TitleMatcher::pick(const std::vector<Entry>& entries, int year) const {
  const Entry* best = nullptr;
  for (const Entry& e : entries) {
    if (year && std::abs(e.year - year) <= 1) {
      if (!best || std::abs(e.year - year) < std::abs(best->year - year)) best = &e;
    }
  }
  if (best) return best;
  // Without a year: a film whose whole title this is ("Alien", 1979) beats the films it only
  // begins ("Alien: Covenant"), then the better known.
  for (const Entry& e : entries) {
    if (!best || (best->prefix && !e.prefix) ||
        (best->prefix == e.prefix && prior_[e.row] > prior_[best->row]))
      best = &e;
  }
  return best;
}

const std::vector<TitleMatcher::Entry>* TitleMatcher::by_sound(const std::vector<Word>& w,
                                                               size_t first, size_t count) const {
  std::string joined;
  for (size_t i = first; i < first + count; ++i) {
    const bool number = i > first && std::all_of(w[i].folded.begin(), w[i].folded.end(), ::isdigit);
    if ((!w[i].hangul && !number) || (i > first && w[i].sentence_start)) return nullptr;
    if (starts_with_any(w[i].folded, korean_everyday_stems())) return nullptr;
    joined += w[i].folded;
  }
  // The last word may carry a particle (타이타닉은); a verb ending means it is no title.
  const std::vector<Entry>* best = nullptr;
  for (const std::string& form : particle_forms(joined)) {
    if (ends_with_any(form, korean_verb_endings()) || decode_utf8(form).size() < 2) continue;
    const std::string key = hangul_sound_key(form);
    if (sound_key_consonants(key) < kMinSoundKey) continue;
    if (const auto it = sounds_.find(key); it != sounds_.end()) {
      best = &it->second;
    } else if (const std::string c = consonant_key(key); c.size() >= kMinLooseSoundKey) {
      if (const auto l = loose_sounds_.find(c); l != loose_sounds_.end()) best = &l->second;
    }
  }
  return best;
}

std::vector<TitleMention> TitleMatcher::find(std::string_view text) const {
  return find(split_words(text), text);
}

std::vector<TitleMention> TitleMatcher::find(const std::vector<Word>& w,
                                             std::string_view text) const {
  std::vector<TitleMention> out;
  // People name films early: past kMaxScanWords words (~10 KB of text) a message is not read
  // for titles, which bounds the work a 100 KB message costs.
  const size_t scan = std::min(w.size(), kMaxScanWords);
  size_t i = 0;
  while (i < scan) {
    bool matched = false;
    // Exact titles first, longest first; a title one edit away only when none matched here.
    const size_t longest = std::min(max_words_, scan - i);
    for (size_t attempt = 0; attempt < 2 * longest && !matched; ++attempt) {
      const bool fuzzy_pass = attempt >= longest;
      const size_t n = longest - (attempt % longest);
      // A title does not run across a sentence break ("Titanic. It"), and words longer together
      // than any title (plus a particle or one extra letter) cannot name one: skipping them keeps
      // a 100 KB message of one "word" (emoji, no spaces) from costing seconds.
      bool crosses = false;
      size_t bytes = w[i].folded.size();
      for (size_t j = i + 1; j < i + n; ++j) {
        crosses |= w[j].sentence_start;
        bytes += 1 + w[j].folded.size();
      }
      if (crosses || bytes > max_key_bytes_ + kKeySlack) continue;
      std::string key = w[i].folded;
      for (size_t j = i + 1; j < i + n; ++j) key += ' ' + w[j].folded;
      const std::vector<Entry>* entries = nullptr;
      bool exact = true;
      auto it = titles_.find(key);
      if (it == titles_.end() && w[i + n - 1].hangul) {
        // "올드보이는", "기생충을": try without a trailing particle.
        const std::vector<std::string> forms = particle_forms(key);
        for (size_t f = 1; f < forms.size() && it == titles_.end(); ++f)
          it = titles_.find(forms[f]);
      }
      if (it != titles_.end()) {
        if (fuzzy_pass) continue;
        entries = &it->second;
      } else if (!fuzzy_pass && w[i].hangul) {
        // Korean spellings by sound, longest first with the exact titles ("토이 스토리 3" is
        // Toy Story 3 before "토이 스토리" is Toy Story).
        entries = by_sound(w, i, n);
        exact = false;
      } else if (fuzzy_pass && letters(key) >= 7 && could_be_loose(w, i, n)) {
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
      if (!entries) continue;
      int popularity = 0;
      for (const Entry& e : *entries) {
        popularity = std::max(popularity, prior_[e.row] >= very_popular_threshold_ ? 2
                                          : prior_[e.row] >= popular_threshold_    ? 1
                                                                                   : 0);
      }
      if (!acceptable(w, i, n, exact, popularity)) continue;
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
      m.first_word = i;
      m.last_word = i + n - 1;
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
