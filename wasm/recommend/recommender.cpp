// recommend(): a message through the pipeline of named steps, each in its own module.
#include "recommend/recommender.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "recommend/answer.h"
#include "recommend/candidates.h"
#include "recommend/focus.h"
#include "recommend/lexicon.h"
#include "text/nfkc.h"

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
std::vector<int64_t> context_ids(const ConversationState& state) {
  std::vector<int64_t> ids;
  for (int64_t id : state.mentioned) add_unique(&ids, id);
  for (int64_t id : state.liked) add_unique(&ids, id);
  for (int64_t id : state.disliked) remove_id(&ids, id);
  return ids;
}

// A message with at most this many content words besides its names is about the names.
constexpr size_t kFewWords = 3;

// Moves the first `max` candidates that `pred` holds for to the front, keeping both orders.
template <typename Pred>
void lead(std::vector<Signals>* ranked, size_t max, Pred pred) {
  std::vector<Signals> first, rest;
  for (Signals& s : *ranked) (first.size() < max && pred(s) ? first : rest).push_back(s);
  first.insert(first.end(), rest.begin(), rest.end());
  *ranked = std::move(first);
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

// The films of the people a message names, each with whom it credits (the first named wins)
// and how: "directed by" when the person directed it.
Credits credited_films(const PeopleMatcher& matcher, const std::vector<PersonMention>& people) {
  Credits out;
  for (const PersonMention& p : people) {
    if (p.disliked) continue;
    std::vector<Row> films = matcher.films(p.person, p.role);
    if (films.empty()) films = matcher.films(p.person, PersonRole::kAny);
    const auto& directed = matcher.people()[p.person].directed;
    for (Row r : films) {
      out.emplace(r, Credit{p.person, std::binary_search(directed.begin(), directed.end(), r)});
    }
  }
  return out;
}

// The films of the people the message dislikes, sorted.
std::vector<Row> avoided_films(const PeopleMatcher& matcher,
                               const std::vector<PersonMention>& people) {
  std::vector<Row> avoided;
  for (const PersonMention& p : people) {
    if (!p.disliked) continue;
    const std::vector<Row> films = matcher.films(p.person, PersonRole::kAny);
    avoided.insert(avoided.end(), films.begin(), films.end());
  }
  std::sort(avoided.begin(), avoided.end());
  return avoided;
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
  std::vector<TitleAlias> aliases;
  if (!index->catalogue().read_aliases(&aliases, error)) return nullptr;
  std::vector<std::pair<uint32_t, std::string>> alias_rows;
  for (TitleAlias& a : aliases) {
    if (const Row row = r->table_->row_of(a.movie_id); row != kNoRow)
      alias_rows.emplace_back(row, std::move(a.title));
  }
  r->titles_ = std::make_unique<TitleMatcher>(
      r->table_->movies(), r->table_->title_prior(tuning.title_quality), alias_rows);
  std::vector<PersonCredits> people;
  if (!index->catalogue().read_people(&people, error)) return nullptr;
  r->people_ = std::make_unique<PeopleMatcher>(people, *r->table_);
  r->index_ = std::move(index);
  r->sentiment_ = std::move(sentiment);
  return r;
}

// How the person feels about a title they named: the clause around it, title masked, read by the
// classifier; "didn't like X" / "not a fan of X" is a dislike whatever the words say, "a movie
// like X" makes X the taste to match, and a question or request about X ("Have you seen X?")
// says nothing about it.
void Recommender::read_stance(const std::string& text, const std::vector<Word>& w,
                              const TitleMention& tm, Mention* m) const {
  const TitleClause clause = title_clause(text, tm.begin, tm.end);
  const SentimentResult s = sentiment_->classify(clause.text);
  m->score = s.score;
  m->liked = s.label == SentimentLabel::kPositive   ? 1
             : s.label == SentimentLabel::kNegative ? -1
                                                    : 0;
  const int cue = stance_cue(fold_for_matching(clause.text));
  if (named_as_disliked(w, tm.first_word) || cue < 0) {
    // The classifier reads "didn't like X" by its words, not their order.
    if (m->liked >= 0) m->score = std::max(0.5f, 1 - s.p_positive);
    m->liked = -1;
  } else if (named_as_reference(w, tm.first_word, tm.last_word)) {
    if (m->liked == 0) m->liked = 1;
  } else if (cue > 0) {
    if (m->liked <= 0) m->score = std::max(0.5f, s.p_positive);
    m->liked = 1;
  } else if (clause.asks) {
    m->liked = 0;
    m->score = 1 - std::abs(2 * s.p_positive - 1);  // as unsure as the words are
  }
}

// The films a turn names, each once, with how its author feels about them (user turns); none
// that overlaps `skip` ("Tom Hanks movies": no film named "Tom" where a person's name covers it).
// `spans`, when given, gets the span of every title read.
std::vector<Mention> Recommender::read_turn(const Turn& turn, const std::vector<Word>& words,
                                            const std::vector<Span>& skip,
                                            std::vector<Span>* spans) const {
  std::vector<Mention> out;
  for (const TitleMention& tm : titles_->find(words, turn.text)) {
    if (std::any_of(skip.begin(), skip.end(),
                    [&](const Span& s) { return tm.begin < s.second && s.first < tm.end; }))
      continue;
    if (spans) spans->push_back({tm.begin, tm.end});
    const int64_t id = table_->movie(tm.row).movie_id;
    // A film named again in the same turn is read once.
    if (std::any_of(out.begin(), out.end(), [&](const Mention& m) { return m.movie_id == id; }))
      continue;
    Mention m;
    m.movie_id = id;
    m.surface = tm.surface;
    m.from_user = turn.user;
    if (turn.user) read_stance(turn.text, words, tm, &m);
    out.push_back(std::move(m));
  }
  return out;
}

// read_turn for a turn before the message: the same text in the same role reads the same, so it
// is read once.
std::vector<Mention> Recommender::read_earlier_turn(const Turn& turn) const {
  const std::string key = (turn.user ? "u:" : "a:") + turn.text;
  return turn_cache_->get(key, key.size(),
                          [&] { return read_turn(turn, split_words(turn.text), {}, nullptr); });
}

// Titles in every turn, with how the person feels about each (the sentiment of its clause, for
// the user's turns); the state learns likes and dislikes. `message_spans`: the titles' spans in
// the message.
std::vector<Mention> Recommender::read_mentions(const RecommendRequest& req, size_t message_turn,
                                                const Message& message,
                                                const std::vector<Span>& people_spans,
                                                ConversationState* state,
                                                std::vector<Span>* message_spans) const {
  std::vector<Mention> mentions;
  for (size_t t = 0; t < req.turns.size(); ++t) {
    const Turn& turn = req.turns[t];
    const bool is_message = t == message_turn;
    std::vector<Mention> read = is_message
                                    ? read_turn(turn, message.words, people_spans, message_spans)
                                    : read_earlier_turn(turn);
    for (Mention& m : read) {
      m.in_message = is_message;
      m.turn = t;
      record_mention(m, state);
      const auto prev = std::find_if(mentions.begin(), mentions.end(),
                                     [&](const Mention& p) { return p.movie_id == m.movie_id; });
      if (prev == mentions.end()) {
        mentions.push_back(m);
      } else {
        // Named again: the latest reading is how the person feels now.
        prev->turn = t;
        prev->in_message |= is_message;
        if (turn.user) prev->liked = m.liked, prev->score = m.score, prev->from_user = true;
      }
    }
  }
  return mentions;
}

// How the message feels: about the first film it names with a stance, else its opinion clauses
// (titles out; questions, requests and greetings say nothing: "hi", "recommend a horror movie"
// read neutral).
SentimentResult Recommender::message_sentiment(const Message& message,
                                               const std::vector<Mention>& mentions,
                                               const std::vector<Span>& title_spans) const {
  for (const Mention& m : mentions) {
    if (!m.in_message || !m.from_user || m.liked == 0) continue;
    SentimentResult s;
    s.label = m.liked > 0 ? SentimentLabel::kPositive : SentimentLabel::kNegative;
    s.score = m.score;
    s.p_positive = m.liked > 0 ? m.score : 1 - m.score;
    return s;
  }
  const std::string opinion = opinion_text(message, title_spans);
  SentimentResult s = sentiment_->classify(opinion);
  const int cue = stance_cue(fold_for_matching(opinion));
  if (cue < 0 && s.label != SentimentLabel::kNegative) {
    s.label = SentimentLabel::kNegative;
    s.score = std::max(0.5f, 1 - s.p_positive);
  } else if (cue > 0 && s.label != SentimentLabel::kPositive) {
    s.label = SentimentLabel::kPositive;
    s.score = std::max(0.5f, s.p_positive);
  }
  return s;
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

// The people the message names, each read for how the person feels about them ("not really into
// James Cameron").
std::vector<PersonMention> Recommender::read_people(const Message& message) const {
  std::vector<PersonMention> people = people_->find(message.words);
  for (PersonMention& p : people) {
    const TitleClause clause = title_clause(message.text, p.begin, p.end);
    p.disliked = named_as_disliked(message.words, p.first_word) ||
                 stance_cue(fold_for_matching(clause.text)) < 0;
  }
  return people;
}

// What the message brings of its own: a topic (films, people, constraints, words), films it
// names, and whether it is a request.
Topic Recommender::read_topic(const Message& message, const RecommendResponse& r,
                              const std::vector<std::string>& words) const {
  Topic t;
  t.names_film = std::any_of(r.mentions.begin(), r.mentions.end(),
                             [](const Mention& m) { return m.in_message && m.from_user; });
  t.own = !r.people.empty() || own_topic(message, t.names_film, r.constraints, words);
  t.request = is_request(message.folded);
  t.short_message = words.size() <= kFewWords;
  return t;
}

// The message's vector in the encoder space: the caller's (the transformer's), else the static
// encoder's of embedding_text; none for a text without pieces. The sentence encoder reads English:
// for a Korean message its vector is noise that pulls in films with titles in any script, so
// Korean messages are answered without it.
std::vector<float> Recommender::message_embedding(const RecommendRequest& req,
                                                  const Message& message) const {
  if (message.hangul) return {};
  if (!req.embedding.empty()) {
    return req.embedding.size() == index_->dims() ? req.embedding : std::vector<float>();
  }
  std::vector<float> v(index_->dims());
  if (!encoder_ || !encoder_->embed(embedding_text(req.turns), v.data())) return {};
  return v;
}

bool Recommender::use_encoder(std::unique_ptr<TextEncoder> encoder, Error* error) {
  if (!encoder || encoder->dims() != index_->dims()) {
    return fail(error, ErrorCode::kInvalidArgument,
                "the sentence encoder's vectors must have the catalogue's " +
                    std::to_string(index_->dims()) + " dims");
  }
  encoder_ = std::move(encoder);
  return true;
}

// The candidate query: liked, disliked and context films with their focus, BM25 hits, the
// message's embedding, the constraints and the named people's films.
bool Recommender::build_query(const RecommendRequest& req, size_t at, const Message& message,
                              const RecommendResponse& r, const std::vector<std::string>& words,
                              const Topic& topic, const std::vector<int64_t>& liked_before,
                              const Credits& credits, CandidateQuery* q, Error* error) const {
  if (!text_hits(words, req.tuning.text_hits, &q->text_hits, error)) return false;
  q->liked = rows_of(*table_, r.state.liked);
  q->disliked = rows_of(*table_, r.state.disliked);
  const std::vector<int64_t> context = context_ids(r.state);
  q->context = rows_of(*table_, context);
  // How far earlier films yield: not at all to "more", some to a message with its own topic, most
  // to a request for something of its own ("Any good films about time travel?").
  const Ages ages = focus_ages(req.turns, at, r.mentions, liked_before, r.state.liked);
  const float yield = !topic.own                           ? 1.0f
                      : topic.request && !topic.names_film ? req.tuning.focus_request_yield
                                                           : req.tuning.focus_yield;
  q->liked_focus = focus_weights(*table_, r.state.liked, ages, yield, req.tuning);
  q->context_focus = focus_weights(*table_, context, ages, yield, req.tuning);
  const std::vector<float> embedding = message_embedding(req, message);
  if (!embedding.empty()) {
    q->embedding.resize(table_->content_dims());
    index_->project(embedding.data(), q->embedding.data());
  }
  q->constraints = r.constraints;
  for (const auto& [row, credit] : credits) q->also.push_back(row);
  return true;
}

// The selectable candidates in the order they are shown: fused, without a disliked person's films
// ("not really into James Cameron"); in a request, films with every genre asked for ("a sad
// romance": Drama and Romance) first, and the people the message is about before all.
std::vector<Signals> Recommender::rank(const RecommendRequest& req, const CandidateQuery& q,
                                       const RecommendResponse& r, const Topic& topic,
                                       const Credits& credits) const {
  std::vector<Signals> ranked =
      rank_selectable(*table_, gather_candidates(*table_, q, req.weights, req.tuning), r.state,
                      r.constraints, req.tuning);
  const std::vector<Row> avoided = avoided_films(*people_, r.people);
  ranked.erase(std::remove_if(ranked.begin(), ranked.end(),
                              [&](const Signals& s) {
                                return std::binary_search(avoided.begin(), avoided.end(), s.row);
                              }),
               ranked.end());
  // ("I like action and comedy" in a longer story is a taste, not an order.)
  if (__builtin_popcount(r.constraints.want_genres) >= 2 &&
      (topic.request || topic.short_message)) {
    const uint32_t want = r.constraints.want_genres;
    lead(&ranked, req.tuning.lead_max,
         [&](const Signals& s) { return (table_->genres(s.row) & want) == want; });
  }
  // The people lead when the message is about them: "Tom Hanks movies", "directed by Nolan", or a
  // short message with little else ("Meryl Streep is incredible"). In a message about films or
  // much else ("Tom Hanks was great in Cast Away") their films are candidates like any other.
  const bool about_people = std::any_of(r.people.begin(), r.people.end(),
                                        [](const PersonMention& p) { return p.cued; }) ||
                            topic.short_message;
  if (!topic.names_film && about_people)
    lead(&ranked, req.tuning.lead_max, [&](const Signals& s) { return credits.count(s.row) > 0; });
  return ranked;
}

// The results shown, with their reasons. When the message brings its own topic, reasons name only
// films it names itself: "about time travel" after "I loved Titanic" is not "a story close to
// 'Titanic'". A named person's film says so first ("stars Tom Hanks").
std::vector<Recommendation> Recommender::write_results(
    const std::vector<Signals>& best, const RecommendRequest& req, const RecommendResponse& r,
    const std::vector<std::string>& words, const Topic& topic, const Credits& credits) const {
  std::vector<Row> named_here;
  for (const Mention& m : r.mentions) {
    if (m.in_message) named_here.push_back(table_->row_of(m.movie_id));
  }
  auto here = [&](Row row) {
    return std::find(named_here.begin(), named_here.end(), row) != named_here.end();
  };
  std::vector<Recommendation> results;
  for (Signals s : best) {
    if (topic.own) {
      if (!here(s.item_from)) s.item_from = kNoRow;
      if (!here(s.collab_from)) s.collab_from = kNoRow;
      if (!here(s.related_from)) s.related_from = kNoRow;
    }
    Recommendation rec;
    rec.movie_id = table_->movie(s.row).movie_id;
    rec.score = s.score;
    rec.similarity = std::max(0.0f, std::min(1.0f, std::max({s.item, s.collab, s.query})));
    rec.why = explain(*table_, s, req.weights, req.tuning, r.constraints, r.lang, words);
    if (const auto c = credits.find(s.row); c != credits.end()) {
      const Person& person = people_->people()[c->second.person];
      const bool ko = r.lang == Lang::kKorean && !person.name_ko.empty();
      rec.why = credit_reason(ko ? person.name_ko : person.name, c->second.directed, r.lang) +
                (rec.why.empty() ? "" : "; " + rec.why);
    }
    results.push_back(std::move(rec));
  }
  return results;
}

bool Recommender::recommend(const RecommendRequest& req, RecommendResponse* out,
                            Error* error) const {
  RecommendResponse r;
  r.state = req.state;
  const size_t at = message_turn(req.turns);
  const Message message = read_message(at < req.turns.size() ? req.turns[at].text : "");
  r.lang = req.lang ? *req.lang : message.hangul ? Lang::kKorean : Lang::kEnglish;
  const std::vector<int64_t> liked_before = r.state.liked;
  apply_commands(message.commands, &r.state);
  r.people = read_people(message);
  std::vector<Span> people_spans, title_spans;
  for (const PersonMention& p : r.people) people_spans.push_back({p.begin, p.end});
  r.mentions = read_mentions(req, at, message, people_spans, &r.state, &title_spans);
  r.sentiment = message_sentiment(message, r.mentions, title_spans);
  r.constraints = parse_folded_constraints(message.folded, table_->newest_year());
  std::vector<Span> named = title_spans;
  named.insert(named.end(), people_spans.begin(), people_spans.end());
  const std::vector<std::string> words = content_words(message, named);
  const Topic topic = read_topic(message, r, words);
  // "More", "not the first one, I've seen it": a message without a topic of its own keeps the
  // constraints the conversation asked for last ("a sci-fi movie", "ok a comedy now").
  if (!topic.own) r.constraints = carried_constraints(req.turns, at, table_->newest_year());

  const Credits credits = credited_films(*people_, r.people);
  CandidateQuery q;
  if (!build_query(req, at, message, r, words, topic, liked_before, credits, &q, error))
    return false;
  std::vector<Signals> ranked = rank(req, q, r, topic, credits);
  const std::vector<Signals> best(
      ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(std::min(req.k, ranked.size())));
  if (req.with_candidates) r.candidates = std::move(ranked);

  r.results = write_results(best, req, r, words, topic, credits);
  r.state.last_results.clear();
  for (const auto& rec : r.results) r.state.last_results.push_back(rec.movie_id);
  r.confidence = confidence(best, q, req.tuning);
  // An answer led by the people the message names is as sure as one that meets its constraints.
  if (!best.empty() && credits.count(best.front().row))
    r.confidence = std::max(r.confidence, req.tuning.confidence_constraints);
  r.fallback = fallback_reason(r, req.k, table_->newest_year(), req.tuning);
  r.intro = intro_text(*table_, r.mentions, r.lang);
  r.answer = answer_text(*table_, r.intro, r.results, r.fallback, r.lang);
  *out = std::move(r);
  return true;
}

}  // namespace cinerag
