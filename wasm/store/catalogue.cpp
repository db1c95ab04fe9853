// Opening and reading a catalogue from bytes (sqlite3_deserialize, read-only).
#include "store/catalogue.h"

#include <sqlite3.h>

#include <cctype>
#include <cstring>

#include "store/id_list.h"
#include "store/sqlite_stmt.h"

// The columns read_movie_row() expects, in its order.
#define MOVIE_COLUMNS                                                                        \
  "movie_id, title, year, genres, original_title, alt_titles, original_language, overview, " \
  "keywords, tags, runtime, tmdb_id, imdb_id, poster_path, popularity, vote_average, "       \
  "vote_count, rating_mean, rating_count"

namespace cinerag {
namespace {

constexpr size_t kHeaderSize = 100;
constexpr char kMagic[] = "SQLite format 3";  // 16 bytes with the NUL

uint32_t be32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

// Checks the 100-byte header before SQLite sees the bytes, so that a truncated download is named
// as such rather than found later as a missing page.
bool check_header(const uint8_t* data, size_t size, Error* error) {
  if (size == 0) return fail(error, ErrorCode::kEmpty, "catalogue is empty (0 bytes)");
  if (size < kHeaderSize || std::memcmp(data, kMagic, sizeof kMagic) != 0) {
    return fail(error, ErrorCode::kNotADatabase,
                "catalogue is not an SQLite database (" + std::to_string(size) + " bytes)");
  }
  uint32_t page_size = (uint32_t{data[16]} << 8) | data[17];
  if (page_size == 1) page_size = 65536;
  if (page_size < 512 || (page_size & (page_size - 1)) != 0) {
    return fail(error, ErrorCode::kCorrupt, "catalogue header has an invalid page size");
  }
  // The in-header page count is valid when "version-valid-for" equals the change counter.
  if (be32(data + 92) == be32(data + 24)) {
    const uint64_t expected = uint64_t{be32(data + 28)} * page_size;
    if (expected > size) {
      return fail(error, ErrorCode::kCorrupt,
                  "catalogue is truncated: the header says " + std::to_string(expected) +
                      " bytes, got " + std::to_string(size));
    }
  }
  return true;
}

}  // namespace

uint8_t* Catalogue::alloc_buffer(size_t size) {
  return static_cast<uint8_t*>(sqlite3_malloc64(size ? size : 1));
}

std::unique_ptr<Catalogue> Catalogue::open(const uint8_t* data, size_t size, Error* error) {
  uint8_t* buffer = alloc_buffer(size);
  if (!buffer) {
    fail(error, ErrorCode::kInternal,
         "out of memory for a " + std::to_string(size) + "-byte catalogue");
    return nullptr;
  }
  if (size) std::memcpy(buffer, data, size);
  return open_buffer(buffer, size, error);
}

std::unique_ptr<Catalogue> Catalogue::open_buffer(uint8_t* buffer, size_t size, Error* error) {
  if (!buffer) {
    fail(error, ErrorCode::kInvalidArgument, "no catalogue buffer");
    return nullptr;
  }
  if (!check_header(buffer, size, error)) {
    sqlite3_free(buffer);
    return nullptr;
  }
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY, nullptr);
  if (rc != SQLITE_OK) {
    fail_sqlite(error, db, rc, "cannot open an in-memory database");
    sqlite3_close(db);
    sqlite3_free(buffer);
    return nullptr;
  }
  // With FREEONCLOSE SQLite owns the buffer from here, and frees it even when this call fails.
  rc = sqlite3_deserialize(db, "main", buffer, static_cast<sqlite3_int64>(size),
                           static_cast<sqlite3_int64>(size),
                           SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY);
  std::unique_ptr<Catalogue> catalogue(new Catalogue(db));
  if (rc != SQLITE_OK) {
    fail_sqlite(error, db, rc, "cannot read the catalogue");
    return nullptr;
  }
  // Damaged files must fail as errors, not let SQL write through corrupt structures.
  sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
  if (!catalogue->validate(error)) return nullptr;
  return catalogue;
}

Catalogue::~Catalogue() {
  sqlite3_close(db_);
}

