// The core's JavaScript API (Embind): translation between JS values and the C++ API, nothing else.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <string>
#include <vector>

#include "embed/static_encoder.h"
#include "recommend/catalogue_index.h"
#include "recommend/recommender.h"
#include "recommend/wire.h"
#include "search/kernels.h"
#include "sentiment/model.h"
#include "store/catalogue.h"
#include "text/nfkc.h"
#include "text/sentencepiece.h"

using emscripten::val;

namespace cinerag {
namespace {

struct SearchOptions {
  int k = 10;
  std::string kernel = "auto";  // "auto" | "scalar" | "simd"
};

// Every failure crosses as the one error shape of recommend/wire.h, {error, code}.
val error_value(const Error& e) {
  return val::global("JSON").call<val>("parse", error_json(e));
}

val error_value(ErrorCode code, const std::string& message) {
  Error e;
  e.set(code, message);
  return error_value(e);
}

bool is_typed_array(const val& v, const char* type) {
  return v.instanceof (val::global(type));
}

// A fresh JS typed array holding a copy of `data` (never a view of WASM memory).
template <typename T>
val copy_out(const char* type, const T* data, size_t n) {
  val out = val::global(type).new_(n);
  out.call<void>("set", val(emscripten::typed_memory_view(n, data)));
  return out;
}

// Copies a JS typed array of n elements into `dst`; the view lives only for this copy.
template <typename T>
void copy_in(const val& src, T* dst, size_t n) {
  val(emscripten::typed_memory_view(n, dst)).call<void>("set", src);
}

// A copy of a Uint8Array's bytes (vocab.json) as a string.
std::string string_of(const val& bytes) {
  std::string out(bytes["length"].as<size_t>(), '\0');
  copy_in(bytes, reinterpret_cast<uint8_t*>(out.data()), out.size());
  return out;
}

// A catalogue from a Uint8Array of its SQLite file, copied once into SQLite's memory, with its
// content index. nullptr and *error on failure.
std::unique_ptr<CatalogueIndex> open_catalogue(const val& bytes, Error* error) {
  const size_t n = bytes["length"].as<size_t>();
  uint8_t* buffer = Catalogue::alloc_buffer(n);
  if (!buffer) {
    fail(error, ErrorCode::kInternal, "out of memory for the catalogue");
    return nullptr;
  }
  copy_in(bytes, buffer, n);
  auto catalogue = Catalogue::open_buffer(buffer, n, error);
  if (!catalogue) return nullptr;
  return CatalogueIndex::build(std::move(catalogue), error);
}

// The two sentiment models from Uint8Arrays of their files. nullptr and *error on failure.
std::unique_ptr<Sentiment> open_sentiment(const val& en, const val& ko, Error* error) {
  std::vector<uint8_t> en_bytes(en["length"].as<size_t>()), ko_bytes(ko["length"].as<size_t>());
  copy_in(en, en_bytes.data(), en_bytes.size());
  copy_in(ko, ko_bytes.data(), ko_bytes.size());
  return Sentiment::from_bytes(en_bytes.data(), en_bytes.size(), ko_bytes.data(), ko_bytes.size(),
                               error);
}

// The static encoder from Uint8Arrays of vocab.json and its model file. nullptr and *error on
// failure.
std::unique_ptr<TextEncoder> open_text_encoder(const val& vocab, const val& model, Error* error) {
  if (!is_typed_array(vocab, "Uint8Array") || !is_typed_array(model, "Uint8Array")) {
    fail(error, ErrorCode::kInvalidArgument, "vocabulary and model must be Uint8Arrays");
    return nullptr;
  }
  std::vector<uint8_t> bytes(model["length"].as<size_t>());
  copy_in(model, bytes.data(), bytes.size());
  auto tokenizer = SentencePieceTokenizer::from_vocab_json(string_of(vocab), error);
  if (!tokenizer) return nullptr;
  auto encoder = StaticEncoder::from_bytes(bytes.data(), bytes.size(), error);
  if (!encoder) return nullptr;
  return std::make_unique<TextEncoder>(std::move(tokenizer), std::move(encoder));
}

class TokenizerHandle {
 public:
  // vocab: Uint8Array of vocab.json. {ok, vocabSize} or {error, code}.
  val load(val vocab) {
    if (!is_typed_array(vocab, "Uint8Array")) {
      return error_value(ErrorCode::kInvalidArgument, "vocabulary must be a Uint8Array");
    }
    Error e;
    auto t = SentencePieceTokenizer::from_vocab_json(string_of(vocab), &e);
    if (!t) return error_value(e);
    tokenizer_ = std::move(t);
    val out = val::object();
    out.set("ok", true);
    out.set("vocabSize", tokenizer_->vocab_size());
    return out;
  }

