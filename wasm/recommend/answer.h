// What the person reads: the reason behind each result and the answer text, in English or
// Korean, from one string table (answer.cpp). Ranking never builds text; this never ranks.
#pragma once

#include <string>
#include <vector>

#include "recommend/candidates.h"
#include "recommend/constraints.h"
#include "recommend/movie_table.h"
#include "recommend/tuning.h"
#include "recommend/types.h"
#include "sentiment/model.h"

namespace cinerag {

// Why a result was chosen, at most three reasons joined by "; ": the liked film it resembles
// (shared genres, keywords) or whose fans loved it, the message's words it matches, the genre,
// years and language asked for, else its rating.
std::string explain(const MovieTable& table, const Signals& s, const Weights& w, const Tuning& t,
                    const Constraints& c, Lang lang, const std::vector<std::string>& words);

// "You feel positive (0.98) about 'Titanic'." for the movies the person named (up to three);
// "" when they named none.
std::string intro_text(const MovieTable& table, const std::vector<Mention>& mentions, Lang lang);

// Why a film of a person the message named is shown: "directed by Christopher Nolan", "stars
// Tom Hanks".
std::string credit_reason(const std::string& person, bool directed, Lang lang);

// The whole answer: the intro, a note when falling back, and the numbered results.
std::string answer_text(const MovieTable& table, const std::string& intro,
                        const std::vector<Recommendation>& results, FallbackReason fallback,
                        Lang lang);

}  // namespace cinerag