bool Catalogue::validate(Error* error) {
  {
    Stmt s(db_, "SELECT value FROM meta WHERE key = 'schema_version'");
    if (!s.ok()) {
      const int rc = s.rc() & 0xFF;
      if (rc == SQLITE_ERROR) {  // "no such table": a database, but not ours
        return fail(error, ErrorCode::kWrongSchema,
                    std::string("not a cinerag catalogue: ") + sqlite3_errmsg(db_));
      }
      return fail_sqlite(error, db_, s.rc(), "cannot read the catalogue");
    }
    const int rc = s.step();
    if (rc == SQLITE_DONE) {
      return fail(error, ErrorCode::kWrongSchema, "not a cinerag catalogue: no schema_version");
    }
    if (rc != SQLITE_ROW) return fail_sqlite(error, db_, rc, "cannot read the catalogue's meta");
    const std::string v = s.text(0);
    char* end = nullptr;
    const long version = std::strtol(v.c_str(), &end, 10);
    if (v.empty() || *end != '\0' || version < 1) {
      return fail(error, ErrorCode::kWrongSchema,
                  "not a cinerag catalogue: schema_version '" + v + "'");
    }
    if (version > kCatalogueSchemaVersion) {
      return fail(error, ErrorCode::kUnsupportedVersion,
                  "catalogue schema version " + v + " is newer than this app reads (" +
                      std::to_string(kCatalogueSchemaVersion) + "): update the app");
    }
    if (version < kCatalogueOldestSchemaVersion) {
      return fail(error, ErrorCode::kUnsupportedVersion,
                  "catalogue schema version " + v + " is older than this app reads (" +
                      std::to_string(kCatalogueOldestSchemaVersion) +
                      "): rebuild it (npm run build-db)");
    }
    schema_version_ = static_cast<int>(version);
  }
  // Every column the reader uses must be there; preparing the statements proves it.
  static const char* const kProbes[] = {
      "SELECT " MOVIE_COLUMNS " FROM movies LIMIT 0",
      "SELECT kind, in_dims, out_dims, matrix FROM projections LIMIT 0",
      "SELECT kind, dims, model, model_sha256 FROM vector_kinds LIMIT 0",
      "SELECT kind, movie_id, scale, vec FROM vectors LIMIT 0",
      "SELECT kind, movie_id, ids, weights FROM neighbours LIMIT 0",
      "SELECT rowid FROM movies_fts WHERE movies_fts MATCH 'x' LIMIT 0",
  };
  for (const char* sql : kProbes) {
    Stmt s(db_, sql);
    if (!s.ok()) {
      return fail(
          error,
          (s.rc() & 0xFF) == SQLITE_ERROR ? ErrorCode::kWrongSchema : error_code_for_sqlite(s.rc()),
          std::string("not a cinerag catalogue: ") + sqlite3_errmsg(db_));
    }
  }
  if (!validate_optional_tables(error)) return false;
  Stmt count(db_, "SELECT count(*) FROM movies");
  const int rc = count.step();
  if (rc != SQLITE_ROW) return fail_sqlite(error, db_, rc, "cannot count the catalogue's movies");
  movie_count_ = static_cast<size_t>(sqlite3_column_int64(count.get(), 0));
  return true;
}

// people and aliases (version 4) may be absent; when present their columns must be there.
bool Catalogue::validate_optional_tables(Error* error) {
  struct Optional {
    const char* table;
    const char* probe;
    bool* present;
  };
  const Optional tables[] = {
      {"people", "SELECT person_id, name, names_ko, directed, starred FROM people LIMIT 0",
       &has_people_},
      {"aliases", "SELECT movie_id, lang, title FROM aliases LIMIT 0", &has_aliases_},
  };
  for (const Optional& t : tables) {
    Stmt s(db_, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
    sqlite3_bind_text(s.get(), 1, t.table, -1, SQLITE_STATIC);
    const int rc = s.step();
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
      return fail_sqlite(error, db_, rc, "cannot read the catalogue's tables");
    }
    *t.present = rc == SQLITE_ROW;
    if (!*t.present) continue;
    Stmt probe(db_, t.probe);
    if (!probe.ok()) {
      return fail(error,
                  (probe.rc() & 0xFF) == SQLITE_ERROR ? ErrorCode::kWrongSchema
                                                      : error_code_for_sqlite(probe.rc()),
                  std::string("not a cinerag catalogue: ") + sqlite3_errmsg(db_));
    }
  }
  return true;
}

