// The recommender end to end on a hand-made in-memory catalogue and tiny sentiment models (no
// ../shared): fusion, exclusions, commands and state, fallback, the answer text, the wire format
// and a damaged optional table.
#include "recommend/recommender.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>

#include "recommend/catalogue_index.h"
#include "recommend/wire.h"
#include "search/kernels.h"
#include "sentiment/features.h"

namespace cinerag {
namespace {

constexpr size_t kDims = 8;    // content vectors: axis 0 romance, 1 sci-fi, 2 horror, 3.. other
constexpr size_t kCollab = 4;  // collaborative vectors

struct FakeMovie {
  int64_t id;
  const char* title;
  int year;
  const char* genres;
  int64_t votes;
  std::vector<float> content;  // (kDims,) before normalising
  std::vector<float> collab;   // (kCollab,) or empty
};

std::vector<float> axis(std::initializer_list<std::pair<size_t, float>> parts) {
  std::vector<float> v(kDims, 0.0f);
  for (auto [i, x] : parts) v[i] = x;
  return v;
}

std::vector<FakeMovie> movies() {
  std::vector<FakeMovie> m = {
      {1, "Titanic", 1997, "Drama|Romance", 20000, axis({{0, 1}}), {1, 0, 0, 0}},
      {2, "The Notebook", 2004, "Drama|Romance", 9000, axis({{0, 1}, {3, 0.2f}}), {}},
      {3, "Pride and Prejudice", 2005, "Drama|Romance", 8000, axis({{0, 1}, {4, 0.3f}}), {}},
      {4, "Romeo + Juliet", 1996, "Drama|Romance", 7000, axis({{0, 1}, {5, 0.3f}}), {}},
      {5, "The Matrix", 1999, "Action|Sci-Fi", 25000, axis({{1, 1}}), {0, 1, 0, 0}},
      {6, "Inception", 2010, "Action|Sci-Fi", 24000, axis({{1, 1}, {3, 0.2f}}), {0, 1, 0.1f, 0}},
      {7, "Blade Runner", 1982, "Sci-Fi", 9000, axis({{1, 1}, {4, 0.3f}}), {}},
      {8, "Alien", 1979, "Horror|Sci-Fi", 12000, axis({{1, 0.7f}, {2, 0.7f}}), {}},
      {9, "The Shining", 1980, "Horror", 14000, axis({{2, 1}}), {}},
      {10, "Halloween", 1978, "Horror", 5000, axis({{2, 1}, {3, 0.2f}}), {}},
      {11, "Titanic", 1953, "Drama", 60, axis({{0, 1}, {6, 0.15f}}), {}},
      {12, "Twilight", 2008, "Drama|Fantasy|Romance", 15000, axis({{0, 0.6f}, {7, 0.8f}}), {}},
      {13, "New Moon", 2009, "Drama|Fantasy|Romance", 9000, axis({{0, 0.6f}, {7, 0.81f}}), {}},
      // Fans of Titanic loved it, though its text is nothing like Titanic's.
      {14, "Ghost Story", 1990, "Comedy", 6000, axis({{5, 1}}), {0.6f, 0, 0, 0.8f}},
      // Well known, but the catalogue has neither its year nor a genre.
      {15, "Untold Reel", 0, "", 24500, axis({{6, 1}}), {}},
  };
  for (int i = 0; i < 40; ++i) {
    const size_t a = 3 + static_cast<size_t>(i) % 5;
    m.push_back({100 + i,
                 nullptr,
                 1960 + i,
                 "Documentary",
                 3 + i % 4,
                 axis({{a, 1}, {3 + (a + 1) % 5, 0.5f}}),
                 {}});
  }
  return m;
}

std::vector<float> unit(std::vector<float> v) {
  double n = 0;
  for (float x : v) n += double{x} * x;
  for (float& x : v) x = static_cast<float>(x / std::sqrt(n));
  return v;
}

bool add_vector(CatalogueWriter* w, const char* kind, int64_t id, const std::vector<float>& v,
                Error* e) {
  std::vector<int8_t> q(v.size());
  const std::vector<float> u = unit(v);
  const float scale = quantize_i8(u.data(), u.size(), q.data());
  return w->add_vector(kind, id, q.data(), q.size(), scale, e);
}

std::vector<uint8_t> catalogue_bytes() {
  Error e;
  auto w = CatalogueWriter::create("", &e);
  EXPECT_TRUE(w) << e.message;
  EXPECT_TRUE(w->add_vector_kind("content", kDims, "test", "", &e)) << e.message;
  EXPECT_TRUE(w->add_vector_kind("collab", kCollab, "test", "", &e)) << e.message;
  for (const FakeMovie& f : movies()) {
    Movie m;
    m.movie_id = f.id;
    m.title = f.title ? f.title : "Archive Reel " + std::to_string(f.id);
    m.year = f.year;
    m.genres = f.genres;
    m.vote_count = f.votes;
    m.vote_average = 7.0;
    m.original_language = "en";
    m.runtime = 100 + static_cast<int>(f.id % 40);
    m.overview = f.id == 5 ? "A hacker learns the world is a simulation." : "A film.";
    EXPECT_TRUE(w->add_movie(m, &e)) << e.message;
    EXPECT_TRUE(add_vector(w.get(), "content", f.id, f.content, &e)) << e.message;
    if (!f.collab.empty()) {
      EXPECT_TRUE(add_vector(w.get(), "collab", f.id, f.collab, &e));
    }
  }
  // Related lists: fans of The Matrix liked Inception most; after Titanic, people suggested The
  // Shining (an odd pair, so the test can tell the signal from the others).
  EXPECT_TRUE(w->add_neighbours("ratings", 5, {{6, 0.9f}, {7, 0.5f}}, &e)) << e.message;
  EXPECT_TRUE(w->add_neighbours("dialogues", 1, {{9, 1.0f}}, &e)) << e.message;
  // People: a director of two sci-fi films and an actor of two romances.
  PersonCredits scott;
  scott.person_id = 1;
  scott.name = "Ridley Scott";
  scott.directed = {7, 8};
  EXPECT_TRUE(w->add_person(scott, &e)) << e.message;
  PersonCredits gosling;
  gosling.person_id = 2;
  gosling.name = "Ryan Gosling";
  gosling.starred = {2, 7};
  EXPECT_TRUE(w->add_person(gosling, &e)) << e.message;
  // Suggested films: the 1970s band (votes 3000..10000) is the one people name.
  nlohmann::json prior = {{"vote_edges", {3000, 10000}},
                          {"year_edges", {1970, 1980}},
                          {"values", {0, 0, 0, 0, 1, 0.5, 0, 0.2, 0.1}}};
  EXPECT_TRUE(w->set_meta("suggestion_prior", prior.dump(), &e));
  EXPECT_TRUE(w->set_meta("model_name", "test", &e));
  auto bytes = w->finish_to_bytes(&e);
  EXPECT_FALSE(bytes.empty()) << e.message;
  return bytes;
}

// A sentiment model that knows a handful of words: +/- for each, everything else neutral.
std::vector<uint8_t> sentiment_model(SentimentLang lang, const std::vector<const char*>& good,
                                     const std::vector<const char*>& bad) {
  const int bits = 16;
  std::vector<int8_t> weights(size_t{1} << bits, 0);
  auto mark = [&](const char* word, int8_t value) {
    std::vector<uint32_t> features;
    sentiment_features(word, lang, bits, &features);
    for (uint32_t h : features) weights[h] = value;
  };
  for (const char* w : good) mark(w, 100);
  for (const char* w : bad) mark(w, -100);
  return SentimentModel::to_bytes(lang, bits, 0.0f, 0.05f, 0.35f, 0.65f, weights);
}

// The weights these tests reason with (fixed here, so that re-learning the core's defaults does
// not change what the tests check): the hand-set mix from before the conversation signals.
RecommendRequest fixture_request() {
  RecommendRequest r;
  r.weights = {0.3f, 0.3f, 0.6f, 0.2f, 0.525f, 0.112f, 0.3f, 0, 0, 0, 0, 0};
  return r;
}

std::unique_ptr<Recommender> make_recommender(const std::vector<uint8_t>& catalogue, Error* e) {
  const auto en = sentiment_model(SentimentLang::kEnglish, {"loved", "great", "emotional", "good"},
                                  {"hated", "boring"});
  const auto ko = sentiment_model(SentimentLang::kKorean, {"최고"}, {"별로"});
  auto sentiment = Sentiment::from_bytes(en.data(), en.size(), ko.data(), ko.size(), e);
  if (!sentiment) return nullptr;
  auto index = CatalogueIndex::build(Catalogue::open(catalogue.data(), catalogue.size(), e), e);
  if (!index) return nullptr;
  return Recommender::create(std::move(index), std::move(sentiment), e);
}

class RecommenderTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    Error e;
    rec_ = make_recommender(catalogue_bytes(), &e).release();
    ASSERT_NE(rec_, nullptr) << e.message;
  }
  static void TearDownTestSuite() {
    delete rec_;
    rec_ = nullptr;
  }