  // Int32Array of ids, or {error, code} before a vocabulary is loaded.
  val encode(const std::string& text) const {
    if (!tokenizer_) return error_value(ErrorCode::kInvalidArgument, "no vocabulary loaded");
    const std::vector<int32_t> ids = tokenizer_->encode(text);
    return copy_out("Int32Array", ids.data(), ids.size());
  }

  std::string piece(int id) const { return tokenizer_ ? tokenizer_->piece(id) : std::string(); }

 private:
  std::unique_ptr<SentencePieceTokenizer> tokenizer_;
};

// The static sentence encoder alone (for checks and the bench; the recommender holds its own).
class StaticEncoderHandle {
 public:
  // vocab, model: Uint8Arrays of vocab.json and static-en.bin. {ok, dims} or {error, code}.
  val load(val vocab, val model) {
    Error e;
    auto encoder = open_text_encoder(vocab, model, &e);
    if (!encoder) return error_value(e);
    encoder_ = std::move(encoder);
    val out = val::object();
    out.set("ok", true);
    out.set("dims", encoder_->dims());
    return out;
  }

  // Float32Array of the text's unit vector, or null (no pieces, or nothing loaded).
  val embed(const std::string& text) const {
    if (!encoder_) return val::null();
    std::vector<float> v(encoder_->dims());
    if (!encoder_->embed(text, v.data())) return val::null();
    return copy_out("Float32Array", v.data(), v.size());
  }

 private:
  std::unique_ptr<TextEncoder> encoder_;
};

class CatalogueHandle {
 public:
  // bytes: Uint8Array of the SQLite file, copied once into the core.
  // {ok, movieCount, dims, schemaVersion} or {error, code}.
  val load(val bytes) {
    if (!is_typed_array(bytes, "Uint8Array")) {
      return error_value(ErrorCode::kInvalidArgument, "catalogue must be a Uint8Array");
    }
    Error e;
    auto index = open_catalogue(bytes, &e);
    if (!index) return error_value(e);
    index_ = std::move(index);
    val out = val::object();
    out.set("ok", true);
    out.set("movieCount", index_->catalogue().movie_count());
    out.set("dims", index_->dims());
    out.set("schemaVersion", index_->catalogue().schema_version());
    return out;
  }

  // query: Float32Array of dims values. {movieIds: Float64Array, scores: Float32Array} or
  // {error, code}.
  val search(val query, const SearchOptions& options) const {
    if (!index_) return error_value(ErrorCode::kInvalidArgument, "no catalogue loaded");
    if (!is_typed_array(query, "Float32Array")) {
      return error_value(ErrorCode::kInvalidArgument, "query must be a Float32Array");
    }
    const size_t n = query["length"].as<size_t>();
    if (n != index_->dims()) {
      return error_value(ErrorCode::kInvalidArgument, "query has " + std::to_string(n) +
                                                          " values; the catalogue has " +
                                                          std::to_string(index_->dims()) + " dims");
    }
    Kernel kernel;
    if (options.kernel == "auto") {
      kernel = Kernel::kAuto;
    } else if (options.kernel == "scalar") {
      kernel = Kernel::kScalar;
    } else if (options.kernel == "simd") {
      kernel = Kernel::kSimd;
    } else {
      return error_value(ErrorCode::kInvalidArgument, "kernel must be auto, scalar or simd");
    }
    if (options.k < 0) return error_value(ErrorCode::kInvalidArgument, "k must be >= 0");
    std::vector<float> q(n);
    copy_in(query, q.data(), n);
    std::vector<MovieHit> hits(std::min<size_t>(static_cast<size_t>(options.k), index_->size()));
    hits.resize(index_->search(q.data(), hits.size(), kernel, hits.data()));
    std::vector<double> ids(hits.size());
    std::vector<float> scores(hits.size());
    for (size_t i = 0; i < hits.size(); ++i) {
      ids[i] = static_cast<double>(hits[i].movie_id);
      scores[i] = hits[i].score;
    }
    val out = val::object();
    out.set("movieIds", copy_out("Float64Array", ids.data(), ids.size()));
    out.set("scores", copy_out("Float32Array", scores.data(), scores.size()));
    return out;
  }