std::string Catalogue::meta(const std::string& key, Error* error) const {
  Stmt s(db_, "SELECT value FROM meta WHERE key = ?");
  sqlite3_bind_text(s.get(), 1, key.data(), static_cast<int>(key.size()), SQLITE_TRANSIENT);
  const int rc = s.step();
  if (rc == SQLITE_ROW) return s.text(0);
  if (rc != SQLITE_DONE) fail_sqlite(error, db_, rc, "cannot read meta");
  return {};
}

std::vector<std::string> Catalogue::vector_kinds(Error* error) const {
  std::vector<std::string> kinds;
  Stmt s(db_, "SELECT kind FROM vector_kinds ORDER BY kind");
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) kinds.push_back(s.text(0));
  if (rc != SQLITE_DONE) fail_sqlite(error, db_, rc, "cannot read vector kinds");
  return kinds;
}

std::vector<std::string> Catalogue::neighbour_kinds(Error* error) const {
  std::vector<std::string> kinds;
  Stmt s(db_, "SELECT DISTINCT kind FROM neighbours ORDER BY kind");
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) kinds.push_back(s.text(0));
  if (rc != SQLITE_DONE) fail_sqlite(error, db_, rc, "cannot read neighbour kinds");
  return kinds;
}

bool Catalogue::read_neighbours(const std::string& kind, NeighbourSet* out, Error* error) const {
  *out = NeighbourSet{};
  out->kind = kind;
  out->offsets.push_back(0);
  Stmt s(db_, "SELECT movie_id, ids, weights FROM neighbours WHERE kind = ? ORDER BY movie_id");
  sqlite3_bind_text(s.get(), 1, kind.data(), static_cast<int>(kind.size()), SQLITE_TRANSIENT);
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) {
    const int64_t owner = sqlite3_column_int64(s.get(), 0);
    const auto* ids = static_cast<const uint8_t*>(sqlite3_column_blob(s.get(), 1));
    const size_t id_bytes = static_cast<size_t>(sqlite3_column_bytes(s.get(), 1));
    const auto* w = static_cast<const uint8_t*>(sqlite3_column_blob(s.get(), 2));
    const size_t n = static_cast<size_t>(sqlite3_column_bytes(s.get(), 2));
    auto corrupt = [&] {
      return fail(
          error, ErrorCode::kCorrupt,
          "the '" + kind + "' neighbours of movie " + std::to_string(owner) + " are damaged");
    };
    const size_t before = out->neighbours.size();
    if (!decode_id_list(ids, id_bytes, static_cast<long long>(n), &out->neighbours)) {
      out->neighbours.resize(before);
      return corrupt();
    }
    for (size_t i = 0; i < n; ++i) out->weights.push_back(w[i] / 255.0f);
    out->movie_ids.push_back(owner);
    out->offsets.push_back(static_cast<uint32_t>(out->neighbours.size()));
  }
  return rc == SQLITE_DONE || fail_sqlite(error, db_, rc, "cannot read the neighbours");
}

namespace {

// '|'-separated names -> the names ("" -> none).
std::vector<std::string> split_names(const std::string& joined) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < joined.size()) {
    size_t end = joined.find('|', start);
    if (end == std::string::npos) end = joined.size();
    if (end > start) out.push_back(joined.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// A credits blob (column `col`) -> ascending movie ids; false when the varints are damaged or
// the ids repeat.
bool read_id_blob(const Stmt& s, int col, std::vector<int64_t>* out) {
  const int type = sqlite3_column_type(s.get(), col);  // before the reads convert it
  const auto* blob = static_cast<const uint8_t*>(sqlite3_column_blob(s.get(), col));
  const size_t bytes = static_cast<size_t>(sqlite3_column_bytes(s.get(), col));
  if (type != SQLITE_BLOB && bytes > 0) return false;
  if (!decode_id_list(blob, bytes, -1, out)) return false;
  for (size_t i = 1; i < out->size(); ++i) {
    if ((*out)[i] <= (*out)[i - 1]) return false;
  }
  return true;
}

}  // namespace

bool Catalogue::read_people(std::vector<PersonCredits>* out, Error* error) const {
  out->clear();
  if (!has_people_) return true;
  Stmt s(db_, "SELECT person_id, name, names_ko, directed, starred FROM people ORDER BY person_id");
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) {
    PersonCredits p;
    p.person_id = sqlite3_column_int64(s.get(), 0);
    p.name = s.text(1);
    p.names_ko = split_names(s.text(2));
    if (!read_id_blob(s, 3, &p.directed) || !read_id_blob(s, 4, &p.starred)) {
      out->clear();
      return fail(error, ErrorCode::kCorrupt,
                  "the credits of person " + std::to_string(p.person_id) + " are damaged");
    }
    out->push_back(std::move(p));
  }
  return rc == SQLITE_DONE || fail_sqlite(error, db_, rc, "cannot read the people");
}

