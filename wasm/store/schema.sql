-- The cinerag catalogue, schema version 4: one SQLite file the browser fetches and the core
-- opens from bytes. Compiled into the core (store/schema.cpp); readers check meta.schema_version
-- and refuse versions newer than theirs. Bump the version for any change a reader would notice.
-- Readers still open version 3 files: they lack people and aliases, which read as empty.

-- Key/value facts about the build: schema_version, built_at, movie_count, sources, ...
CREATE TABLE meta (
  key TEXT PRIMARY KEY NOT NULL,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE movies (
  movie_id INTEGER PRIMARY KEY,          -- MovieLens movieId
  title TEXT NOT NULL,                   -- display title without the year
  year INTEGER,                          -- release year, NULL when unknown
  genres TEXT NOT NULL DEFAULT '',       -- MovieLens genres, '|'-separated
  original_title TEXT,                   -- e.g. '기생충' for Parasite
  alt_titles TEXT,                       -- other titles ('|'-separated): MovieLens a.k.a., TMDB
  original_language TEXT,                -- ISO 639-1, from TMDB
  overview TEXT,
  keywords TEXT,                         -- ', '-separated
  tags TEXT,                             -- MovieLens user tags, most used first, ', '-separated
  runtime INTEGER,                       -- minutes
  tmdb_id INTEGER,
  imdb_id TEXT,
  poster_path TEXT,                      -- TMDB image path
  popularity REAL,                       -- TMDB
  vote_average REAL,                     -- TMDB, 0..10
  vote_count INTEGER,                    -- TMDB
  rating_mean REAL,                      -- MovieLens, 0.5..5
  rating_count INTEGER                   -- MovieLens
);

-- One row per kind of vector: 'content' (the sentence encoder over the movie's text), and later
-- others (collaborative item vectors). dims and the model that made them travel with the data.
CREATE TABLE vector_kinds (
  kind TEXT PRIMARY KEY NOT NULL,
  dims INTEGER NOT NULL CHECK (dims > 0),
  model TEXT NOT NULL DEFAULT '',
  model_sha256 TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;

-- vec: (dims,) int8; the vector is scale * vec.
CREATE TABLE vectors (
  kind TEXT NOT NULL REFERENCES vector_kinds(kind),
  movie_id INTEGER NOT NULL REFERENCES movies(movie_id),
  scale REAL NOT NULL,
  vec BLOB NOT NULL,
  PRIMARY KEY (kind, movie_id)
) WITHOUT ROWID;

-- A linear map from the encoder's space to a kind's stored space (PCA): a query q of in_dims
-- is searched as matrix * q. matrix: (out_dims, in_dims) f32 little-endian, row-major. A kind
-- without a row here is stored in the encoder's own space.
CREATE TABLE projections (
  kind TEXT PRIMARY KEY NOT NULL REFERENCES vector_kinds(kind),
  in_dims INTEGER NOT NULL CHECK (in_dims > 0),
  out_dims INTEGER NOT NULL CHECK (out_dims > 0),
  matrix BLOB NOT NULL
) WITHOUT ROWID;

-- Related movies per movie, one list per kind: 'ratings' (item-item similarity over users'
-- ratings), 'dialogues' (what was suggested after the movie in conversations), 'people' (shared
-- director or lead cast). ids: the neighbours' movie_ids in ascending order as unsigned LEB128
-- varints of the differences (the first from 0); weights: one byte each, weight = byte / 255
-- (0..1), in the same order. Added in version 3.
CREATE TABLE neighbours (
  kind TEXT NOT NULL,
  movie_id INTEGER NOT NULL REFERENCES movies(movie_id),
  ids BLOB NOT NULL,
  weights BLOB NOT NULL,
  PRIMARY KEY (kind, movie_id)
) WITHOUT ROWID;

-- People the catalogue credits (added in version 4): every director and lead actor (the first
-- five billed) of a catalogue movie, so that "Tom Hanks movies" or "봉준호 감독 영화" can be
-- answered. directed / starred: movie_ids in the neighbours table's id encoding (ascending,
-- unsigned LEB128 varints of the differences, the first from 0); either may be empty.
CREATE TABLE people (
  person_id INTEGER PRIMARY KEY,         -- stable within one build only
  name TEXT NOT NULL,                    -- display spelling: 'Bong Joon-ho'
  names_ko TEXT,                         -- Korean spellings, '|'-separated: '봉준호'
  directed BLOB NOT NULL,
  starred BLOB NOT NULL
);

-- Other names of a movie from outside MovieLens and TMDB (added in version 4), e.g. the Korean
-- release title: (Titanic 1997's movie_id, 'ko', '타이타닉'). lang: ISO 639-1.
CREATE TABLE aliases (
  movie_id INTEGER NOT NULL REFERENCES movies(movie_id),
  lang TEXT NOT NULL,
  title TEXT NOT NULL,
  PRIMARY KEY (movie_id, lang, title)
) WITHOUT ROWID;

-- Title and text search with SQLite's own BM25 (external content: rebuilt by the writer).
CREATE VIRTUAL TABLE movies_fts USING fts5(
  title, original_title, alt_titles, overview, keywords, tags,
  content = 'movies', content_rowid = 'movie_id',
  tokenize = 'unicode61 remove_diacritics 2'
);
