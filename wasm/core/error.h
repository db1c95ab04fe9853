// The error value every fallible core call returns through an out-parameter (never an exception).
#pragma once

#include <string>

namespace cinerag {

enum class ErrorCode {
  kOk = 0,
  kInvalidArgument,     // the caller passed something the call cannot take
  kEmpty,               // an input that must have content had none
  kNotADatabase,        // bytes that are not an SQLite database
  kCorrupt,             // an SQLite database, damaged or truncated
  kWrongSchema,         // a valid database that is not a cinerag catalogue
  kUnsupportedVersion,  // a catalogue written by a newer schema than this build reads
  kIo,                  // the file system said no
  kInternal,            // a bug: a state the code did not expect
};

// Stable lower-case names, used in messages and in the JS binding ("corrupt", ...).
const char* error_code_name(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kOk;
  std::string message;

  bool ok() const { return code == ErrorCode::kOk; }
  void set(ErrorCode c, std::string m) {
    code = c;
    message = std::move(m);
  }
  void clear() { set(ErrorCode::kOk, {}); }
};

// Sets *error when error is non-null; returns false so call sites can `return fail(...)`.
inline bool fail(Error* error, ErrorCode code, std::string message) {
  if (error) error->set(code, std::move(message));
  return false;
}

}  // namespace cinerag
