// The recommender's word lists and phrase tables (English and Korean), as data: what a message's
// words mean to the steps that read it. Ranking code names a list; it never spells words itself.
#pragma once

#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

namespace cinerag {

using WordSet = std::unordered_set<std::string>;
using PhraseList = std::vector<const char*>;

// Folded words that say nothing about which movie is wanted (BM25 and "matches ..." skip them).
const WordSet& stop_words();
// Everyday words that are also film titles: a one-word title from this list counts only when
// written as a title (capitalised mid-sentence, followed by a year).
const WordSet& title_common_words();
// Korean particles that attach to a title ("기생충을", "올드보이는"), longest first.
const PhraseList& hangul_particles();

// Commands about the previous answer, folded (has_phrase matching).
const PhraseList& more_like_phrases();  // "more like the second one"
const PhraseList& not_that_phrases();   // "not that one"
const PhraseList& seen_it_phrases();    // "already seen it"
// Ordinals that point into the previous answer: "second" -> 1, "last" -> 4.
const std::vector<std::pair<const char*, int>>& ordinal_words();

// Words right before a title that make it the reference for what is wanted ("a movie like
// Super Troopers", "something similar to Alien"), folded, as word sequences; and the words that
// undo them when they come first ("I didn't like X", "not like X"). Korean puts the cue after the
// title ("기생충 같은 영화"): reference_after_hangul.
const PhraseList& reference_before();
const WordSet& reference_negations();
const PhraseList& reference_after_hangul();
// Verbs of liking that a negation before them turns into a dislike: "didn't like X", "did not
// enjoy X", "never loved X".
const WordSet& liking_verbs();

// Where a clause ends inside a sentence: "I loved Titanic but hated Twilight" (raw text, with
// the spaces that delimit them).
const PhraseList& clause_breaks();

}  // namespace cinerag