bool Catalogue::read_aliases(std::vector<TitleAlias>* out, Error* error) const {
  out->clear();
  if (!has_aliases_) return true;
  Stmt s(db_, "SELECT movie_id, lang, title FROM aliases ORDER BY movie_id, lang, title");
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) {
    out->push_back({sqlite3_column_int64(s.get(), 0), s.text(1), s.text(2)});
  }
  return rc == SQLITE_DONE || fail_sqlite(error, db_, rc, "cannot read the aliases");
}

bool Catalogue::read_vectors(const std::string& kind, VectorSet* out, Error* error) const {
  *out = VectorSet{};
  out->kind = kind;
  {
    Stmt s(db_, "SELECT dims FROM vector_kinds WHERE kind = ?");
    sqlite3_bind_text(s.get(), 1, kind.data(), static_cast<int>(kind.size()), SQLITE_TRANSIENT);
    const int rc = s.step();
    if (rc == SQLITE_DONE) {
      return fail(error, ErrorCode::kInvalidArgument, "catalogue has no '" + kind + "' vectors");
    }
    if (rc != SQLITE_ROW) return fail_sqlite(error, db_, rc, "cannot read vector kinds");
    const int64_t dims = sqlite3_column_int64(s.get(), 0);
    if (dims <= 0 || dims > 65536) {
      return fail(error, ErrorCode::kCorrupt, "catalogue has invalid dims for '" + kind + "'");
    }
    out->dims = static_cast<size_t>(dims);
  }
  Stmt s(db_, "SELECT movie_id, scale, vec FROM vectors WHERE kind = ? ORDER BY movie_id");
  sqlite3_bind_text(s.get(), 1, kind.data(), static_cast<int>(kind.size()), SQLITE_TRANSIENT);
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) {
    const int64_t id = sqlite3_column_int64(s.get(), 0);
    const void* blob = sqlite3_column_blob(s.get(), 2);
    const size_t bytes = static_cast<size_t>(sqlite3_column_bytes(s.get(), 2));
    if (bytes != out->dims || !blob) {
      return fail(error, ErrorCode::kCorrupt,
                  "vector of movie " + std::to_string(id) + " has " + std::to_string(bytes) +
                      " bytes, expected " + std::to_string(out->dims));
    }
    out->movie_ids.push_back(id);
    out->scales.push_back(static_cast<float>(sqlite3_column_double(s.get(), 1)));
    const auto* p = static_cast<const int8_t*>(blob);
    out->rows.insert(out->rows.end(), p, p + bytes);
  }
  if (rc != SQLITE_DONE) return fail_sqlite(error, db_, rc, "cannot read vectors");
  return true;
}

namespace {

void read_movie_row(Stmt& s, Movie* out) {
  sqlite3_stmt* r = s.get();
  out->movie_id = sqlite3_column_int64(r, 0);
  out->title = s.text(1);
  out->year = sqlite3_column_int(r, 2);
  out->genres = s.text(3);
  out->original_title = s.text(4);
  out->alt_titles = s.text(5);
  out->original_language = s.text(6);
  out->overview = s.text(7);
  out->keywords = s.text(8);
  out->tags = s.text(9);
  out->runtime = sqlite3_column_int(r, 10);
  out->tmdb_id = sqlite3_column_int64(r, 11);
  out->imdb_id = s.text(12);
  out->poster_path = s.text(13);
  out->popularity = sqlite3_column_double(r, 14);
  out->vote_average = sqlite3_column_double(r, 15);
  out->vote_count = sqlite3_column_int64(r, 16);
  out->rating_mean = sqlite3_column_double(r, 17);
  out->rating_count = sqlite3_column_int64(r, 18);
}

}  // namespace

