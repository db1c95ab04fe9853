// The conversation's focus: ages of the films named, their weights, topics, carried constraints.
#include "recommend/focus.h"

#include <algorithm>
#include <cmath>

#include "recommend/lexicon.h"

namespace cinerag {

Ages focus_ages(const std::vector<Turn>& turns, size_t message_turn,
                const std::vector<Mention>& mentions, const std::vector<int64_t>& liked_before,
                const std::vector<int64_t>& liked_now) {
  Ages ages;
  for (const Mention& m : mentions) {
    int age = 0;
    for (size_t t = m.turn + 1; t <= message_turn && t < turns.size(); ++t) age += turns[t].user;
    ages.known[m.movie_id] = age;
  }
  for (int64_t id : liked_now) {
    if (std::find(liked_before.begin(), liked_before.end(), id) == liked_before.end() &&
        !ages.known.count(id))
      ages.known[id] = 0;
  }
  for (size_t t = 0; t < message_turn && t < turns.size(); ++t) ages.unknown += turns[t].user;
  return ages;
}

std::vector<float> focus_weights(const MovieTable& table, const std::vector<int64_t>& ids,
                                 const Ages& ages, float yield, const Tuning& t) {
  std::vector<float> out;
  for (int64_t id : ids) {
    if (table.row_of(id) == kNoRow) continue;
    const auto it = ages.known.find(id);
    const int age = it == ages.known.end() ? ages.unknown : it->second;
    float f = std::pow(t.focus_decay, static_cast<float>(age));
    if (age > 0) f *= yield;
    out.push_back(f);
  }
  return out;
}

namespace {
constexpr int kCarryTurns = 3;  // how far back carried_constraints looks, in user turns
}  // namespace

Constraints carried_constraints(const std::vector<Turn>& turns, size_t message_turn,
                                int newest_year) {
  int seen = 0;
  for (size_t t = message_turn; t-- > 0 && seen < kCarryTurns;) {
    if (!turns[t].user) continue;
    ++seen;
    Constraints c = parse_constraints(turns[t].text, newest_year);
    if (c.any()) return c;
  }
  return {};
}

bool own_topic(const Message& message, bool names_film, const Constraints& c,
               const std::vector<std::string>& words) {
  return names_film || c.any() || !words.empty() ||
         has_any_phrase(message.folded, change_of_topic_phrases());
}

}  // namespace cinerag
