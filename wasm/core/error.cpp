// Names of error codes.
#include "core/error.h"

namespace cinerag {

const char* error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk: return "ok";
    case ErrorCode::kInvalidArgument: return "invalid_argument";
    case ErrorCode::kEmpty: return "empty";
    case ErrorCode::kNotADatabase: return "not_a_database";
    case ErrorCode::kCorrupt: return "corrupt";
    case ErrorCode::kWrongSchema: return "wrong_schema";
    case ErrorCode::kUnsupportedVersion: return "unsupported_version";
    case ErrorCode::kIo: return "io";
    case ErrorCode::kInternal: return "internal";
  }
  return "internal";
}

}  // namespace cinerag
