// A message read once: its folded text, its words with their byte spans, its script and the
// previous-answer commands it carries. Every step of the recommender reads this value instead of
// decoding and folding the text again.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "recommend/types.h"

namespace cinerag {

// A word of the original text, folded as fold_for_matching folds whole titles.
struct Word {
  std::string folded;
  size_t begin = 0, end = 0;  // byte span in the original text
  bool capitalised = false;
  bool sentence_start = false;  // the first word of a sentence
  bool hangul = false;
  bool quoted = false;  // right after a quotation mark: "'Up' was lovely"
};

// Words are letters, digits, apostrophes and '&' (hyphens and dots inside a word too); a word
// that folds to several ("Spider-Man") gives one Word per part, sharing the span.
std::vector<Word> split_words(std::string_view text);

// What the message says about the previous answer ("more like the second one", "not that one",
// "seen it").
struct Commands {
  int ordinal = -1;  // the result it points at: "second" -> 1; -1 when none
  bool more_like = false, not_that = false, seen_it = false;
};

struct Message {
  std::string text;         // as written
  std::string folded;       // fold_for_matching(text)
  std::vector<Word> words;  // split_words(text)
  bool hangul = false;      // any Hangul: a Korean message
  Commands commands;
};

Message read_message(std::string_view text);

// Where `phrase` occurs in `folded` (fold_for_matching output): as whole words for ASCII phrases
// ("not that" is not in "not thatcher"), as a substring for Hangul ones (particles attach to
// Korean words).
std::vector<size_t> find_phrase(const std::string& folded, const char* phrase);
bool has_phrase(const std::string& folded, const char* phrase);
bool has_any_phrase(const std::string& folded, const std::vector<const char*>& phrases);

// The words of folded text or of a lexicon phrase (split at spaces, empty parts skipped).
std::vector<std::string> split_spaces(std::string_view text);
// Whether `word` starts with one of `prefixes` ("영화관" with 영화), or ends with one of
// `suffixes` and is longer than it ("기생충을" with 을).
bool starts_with_any(const std::string& word, const std::vector<const char*>& prefixes);
bool ends_with_any(const std::string& word, const std::vector<const char*>& suffixes);
// A Korean word as written and without each trailing particle it may carry, leaving at least two
// syllables' worth: "기생충을" -> {"기생충을", "기생충"}. Particles in lexicon order.
std::vector<std::string> particle_forms(const std::string& folded);

using Span = std::pair<size_t, size_t>;  // [begin, end) bytes

// The clause around [begin, end) of `text`: sentences end at . ! ? ; and newlines, and a clause
// break ("but", "하지만") on either side cuts it ("I loved Titanic but hated Twilight").
std::string clause_around(const std::string& text, size_t begin, size_t end);

// The clause around a title with the title taken out (its words must not colour the reading:
// "Toy Story 3" reads slightly negative), and whether the clause asks rather than tells: a
// question ("Have you seen X?") or a request ("can you recommend ...", "추천해줘").
struct TitleClause {
  std::string text;
  bool asks = false;
};
TitleClause title_clause(const std::string& text, size_t begin, size_t end);

// Whether folded text is a request ("can you recommend", "looking for", "추천해줘") or only a
// greeting ("hi there", "안녕하세요").
bool is_request(const std::string& folded);
bool is_greeting(const std::string& folded);

// The part of the message that tells how the person feels: its clauses without the titles in
// `titles`, leaving out questions, requests and greetings. "" when nothing is left ("hi",
// "Can you recommend a good horror movie?"): the message states no opinion.
std::string opinion_text(const Message& message, const std::vector<Span>& titles);

// What folded text says by phrases the classifier misreads: -1 for a dislike ("I don't like
// sci-fi", "not a Jim Carrey fan", "it wasn't funny", "a real letdown", "bored me to tears"), +1
// for a negated complaint ("wasn't bad at all", "never boring"), 0 when neither. The classifier
// reads such clauses by their words ("like", "fan", "bad") and misses the negation.
int stance_cue(const std::string& folded);

// Whether the words right before word `first` are `phrase` (folded words separated by spaces):
// "directed by" before "Nolan".
bool words_before_are(const std::vector<Word>& words, size_t first, const char* phrase);

// Whether the title spanning words [first, last] is named as the reference for what is wanted:
// "a movie like X", "similar to X", "X 같은 영화"; not "I didn't like X".
bool named_as_reference(const std::vector<Word>& words, size_t first, size_t last);

// Whether the title starting at word `first` is the object of a negated liking verb ("I didn't
// like X", "did not really enjoy X", "never loved X") or of a phrase of dislike ("not a fan of
// X", "couldn't stand X").
bool named_as_disliked(const std::vector<Word>& words, size_t first);

// The words the message asks about (for BM25 and "matches ..." reasons): folded, 3+ letters, no
// stop words, no numbers, none inside `skip` (the titles found), each once, in order.
std::vector<std::string> content_words(const Message& message, const std::vector<Span>& skip);

// The text the sentence encoder embeds: the last kEmbedTurns user turns joined by a space, cut
// to kEmbedMaxUnits UTF-16 units between characters. web/src/request.js (embeddingText) builds
// the same text for the transformer, with the same two numbers.
constexpr size_t kEmbedTurns = 3;
constexpr size_t kEmbedMaxUnits = 4000;
std::string embedding_text(const std::vector<Turn>& turns);

}  // namespace cinerag