  // The movie as a plain object, or null when there is none (or no catalogue).
  val movie(double movie_id) const {
    Movie m;
    if (!index_ || !index_->catalogue().movie(static_cast<int64_t>(movie_id), &m, nullptr)) {
      return val::null();
    }
    val out = val::object();
    out.set("movieId", static_cast<double>(m.movie_id));
    out.set("title", m.title);
    out.set("year", m.year);
    out.set("genres", m.genres);
    out.set("originalTitle", m.original_title);
    out.set("overview", m.overview);
    out.set("posterPath", m.poster_path);
    return out;
  }

  // {movieIds: Float64Array, bm25: Float64Array} or {error, code}.
  val searchText(const std::string& text, int limit) const {
    if (!index_) return error_value(ErrorCode::kInvalidArgument, "no catalogue loaded");
    Error e;
    const auto hits =
        index_->catalogue().search_text(text, static_cast<size_t>(std::max(limit, 0)), &e);
    if (!e.ok()) return error_value(e);
    std::vector<double> ids, bm25;
    for (const TextHit& h : hits) {
      ids.push_back(static_cast<double>(h.movie_id));
      bm25.push_back(h.bm25);
    }
    val out = val::object();
    out.set("movieIds", copy_out("Float64Array", ids.data(), ids.size()));
    out.set("bm25", copy_out("Float64Array", bm25.data(), bm25.size()));
    return out;
  }

  std::string meta(const std::string& key) const {
    return index_ ? index_->catalogue().meta(key) : std::string();
  }

 private:
  std::unique_ptr<CatalogueIndex> index_;
};

class SentimentHandle {
 public:
  // en, ko: Uint8Arrays of the two model files. {ok: true} or {error, code}.
  val load(val en, val ko) {
    if (!is_typed_array(en, "Uint8Array") || !is_typed_array(ko, "Uint8Array")) {
      return error_value(ErrorCode::kInvalidArgument, "sentiment models must be Uint8Arrays");
    }
    Error e;
    auto s = open_sentiment(en, ko, &e);
    if (!s) return error_value(e);
    sentiment_ = std::move(s);
    val out = val::object();
    out.set("ok", true);
    return out;
  }

  // {label, score, pPositive, lang}, or {error, code} before load().
  val classify(const std::string& text) const {
    if (!sentiment_) return error_value(ErrorCode::kInvalidArgument, "no sentiment models loaded");
    const SentimentResult r = sentiment_->classify(text);
    val out = val::object();
    out.set("label", std::string(sentiment_label_name(r.label)));
    out.set("score", r.score);
    out.set("pPositive", r.p_positive);
    out.set("lang", std::string(r.lang == SentimentLang::kKorean ? "ko" : "en"));
    return out;
  }

 private:
  std::unique_ptr<Sentiment> sentiment_;
};

class RecommenderHandle {
 public:
  // catalogue, en, ko: Uint8Arrays of the SQLite file and the two sentiment models, each copied
  // once. {ok, movieCount, dims, newestYear} or {error, code}.
  val load(val catalogue, val en, val ko) {
    if (!is_typed_array(catalogue, "Uint8Array") || !is_typed_array(en, "Uint8Array") ||
        !is_typed_array(ko, "Uint8Array")) {
      return error_value(ErrorCode::kInvalidArgument, "catalogue and models must be Uint8Arrays");
    }
    Error e;
    auto sentiment = open_sentiment(en, ko, &e);
    if (!sentiment) return error_value(e);
    auto index = open_catalogue(catalogue, &e);
    if (!index) return error_value(e);
    auto rec = Recommender::create(std::move(index), std::move(sentiment), &e);
    if (!rec) return error_value(e);
    rec_ = std::move(rec);
    val out = val::object();
    out.set("ok", true);
    out.set("movieCount", rec_->index().catalogue().movie_count());
    out.set("dims", rec_->index().dims());
    out.set("newestYear", rec_->table().newest_year());
    return out;
  }