bool Catalogue::movies(std::vector<Movie>* out, Error* error) const {
  out->clear();
  Stmt s(db_, "SELECT " MOVIE_COLUMNS " FROM movies ORDER BY movie_id");
  out->reserve(movie_count_);
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) {
    out->emplace_back();
    read_movie_row(s, &out->back());
  }
  return rc == SQLITE_DONE || fail_sqlite(error, db_, rc, "cannot read the movies");
}

bool Catalogue::read_projection(const std::string& kind, Projection* out, Error* error) const {
  *out = Projection{};
  Stmt s(db_, "SELECT in_dims, out_dims, matrix FROM projections WHERE kind = ?");
  sqlite3_bind_text(s.get(), 1, kind.data(), static_cast<int>(kind.size()), SQLITE_TRANSIENT);
  const int rc = s.step();
  if (rc == SQLITE_DONE) return true;  // stored in the encoder's own space
  if (rc != SQLITE_ROW) return fail_sqlite(error, db_, rc, "cannot read the projection");
  const int64_t in = sqlite3_column_int64(s.get(), 0), outd = sqlite3_column_int64(s.get(), 1);
  const void* blob = sqlite3_column_blob(s.get(), 2);
  const size_t bytes = static_cast<size_t>(sqlite3_column_bytes(s.get(), 2));
  if (in <= 0 || outd <= 0 || in > 4096 || outd > 4096 ||
      bytes != static_cast<size_t>(in * outd) * sizeof(float)) {
    return fail(error, ErrorCode::kCorrupt, "projection of '" + kind + "' has the wrong size");
  }
  out->in_dims = static_cast<size_t>(in);
  out->out_dims = static_cast<size_t>(outd);
  out->matrix.resize(out->in_dims * out->out_dims);
  std::memcpy(out->matrix.data(), blob, bytes);  // little-endian on every target we build
  return true;
}

bool Catalogue::movie(int64_t movie_id, Movie* out, Error* error) const {
  Stmt s(db_, "SELECT " MOVIE_COLUMNS " FROM movies WHERE movie_id = ?");
  sqlite3_bind_int64(s.get(), 1, movie_id);
  const int rc = s.step();
  if (rc == SQLITE_DONE) {
    return fail(error, ErrorCode::kInvalidArgument, "no movie " + std::to_string(movie_id));
  }
  if (rc != SQLITE_ROW) return fail_sqlite(error, db_, rc, "cannot read movie");
  read_movie_row(s, out);
  return true;
}

std::vector<TextHit> Catalogue::search_text(const std::string& text, size_t limit,
                                            Error* error) const {
  // Quote every word so that user text can never be read as FTS5 syntax.
  std::string query;
  std::string word;
  auto flush = [&] {
    if (word.empty()) return;
    if (!query.empty()) query += " OR ";
    query += '"' + word + '"';
    word.clear();
  };
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80 || std::isalnum(u)) {
      word += c;
    } else {
      flush();
    }
  }
  flush();
  std::vector<TextHit> hits;
  if (query.empty() || limit == 0) return hits;
  Stmt s(db_,
         "SELECT rowid, bm25(movies_fts) FROM movies_fts WHERE movies_fts MATCH ? "
         "ORDER BY rank LIMIT ?");
  sqlite3_bind_text(s.get(), 1, query.data(), static_cast<int>(query.size()), SQLITE_TRANSIENT);
  sqlite3_bind_int64(s.get(), 2, static_cast<sqlite3_int64>(limit));
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) {
    hits.push_back({sqlite3_column_int64(s.get(), 0), sqlite3_column_double(s.get(), 1)});
  }
  if (rc != SQLITE_DONE) fail_sqlite(error, db_, rc, "text search failed");
  return hits;
}

}  // namespace cinerag
