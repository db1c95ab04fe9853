// The movie catalogue: a read-only SQLite database opened from bytes, and its writer.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/error.h"

struct sqlite3;

namespace cinerag {

// The schema version this build writes and the newest it reads (store/schema.sql).
constexpr int kCatalogueSchemaVersion = 4;
// The oldest version it still reads: 3 lacks only the people and aliases tables.
constexpr int kCatalogueOldestSchemaVersion = 3;
// The schema DDL, as in store/schema.sql.
const char* catalogue_schema_sql();

struct Movie {
  int64_t movie_id = 0;
  std::string title;
  int year = 0;        // 0: unknown
  std::string genres;  // '|'-separated
  std::string original_title;
  std::string alt_titles;  // '|'-separated
  std::string original_language;
  std::string overview;
  std::string keywords;
  std::string tags;  // ', '-separated, most used first
  int runtime = 0;   // minutes, 0: unknown
  int64_t tmdb_id = 0;
  std::string imdb_id;
  std::string poster_path;
  double popularity = 0, vote_average = 0;
  int64_t vote_count = 0;
  double rating_mean = 0;
  int64_t rating_count = 0;
};

// All vectors of one kind, in movie_id order.
struct VectorSet {
  std::string kind;
  size_t dims = 0;
  std::vector<int64_t> movie_ids;  // (n,)
  std::vector<int8_t> rows;        // (n, dims) int8, row-major
  std::vector<float> scales;       // (n,) f32
};

// A kind's map from the encoder's space: stored = matrix * encoder vector. Empty (dims 0) when
// the kind is stored in the encoder's own space.
struct Projection {
  size_t in_dims = 0, out_dims = 0;
  std::vector<float> matrix;  // (out_dims, in_dims) f32, row-major
};

// All neighbour lists of one kind, compressed row storage in movie_id order of the owners.
struct NeighbourSet {
  std::string kind;
  std::vector<int64_t> movie_ids;   // (n,) the owners
  std::vector<uint32_t> offsets;    // (n + 1,) owner i's neighbours are [offsets[i], offsets[i+1])
  std::vector<int64_t> neighbours;  // movie ids
  std::vector<float> weights;       // 0..1
};

// A person the catalogue credits (table people, schema version 4): a director or lead actor.
struct PersonCredits {
  int64_t person_id = 0;
  std::string name;                   // display spelling ("Bong Joon-ho")
  std::vector<std::string> names_ko;  // Korean spellings ("봉준호"), may be empty
  std::vector<int64_t> directed;      // movie_ids, ascending
  std::vector<int64_t> starred;       // movie_ids where they are lead cast, ascending
};

// Another name of a movie from outside TMDB/MovieLens (table aliases, schema version 4), e.g.
// its Korean release title: {movie_id of Titanic (1997), "ko", "타이타닉"}.
struct TitleAlias {
  int64_t movie_id = 0;
  std::string lang;  // ISO 639-1
  std::string title;
};

struct TextHit {
  int64_t movie_id;
  double bm25;  // SQLite's bm25(): lower is better
};

class Catalogue {
 public:
  // Opens a catalogue from the bytes of its SQLite file; the bytes are copied once into SQLite's
  // memory. Returns nullptr and sets *error (never aborts) on: no bytes (kEmpty); bytes that are
  // not SQLite (kNotADatabase); a truncated or damaged file (kCorrupt); an SQLite file without
  // the catalogue's tables (kWrongSchema); a newer schema_version (kUnsupportedVersion).
  static std::unique_ptr<Catalogue> open(const uint8_t* data, size_t size, Error* error);

  // As open(), but takes ownership of `buffer`, which must come from alloc_buffer(): this lets a
  // caller write bytes straight into SQLite's memory. The buffer is freed on every path.
  static uint8_t* alloc_buffer(size_t size);
  static std::unique_ptr<Catalogue> open_buffer(uint8_t* buffer, size_t size, Error* error);

  ~Catalogue();
  Catalogue(const Catalogue&) = delete;
  Catalogue& operator=(const Catalogue&) = delete;

  int schema_version() const { return schema_version_; }
  size_t movie_count() const { return movie_count_; }
  // meta.value for `key`, or "" when absent.
  std::string meta(const std::string& key, Error* error = nullptr) const;
  // The kinds present in vector_kinds, e.g. {"content"}.
  std::vector<std::string> vector_kinds(Error* error) const;