  // vocab, model: Uint8Arrays of vocab.json and the static encoder (models/static-en.bin); the
  // core then embeds each message itself when ask() gets no embedding. {ok, dims} or {error, code}.
  val useEncoder(val vocab, val model) {
    if (!rec_) return error_value(ErrorCode::kInvalidArgument, "no catalogue loaded");
    Error e;
    auto encoder = open_text_encoder(vocab, model, &e);
    if (!encoder || !rec_->use_encoder(std::move(encoder), &e)) return error_value(e);
    val out = val::object();
    out.set("ok", true);
    out.set("dims", rec_->index().dims());
    return out;
  }

  // request: the JSON of recommend/wire.h; embedding: Float32Array of dims values (the
  // transformer's vector of the user's text) or null (the static encoder's, when one is loaded).
  // Returns the response JSON, or the error JSON
  // ({"error","code"}, recommend/wire.h).
  std::string ask(const std::string& request, val embedding) const {
    Error e;
    RecommendRequest req;
    RecommendResponse response;
    try {
      if (!rec_) {
        e.set(ErrorCode::kInvalidArgument, "no catalogue loaded");
      } else if (parse_request(request, &req, &e) && read_embedding(embedding, &req, &e) &&
                 rec_->recommend(req, &response, &e)) {
        return response_json(*rec_, response);
      }
    } catch (const std::exception& x) {
      // Out of memory or a bug: the caller gets the error shape, never a thrown pointer.
      e.set(ErrorCode::kInternal, std::string("the recommender failed: ") + x.what());
    }
    return error_json(e);
  }

  std::string meta(const std::string& key) const {
    return rec_ ? rec_->index().catalogue().meta(key) : std::string();
  }

 private:
  // The optional embedding argument of ask() into req.embedding.
  bool read_embedding(const val& embedding, RecommendRequest* req, Error* e) const {
    if (embedding.isNull() || embedding.isUndefined()) return true;
    const size_t dims = rec_->index().dims();
    if (!is_typed_array(embedding, "Float32Array") || embedding["length"].as<size_t>() != dims) {
      return fail(e, ErrorCode::kInvalidArgument,
                  "embedding must be a Float32Array of " + std::to_string(dims) + " values");
    }
    req->embedding.resize(dims);
    copy_in(embedding, req->embedding.data(), dims);
    return true;
  }

  std::unique_ptr<Recommender> rec_;
};

std::string kernel_name() {
  return simd_kernel_name();
}
std::string unicode() {
  return unicode_version();
}

}  // namespace
}  // namespace cinerag

EMSCRIPTEN_BINDINGS(cinerag_core) {
  using namespace cinerag;
  emscripten::value_object<SearchOptions>("SearchOptions")
      .field("k", &SearchOptions::k)
      .field("kernel", &SearchOptions::kernel);
  emscripten::class_<TokenizerHandle>("Tokenizer")
      .constructor<>()
      .function("load", &TokenizerHandle::load)
      .function("encode", &TokenizerHandle::encode)
      .function("piece", &TokenizerHandle::piece);
  emscripten::class_<StaticEncoderHandle>("StaticEncoder")
      .constructor<>()
      .function("load", &StaticEncoderHandle::load)
      .function("embed", &StaticEncoderHandle::embed);
  emscripten::class_<CatalogueHandle>("Catalogue")
      .constructor<>()
      .function("load", &CatalogueHandle::load)
      .function("search", &CatalogueHandle::search)
      .function("searchText", &CatalogueHandle::searchText)
      .function("movie", &CatalogueHandle::movie)
      .function("meta", &CatalogueHandle::meta);
  emscripten::class_<SentimentHandle>("Sentiment")
      .constructor<>()
      .function("load", &SentimentHandle::load)
      .function("classify", &SentimentHandle::classify);
  emscripten::class_<RecommenderHandle>("Recommender")
      .constructor<>()
      .function("load", &RecommenderHandle::load)
      .function("useEncoder", &RecommenderHandle::useEncoder)
      .function("ask", &RecommenderHandle::ask)
      .function("meta", &RecommenderHandle::meta);
  emscripten::function("kernelName", &kernel_name);
  emscripten::function("unicodeVersion", &unicode);
}
