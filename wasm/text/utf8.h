// UTF-8 <-> code points, with the WHATWG rules for invalid bytes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cinerag {

constexpr char32_t kReplacementChar = 0xFFFD;

// Decodes `bytes` as the WHATWG Encoding standard's UTF-8 decoder (TextDecoder) does: every
// maximal invalid subpart becomes one U+FFFD. The browser hands us strings that went through
// that decoder, so the core and JS agree on what invalid input means.
std::u32string decode_utf8(std::string_view bytes);

// How many bytes from `at` (< bytes.size()) decode_utf8 reads for one code point: its encoding's
// length, or for invalid bytes the length of the subpart it turns into one U+FFFD. What keeps byte
// spans taken while walking decoded text on the bytes they came from.
size_t utf8_sequence_bytes(std::string_view bytes, size_t at);

// Appends the UTF-8 encoding of `cp` (surrogates and values > U+10FFFF become U+FFFD).
void append_utf8(std::string& out, char32_t cp);

std::string encode_utf8(std::u32string_view cps);

// Hangul syllables and jamo (conjoining and compatibility): what makes a text Korean here.
bool is_hangul(char32_t c);

}  // namespace cinerag