  static RecommendResponse ask(RecommendRequest req) {
    RecommendResponse r;
    Error e;
    EXPECT_TRUE(rec_->recommend(req, &r, &e)) << e.message;
    return r;
  }
  static RecommendResponse ask(const std::string& text, ConversationState state = {}) {
    RecommendRequest req = fixture_request();
    req.turns = {{true, text}};
    req.state = std::move(state);
    req.k = 3;
    return ask(std::move(req));
  }
  static std::vector<int64_t> ids(const RecommendResponse& r) {
    std::vector<int64_t> out;
    for (const auto& x : r.results) out.push_back(x.movie_id);
    return out;
  }
  static bool has(const std::vector<int64_t>& v, int64_t id) {
    return std::find(v.begin(), v.end(), id) != v.end();
  }

  static Recommender* rec_;
};

Recommender* RecommenderTest::rec_ = nullptr;

TEST_F(RecommenderTest, LikedMovieLeadsToItsKindWithReasons) {
  const RecommendResponse r = ask("I absolutely loved Titanic. It made me so emotional!");
  ASSERT_EQ(r.mentions.size(), 1u);
  EXPECT_EQ(r.mentions[0].movie_id, 1);  // the 1997 film: the better known of the two
  EXPECT_EQ(r.mentions[0].liked, 1);
  EXPECT_EQ(r.sentiment.label, SentimentLabel::kPositive);
  EXPECT_EQ(r.state.liked, (std::vector<int64_t>{1}));
  // The three romances nearest Titanic; never Titanic itself nor the 1953 film of that title.
  std::vector<int64_t> got = ids(r);
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, (std::vector<int64_t>{2, 3, 4}));
  RecommendRequest all = fixture_request();
  all.turns = {{true, "I loved Titanic"}};
  all.k = 60;
  EXPECT_FALSE(has(ids(ask(all)), 11));
  for (const auto& x : r.results) {
    EXPECT_NE(x.why.find("Drama, Romance like 'Titanic'"), std::string::npos) << x.why;
    EXPECT_GT(x.similarity, 0.9f);
  }
  EXPECT_EQ(r.fallback, FallbackReason::kNone);
  EXPECT_EQ(r.lang, Lang::kEnglish);
  EXPECT_EQ(r.intro.rfind("You feel positive (", 0), 0u) << r.intro;
  EXPECT_EQ(r.answer.rfind(r.intro + " Recommendations:\n1. ", 0), 0u) << r.answer;
  EXPECT_EQ(r.state.last_results, ids(r));
}

