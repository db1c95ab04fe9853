// A prepared SQLite statement that finalizes itself, and SQLite result codes as Error values.
#pragma once

#include <sqlite3.h>

#include <string>

#include "core/error.h"

namespace cinerag {

// Maps an SQLite result code to our codes: NOTADB, CORRUPT and friends keep their meaning.
inline ErrorCode error_code_for_sqlite(int rc) {
  switch (rc & 0xFF) {
    case SQLITE_NOTADB: return ErrorCode::kNotADatabase;
    case SQLITE_CORRUPT:
    case SQLITE_FORMAT:
    case SQLITE_RANGE: return ErrorCode::kCorrupt;
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_READONLY:
    case SQLITE_FULL: return ErrorCode::kIo;
    default: return ErrorCode::kInternal;
  }
}

inline bool fail_sqlite(Error* error, sqlite3* db, int rc, const std::string& what) {
  return fail(error, error_code_for_sqlite(rc),
              what + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
}

class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) { rc_ = sqlite3_prepare_v2(db, sql, -1, &s_, nullptr); }
  ~Stmt() { sqlite3_finalize(s_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  bool ok() const { return rc_ == SQLITE_OK && s_; }
  int rc() const { return rc_; }
  sqlite3_stmt* get() const { return s_; }
  // sqlite3_step(); remembers the code so callers can report it.
  int step() { return rc_ = sqlite3_step(s_); }
  void reset() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }
  std::string text(int col) const {
    const unsigned char* t = sqlite3_column_text(s_, col);
    return t ? std::string(reinterpret_cast<const char*>(t),
                           static_cast<size_t>(sqlite3_column_bytes(s_, col)))
             : std::string();
  }

 private:
  sqlite3_stmt* s_ = nullptr;
  int rc_;
};

}  // namespace cinerag
