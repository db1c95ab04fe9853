// Title detection: finds catalogue movies named in a message ("Titanic", "the matrix",
// "Toy Story 3", "기생충", "Se7en"), with or without a year, tolerating one typo in longer titles.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "recommend/message.h"
#include "recommend/phonetic.h"
#include "store/catalogue.h"

namespace cinerag {

struct TitleMention {
  uint32_t row;                  // index into the movies given to TitleMatcher
  size_t begin, end;             // byte span in the message (the original text)
  size_t first_word, last_word;  // the span's words (indices into the words searched)
  bool exact;                    // false: matched with one edit
  std::string surface;           // the text as written
};

class TitleMatcher {
 public:
  // movies: the catalogue, any order; prior[i] orders same-title movies (higher wins) when the
  // message gives no year. aliases: more names of movies (row, title), e.g. Korean release
  // titles from the catalogue's aliases table.
  TitleMatcher(const std::vector<Movie>& movies, const std::vector<float>& prior,
               const std::vector<std::pair<uint32_t, std::string>>& aliases = {});

  // Movies named in `text`, in order of appearance, without overlaps (the longest title wins).
  std::vector<TitleMention> find(std::string_view text) const;
  // The same over words already split (split_words(text)).
  std::vector<TitleMention> find(const std::vector<Word>& words, std::string_view text) const;

 private:
  struct Entry {
    uint32_t row;
    int year;
    bool prefix;  // the part before a colon ("Alien" for "Alien: Covenant"), not the title
  };
  bool could_be_loose(const std::vector<Word>& words, size_t first, size_t count) const;
  bool acceptable(const std::vector<Word>& words, size_t first, size_t count, bool exact,
                  int popularity) const;
  const Entry* pick(const std::vector<Entry>& entries, int year) const;
  // A transliterated title at words [first, first + count) (Hangul only): 타이타닉 -> Titanic.
  const std::vector<Entry>* by_sound(const std::vector<Word>& words, size_t first,
                                     size_t count) const;

  std::unordered_map<std::string, std::vector<Entry>> titles_;           // folded title -> movies
  std::unordered_map<std::string, std::vector<std::string>> deletions_;  // one-deletion keys
  // Sound keys (recommend/phonetic.h) of popular Latin titles -> movies.
  std::unordered_map<std::string, std::vector<Entry>> sounds_;
  std::unordered_map<std::string, std::vector<Entry>> loose_sounds_;  // consonant_key -> movies
  std::vector<float> prior_;
  float popular_threshold_ = 0, very_popular_threshold_ = 0;  // top 15% and 3% by prior
  size_t max_words_ = 1;
  size_t max_key_bytes_ = 0;  // the longest folded title indexed
  // What a message's span may exceed it by and still match: a Hangul particle (two syllables)
  // or the extra letter of a typo.
  static constexpr size_t kKeySlack = 8;
  static constexpr size_t kMaxScanWords = 2000;
  // Sound keys shorter than this ("pt" for Avatar, 아바타) match too much to mean a title.
  static constexpr size_t kMinSoundKey = 3;
  // Without the vowels a key needs more consonants to stay specific ("ttnk" is Titanic and
  // Dunkirk alike).
  static constexpr size_t kMinLooseSoundKey = 5;
};

}  // namespace cinerag