TEST_F(RecommenderTest, CollaborativeNeighboursComeWithTheirReason) {
  RecommendRequest req = fixture_request();
  req.turns = {{true, "I loved Titanic"}};
  req.k = 10;
  req.weights.item = 0;  // only what fans of Titanic liked says it
  req.weights.collab = 2;
  const RecommendResponse r = ask(req);
  ASSERT_FALSE(r.results.empty());
  EXPECT_EQ(r.results[0].movie_id, 14);
  EXPECT_NE(r.results[0].why.find("fans of 'Titanic' loved it"), std::string::npos)
      << r.results[0].why;
}

TEST_F(RecommenderTest, DislikedMovieAndItsNearDuplicatesStayOut) {
  const RecommendResponse r = ask("I hated Twilight, it was so boring.");
  ASSERT_EQ(r.mentions.size(), 1u);
  EXPECT_EQ(r.mentions[0].liked, -1);
  EXPECT_EQ(r.state.disliked, (std::vector<int64_t>{12}));
  RecommendRequest req = fixture_request();
  req.turns = {{true, "I hated Twilight, it was so boring."}};
  req.k = 60;  // everything that may be shown
  const std::vector<int64_t> all = ids(ask(req));
  EXPECT_FALSE(has(all, 12));
  EXPECT_FALSE(has(all, 13)) << "New Moon is within the dislike cut-off of Twilight";
  EXPECT_TRUE(has(all, 5));
}

