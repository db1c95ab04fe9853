// Unicode NFKC normalization (the tokenizer's first step), from generated UCD tables.
#pragma once

#include <string>

namespace cinerag {

// Returns the NFKC form of `cps`, as String.prototype.normalize('NFKC') does (Unicode version
// in CINERAG_UNICODE_VERSION, see unicode_tables.inc). Input of only code points below U+00A0
// is returned unchanged without table look-ups.
std::u32string nfkc(std::u32string_view cps);

// The full compatibility decomposition in canonical order (NFKD), as normalize('NFKD').
std::u32string nfkd(std::u32string_view cps);

// Text folded for matching titles and words: NFKD, combining marks dropped, lower-cased (Latin,
// Greek, Cyrillic), every run of characters that are neither letters nor digits (by a simple
// test: ASCII punctuation, spaces, general punctuation) made one space, '&' read as "and",
// trimmed. "Amélie", "AMELIE" and "amelie!" fold alike; Hangul and CJK pass unchanged. Text of
// symbols only keeps them ("$" stays "$"), so only empty or blank text folds to "".
std::string fold_for_matching(std::string_view utf8);

// The Unicode version the tables were generated from, e.g. "15.0.0".
const char* unicode_version();

}  // namespace cinerag
