// Unicode NFKC normalization (the tokenizer's first step), from generated UCD tables.
#pragma once

#include <string>

namespace cinerag {

// Returns the NFKC form of `cps`, as String.prototype.normalize('NFKC') does (Unicode version
// in CINERAG_UNICODE_VERSION, see unicode_tables.inc). Input of only code points below U+00A0
// is returned unchanged without table look-ups.
std::u32string nfkc(std::u32string_view cps);

// The Unicode version the tables were generated from, e.g. "15.0.0".
const char* unicode_version();

}  // namespace cinerag