TEST_F(RecommenderTest, StateExcludesSeenMentionedAndLikedMovies) {
  ConversationState s;
  s.liked = {1};
  s.seen = {2};
  s.mentioned = {3};
  const RecommendResponse r = ask("anything else?", s);
  const std::vector<int64_t> got = ids(r);
  for (int64_t id : {1, 2, 3}) EXPECT_FALSE(has(got, id)) << id;
  EXPECT_TRUE(has(got, 4));  // the remaining romance still leads
}

TEST_F(RecommenderTest, TheNextAnswerOffersOtherFilms) {
  const RecommendResponse first = ask("I loved Titanic");
  ASSERT_EQ(first.results.size(), 3u);
  const RecommendResponse next = ask("anything else?", first.state);
  ASSERT_EQ(next.results.size(), 3u);
  for (const auto& x : next.results) EXPECT_FALSE(has(ids(first), x.movie_id)) << x.movie_id;
}

TEST_F(RecommenderTest, CommandsAboutThePreviousAnswerUpdateTheState) {
  ConversationState s;
  s.last_results = {5, 6, 7};
  RecommendResponse r = ask("more like the second one", s);
  EXPECT_EQ(r.state.liked, (std::vector<int64_t>{6}));
  r = ask("not that one", s);
  EXPECT_EQ(r.state.disliked, (std::vector<int64_t>{5}));
  r = ask("I have already seen the third", s);
  EXPECT_EQ(r.state.seen, (std::vector<int64_t>{7}));
  EXPECT_EQ(r.state.last_results, ids(r));
}

TEST_F(RecommenderTest, FusionFollowsTheWeightsAndTheEmbedding) {
  RecommendRequest req = fixture_request();
  req.turns = {{true, "something to watch"}};
  req.k = 1;
  req.weights = Weights{0, 0, 1, 0, 0, 0, 0};  // only the message's embedding
  req.embedding = unit(axis({{2, 1}}));        // a message "about" horror
  EXPECT_EQ(ask(req).results.at(0).movie_id, 9);
  req.embedding = unit(axis({{1, 1}}));
  EXPECT_EQ(ask(req).results.at(0).movie_id, 5);
  req.weights = Weights{0, 0, 0, 0, 1, 0, 0};  // only the prior: the most voted
  req.embedding.clear();
  EXPECT_EQ(ask(req).results.at(0).movie_id, 5);
}

TEST_F(RecommenderTest, ConstraintsFilterAndExplain) {
  RecommendRequest req = fixture_request();
  req.turns = {{true, "a horror movie from the 70s"}};
  req.k = 5;
  const RecommendResponse r = ask(req);
  ASSERT_FALSE(r.results.empty());
  for (const auto& x : r.results) {
    const Movie& m = rec_->table().movie(rec_->table().row_of(x.movie_id));
    EXPECT_GE(m.year, 1970);
    EXPECT_LE(m.year, 1979);
  }
  EXPECT_EQ(r.results[0].movie_id, 8);  // Alien: the better known of the two 70s horror films
  EXPECT_NE(r.results[0].why.find("from 1979"), std::string::npos) << r.results[0].why;
}

TEST_F(RecommenderTest, FallbackReasons) {
  EXPECT_EQ(ask("best movies of 2031").fallback, FallbackReason::kNewerThanCatalogue);
  const RecommendResponse few = ask("a western from the 1930s");
  EXPECT_EQ(few.fallback, FallbackReason::kTooFewMatches);
  EXPECT_TRUE(few.results.empty());
  EXPECT_EQ(few.answer,
            "I could not find a strong match in the catalogue. No movie in the catalogue meets "
            "that.");
  EXPECT_EQ(ask("hello there").fallback, FallbackReason::kLowConfidence);
  RecommendRequest strict = fixture_request();
  strict.turns = {{true, "I loved Titanic"}};
  strict.tuning.min_confidence = 1.01f;  // the tunable the decision reads
  EXPECT_EQ(ask(strict).fallback, FallbackReason::kLowConfidence);
}

