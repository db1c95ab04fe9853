// The catalogue's people table from the people index: who is written, with which credits and
// Korean names (kmrd's, and directors' names from Korean title lists matched to the film).
#pragma once

#include <cstdint>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "data/people.h"
#include "store/catalogue.h"

namespace cinerag {

struct PeopleTableOptions {
  // An actor who never directed is written with at least this many lead credits in the
  // catalogue (1: everyone). Directors are always written.
  size_t min_lead_credits = 1;
};

struct PeopleTableReport {
  size_t people = 0;               // written
  size_t dropped_actors = 0;       // left out by min_lead_credits
  size_t with_korean = 0;          // written with a Korean name
  size_t korean_from_films = 0;    // Korean names added from the films' directors
  size_t korean_ambiguous = 0;     // director names that pointed at two people (skipped)
  size_t directed_from_films = 0;  // films the index had no director for, credited from them
};

// One PersonCredits per person credited as director or lead of a movie in `catalogue` (movie
// ids), person_id = index + 1. `film_directors` are (movie_id, Korean director name) pairs (see
// korean_aliases): a name is given to the film's only director when every film that names it,
// and kmrd's names, agree on one person; a catalogue film without a director in the index is
// then credited to that person.
std::vector<PersonCredits> people_table(
    const PeopleIndex& index, const std::unordered_set<int64_t>& catalogue,
    const std::vector<std::pair<int64_t, std::string>>& film_directors,
    const PeopleTableOptions& options, PeopleTableReport* report);

}  // namespace cinerag
