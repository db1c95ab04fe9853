// Item-kNN by accumulating co-occurrences one item at a time (a dense row, reset by its touched
// entries), and conditional pair lists.
#include "data/neighbours.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <string>
#include <unordered_map>

#include "text/nfkc.h"

namespace cinerag {
namespace {

// Keeps the top_n of `list` by weight (ties: lower item), best first.
void keep_top(ItemList* list, size_t top_n) {
  auto better = [](const std::pair<uint32_t, float>& a, const std::pair<uint32_t, float>& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  };
  if (list->size() > top_n) {
    std::partial_sort(list->begin(), list->begin() + static_cast<std::ptrdiff_t>(top_n),
                      list->end(), better);
    list->resize(top_n);
  } else {
    std::sort(list->begin(), list->end(), better);
  }
}

}  // namespace

std::vector<ItemList> item_knn(const std::vector<std::vector<uint32_t>>& user_items, size_t n_items,
                               const ItemKnnOptions& options) {
  // Users' lists, sampled down to max_per_user (heavy raters would dominate the cost, which is
  // the sum of squared list lengths, and add little).
  std::vector<std::vector<uint32_t>> users(user_items.size());
  std::mt19937 rng(11);
  for (size_t u = 0; u < user_items.size(); ++u) {
    users[u] = user_items[u];
    if (users[u].size() > options.max_per_user) {
      std::shuffle(users[u].begin(), users[u].end(), rng);
      users[u].resize(options.max_per_user);
    }
  }
  // Inverted index: item -> users (compressed rows).
  std::vector<uint32_t> count(n_items, 0);
  for (const auto& items : users)
    for (uint32_t i : items) ++count[i];
  std::vector<size_t> start(n_items + 1, 0);
  for (size_t i = 0; i < n_items; ++i) start[i + 1] = start[i] + count[i];
  std::vector<uint32_t> item_users(start[n_items]);
  std::vector<size_t> fill(start.begin(), start.end() - 1);
  for (uint32_t u = 0; u < users.size(); ++u)
    for (uint32_t i : users[u]) item_users[fill[i]++] = u;

  std::vector<ItemList> out(n_items);
  std::vector<float> co(n_items, 0);
  std::vector<uint32_t> touched;
  for (uint32_t i = 0; i < n_items; ++i) {
    if (count[i] < options.min_support) continue;
    touched.clear();
    for (size_t k = start[i]; k < start[i + 1]; ++k) {
      for (uint32_t j : users[item_users[k]]) {
        if (j == i) continue;
        if (co[j] == 0) touched.push_back(j);
        co[j] += 1;
      }
    }
    ItemList& list = out[i];
    for (uint32_t j : touched) {
      if (co[j] >= options.min_support) {
        const double norm = std::sqrt(static_cast<double>(count[i]) * count[j]) + options.shrink;
        list.push_back({j, static_cast<float>(co[j] / norm)});
      }
      co[j] = 0;
    }
    keep_top(&list, options.top_n);
  }
  return out;
}

std::vector<ItemList> pair_lists(
    const std::vector<std::pair<std::pair<uint32_t, uint32_t>, float>>& pairs, size_t n_items,
    size_t top_n, float shrink) {
  std::vector<double> total(n_items, 0);
  for (const auto& [ab, c] : pairs) total[ab.first] += c;
  std::vector<ItemList> out(n_items);
  for (const auto& [ab, c] : pairs) {
    if (ab.first == ab.second || c <= 0) continue;
    out[ab.first].push_back({ab.second, static_cast<float>(c / (total[ab.first] + shrink))});
  }
  for (auto& list : out) {
    // The same pair listed twice adds up.
    std::sort(list.begin(), list.end());
    ItemList merged;
    for (const auto& x : list) {
      if (!merged.empty() && merged.back().first == x.first) {
        merged.back().second += x.second;
      } else {
        merged.push_back(x);
      }
    }
    list = std::move(merged);
    keep_top(&list, top_n);
  }
  return out;
}

namespace {

bool is_sequel_marker(const std::string& w) {
  static const char* const kRoman[] = {"ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"};
  if (!w.empty() && std::all_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return w.size() <= 2;  // "2", "12"; not years
  return std::find(std::begin(kRoman), std::end(kRoman), w) != std::end(kRoman);
}

}  // namespace

std::string series_key(const std::string& title) {
  const size_t colon = title.find(':');
  std::string base = fold_for_matching(title.substr(0, colon));
  const bool has_colon = colon != std::string::npos;
  // Strip "part 2", "chapter 3" and a trailing number or roman numeral.
  bool numbered = false;
  for (;;) {
    const size_t sp = base.rfind(' ');
    if (sp == std::string::npos) break;
    const std::string last = base.substr(sp + 1);
    if (!is_sequel_marker(last)) break;
    base.erase(sp);
    numbered = true;
    for (const char* w : {" part", " chapter", " episode", " vol", " volume"}) {
      const size_t n = std::strlen(w);
      if (base.size() > n && base.compare(base.size() - n, n, w) == 0) base.erase(base.size() - n);
    }
  }
  if (!has_colon && !numbered) return "";
  return base.size() >= 3 ? base : "";
}

std::vector<ItemList> series_lists(const std::vector<std::string>& titles, size_t max_group) {
  std::unordered_map<std::string, std::vector<uint32_t>> groups;
  std::unordered_map<std::string, std::vector<uint32_t>> plain;  // folded title -> films
  for (uint32_t i = 0; i < titles.size(); ++i) {
    const std::string key = series_key(titles[i]);
    if (!key.empty()) groups[key].push_back(i);
    plain[fold_for_matching(titles[i])].push_back(i);
  }
  std::vector<ItemList> out(titles.size());
  for (auto& [key, members] : groups) {
    // "Toy Story" itself is the first film of "Toy Story 2"'s series.
    if (const auto it = plain.find(key); it != plain.end()) {
      members.insert(members.end(), it->second.begin(), it->second.end());
    }
    std::sort(members.begin(), members.end());
    members.erase(std::unique(members.begin(), members.end()), members.end());
    if (members.size() < 2 || members.size() > max_group) continue;
    for (uint32_t a : members) {
      for (uint32_t b : members) {
        if (a != b) out[a].push_back({b, 1.0f});
      }
    }
  }
  return out;
}

std::vector<ItemList> shared_people_lists(const std::vector<FilmPeople>& films,
                                          const SharedPeopleOptions& options) {
  // person -> the films crediting them, per role
  std::unordered_map<uint32_t, std::vector<uint32_t>> directed, starred;
  for (uint32_t f = 0; f < films.size(); ++f) {
    for (uint32_t p : films[f].directors) directed[p].push_back(f);
    for (size_t k = 0; k < films[f].cast.size() && k < options.leads; ++k)
      starred[films[f].cast[k]].push_back(f);
  }
  std::vector<std::unordered_map<uint32_t, float>> shared(films.size());
  auto link = [&](const std::unordered_map<uint32_t, std::vector<uint32_t>>& by_person,
                  float weight) {
    for (const auto& [person, rows] : by_person) {
      if (rows.size() < 2 || rows.size() > options.max_films) continue;
      for (uint32_t x : rows)
        for (uint32_t y : rows)
          if (x != y) shared[x][y] += weight;
    }
  };
  link(directed, options.director);
  link(starred, options.lead);
  std::vector<ItemList> out(films.size());
  for (size_t i = 0; i < films.size(); ++i) {
    for (const auto& [row, w] : shared[i]) out[i].push_back({row, std::min(1.0f, w)});
    keep_top(&out[i], options.top_n);
  }
  return out;
}

SuggestionPrior fit_suggestion_prior(const std::vector<int64_t>& vote_counts,
                                     const std::vector<int>& years,
                                     const std::vector<double>& suggested, double strength) {
  SuggestionPrior p;
  p.vote_edges = {1, 10, 100, 1000, 3000, 10000, 30000};
  p.year_edges = {1970, 1980, 1990, 2000, 2010, 2015, 2020};
  auto band = [](const std::vector<double>& edges, double v) {
    return static_cast<size_t>(std::upper_bound(edges.begin(), edges.end(), v) - edges.begin());
  };
  const size_t ny = p.year_edges.size() + 1;
  std::vector<double> hits((p.vote_edges.size() + 1) * ny, 0), count(hits.size(), 0);
  for (size_t i = 0; i < vote_counts.size(); ++i) {
    const size_t b =
        band(p.vote_edges, static_cast<double>(vote_counts[i])) * ny + band(p.year_edges, years[i]);
    hits[b] += suggested[i];
    count[b] += 1;
    p.suggestions += suggested[i];
  }
  const double rate = p.suggestions / std::max<double>(1, static_cast<double>(vote_counts.size()));
  p.values.resize(hits.size());
  for (size_t b = 0; b < hits.size(); ++b) {
    p.values[b] = (hits[b] + strength * rate) / (count[b] + strength);
  }
  const double top = std::max(1e-12, *std::max_element(p.values.begin(), p.values.end()));
  for (double& v : p.values) v = std::round(v / top * 1e4) / 1e4;
  return p;
}

}  // namespace cinerag