TEST_F(RecommenderTest, AnswersInTheLanguageAsked) {
  RecommendRequest req = fixture_request();
  req.turns = {{true, "I loved Titanic"}};
  req.lang = Lang::kKorean;
  const RecommendResponse r = ask(req);
  EXPECT_EQ(r.intro.rfind("당신은 'Titanic'에 대해 positive (", 0), 0u) << r.intro;
  EXPECT_NE(r.answer.find("추천 영화:\n1. "), std::string::npos);
  EXPECT_NE(r.results.at(0).why.find("'Titanic'와(과) 같은"), std::string::npos);
  EXPECT_EQ(ask("별로였어").lang, Lang::kKorean);  // Hangul in the message
}

TEST_F(RecommenderTest, WireRoundTripAndTheOneErrorShape) {
  RecommendRequest req = fixture_request();
  Error e;
  ASSERT_TRUE(parse_request(
      R"({"turns":[{"role":"user","text":"I loved Titanic"}],"k":2,"lang":"ko",
          "weights":{"prior":0.1},"tuning":{"perSource":50,"minConfidence":0.2}})",
      &req, &e))
      << e.message;
  EXPECT_EQ(req.k, 2u);
  EXPECT_TRUE(req.lang == Lang::kKorean);
  EXPECT_FLOAT_EQ(req.weights.prior, 0.1f);
  EXPECT_EQ(req.tuning.per_source, 50u);
  EXPECT_FLOAT_EQ(req.tuning.min_confidence, 0.2f);
  RecommendResponse r;
  ASSERT_TRUE(rec_->recommend(req, &r, &e));
  const auto j = nlohmann::json::parse(response_json(*rec_, r));
  EXPECT_EQ(j["lang"], "ko");
  EXPECT_EQ(j["fallbackReason"], "");
  EXPECT_EQ(j["intro"], r.intro);
  EXPECT_EQ(j["results"].size(), 2u);

  EXPECT_FALSE(parse_request(R"({"text":"hi","tuning":{"perSource":0}})", &req, &e));
  EXPECT_NE(e.message.find("tuning.perSource"), std::string::npos) << e.message;
  const auto err = nlohmann::json::parse(error_json(e));
  EXPECT_EQ(err["code"], "invalid_argument");
  EXPECT_EQ(err["error"], e.message);
  Error quoted;
  quoted.set(ErrorCode::kCorrupt, "a \"quoted\"\n\x01 message");
  EXPECT_EQ(nlohmann::json::parse(error_json(quoted))["error"], quoted.message);
}

TEST_F(RecommenderTest, RelatedListsAndTheSuggestionPriorAreSignals) {
  RecommendRequest req = fixture_request();
  req.k = 1;
  req.turns = {{true, "I loved The Matrix"}};
  req.weights = {0, 0, 0, 0, 0, 0, 0, /*corated*/ 1, 0, 0, 0, 0};
  RecommendResponse r = ask(req);
  ASSERT_EQ(r.results.size(), 1u);
  EXPECT_EQ(r.results[0].movie_id, 6);  // Inception: the Matrix's fans liked it most
  EXPECT_NE(r.results[0].why.find("fans of 'The Matrix' loved it"), std::string::npos)
      << r.results[0].why;
  req.turns = {{true, "Have you seen Titanic?"}};  // named, not liked: still the conversation's
  req.weights = {0, 0, 0, 0, 0, 0, 0, 0, /*dialogue*/ 1, 0, 0, 0};
  r = ask(req);
  EXPECT_EQ(r.results.at(0).movie_id, 9);
  EXPECT_NE(r.results[0].why.find("often suggested after 'Titanic'"), std::string::npos)
      << r.results[0].why;
  req.weights = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /*suggested*/ 1};
  r = ask(req);
  EXPECT_EQ(r.results.at(0).movie_id, 10);  // Halloween: the one 1970s film with 3000+ votes
}

// The core's own defaults (learned on dialogues) weigh what followed a film in conversations.
TEST_F(RecommenderTest, DefaultWeightsFollowTheConversationLists) {
  RecommendRequest req;  // the core's defaults
  req.turns = {{true, "Have you seen Titanic?"}};
  req.k = 1;
  EXPECT_EQ(ask(req).results.at(0).movie_id, 9);
}

