// The proxy's request contract: validating a client's /v1/recommend body and turning it into the
// upstream Chat Completions body (the server owns the prompt, model and sampling).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace cinerag::proxy {

// Limits on what a client may send; every one is checked, and a violation names its field.
struct Limits {
  size_t max_body_bytes = 16 * 1024;
  size_t max_messages = 20;
  size_t max_candidates = 30;
  size_t max_exclude = 50;
  size_t max_text_chars = 2000;      // a message's text
  size_t max_title_chars = 200;      // titles, genres, exclude entries
  size_t max_overview_chars = 1000;  // a candidate's overview
};

struct Message {
  std::string role;  // "user" | "assistant"
  std::string text;
};

struct Candidate {
  std::string title;
  int year = 0;  // 0: unknown
  std::string genres;
  std::string overview;
};

struct RecommendRequest {
  std::string lang = "en";  // "en" | "ko"
  std::vector<Message> messages;
  std::vector<Candidate> candidates;
  std::vector<std::string> exclude;
};

struct ValidationError {
  std::string field;    // e.g. "messages[3].text"
  std::string message;  // for people
};

// Parses and checks `body`. Returns false and fills *error on the first problem found: malformed
// JSON, a missing or mistyped field, an unknown field (the client cannot send "system", "model",
// "temperature", ...), a count or length over the limits, invalid UTF-8.
bool parse_request(const std::string& body, const Limits& limits, RecommendRequest* out,
                   ValidationError* error);

// The Chat Completions request body for `request`: a server-written system prompt, the
// conversation and candidates as data in one user message, a JSON-schema response format and
// streaming on.
nlohmann::json build_upstream_body(const RecommendRequest& request, const std::string& model);

struct Recommendation {
  std::string title;
  int year = 0;
  std::string reason;
};

struct Answer {
  std::vector<Recommendation> recommendations;
  std::string message;
};

// Checks the model's complete output against the schema and caps (≤ 10 recommendations, titles
// ≤ 200 chars, reasons ≤ 500, message ≤ 2000). Returns false with a reason when it does not fit.
bool parse_answer(const std::string& content, Answer* out, std::string* why);
nlohmann::json answer_to_json(const Answer& answer, const std::string& model);

}  // namespace cinerag::proxy
