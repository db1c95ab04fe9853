// The recommender's JSON: requests and responses as the CLI's batch format and the worker's
// messages carry them (docs in the CLI's --help and web/src/protocol.ts).
#pragma once

#include <string>

#include "core/error.h"
#include "recommend/recommender.h"

namespace cinerag {

// {"turns":[{"role":"user"|"assistant","text"}] | "text", "state"?, "k"?, "lang"?, "weights"?,
//  "tuning"?, "candidates"?} -> *out (the embedding is passed separately). kInvalidArgument with
//  the field
// named on error. "weights" and "tuning" take the fields of Weights and Tuning (camelCase).
bool parse_request(const std::string& json, RecommendRequest* out, Error* error);

// {"lang","sentiment":{"label","score"},"mentioned":[{"movieId","title","year","liked"}],
//  "results":[{"movieId","title","year","genres","score","similarity","why","posterPath"}],
//  "constraints":[...],"fallback","fallbackReason","confidence","intro","answer","state":{...},
//  "candidates"?:[{"movieId","score","terms":{"item",...}}]}  (the last when asked for)
std::string response_json(const Recommender& rec, const RecommendResponse& r);

// The one error shape every call of the core's JS API fails with: {"error": message, "code":
// error_code_name(code)}.
std::string error_json(const Error& error);

}  // namespace cinerag