// The pool the evaluation's tuner re-ranks: its terms give back the core's own scores and order.
TEST_F(RecommenderTest, CandidatePoolReproducesTheRanking) {
  RecommendRequest req = fixture_request();
  req.turns = {{true, "I loved Titanic"}};
  req.k = 3;
  req.with_candidates = true;
  const RecommendResponse r = ask(req);
  ASSERT_GT(r.candidates.size(), 10u);
  // The weights by the names the terms carry, read back through the wire format.
  RecommendRequest named = fixture_request();
  Error e;
  ASSERT_TRUE(parse_request(
      R"({"text":"x","weights":{"item":2,"collab":3,"query":5,"text":7,"prior":11,"genre":13,
          "dislike":17,"corated":19,"dialogue":23,"people":29,"franchise":37,"suggested":31}})",
      &named, &e));
  const Weights& w = named.weights;
  const std::map<std::string, float> weights = {
      {"item", w.item},       {"collab", w.collab},       {"query", w.query},
      {"text", w.text},       {"prior", w.prior},         {"genre", w.genre},
      {"dislike", w.dislike}, {"corated", w.corated},     {"dialogue", w.dialogue},
      {"people", w.people},   {"franchise", w.franchise}, {"suggested", w.suggested}};
  ASSERT_EQ(fusion_terms(r.candidates[0]).size(), weights.size());
  req.weights = w;
  const RecommendResponse again = ask(req);
  for (const Signals& s : again.candidates) {
    float score = 0;
    for (const auto& [name, term] : fusion_terms(s)) score += weights.at(name) * term;
    EXPECT_NEAR(score, s.score, 1e-4f * std::max(1.0f, std::abs(s.score)));
  }
  for (size_t i = 0; i < r.results.size(); ++i) {
    EXPECT_EQ(rec_->table().movie(r.candidates[i].row).movie_id, r.results[i].movie_id);
  }
  EXPECT_TRUE(ask("I loved Titanic").candidates.empty());  // only when asked for
}

// The collaborative table is optional, but a damaged one is an error, not silently dropped.
TEST(RecommenderLoad, DamagedOptionalTableFailsWithAClearError) {
  std::vector<uint8_t> bytes = catalogue_bytes();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(":memory:", &db), SQLITE_OK);
  auto* copy = static_cast<unsigned char*>(sqlite3_malloc64(bytes.size()));
  std::copy(bytes.begin(), bytes.end(), copy);
  ASSERT_EQ(sqlite3_deserialize(db, "main", copy, static_cast<sqlite3_int64>(bytes.size()),
                                static_cast<sqlite3_int64>(bytes.size()),
                                SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE vectors SET vec = x'0102' WHERE kind = 'collab'", nullptr,
                         nullptr, nullptr),
            SQLITE_OK);
  sqlite3_int64 size = 0;
  unsigned char* out = sqlite3_serialize(db, "main", &size, 0);
  ASSERT_NE(out, nullptr);
  const std::vector<uint8_t> damaged(out, out + size);
  sqlite3_free(out);
  sqlite3_close(db);

  Error e;
  EXPECT_EQ(make_recommender(damaged, &e), nullptr);
  EXPECT_EQ(e.code, ErrorCode::kCorrupt);
  EXPECT_NE(e.message.find("vector of movie"), std::string::npos) << e.message;
}

}  // namespace
}  // namespace cinerag