  // Reads every vector of `kind`. Fails with kCorrupt when a blob's length is not dims.
  bool read_vectors(const std::string& kind, VectorSet* out, Error* error) const;
  // The projection of `kind` (see Projection); an empty one when the kind has none. kCorrupt when
  // the stored matrix does not have in_dims * out_dims values.
  bool read_projection(const std::string& kind, Projection* out, Error* error) const;
  // The kinds present in neighbours, e.g. {"dialogues", "ratings"}.
  std::vector<std::string> neighbour_kinds(Error* error) const;
  // Reads every list of `kind`; kCorrupt when a list's ids and weights disagree or a varint runs
  // past its blob.
  bool read_neighbours(const std::string& kind, NeighbourSet* out, Error* error) const;
  // Every person in the people table, in person_id order; empty (true) for a file without the
  // table (schema < 4). kCorrupt when a credits blob is not valid varints.
  bool read_people(std::vector<PersonCredits>* out, Error* error) const;
  // Every row of the aliases table, in movie_id order; empty (true) without the table.
  bool read_aliases(std::vector<TitleAlias>* out, Error* error) const;
  // Every movie, in movie_id order.
  bool movies(std::vector<Movie>* out, Error* error) const;
  // Fills *out with the movie; returns false (error kInvalidArgument) when there is none.
  bool movie(int64_t movie_id, Movie* out, Error* error) const;
  // BM25 over titles, original titles, overviews and keywords. `text` is plain words (no FTS
  // syntax): each word is quoted and the words are OR-ed. Best first, at most `limit`.
  std::vector<TextHit> search_text(const std::string& text, size_t limit, Error* error) const;

 private:
  explicit Catalogue(sqlite3* db) : db_(db) {}
  bool validate(Error* error);
  bool validate_optional_tables(Error* error);

  sqlite3* db_;
  int schema_version_ = 0;
  bool has_people_ = false, has_aliases_ = false;  // version 4 tables, optional
  size_t movie_count_ = 0;
};

// Writes a catalogue. Each call returns false and sets *error on failure; the file appears at
// `path` only when finish() succeeds (it is written to `path + ".tmp"` and renamed).
class CatalogueWriter {
 public:
  // path == "": build in memory and take the bytes with finish_to_bytes().
  static std::unique_ptr<CatalogueWriter> create(const std::string& path, Error* error);
  ~CatalogueWriter();
  CatalogueWriter(const CatalogueWriter&) = delete;
  CatalogueWriter& operator=(const CatalogueWriter&) = delete;

  bool set_meta(const std::string& key, const std::string& value, Error* error);
  bool add_vector_kind(const std::string& kind, size_t dims, const std::string& model,
                       const std::string& model_sha256, Error* error);
  bool add_movie(const Movie& movie, Error* error);
  // matrix: (out_dims, in_dims) f32, row-major; the kind must exist with out_dims dims.
  bool add_projection(const std::string& kind, size_t in_dims, size_t out_dims, const float* matrix,
                      Error* error);
  // One movie's related movies of `kind` (any order; weights clamped to 0..1, stored to 1/255).
  bool add_neighbours(const std::string& kind, int64_t movie_id,
                      const std::vector<std::pair<int64_t, float>>& neighbours, Error* error);
  // One person (table people): directed/starred in any order (sorted, repeats dropped; negative
  // ids are kInvalidArgument), as are a Korean name with '|' in it and a repeated person_id.
  bool add_person(const PersonCredits& person, Error* error);
  // One other title of a movie (table aliases); adding the same alias again is a no-op.
  bool add_alias(const TitleAlias& alias, Error* error);
  // vec: (dims of kind,) int8
  bool add_vector(const std::string& kind, int64_t movie_id, const int8_t* vec, size_t dims,
                  float scale, Error* error);
  // Builds the text index, writes schema_version and movie_count, commits; for a file, renames
  // it into place.
  bool finish(Error* error);
  // In-memory writers: finish() and return the database file's bytes.
  std::vector<uint8_t> finish_to_bytes(Error* error);

 private:
  CatalogueWriter(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  sqlite3* db_;
  std::string path_;  // "" in memory
  bool finished_ = false;
  std::map<std::string, size_t> kind_dims_;  // the vector kinds added so far
};

}  // namespace cinerag
