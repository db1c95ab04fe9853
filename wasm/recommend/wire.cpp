// nlohmann::json both ways; every field of a request is checked before it is used.
#include "recommend/wire.h"

#include <cmath>
#include <nlohmann/json.hpp>

namespace cinerag {
namespace {

using json = nlohmann::json;
constexpr size_t kMaxText = 100 * 1024;  // per turn
constexpr size_t kMaxTurns = 200;
constexpr size_t kMaxIds = 10000;
constexpr int64_t kMaxCount = 5000;  // tuning counts (candidates per source, ...)

bool ids(const json& j, const char* field, std::vector<int64_t>* out, Error* error) {
  out->clear();
  if (!j.contains(field)) return true;
  const json& v = j[field];
  if (!v.is_array() || v.size() > kMaxIds)
    return fail(error, ErrorCode::kInvalidArgument,
                std::string("state.") + field + " must be an array of movie ids");
  for (const json& x : v) {
    if (!x.is_number_integer())
      return fail(error, ErrorCode::kInvalidArgument,
                  std::string("state.") + field + " must hold integers");
    out->push_back(x.get<int64_t>());
  }
  return true;
}

// Optional number fields of the object j[group]: {"name": *field}.
bool numbers(const json& j, const char* group,
             std::initializer_list<std::pair<const char*, float*>> fields, Error* error) {
  if (!j.contains(group)) return true;
  const json& g = j[group];
  if (!g.is_object())
    return fail(error, ErrorCode::kInvalidArgument, std::string(group) + " must be an object");
  for (auto [name, field] : fields) {
    if (!g.contains(name)) continue;
    if (!g[name].is_number() || !std::isfinite(g[name].get<double>()))
      return fail(error, ErrorCode::kInvalidArgument,
                  std::string(group) + "." + name + " must be a number");
    *field = g[name].get<float>();
  }
  return true;
}

// Optional count fields (integers 1..kMaxCount) of the object j[group].
bool counts(const json& j, const char* group,
            std::initializer_list<std::pair<const char*, size_t*>> fields, Error* error) {
  if (!j.contains(group)) return true;
  const json& g = j[group];
  for (auto [name, field] : fields) {
    if (!g.contains(name)) continue;
    if (!g[name].is_number_integer() || g[name].get<int64_t>() < 1 ||
        g[name].get<int64_t>() > kMaxCount)
      return fail(error, ErrorCode::kInvalidArgument,
                  std::string(group) + "." + name + " must be an integer from 1 to " +
                      std::to_string(kMaxCount));
    *field = g[name].get<size_t>();
  }
  return true;
}

}  // namespace

std::string error_json(const Error& e) {
  return json{{"error", e.message}, {"code", error_code_name(e.code)}}.dump(
      -1, ' ', false, json::error_handler_t::replace);
}

bool parse_request(const std::string& text, RecommendRequest* out, Error* error) {
  *out = RecommendRequest{};
  const json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return fail(error, ErrorCode::kInvalidArgument, "the request is not a JSON object");
  if (j.contains("turns")) {
    const json& t = j["turns"];
    if (!t.is_array() || t.size() > kMaxTurns)
      return fail(error, ErrorCode::kInvalidArgument,
                  "turns must be an array of at most 200 turns");
    for (const json& turn : t) {
      if (!turn.is_object() || !turn.contains("text") || !turn["text"].is_string())
        return fail(error, ErrorCode::kInvalidArgument, "turns[].text must be a string");
      const json role = turn.value("role", json("user"));  // any type: a number is no role
      if (role != "user" && role != "assistant")
        return fail(error, ErrorCode::kInvalidArgument, "turns[].role must be user or assistant");
      out->turns.push_back({role == "user", turn["text"].get<std::string>()});
    }
  } else if (j.contains("text") && j["text"].is_string()) {
    out->turns.push_back({true, j["text"].get<std::string>()});
  } else {
    return fail(error, ErrorCode::kInvalidArgument, "the request needs text or turns");
  }
  bool any_text = false;
  for (auto& t : out->turns) {
    if (t.text.size() > kMaxText)
      return fail(error, ErrorCode::kInvalidArgument, "a message is longer than 100 KB");
    any_text |= t.user && t.text.find_first_not_of(" \t\r\n") != std::string::npos;
  }
  if (!any_text) return fail(error, ErrorCode::kEmpty, "the message is empty");
  if (j.contains("k")) {
    if (!j["k"].is_number_integer() || j["k"].get<int64_t>() < 1 || j["k"].get<int64_t>() > 100)
      return fail(error, ErrorCode::kInvalidArgument, "k must be an integer from 1 to 100");
    out->k = j["k"].get<size_t>();
  }
  if (j.contains("lang")) {
    if (!j["lang"].is_string() || (j["lang"] != "en" && j["lang"] != "ko" && j["lang"] != ""))
      return fail(error, ErrorCode::kInvalidArgument, "lang must be en or ko");
    if (j["lang"] == "en") out->lang = Lang::kEnglish;
    if (j["lang"] == "ko") out->lang = Lang::kKorean;
  }
  if (j.contains("state")) {
    const json& s = j["state"];
    if (!s.is_object()) return fail(error, ErrorCode::kInvalidArgument, "state must be an object");
    if (!ids(s, "liked", &out->state.liked, error) ||
        !ids(s, "disliked", &out->state.disliked, error) ||
        !ids(s, "seen", &out->state.seen, error) ||
        !ids(s, "mentioned", &out->state.mentioned, error) ||
        !ids(s, "lastResults", &out->state.last_results, error))
      return false;
  }
  if (j.contains("candidates")) {
    if (!j["candidates"].is_boolean())
      return fail(error, ErrorCode::kInvalidArgument, "candidates must be true or false");
    out->with_candidates = j["candidates"].get<bool>();
  }
  Weights& w = out->weights;
  if (!numbers(j, "weights",
               {{"item", &w.item},
                {"collab", &w.collab},
                {"query", &w.query},
                {"text", &w.text},
                {"prior", &w.prior},
                {"genre", &w.genre},
                {"dislike", &w.dislike},
                {"corated", &w.corated},
                {"dialogue", &w.dialogue},
                {"people", &w.people},
                {"franchise", &w.franchise},
                {"suggested", &w.suggested}},
               error))
    return false;
  Tuning& t = out->tuning;
  if (!numbers(j, "tuning",
               {{"mixPopularity", &t.mix.popularity},
                {"mixQuality", &t.mix.quality},
                {"ratedMixPopularity", &t.rated_mix.popularity},
                {"ratedMixQuality", &t.rated_mix.quality},
                {"dislikeCutoff", &t.dislike_cutoff},
                {"confidenceLikedBase", &t.confidence_liked_base},
                {"confidenceLikedGain", &t.confidence_liked_gain},
                {"confidenceConstraints", &t.confidence_constraints},
                {"confidenceTextBase", &t.confidence_text_base},
                {"confidenceTextGain", &t.confidence_text_gain},
                {"minConfidence", &t.min_confidence},
                {"reasonItemMin", &t.reason_item_min},
                {"reasonCollabMin", &t.reason_collab_min},
                {"focusDecay", &t.focus_decay},
                {"focusYield", &t.focus_yield},
                {"focusRequestYield", &t.focus_request_yield}},
               error) ||
      !counts(j, "tuning",
              {{"perSource", &t.per_source},
               {"recentLiked", &t.recent_liked},
               {"recentContext", &t.recent_context},
               {"textHits", &t.text_hits},
               {"leadMax", &t.lead_max}},
              error))
    return false;
  return true;
}

std::string response_json(const Recommender& rec, const RecommendResponse& r) {
  const MovieTable& table = rec.table();
  json out;
  out["lang"] = lang_code(r.lang);
  out["sentiment"] = {{"label", sentiment_label_name(r.sentiment.label)},
                      {"score", r.sentiment.score}};
  json mentioned = json::array();
  for (const Mention& m : r.mentions) {
    const Movie& mv = table.movie(table.row_of(m.movie_id));
    json x = {{"movieId", m.movie_id}, {"title", mv.title},       {"year", mv.year},
              {"surface", m.surface},  {"fromUser", m.from_user}, {"inMessage", m.in_message}};
    x["liked"] = m.liked > 0 ? json(true) : m.liked < 0 ? json(false) : json(nullptr);
    mentioned.push_back(x);
  }
  out["mentioned"] = mentioned;
  json people = json::array();
  for (const PersonMention& p : r.people) {
    people.push_back({{"name", rec.people().people()[p.person].name},
                      {"role", p.role == PersonRole::kDirector ? "director"
                               : p.role == PersonRole::kCast   ? "cast"
                                                               : "any"}});
  }
  out["people"] = people;
  json results = json::array();
  for (const Recommendation& x : r.results) {
    const Movie& mv = table.movie(table.row_of(x.movie_id));
    json g = json::array();
    size_t p = 0;
    while (p < mv.genres.size()) {
      size_t e = mv.genres.find('|', p);
      if (e == std::string::npos) e = mv.genres.size();
      g.push_back(mv.genres.substr(p, e - p));
      p = e + 1;
    }
    results.push_back({{"movieId", x.movie_id},
                       {"title", mv.title},
                       {"year", mv.year},
                       {"genres", g},
                       {"score", x.score},
                       {"similarity", x.similarity},
                       {"why", x.why},
                       {"posterPath", mv.poster_path},
                       {"overview", mv.overview.substr(0, 300)}});
  }
  out["results"] = results;
  out["constraints"] = r.constraints.understood;
  out["fallback"] = r.fallback != FallbackReason::kNone;
  out["fallbackReason"] = fallback_reason_name(r.fallback);
  out["confidence"] = r.confidence;
  if (!r.candidates.empty()) {
    json pool = json::array();
    for (const Signals& s : r.candidates) {
      json terms = json::object();
      for (const auto& [name, value] : fusion_terms(s)) terms[name] = value;
      pool.push_back(
          {{"movieId", table.movie(s.row).movie_id}, {"score", s.score}, {"terms", terms}});
    }
    out["candidates"] = pool;
  }
  out["intro"] = r.intro;
  out["answer"] = r.answer;
  out["state"] = {{"liked", r.state.liked},
                  {"disliked", r.state.disliked},
                  {"seen", r.state.seen},
                  {"mentioned", r.state.mentioned},
                  {"lastResults", r.state.last_results}};
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace cinerag