namespace cinerag {
namespace {

// A conversation: user and assistant turns alternating, the last one the message answered.
RecommendRequest conversation(std::vector<std::string> texts, ConversationState state,
                              size_t k = 3) {
  RecommendRequest req = fixture_request();
  for (size_t i = 0; i < texts.size(); ++i) req.turns.push_back({i % 2 == 0, texts[i]});
  req.state = std::move(state);
  req.k = k;
  return req;
}

bool names(const RecommendResponse& r, const std::string& what) {
  return std::any_of(r.results.begin(), r.results.end(), [&](const Recommendation& x) {
    return x.why.find(what) != std::string::npos;
  });
}

// Greetings, questions and requests state no opinion, whatever words the classifier knows.
TEST_F(RecommenderTest, GreetingsAndRequestsReadNeutral) {
  EXPECT_EQ(ask("hi").sentiment.label, SentimentLabel::kNeutral);
  EXPECT_EQ(ask("Good morning!").sentiment.label, SentimentLabel::kNeutral);
  EXPECT_EQ(ask("Can you recommend a great comedy?").sentiment.label, SentimentLabel::kNeutral);
  // The same words told rather than asked carry their feeling.
  EXPECT_EQ(ask("The comedy last night was great").sentiment.label, SentimentLabel::kPositive);
  EXPECT_EQ(ask("good job").sentiment.label, SentimentLabel::kPositive);
  EXPECT_EQ(ask("Can you recommend a great comedy?").intro, "");
}

TEST_F(RecommenderTest, TheIntroSpeaksOfThisMessagesFilmsOnly) {
  const RecommendResponse first = ask("I loved Titanic");
  const RecommendResponse r = ask(conversation(
      {"I loved Titanic", "Noted. Anything else?", "I didn't like The Notebook"}, first.state));
  EXPECT_EQ(r.intro.rfind("You feel negative (", 0), 0u) << r.intro;
  EXPECT_NE(r.intro.find("about 'The Notebook'."), std::string::npos) << r.intro;
  EXPECT_EQ(r.intro.find("Titanic"), std::string::npos) << r.intro;
  EXPECT_EQ(r.sentiment.label, SentimentLabel::kNegative);
  EXPECT_TRUE(has(r.state.disliked, 2));
  EXPECT_TRUE(has(r.state.liked, 1));  // still liked, only not repeated
}

// A film the assistant named first and the user names now is the user's: after an answer listing
// The Notebook, "I didn't like The Notebook" gets an intro about it.
TEST_F(RecommenderTest, TheIntroSpeaksOfAFilmTheAssistantNamedFirst) {
  const RecommendResponse first = ask("I loved Titanic");
  ASSERT_NE(first.answer.find("The Notebook"), std::string::npos);
  const RecommendResponse r = ask(
      conversation({"I loved Titanic", first.answer, "I didn't like The Notebook"}, first.state));
  EXPECT_EQ(r.intro.rfind("You feel negative (", 0), 0u) << r.intro;
  EXPECT_NE(r.intro.find("about 'The Notebook'."), std::string::npos) << r.intro;
}

// "About romance" after "I loved Titanic": the results may be like Titanic, but the reasons
// name the films of this message only; a message without a topic keeps the earlier film.
TEST_F(RecommenderTest, ANewTopicsReasonsDoNotNameEarlierFilms) {
  const RecommendResponse first = ask("I loved Titanic");
  ConversationState s = first.state;
  s.last_results.clear();
  s.seen = first.state.last_results;  // the next answer offers the other romances
  const RecommendResponse more =
      ask(conversation({"I loved Titanic", first.answer, "what else?"}, s));
  EXPECT_TRUE(names(more, "'Titanic'")) << more.answer;
  const RecommendResponse topic =
      ask(conversation({"I loved Titanic", first.answer, "a romance please"}, s));
  ASSERT_FALSE(topic.results.empty());
  EXPECT_FALSE(names(topic, "'Titanic'")) << topic.answer;
  EXPECT_EQ(topic.results[0].movie_id, more.results[0].movie_id);  // the same film either way
}

TEST_F(RecommenderTest, AMessageWithoutATopicKeepsTheLastConstraints) {
  const RecommendResponse first = ask(conversation({"a sci-fi movie"}, {}, 2));
  ASSERT_EQ(first.results.size(), 2u);
  const RecommendResponse more =
      ask(conversation({"a sci-fi movie", first.answer, "more"}, first.state, 2));
  EXPECT_EQ(more.constraints.want_genres, first.constraints.want_genres);
  ASSERT_EQ(more.results.size(), 2u);
  for (const auto& x : more.results) {
    const Movie& m = rec_->table().movie(rec_->table().row_of(x.movie_id));
    EXPECT_NE(m.genres.find("Sci-Fi"), std::string::npos) << m.title;
    EXPECT_FALSE(has(ids(first), x.movie_id)) << m.title;
  }
  // A message with its own topic does not inherit them.
  const RecommendResponse horror =
      ask(conversation({"a sci-fi movie", first.answer, "a horror movie"}, first.state, 2));
  EXPECT_NE(horror.constraints.want_genres, first.constraints.want_genres);
}

TEST_F(RecommenderTest, AFilmWithNeitherYearNorGenreIsNeverOffered) {
  RecommendRequest req = fixture_request();
  req.turns = {{true, "anything popular"}};
  req.k = 60;
  req.weights = Weights{0, 0, 0, 0, 1, 0, 0};  // only the prior: it would be second
  const RecommendResponse r = ask(req);
  EXPECT_FALSE(has(ids(r), 15));
  EXPECT_EQ(r.results.at(0).movie_id, 5);
  req.turns = {{true, "I loved Untold Reel"}};
  const RecommendResponse named = ask(req);
  ASSERT_EQ(named.mentions.size(), 1u);  // it can still be named
  EXPECT_EQ(named.mentions[0].movie_id, 15);
}

TEST_F(RecommenderTest, ANamedPersonsFilmsLead) {
  const RecommendResponse r = ask("Ridley Scott movies");
  ASSERT_EQ(r.people.size(), 1u);
  ASSERT_GE(r.results.size(), 2u);
  std::vector<int64_t> top = {r.results[0].movie_id, r.results[1].movie_id};
  std::sort(top.begin(), top.end());
  EXPECT_EQ(top, (std::vector<int64_t>{7, 8}));
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(r.results[i].why.rfind("directed by Ridley Scott", 0), 0u) << r.results[i].why;
  }
  const RecommendResponse cast = ask("Ryan Gosling films");
  ASSERT_GE(cast.results.size(), 2u);
  EXPECT_EQ(cast.results[0].why.rfind("stars Ryan Gosling", 0), 0u) << cast.results[0].why;
}

TEST_F(RecommenderTest, ADislikedPersonsFilmsAreNotOffered) {
  RecommendRequest req = conversation({"I'm not into Ridley Scott, any sci-fi?"}, {}, 60);
  const RecommendResponse r = ask(req);
  ASSERT_EQ(r.people.size(), 1u);
  EXPECT_TRUE(r.people[0].disliked);
  const std::vector<int64_t> all = ids(r);
  EXPECT_FALSE(has(all, 7));
  EXPECT_FALSE(has(all, 8));
  EXPECT_TRUE(has(all, 5));  // other sci-fi still is
  req.turns = {{true, "I love Ridley Scott, any sci-fi?"}};
  const std::vector<int64_t> liked = ids(ask(req));
  EXPECT_TRUE(has(liked, 7) && has(liked, 8));
}

}  // namespace
}  // namespace cinerag

