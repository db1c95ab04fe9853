// The conversation's focus: how many turns ago each film came up, how much the earlier ones
// count for this message, whether the message brings a topic of its own, and what a message
// without one keeps from the conversation (its last constraints).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "recommend/constraints.h"
#include "recommend/message.h"
#include "recommend/movie_table.h"
#include "recommend/tuning.h"
#include "recommend/types.h"

namespace cinerag {

// How many user turns ago each film of the conversation was last named: 0 in the message (or
// pointed at by it: "more like the second one"). Films known only from the state came up before
// the turns given: `unknown`, at least one turn back.
struct Ages {
  std::unordered_map<int64_t, int> known;
  int unknown = 1;
};
Ages focus_ages(const std::vector<Turn>& turns, size_t message_turn,
                const std::vector<Mention>& mentions, const std::vector<int64_t>& liked_before,
                const std::vector<int64_t>& liked_now);

// The weights focus gives `ids` (those in the table, as rows_of keeps them): focus_decay per
// user turn back, times `yield` for any film not of this message.
std::vector<float> focus_weights(const MovieTable& table, const std::vector<int64_t>& ids,
                                 const Ages& ages, float yield, const Tuning& t);

// The constraints of the latest earlier user turn (of the last three) that had any.
Constraints carried_constraints(const std::vector<Turn>& turns, size_t message_turn,
                                int newest_year);

// Whether the message brings its own topic: a film, constraints, words to search, or a wish for
// something different. "More please" or "what else?" does not.
// `names_film`: the message names a film itself.
bool own_topic(const Message& message, bool names_film, const Constraints& c,
               const std::vector<std::string>& words);

}  // namespace cinerag
