// Writing a catalogue: the schema, rows, the FTS index; atomically into place or into bytes.
#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>

#include "store/atomic_file.h"
#include "store/catalogue.h"
#include "store/id_list.h"
#include "store/sqlite_stmt.h"

namespace cinerag {
namespace {

// store/schema.sql, embedded by CMake as a raw string literal.
const char kSchemaSql[] =
#include "schema_sql.inc"
    ;

bool exec(sqlite3* db, const char* sql, Error* error) {
  char* msg = nullptr;
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &msg);
  if (rc == SQLITE_OK) return true;
  const std::string text = msg ? msg : sqlite3_errstr(rc);
  sqlite3_free(msg);
  return fail(error, error_code_for_sqlite(rc), text);
}

void bind_text_or_null(sqlite3_stmt* s, int i, const std::string& v) {
  if (v.empty()) {
    sqlite3_bind_null(s, i);
  } else {
    sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
}

template <typename T>
void bind_number_or_null(sqlite3_stmt* s, int i, T v) {
  if (v == 0) {
    sqlite3_bind_null(s, i);
  } else if constexpr (std::is_floating_point<T>::value) {
    sqlite3_bind_double(s, i, v);
  } else {
    sqlite3_bind_int64(s, i, v);
  }
}

// Sorted ids without repeats or negatives: what an id list may hold.
bool ascending_ids(const std::vector<int64_t>& ids) {
  for (size_t i = 0; i < ids.size(); ++i) {
    if (ids[i] < 0 || (i > 0 && ids[i] <= ids[i - 1])) return false;
  }
  return true;
}

}  // namespace

const char* catalogue_schema_sql() {
  return kSchemaSql;
}

std::unique_ptr<CatalogueWriter> CatalogueWriter::create(const std::string& path, Error* error) {
  const std::string target = path.empty() ? ":memory:" : temp_path(path);
  if (!path.empty()) std::remove(target.c_str());  // a leftover from an interrupted build
  sqlite3* db = nullptr;
  int rc =
      sqlite3_open_v2(target.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  if (rc != SQLITE_OK) {
    fail_sqlite(error, db, rc, "cannot create '" + target + "'");
    sqlite3_close(db);
    return nullptr;
  }
  std::unique_ptr<CatalogueWriter> w(new CatalogueWriter(db, path));
  // One transaction for the whole build; no journal and no syncs while writing: an interrupted
  // build leaves only the temporary file, and finish() flushes it once before the rename.
  if (!exec(db, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA page_size = 4096;",
            error) ||
      !exec(db, "BEGIN", error) || !exec(db, kSchemaSql, error)) {
    return nullptr;
  }
  return w;
}

CatalogueWriter::~CatalogueWriter() {
  sqlite3_close(db_);
  if (!finished_ && !path_.empty()) std::remove(temp_path(path_).c_str());
}

bool CatalogueWriter::set_meta(const std::string& key, const std::string& value, Error* error) {
  Stmt s(db_, "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)");
  sqlite3_bind_text(s.get(), 1, key.data(), static_cast<int>(key.size()), SQLITE_TRANSIENT);
  sqlite3_bind_text(s.get(), 2, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
  const int rc = s.step();
  return rc == SQLITE_DONE || fail_sqlite(error, db_, rc, "cannot write meta '" + key + "'");
}

bool CatalogueWriter::add_vector_kind(const std::string& kind, size_t dims,
                                      const std::string& model, const std::string& model_sha256,
                                      Error* error) {
  Stmt s(db_, "INSERT INTO vector_kinds (kind, dims, model, model_sha256) VALUES (?, ?, ?, ?)");
  sqlite3_bind_text(s.get(), 1, kind.data(), static_cast<int>(kind.size()), SQLITE_TRANSIENT);
  sqlite3_bind_int64(s.get(), 2, static_cast<sqlite3_int64>(dims));
  sqlite3_bind_text(s.get(), 3, model.data(), static_cast<int>(model.size()), SQLITE_TRANSIENT);
  sqlite3_bind_text(s.get(), 4, model_sha256.data(), static_cast<int>(model_sha256.size()),
                    SQLITE_TRANSIENT);
  const int rc = s.step();
  if (rc != SQLITE_DONE)
    return fail_sqlite(error, db_, rc, "cannot add vector kind '" + kind + "'");
  kind_dims_[kind] = dims;  // add_vector checks against this, not a query per row
  return true;
}

bool CatalogueWriter::add_movie(const Movie& m, Error* error) {
  Stmt s(db_,
         "INSERT INTO movies (movie_id, title, year, genres, original_title, alt_titles, "
         "original_language, overview, keywords, tags, runtime, tmdb_id, imdb_id, poster_path, "
         "popularity, vote_average, vote_count, rating_mean, rating_count) "
         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  sqlite3_stmt* r = s.get();
  sqlite3_bind_int64(r, 1, m.movie_id);
  sqlite3_bind_text(r, 2, m.title.data(), static_cast<int>(m.title.size()), SQLITE_TRANSIENT);
  bind_number_or_null(r, 3, m.year);
  sqlite3_bind_text(r, 4, m.genres.data(), static_cast<int>(m.genres.size()), SQLITE_TRANSIENT);
  bind_text_or_null(r, 5, m.original_title);
  bind_text_or_null(r, 6, m.alt_titles);
  bind_text_or_null(r, 7, m.original_language);
  bind_text_or_null(r, 8, m.overview);
  bind_text_or_null(r, 9, m.keywords);
  bind_text_or_null(r, 10, m.tags);
  bind_number_or_null(r, 11, m.runtime);
  bind_number_or_null(r, 12, m.tmdb_id);
  bind_text_or_null(r, 13, m.imdb_id);
  bind_text_or_null(r, 14, m.poster_path);
  bind_number_or_null(r, 15, m.popularity);
  bind_number_or_null(r, 16, m.vote_average);
  bind_number_or_null(r, 17, m.vote_count);
  bind_number_or_null(r, 18, m.rating_mean);
  bind_number_or_null(r, 19, m.rating_count);
  const int rc = s.step();
  return rc == SQLITE_DONE ||
         fail_sqlite(error, db_, rc, "cannot add movie " + std::to_string(m.movie_id));
}

bool CatalogueWriter::add_projection(const std::string& kind, size_t in_dims, size_t out_dims,
                                     const float* matrix, Error* error) {
  const auto known = kind_dims_.find(kind);
  if (known == kind_dims_.end() || known->second != out_dims || in_dims == 0) {
    return fail(error, ErrorCode::kInvalidArgument,
                "projection of '" + kind + "' does not fit its vector kind");
  }
  Stmt s(db_, "INSERT INTO projections (kind, in_dims, out_dims, matrix) VALUES (?, ?, ?, ?)");
  sqlite3_bind_text(s.get(), 1, kind.data(), static_cast<int>(kind.size()), SQLITE_TRANSIENT);
  sqlite3_bind_int64(s.get(), 2, static_cast<sqlite3_int64>(in_dims));
  sqlite3_bind_int64(s.get(), 3, static_cast<sqlite3_int64>(out_dims));
  sqlite3_bind_blob(s.get(), 4, matrix, static_cast<int>(in_dims * out_dims * sizeof(float)),
                    SQLITE_TRANSIENT);
  const int rc = s.step();
  return rc == SQLITE_DONE ||
         fail_sqlite(error, db_, rc, "cannot add the projection of '" + kind + "'");
}

bool CatalogueWriter::add_neighbours(const std::string& kind, int64_t movie_id,
                                     const std::vector<std::pair<int64_t, float>>& neighbours,
                                     Error* error) {
  std::vector<std::pair<int64_t, float>> sorted(neighbours);
  std::sort(sorted.begin(), sorted.end());
  std::vector<int64_t> movie_ids;
  std::vector<uint8_t> ids, weights;
  for (const auto& [id, w] : sorted) {
    movie_ids.push_back(id);
    weights.push_back(static_cast<uint8_t>(std::lround(std::clamp(w, 0.0f, 1.0f) * 255)));
  }
  if (!ascending_ids(movie_ids)) {
    return fail(error, ErrorCode::kInvalidArgument,
                "neighbours of movie " + std::to_string(movie_id) + " repeat or are negative");
  }
  encode_id_list(movie_ids, &ids);
  // An empty list is an empty blob, not NULL (a null pointer would bind NULL).
  static const uint8_t kNone = 0;
  Stmt s(db_, "INSERT INTO neighbours (kind, movie_id, ids, weights) VALUES (?, ?, ?, ?)");
  sqlite3_bind_text(s.get(), 1, kind.data(), static_cast<int>(kind.size()), SQLITE_TRANSIENT);
  sqlite3_bind_int64(s.get(), 2, movie_id);
  sqlite3_bind_blob(s.get(), 3, ids.empty() ? &kNone : ids.data(), static_cast<int>(ids.size()),
                    SQLITE_TRANSIENT);
  sqlite3_bind_blob(s.get(), 4, weights.empty() ? &kNone : weights.data(),
                    static_cast<int>(weights.size()), SQLITE_TRANSIENT);
  const int rc = s.step();
  return rc == SQLITE_DONE ||
         fail_sqlite(error, db_, rc, "cannot add neighbours of movie " + std::to_string(movie_id));
}

bool CatalogueWriter::add_person(const PersonCredits& p, Error* error) {
  std::string names_ko;
  for (const std::string& n : p.names_ko) {
    if (n.empty() || n.find('|') != std::string::npos) {
      return fail(error, ErrorCode::kInvalidArgument,
                  "Korean name '" + n + "' of person " + std::to_string(p.person_id) +
                      " is empty or has a '|'");
    }
    names_ko += (names_ko.empty() ? "" : "|") + n;
  }
  std::vector<uint8_t> blobs[2];
  const std::vector<int64_t>* lists[2] = {&p.directed, &p.starred};
  for (int i = 0; i < 2; ++i) {
    std::vector<int64_t> ids(*lists[i]);
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    if (!ids.empty() && ids.front() < 0) {
      return fail(error, ErrorCode::kInvalidArgument,
                  "person " + std::to_string(p.person_id) + " is credited with a negative id");
    }
    encode_id_list(ids, &blobs[i]);
  }
  static const uint8_t kNone = 0;  // an empty list is an empty blob, not NULL
  Stmt s(
      db_,
      "INSERT INTO people (person_id, name, names_ko, directed, starred) VALUES (?, ?, ?, ?, ?)");
  sqlite3_bind_int64(s.get(), 1, p.person_id);
  sqlite3_bind_text(s.get(), 2, p.name.data(), static_cast<int>(p.name.size()), SQLITE_TRANSIENT);
  bind_text_or_null(s.get(), 3, names_ko);
  for (int i = 0; i < 2; ++i) {
    sqlite3_bind_blob(s.get(), 4 + i, blobs[i].empty() ? &kNone : blobs[i].data(),
                      static_cast<int>(blobs[i].size()), SQLITE_TRANSIENT);
  }
  const int rc = s.step();
  return rc == SQLITE_DONE ||
         fail_sqlite(error, db_, rc, "cannot add person " + std::to_string(p.person_id));
}

bool CatalogueWriter::add_alias(const TitleAlias& a, Error* error) {
  if (a.lang.empty() || a.title.empty()) {
    return fail(error, ErrorCode::kInvalidArgument,
                "alias of movie " + std::to_string(a.movie_id) + " needs a language and a title");
  }
  Stmt s(db_, "INSERT OR IGNORE INTO aliases (movie_id, lang, title) VALUES (?, ?, ?)");
  sqlite3_bind_int64(s.get(), 1, a.movie_id);
  sqlite3_bind_text(s.get(), 2, a.lang.data(), static_cast<int>(a.lang.size()), SQLITE_TRANSIENT);
  sqlite3_bind_text(s.get(), 3, a.title.data(), static_cast<int>(a.title.size()), SQLITE_TRANSIENT);
  const int rc = s.step();
  return rc == SQLITE_DONE ||
         fail_sqlite(error, db_, rc, "cannot add an alias of movie " + std::to_string(a.movie_id));
}

bool CatalogueWriter::add_vector(const std::string& kind, int64_t movie_id, const int8_t* vec,
                                 size_t dims, float scale, Error* error) {
  const auto known = kind_dims_.find(kind);
  if (known == kind_dims_.end()) {
    return fail(error, ErrorCode::kInvalidArgument, "unknown vector kind '" + kind + "'");
  }
  if (known->second != dims) {
    return fail(error, ErrorCode::kInvalidArgument,
                "vector of movie " + std::to_string(movie_id) + " has " + std::to_string(dims) +
                    " dims; kind '" + kind + "' has " + std::to_string(known->second));
  }
  Stmt s(db_, "INSERT INTO vectors (kind, movie_id, scale, vec) VALUES (?, ?, ?, ?)");
  sqlite3_bind_text(s.get(), 1, kind.data(), static_cast<int>(kind.size()), SQLITE_TRANSIENT);
  sqlite3_bind_int64(s.get(), 2, movie_id);
  sqlite3_bind_double(s.get(), 3, scale);
  sqlite3_bind_blob(s.get(), 4, vec, static_cast<int>(dims), SQLITE_TRANSIENT);
  const int rc = s.step();
  return rc == SQLITE_DONE ||
         fail_sqlite(error, db_, rc, "cannot add vector of movie " + std::to_string(movie_id));
}

bool CatalogueWriter::finish(Error* error) {
  if (finished_) return fail(error, ErrorCode::kInvalidArgument, "catalogue already finished");
  if (!exec(db_, "INSERT INTO movies_fts (movies_fts) VALUES ('rebuild')", error)) return false;
  std::string movies;
  {
    Stmt count(db_, "SELECT count(*) FROM movies");
    if (count.step() != SQLITE_ROW) return fail_sqlite(error, db_, count.rc(), "cannot count");
    movies = std::to_string(sqlite3_column_int64(count.get(), 0));
  }
  if (!set_meta("schema_version", std::to_string(kCatalogueSchemaVersion), error) ||
      !set_meta("movie_count", movies, error)) {
    return false;
  }
  {
    Stmt has(db_, "SELECT 1 FROM meta WHERE key = 'built_at'");
    if (has.step() != SQLITE_ROW) {
      char when[32];
      const std::time_t now = std::time(nullptr);
      std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
      if (!set_meta("built_at", when, error)) return false;
    }
  }
  if (!exec(db_, "COMMIT", error)) return false;
  if (!path_.empty()) {
    if (!exec(db_, "VACUUM", error)) return false;
    sqlite3_close(db_);
    db_ = nullptr;
    if (!commit_file(path_)) {
      return fail(error, ErrorCode::kIo, "cannot move the catalogue into place at '" + path_ + "'");
    }
  }
  finished_ = true;
  return true;
}

std::vector<uint8_t> CatalogueWriter::finish_to_bytes(Error* error) {
  if (!path_.empty()) {
    fail(error, ErrorCode::kInvalidArgument, "finish_to_bytes() is for in-memory writers");
    return {};
  }
  if (!finish(error)) return {};
  if (!exec(db_, "VACUUM", error)) return {};
  sqlite3_int64 size = 0;
  unsigned char* bytes = sqlite3_serialize(db_, "main", &size, 0);
  if (!bytes) {
    fail(error, ErrorCode::kInternal, "cannot serialize the catalogue");
    return {};
  }
  std::vector<uint8_t> out(bytes, bytes + size);
  sqlite3_free(bytes);
  return out;
}

}  // namespace cinerag
