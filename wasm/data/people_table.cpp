// Choosing the people table's rows and Korean names from the people index (see people_table.h).
#include "data/people_table.h"

#include <algorithm>
#include <map>
#include <set>

namespace cinerag {
namespace {

std::string without_spaces(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c != ' ') out += c;
  }
  return out;
}

struct KoreanDirectors {
  std::map<std::string, std::set<uint32_t>> people_of;      // name without spaces -> people
  std::map<std::string, std::string> spelling;              // name without spaces -> as written
  std::vector<std::pair<int64_t, std::string>> uncredited;  // films the index has no director for
};

// Which person each Korean director name stands for, by the films that name it.
KoreanDirectors group_korean_directors(
    const PeopleIndex& index, const std::vector<std::pair<int64_t, std::string>>& film_directors) {
  KoreanDirectors k;
  for (const auto& [movie, name] : film_directors) {
    const std::string key = without_spaces(name);
    k.spelling.emplace(key, name);
    const auto it = index.movies.find(movie);
    if (it == index.movies.end() || it->second.directors.empty()) {
      k.uncredited.push_back({movie, key});
    } else if (it->second.directors.size() == 1) {  // co-directed films cannot say who
      k.people_of[key].insert(it->second.directors[0]);
    }
  }
  for (auto& [key, people] : k.people_of) {  // kmrd's names count as votes too
    const auto known = index.by_korean.find(key);
    if (known != index.by_korean.end()) people.insert(known->second.begin(), known->second.end());
  }
  return k;
}

}  // namespace

std::vector<PersonCredits> people_table(
    const PeopleIndex& index, const std::unordered_set<int64_t>& catalogue,
    const std::vector<std::pair<int64_t, std::string>>& film_directors,
    const PeopleTableOptions& options, PeopleTableReport* report) {
  *report = PeopleTableReport{};
  std::vector<PersonCredits> all(index.people.size());
  for (size_t i = 0; i < all.size(); ++i) {
    all[i].person_id = static_cast<int64_t>(i + 1);
    all[i].name = index.people[i].name;
    for (const std::string& n : index.people[i].korean) {  // '|' separates them in the table
      if (!n.empty() && n.find('|') == std::string::npos) all[i].names_ko.push_back(n);
    }
  }
  for (const auto& [movie, credits] : index.movies) {  // map order: ids ascend
    if (!catalogue.count(movie)) continue;
    for (uint32_t p : credits.directors) all[p].directed.push_back(movie);
    for (uint32_t p : credits.cast) all[p].starred.push_back(movie);
  }
  const KoreanDirectors k = group_korean_directors(index, film_directors);
  for (const auto& [key, people] : k.people_of) {
    if (people.size() != 1) {
      ++report->korean_ambiguous;
      continue;
    }
    auto& names = all[*people.begin()].names_ko;
    bool known = false;
    for (const std::string& n : names) known = known || without_spaces(n) == key;
    if (!known) names.push_back(k.spelling.at(key)), ++report->korean_from_films;
  }
  std::set<std::pair<uint32_t, int64_t>> added;
  for (const auto& [movie, key] : k.uncredited) {
    const auto it = k.people_of.find(key);
    if (it == k.people_of.end() || it->second.size() != 1 || !catalogue.count(movie)) continue;
    if (added.insert({*it->second.begin(), movie}).second) ++report->directed_from_films;
  }
  for (const auto& [person, movie] : added) {
    auto& d = all[person].directed;
    d.insert(std::lower_bound(d.begin(), d.end(), movie), movie);
  }
  std::vector<PersonCredits> out;
  for (PersonCredits& p : all) {
    if (p.directed.empty() && p.starred.empty()) continue;
    if (p.directed.empty() && p.starred.size() < options.min_lead_credits) {
      ++report->dropped_actors;
      continue;
    }
    report->with_korean += !p.names_ko.empty();
    out.push_back(std::move(p));
  }
  report->people = out.size();
  return out;
}

}  // namespace cinerag
