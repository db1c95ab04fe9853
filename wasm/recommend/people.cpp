// Finding people by name in a message's words: full names, cued surnames, Korean names and
// Korean spellings by sound; each person's catalogue films by role.
#include "recommend/people.h"

#include <algorithm>
#include <cstring>

#include "recommend/lexicon.h"
#include "recommend/phonetic.h"
#include "text/nfkc.h"
#include "text/utf8.h"

namespace cinerag {
namespace {

std::vector<Row> rows_of(const std::vector<int64_t>& ids, const MovieTable& table) {
  std::vector<Row> rows;
  for (int64_t id : ids) {
    if (const Row r = table.row_of(id); r != kNoRow) rows.push_back(r);
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

std::string sorted_words(const std::string& key) {
  std::vector<std::string> words = split_spaces(key);
  std::sort(words.begin(), words.end());
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

std::string without_spaces(std::string s) {
  s.erase(std::remove(s.begin(), s.end(), ' '), s.end());
  return s;
}

// Whether word `first` continues a Korean phrase: the word before it is Hangul and neither ends
// in a particle ("나는 톰 행크스") nor is an everyday word ("요즘 톰 행크스").
bool continues_phrase(const std::vector<Word>& w, size_t first) {
  if (first == 0 || w[first].sentence_start || !w[first - 1].hangul) return false;
  const std::string& prev = w[first - 1].folded;
  return !ends_with_any(prev, hangul_particles()) &&
         !starts_with_any(prev, korean_everyday_stems());
}

// A Korean word after the name that says it is a person: 감독, 주연, 나오는, 배우, 영화, 연기...
bool korean_person_cue(const std::vector<Word>& w, size_t last) {
  return last + 1 < w.size() && starts_with_any(w[last + 1].folded, korean_person_cues());
}

}  // namespace

PeopleMatcher::PeopleMatcher(const std::vector<PersonCredits>& people, const MovieTable& table) {
  for (const PersonCredits& pc : people) {
    Person p;
    p.name = pc.name;
    if (!pc.names_ko.empty()) p.name_ko = pc.names_ko.front();
    p.directed = rows_of(pc.directed, table);
    p.starred = rows_of(pc.starred, table);
    const std::string key = fold_for_matching(pc.name);
    if (p.films() == 0 || key.empty()) continue;
    const uint32_t i = static_cast<uint32_t>(people_.size());
    const size_t words = static_cast<size_t>(std::count(key.begin(), key.end(), ' ')) + 1;
    max_name_words_ = std::max(max_name_words_, words);
    by_name_[key].push_back(i);
    // "Bong Joon-ho" and "Joon-ho Bong": the sources use both orders.
    if (const std::string sorted = sorted_words(key); sorted != key)
      by_any_order_[sorted].push_back(i);
    const bool notable = p.films() >= kNotable;
    if (notable && words >= 2) by_surname_[key.substr(key.rfind(' ') + 1)].push_back(i);
    for (const std::string& ko : pc.names_ko) {
      const std::string k = without_spaces(fold_for_matching(ko));
      if (!k.empty()) by_korean_[k].push_back(i);
    }
    // Korean spellings of foreign names (톰 행크스): by sound, for the well-credited only.
    if (notable && words >= 2) {
      for (const std::string& s : latin_sound_keys(key)) {
        if (sound_key_consonants(s) >= 4) by_sound_[s].push_back(i);
      }
    }
    float fame = 0;
    for (Row r : p.directed) fame += table.popularity(r);
    for (Row r : p.starred) fame += table.popularity(r);
    fame_.push_back(fame);
    people_.push_back(std::move(p));
  }
  max_name_words_ = std::min<size_t>(max_name_words_, 4);
}

const uint32_t* PeopleMatcher::best(const std::vector<uint32_t>& candidates,
                                    PersonRole role) const {
  const uint32_t* out = nullptr;
  auto fits = [&](uint32_t c) {
    return role != PersonRole::kDirector || !people_[c].directed.empty();
  };
  for (const uint32_t& c : candidates) {
    if (!out || (fits(c) && !fits(*out)) || (fits(c) == fits(*out) && fame_[c] > fame_[*out]))
      out = &c;
  }
  return out;
}

PersonRole PeopleMatcher::role_around(const std::vector<Word>& w, size_t first, size_t last) const {
  for (const char* cue : director_cues_before()) {
    if (words_before_are(w, first, cue)) return PersonRole::kDirector;
  }
  for (const char* cue : cast_cues_before()) {
    if (words_before_are(w, first, cue)) return PersonRole::kCast;
  }
  // Korean: the cue follows, as the next word or attached ("봉준호감독").
  const std::string& tail = w[last].folded;
  const std::string next = last + 1 < w.size() ? w[last + 1].folded : "";
  for (const char* cue : director_cues_after_hangul()) {
    if (next.rfind(cue, 0) == 0 || tail.find(cue) != std::string::npos)
      return PersonRole::kDirector;
  }
  for (const char* cue : cast_cues_after_hangul()) {
    if (next.rfind(cue, 0) == 0 || tail.find(cue) != std::string::npos) return PersonRole::kCast;
  }
  if (next == "directed" || next == "direct") return PersonRole::kDirector;
  return PersonRole::kAny;
}

std::vector<PersonMention> PeopleMatcher::find(const std::vector<Word>& w) const {
  std::vector<PersonMention> out;
  if (people_.empty()) return out;
  const size_t scan = std::min<size_t>(w.size(), 2000);
  auto cued = [&](size_t first, size_t last) {
    const bool after = last + 1 < w.size() && person_cues_after().count(w[last + 1].folded);
    return after || role_around(w, first, last) != PersonRole::kAny;
  };
  size_t i = 0;
  while (i < scan) {
    const uint32_t* hit = nullptr;
    size_t n = std::min(max_name_words_, scan - i);
    for (; n >= 1 && !hit; --n) {
      bool crosses = false;
      std::string key = w[i].folded;
      for (size_t j = i + 1; j < i + n; ++j) {
        crosses |= w[j].sentence_start;
        key += ' ' + w[j].folded;
      }
      if (crosses) continue;
      const size_t last = i + n - 1;
      if (w[i].hangul) {
        // A name does not run on past its cue ("봉준호 감독 영화": the name is 봉준호).
        bool past_cue = false;
        for (size_t j = i + 1; j <= last; ++j) {
          past_cue |= starts_with_any(w[j].folded, korean_person_cues());
        }
        if (past_cue) continue;
        // 봉준호, 봉준호의, 봉준호감독: the name without spaces or a trailing particle.
        std::string k = without_spaces(key);
        for (const char* cue : director_cues_after_hangul()) {
          if (const size_t at = k.find(cue); at != std::string::npos && at > 0) k.resize(at);
        }
        for (const char* cue : cast_cues_after_hangul()) {
          if (const size_t at = k.find(cue); at != std::string::npos && at > 0) k.resize(at);
        }
        const std::vector<std::string> forms = particle_forms(k);
        // By sound (톰 행크스, 최민식) only next to a cue, and not from the middle of a phrase:
        // "해리 포터 시리즈 영화" has "포터 시리즈", which sounds like Peter Sellers.
        const bool cue = korean_person_cue(w, last) && !continues_phrase(w, i);
        for (const std::string& f : forms) {
          if (const auto it = by_korean_.find(f); it != by_korean_.end()) hit = best(it->second);
          if (!hit && cue) {
            const auto s = by_sound_.find(hangul_sound_key(f));
            if (s != by_sound_.end()) hit = best(s->second);
          }
          if (hit) break;
        }
      } else if (n >= 2) {
        // A full name: "Tom Hanks", "tom hanks" (two names together rarely mean anything else);
        // "Wes Anderson's" folds to "wes andersons".
        const std::vector<uint32_t>* found = nullptr;
        if (const auto it = by_name_.find(key); it != by_name_.end()) found = &it->second;
        if (!found && key.back() == 's') {
          if (const auto it = by_name_.find(key.substr(0, key.size() - 1)); it != by_name_.end())
            found = &it->second;
        }
        if (!found) {
          if (const auto it = by_any_order_.find(sorted_words(key)); it != by_any_order_.end())
            found = &it->second;
        }
        if (found) hit = best(*found);
      } else if (w[i].capitalised && cued(i, last)) {
        // A surname with a cue: "Nolan films", "directed by Spielberg".
        if (const auto it = by_surname_.find(key); it != by_surname_.end())
          hit = best(it->second, role_around(w, i, last));
      }
      if (hit) {
        const bool cue = cued(i, last) || (w[i].hangul && korean_person_cue(w, last));
        out.push_back({*hit, w[i].begin, w[last].end, i, last, role_around(w, i, last), cue});
        i = last + 1;
      }
    }
    if (!hit) ++i;
  }
  return out;
}

std::vector<Row> PeopleMatcher::films(uint32_t person, PersonRole role) const {
  const Person& p = people_[person];
  if (role == PersonRole::kDirector) return p.directed;
  if (role == PersonRole::kCast) return p.starred;
  std::vector<Row> all;
  std::set_union(p.directed.begin(), p.directed.end(), p.starred.begin(), p.starred.end(),
                 std::back_inserter(all));
  return all;
}

}  // namespace cinerag