namespace cinerag {
namespace {

// Earlier turns are read once and kept by role and text, and the searches from liked films are
// kept by film: a recommender that has done them before answers exactly as a fresh one, and the
// same words from the assistant are not the user's.
TEST(RecommenderTurnCache, AWarmRecommenderAnswersAsAFreshOne) {
  Error e;
  auto fresh = make_recommender(catalogue_bytes(), &e);
  auto warm = make_recommender(catalogue_bytes(), &e);
  ASSERT_TRUE(fresh && warm) << e.message;
  auto answer = [](Recommender& rec, const RecommendRequest& req) {
    RecommendResponse r;
    Error err;
    EXPECT_TRUE(rec.recommend(req, &r, &err)) << err.message;
    return std::make_pair(response_json(rec, r), r);
  };
  const RecommendRequest said = conversation(
      {"I loved Titanic", "Noted. Anything else?", "I didn't like The Notebook"}, {});
  // The assistant says the user's words: the same text in the other role.
  RecommendRequest echoed = said;
  echoed.turns = {{true, "hello"}, {false, "I loved Titanic"}, {true, "something else"}};
  answer(*warm, said);
  const auto [echo_warm, echo_r] = answer(*warm, echoed);
  EXPECT_FALSE(std::find(echo_r.state.liked.begin(), echo_r.state.liked.end(), 1) !=
               echo_r.state.liked.end());
  EXPECT_EQ(echo_warm, answer(*fresh, echoed).first);
  EXPECT_EQ(answer(*warm, said).first, answer(*fresh, said).first);
}

}  // namespace
}  // namespace cinerag
