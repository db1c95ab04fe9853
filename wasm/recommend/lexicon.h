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

// Korean words and stems that are never a transliterated title (the sound-key match skips spans
// that start with one: 영화, 추천, 재밌-), and the verb endings a title does not end in (-어,
// -요, -다: "재밌었어" is not a film called "Smut").
const PhraseList& korean_everyday_stems();
const PhraseList& korean_verb_endings();

// Words around a person's name that say what is asked of them: "directed by X", "X 감독" (a
// director), "with X", "starring X", "X 주연" (cast), "X movies" (either). A surname alone is a
// person only next to one of these.
const PhraseList& director_cues_before();
const PhraseList& cast_cues_before();
const WordSet& person_cues_after();              // either role: "movies", "films", "영화"
const PhraseList& director_cues_after_hangul();  // "감독"
const PhraseList& cast_cues_after_hangul();      // "주연", "나오는", "출연"

// Korean words after a name that make it a person's: "최민식 나온 영화", "톰 행크스 영화".
const PhraseList& korean_person_cues();

// Korean topic words and the English words the text index knows them by (the index is English):
// 시간 -> time, 여행 -> travel, 좀비 -> zombie. Matched as word prefixes (particles follow).
const std::vector<std::pair<const char*, const char*>>& korean_topic_words();

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

// Phrases before a title that say the person did not like it, beyond a negated liking verb:
// "not a fan of X", "couldn't stand X", "was disappointed by X" (folded word sequences).
const PhraseList& disliked_before();

// Words right before a one-word title written in lower case that make it a title: "loved
// titanic", "watched up", "the movie her"; without one, "that was heavy" is not the film Heavy.
const WordSet& title_cues_before();
// Words right after a title that make it one at a sentence's start: "Titanic was great".
const WordSet& title_cues_after();

// What makes a clause a request or a greeting rather than an opinion: "can you recommend",
// "looking for", "추천해줘", "hi". Such clauses say nothing about how the person feels.
const PhraseList& request_phrases();
const WordSet& greeting_words();

// A wish for a change: the message leads even without a title or genre ("something
// different", "다른 거").
const PhraseList& change_of_topic_phrases();

// Words of liking besides the verbs, which a negation before them turns into a dislike: "not a
// fan", "wasn't funny", "not good".
const WordSet& liking_words();

// Words of complaint the classifier can miss in a short message ("letdown", "overrated",
// "boring"); negated they are praise ("not bad", "never boring").
const WordSet& complaint_words();

// Where a clause ends inside a sentence: "I loved Titanic but hated Twilight" (raw text, with
// the spaces that delimit them).
const PhraseList& clause_breaks();

}  // namespace cinerag
