// Gathering candidates from each source, scoring them, and picking the k to show.
#include "recommend/candidates.h"

#include <algorithm>
#include <unordered_set>

namespace cinerag {
namespace {

// Collects candidates, each movie once.
class Pool {
 public:
  explicit Pool(size_t movies) : slot_(movies, kNoRow) {}
  Signals& add(Row row) {
    uint32_t& s = slot_[row];
    if (s == kNoRow) {
      s = static_cast<uint32_t>(out_.size());
      out_.push_back({});
      out_.back().row = row;
    }
    return out_[s];
  }
  void add_all(const std::vector<Row>& rows) {
    for (Row r : rows) add(r);
  }
  std::vector<Signals> take() { return std::move(out_); }

 private:
  std::vector<uint32_t> slot_;  // (movies,) row -> index in out_
  std::vector<Signals> out_;
};

// The most recent `n` liked movies.
std::vector<Row> recent(const std::vector<Row>& liked, size_t n) {
  return {liked.size() > n ? liked.end() - static_cast<std::ptrdiff_t>(n) : liked.begin(),
          liked.end()};
}

// How many of the wanted genres a movie has, as a fraction ("sad romance": Drama and Romance).
float genre_match(uint32_t genres, uint32_t wanted) {
  if (!wanted) return 0;
  return static_cast<float>(__builtin_popcount(genres & wanted)) /
         static_cast<float>(__builtin_popcount(wanted));
}

// The k best-known movies that meet the constraints and have a wanted genre (when one is), those
// with more of the wanted genres first.
std::vector<Row> best_known_meeting(const MovieTable& table, const Constraints& c, size_t k) {
  std::vector<Row> ok;
  for (Row r = 0; r < table.size(); ++r) {
    if (table.passes(r, c) && (!c.want_genres || (table.genres(r) & c.want_genres))) {
      ok.push_back(r);
    }
  }
  const size_t keep = std::min(k, ok.size());
  std::partial_sort(ok.begin(), ok.begin() + static_cast<std::ptrdiff_t>(keep), ok.end(),
                    [&](Row a, Row b) {
                      const float ga = genre_match(table.genres(a), c.want_genres);
                      const float gb = genre_match(table.genres(b), c.want_genres);
                      return ga != gb ? ga > gb : table.known_key(a) > table.known_key(b);
                    });
  ok.resize(keep);
  return ok;
}

void score(const MovieTable& table, const CandidateQuery& q, const Weights& w, const Tuning& t,
           Signals* s) {
  for (size_t i = 0; i < q.liked.size(); ++i) {
    const Row l = q.liked[i];
    const float f = i < q.liked_focus.size() ? q.liked_focus[i] : 1.0f;
    const float cs = f * table.content_sim(s->row, l);
    if (cs > s->item) s->item = cs, s->item_from = l;
    const float co = f * table.collab_sim(s->row, l);
    if (co > s->collab) s->collab = co, s->collab_from = l;
  }
  for (Row d : q.disliked) s->dislike = std::max(s->dislike, table.content_sim(s->row, d));
  s->suggested = table.suggested(s->row);
  if (!q.embedding.empty()) s->query = table.content_dot(q.embedding.data(), s->row);
  const Tuning::PriorMix& mix = q.constraints.highly_rated ? t.rated_mix : t.mix;
  s->prior = mix.popularity * table.popularity(s->row) + mix.quality * table.quality(s->row);
  s->genre = genre_match(table.genres(s->row), q.constraints.want_genres);
  s->score = w.item * s->item + w.collab * s->collab + w.query * s->query + w.text * s->text +
             w.prior * s->prior + w.genre * s->genre - w.dislike * s->dislike +
             w.corated * s->corated + w.dialogue * s->dialogue + w.people * s->people +
             w.franchise * s->franchise + w.suggested * s->suggested;
}

}  // namespace

std::vector<Signals> gather_candidates(const MovieTable& table, const CandidateQuery& q,
                                       const Weights& w, const Tuning& t) {
  Pool pool(table.size());
  const std::vector<Row> anchors = recent(q.liked, t.recent_liked);
  for (Row l : anchors) pool.add_all(table.content_neighbours(l, t.per_source));
  for (Row l : anchors) pool.add_all(table.collab_neighbours(l, t.per_source));
  if (!q.embedding.empty())
    pool.add_all(table.content_neighbours(q.embedding.data(), t.per_source));
  for (const auto& [row, bm25] : q.text_hits) pool.add(row).text = bm25;
  pool.add_all(q.also);
  // The related-movie lists of the conversation's movies: each neighbour gathers its weights,
  // remembering the movie and list that gave it the most (for its reason).
  auto relate = [&](Row c, float focus, NeighbourKind kind, float weight, float Signals::*term) {
    for (const auto& n : table.neighbours(kind, c)) {
      Signals& s = pool.add(n.row);
      s.*term += focus * n.weight;
      if (weight * focus * n.weight > s.related_best) {
        s.related_best = weight * focus * n.weight;
        s.related_from = c;
        s.related_kind = kind;
      }
    }
  };
  const size_t from = q.context.size() > t.recent_context ? q.context.size() - t.recent_context : 0;
  for (size_t i = from; i < q.context.size(); ++i) {
    const Row c = q.context[i];
    const float f = i < q.context_focus.size() ? q.context_focus[i] : 1.0f;
    relate(c, f, NeighbourKind::kRatings, w.corated, &Signals::corated);
    relate(c, f, NeighbourKind::kDialogues, w.dialogue, &Signals::dialogue);
    relate(c, f, NeighbourKind::kPeople, w.people, &Signals::people);
    relate(c, f, NeighbourKind::kFranchise, w.franchise, &Signals::franchise);
  }
  pool.add_all(table.best_known());
  if (q.constraints.any()) pool.add_all(best_known_meeting(table, q.constraints, t.per_source));
  std::vector<Signals> out = pool.take();
  for (Signals& s : out) score(table, q, w, t, &s);
  return out;
}

std::vector<Signals> rank_selectable(const MovieTable& table, std::vector<Signals> candidates,
                                     const ConversationState& state, const Constraints& c,
                                     const Tuning& t) {
  // Liked movies were chosen already; seen, disliked and named ones are not news, and neither is
  // the previous answer (the next one offers other films rather than the same five again).
  std::unordered_set<int64_t> excluded(state.mentioned.begin(), state.mentioned.end());
  excluded.insert(state.last_results.begin(), state.last_results.end());
  excluded.insert(state.seen.begin(), state.seen.end());
  excluded.insert(state.disliked.begin(), state.disliked.end());
  excluded.insert(state.liked.begin(), state.liked.end());
  // Another film of the same title as one named ("Titanic" 1953 for 1997) is not a
  // recommendation the person asked for.
  std::unordered_set<std::string> named_titles;
  for (int64_t id : state.mentioned) {
    if (const Row row = table.row_of(id); row != kNoRow)
      named_titles.insert(table.folded_title(row));
  }
  std::vector<Signals> kept;
  for (Signals& s : candidates) {
    if (excluded.count(table.movie(s.row).movie_id) || !table.passes(s.row, c)) continue;
    if (named_titles.count(table.folded_title(s.row))) continue;
    if (s.dislike > t.dislike_cutoff) continue;
    // A film the catalogue knows neither the year nor a genre of is not one to recommend (it
    // can still be named and recognised).
    if (table.movie(s.row).year == 0 && table.genres(s.row) == 0) continue;
    kept.push_back(s);
  }
  std::sort(kept.begin(), kept.end(), [](const Signals& a, const Signals& b) {
    return a.score != b.score ? a.score > b.score : a.row < b.row;
  });
  return kept;
}

std::vector<std::pair<const char*, float>> fusion_terms(const Signals& s) {
  return {{"item", s.item},        {"collab", s.collab},       {"query", s.query},
          {"text", s.text},        {"prior", s.prior},         {"genre", s.genre},
          {"dislike", -s.dislike}, {"corated", s.corated},     {"dialogue", s.dialogue},
          {"people", s.people},    {"franchise", s.franchise}, {"suggested", s.suggested}};
}

}  // namespace cinerag
