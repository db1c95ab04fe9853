// recommend(): a message through the pipeline of named steps, each in its own module.
#include "recommend/recommender.h"

#include <algorithm>

#include "recommend/answer.h"
#include "recommend/candidates.h"

namespace cinerag {

const char* lang_code(Lang lang) {
  return lang == Lang::kKorean ? "ko" : "en";
}

const char* fallback_reason_name(FallbackReason reason) {
  switch (reason) {
    case FallbackReason::kNone: return "";
    case FallbackReason::kNewerThanCatalogue: return "newer_than_catalogue";
    case FallbackReason::kTooFewMatches: return "too_few_matches";
    case FallbackReason::kLowConfidence: return "low_confidence";
  }
  return "";
}

const char* neighbour_kind_name(NeighbourKind kind) {
  switch (kind) {
    case NeighbourKind::kRatings: return "ratings";
    case NeighbourKind::kDialogues: return "dialogues";
    case NeighbourKind::kPeople: return "people";
    case NeighbourKind::kFranchise: return "franchise";
  }
  return "";
}

namespace {

void add_unique(std::vector<int64_t>* v, int64_t id) {
  if (std::find(v->begin(), v->end(), id) == v->end()) v->push_back(id);
}

void remove_id(std::vector<int64_t>* v, int64_t id) {
  v->erase(std::remove(v->begin(), v->end(), id), v->end());
}

// The last user turn: the message this call answers (turns.size() when there is none).
size_t message_turn(const std::vector<Turn>& turns) {
  for (size_t t = turns.size(); t-- > 0;) {
    if (turns[t].user) return t;
  }
  return turns.size();
}

// "More like the second one", "not that one", "seen it": about the previous answer.
void apply_commands(const Commands& c, ConversationState* state) {
  const auto& last = state->last_results;
  if (last.empty()) return;
  const size_t i = c.ordinal >= 0 && static_cast<size_t>(c.ordinal) < last.size()
                       ? static_cast<size_t>(c.ordinal)
                       : 0;
  const int64_t referenced = last[i];
  if (c.more_like && c.ordinal >= 0) {
    add_unique(&state->liked, referenced);
  } else if (c.not_that) {
    add_unique(&state->disliked, referenced);
  }
  if (c.seen_it) add_unique(&state->seen, referenced);
}

void record_mention(const Mention& m, ConversationState* state) {
  add_unique(&state->mentioned, m.movie_id);
  if (m.liked > 0) {
    add_unique(&state->liked, m.movie_id);
    remove_id(&state->disliked, m.movie_id);
  } else if (m.liked < 0) {
    add_unique(&state->disliked, m.movie_id);
    remove_id(&state->liked, m.movie_id);
  }
}

std::vector<Row> rows_of(const MovieTable& table, const std::vector<int64_t>& ids) {
  std::vector<Row> rows;
  for (int64_t id : ids) {
    if (const Row row = table.row_of(id); row != kNoRow) rows.push_back(row);
  }
  return rows;
}

// The conversation's movies, in the order they came up, liked ones included, disliked ones not.
std::vector<Row> context_rows(const MovieTable& table, const ConversationState& state) {
  std::vector<int64_t> ids;
  for (int64_t id : state.mentioned) add_unique(&ids, id);
  for (int64_t id : state.liked) add_unique(&ids, id);
  for (int64_t id : state.disliked) remove_id(&ids, id);
  return rows_of(table, ids);
}

float confidence(const std::vector<Signals>& best, const CandidateQuery& q, const Tuning& t) {
  float best_item = 0, best_query = 0;
  for (const Signals& s : best) {
    best_item = std::max(best_item, s.item);
    best_query = std::max(best_query, s.query);
  }
  float conf = 0;
  if (!q.liked.empty()) {
    conf = std::max(conf, t.confidence_liked_base + t.confidence_liked_gain * best_item);
  }
  if (q.constraints.any()) conf = std::max(conf, t.confidence_constraints);
  if (!q.text_hits.empty()) {
    conf = std::max(conf, t.confidence_text_base + t.confidence_text_gain * best_query);
  }
  conf = std::max(conf, best_query);
  return std::min(1.0f, conf);
}

FallbackReason fallback_reason(const RecommendResponse& r, size_t k, int newest_year,
                               const Tuning& t) {
  if (r.constraints.asked_year > newest_year) return FallbackReason::kNewerThanCatalogue;
  if (r.results.size() < std::min<size_t>(k, 5)) return FallbackReason::kTooFewMatches;
  if (r.confidence < t.min_confidence) return FallbackReason::kLowConfidence;
  return FallbackReason::kNone;
}

}  // namespace

std::unique_ptr<Recommender> Recommender::create(std::unique_ptr<CatalogueIndex> index,
                                                 std::unique_ptr<Sentiment> sentiment, Error* error,
                                                 const CatalogueTuning& tuning) {
  if (!index || !sentiment) {
    fail(error, ErrorCode::kInvalidArgument,
         "the recommender needs a catalogue and sentiment models");
    return nullptr;
  }
  std::unique_ptr<Recommender> r(new Recommender());
  r->table_ = MovieTable::build(*index, tuning, error);
  if (!r->table_) return nullptr;
  r->titles_ = std::make_unique<TitleMatcher>(r->table_->movies(),
                                              r->table_->title_prior(tuning.title_quality));
  r->index_ = std::move(index);
  r->sentiment_ = std::move(sentiment);
  return r;
}

// Titles in every turn, with how the person feels about each (the sentiment of its clause, for
// the user's turns); the state learns likes and dislikes. `message_spans`: the titles' spans in
// the message.
std::vector<Mention> Recommender::read_mentions(const RecommendRequest& req, size_t message_turn,
                                                const Message& message, ConversationState* state,
                                                std::vector<Span>* message_spans) const {
  std::vector<Mention> mentions;
  for (size_t t = 0; t < req.turns.size(); ++t) {
    const Turn& turn = req.turns[t];
    const bool is_message = t == message_turn;
    std::vector<int64_t> read_here;  // a film named again in the same turn is read once
    const std::vector<Word> words = is_message ? std::vector<Word>{} : split_words(turn.text);
    const std::vector<Word>& w = is_message ? message.words : words;
    for (const TitleMention& tm : titles_->find(w, turn.text)) {
      if (is_message) message_spans->push_back({tm.begin, tm.end});
      const int64_t id = table_->movie(tm.row).movie_id;
      if (std::find(read_here.begin(), read_here.end(), id) != read_here.end()) continue;
      read_here.push_back(id);
      Mention m;
      m.movie_id = id;
      m.surface = tm.surface;
      m.from_user = turn.user;
      if (turn.user) {
        const SentimentResult s = sentiment_->classify(clause_around(turn.text, tm.begin, tm.end));
        m.score = s.score;
        m.liked = s.label == SentimentLabel::kPositive   ? 1
                  : s.label == SentimentLabel::kNegative ? -1
                                                         : 0;
        // "Something like Super Troopers": the film is the taste to match unless the clause
        // reads negative.
        if (named_as_disliked(w, tm.first_word)) {
          m.liked = -1;  // the classifier reads "didn't like X" by its words, not their order
        } else if (m.liked == 0 && named_as_reference(w, tm.first_word, tm.last_word)) {
          m.liked = 1;
        }
      }
      record_mention(m, state);
      const bool seen = std::any_of(mentions.begin(), mentions.end(),
                                    [&](const Mention& p) { return p.movie_id == m.movie_id; });
      if (!seen) mentions.push_back(m);
    }
  }
  return mentions;
}

// BM25 over the message's content words, scores relative to the best hit.
bool Recommender::text_hits(const std::vector<std::string>& words, size_t limit,
                            std::vector<std::pair<Row, float>>* out, Error* error) const {
  if (words.empty()) return true;
  std::string q;
  for (const auto& w : words) q += w + " ";
  Error e;
  const auto hits = index_->catalogue().search_text(q, limit, &e);
  if (!e.ok()) return fail(error, e.code, "the catalogue's text index: " + e.message);
  if (hits.empty() || hits[0].bm25 >= 0) return true;
  const double best = -hits[0].bm25;
  for (const TextHit& h : hits) {
    if (const Row row = table_->row_of(h.movie_id); row != kNoRow) {
      out->push_back({row, static_cast<float>(-h.bm25 / best)});
    }
  }
  return true;
}

bool Recommender::recommend(const RecommendRequest& req, RecommendResponse* out,
                            Error* error) const {
  RecommendResponse r;
  r.state = req.state;
  const size_t at = message_turn(req.turns);
  const Message message = read_message(at < req.turns.size() ? req.turns[at].text : "");
  r.sentiment = sentiment_->classify(message.text);
  r.lang = req.lang ? *req.lang : message.hangul ? Lang::kKorean : Lang::kEnglish;
  apply_commands(message.commands, &r.state);
  std::vector<Span> title_spans;
  r.mentions = read_mentions(req, at, message, &r.state, &title_spans);
  r.constraints = parse_folded_constraints(message.folded, table_->newest_year());
  const std::vector<std::string> words = content_words(message, title_spans);

  CandidateQuery q;
  if (!text_hits(words, req.tuning.text_hits, &q.text_hits, error)) return false;
  q.liked = rows_of(*table_, r.state.liked);
  q.disliked = rows_of(*table_, r.state.disliked);
  q.context = context_rows(*table_, r.state);
  if (req.embedding.size() == index_->dims() && !req.embedding.empty()) {
    q.embedding.resize(table_->content_dims());
    index_->project(req.embedding.data(), q.embedding.data());
  }
  q.constraints = r.constraints;
  std::vector<Signals> ranked =
      rank_selectable(*table_, gather_candidates(*table_, q, req.weights, req.tuning), r.state,
                      r.constraints, req.tuning);
  const std::vector<Signals> best(
      ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(std::min(req.k, ranked.size())));
  if (req.with_candidates) r.candidates = std::move(ranked);

  for (const Signals& s : best) {
    Recommendation rec;
    rec.movie_id = table_->movie(s.row).movie_id;
    rec.score = s.score;
    rec.similarity = std::max(0.0f, std::min(1.0f, std::max({s.item, s.collab, s.query})));
    rec.why = explain(*table_, s, req.weights, req.tuning, r.constraints, r.lang, words);
    r.results.push_back(std::move(rec));
  }
  r.state.last_results.clear();
  for (const auto& rec : r.results) r.state.last_results.push_back(rec.movie_id);
  r.confidence = confidence(best, q, req.tuning);
  r.fallback = fallback_reason(r, req.k, table_->newest_year(), req.tuning);
  r.intro = intro_text(*table_, r.mentions, r.sentiment, r.lang);
  r.answer = answer_text(*table_, r.intro, r.results, r.fallback, r.lang);
  *out = std::move(r);
  return true;
}

}  // namespace cinerag
