// Sentiment features: hashed n-grams of a message, English (words) or Korean (characters).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace cinerag {

enum class SentimentLang : uint8_t { kEnglish = 0, kKorean = 1 };

// Hangul routes to Korean: any Hangul syllable or jamo in the text makes it Korean.
SentimentLang detect_sentiment_lang(std::u32string_view text);

// Appends the feature hashes of `text` (UTF-8; invalid bytes read as U+FFFD) to *out, each in
// [0, 2^bits), deduplicated (the models use binary presence). English: lower-cased words and
// word bigrams, with "not_" marking words after a negation up to the next punctuation. Korean:
// words, and character 1- to 3-grams inside each word with its boundaries.
void sentiment_features(std::string_view text, SentimentLang lang, int bits,
                        std::vector<uint32_t>* out);

}  // namespace cinerag
