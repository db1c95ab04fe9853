// People in a message: "Tom Hanks movies", "directed by Nolan", "with Song Kang-ho", "봉준호 감독",
// "톰 행크스 영화" — found by full name, by surname with a cue, by Korean name and by the sound of
// a Korean spelling — with the films the catalogue credits them for.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "recommend/message.h"
#include "recommend/movie_table.h"
#include "store/catalogue.h"

namespace cinerag {

enum class PersonRole : uint8_t { kAny, kDirector, kCast };

struct Person {
  std::string name;
  std::string name_ko;                 // the first Korean spelling, "" when none
  std::vector<Row> directed, starred;  // sorted rows
  size_t films() const { return directed.size() + starred.size(); }
};

struct PersonMention {
  uint32_t person;    // index into PeopleMatcher::people()
  size_t begin, end;  // byte span in the message
  size_t first_word, last_word;
  PersonRole role;        // what the message asks of them ("directed by": kDirector)
  bool cued;              // named with a cue: "X movies", "directed by X", "X 감독", "with X"
  bool disliked = false;  // "not really into James Cameron" (set by the recommender)
};

class PeopleMatcher {
 public:
  // The catalogue's people (store: people table); credits of movies not in `table` are dropped,
  // and so are people left with none.
  PeopleMatcher(const std::vector<PersonCredits>& people, const MovieTable& table);

  const std::vector<Person>& people() const { return people_; }
  bool empty() const { return people_.empty(); }

  // People named in the words, in order, without overlaps. `titles`: spans already read as film
  // titles; a person's full name that covers one wins over it (the caller drops the title).
  std::vector<PersonMention> find(const std::vector<Word>& words) const;

  // The films of a person in `role` (kAny: both), sorted rows.
  std::vector<Row> films(uint32_t person, PersonRole role) const;

 private:
  // The best known of several people one name may mean, preferring those who directed when the
  // message asks for a director ("directed by Nolan" is Christopher, not Lloyd).
  const uint32_t* best(const std::vector<uint32_t>& candidates,
                       PersonRole role = PersonRole::kAny) const;
  PersonRole role_around(const std::vector<Word>& words, size_t first, size_t last) const;

  std::vector<Person> people_;
  std::vector<float> fame_;  // (people,) the summed popularity of their films
  std::unordered_map<std::string, std::vector<uint32_t>> by_name_;       // folded full name
  std::unordered_map<std::string, std::vector<uint32_t>> by_any_order_;  // its words sorted
  std::unordered_map<std::string, std::vector<uint32_t>> by_surname_;    // notable people only
  std::unordered_map<std::string, std::vector<uint32_t>> by_korean_;     // Korean name, no spaces
  std::unordered_map<std::string, std::vector<uint32_t>> by_sound_;      // sound key of the name
  size_t max_name_words_ = 1;
  // A surname alone or a Korean sound-alike names someone only if they have this many films.
  static constexpr size_t kNotable = 3;
};

}  // namespace cinerag
