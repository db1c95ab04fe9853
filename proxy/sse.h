// Server-sent events: an incremental reader for the upstream stream, and event formatting.
#pragma once

#include <string>
#include <vector>

namespace cinerag::proxy {

// Feed bytes as they arrive; complete events come out. Only `data:` lines matter to us (several
// in one event are joined with '\n'); comments and other fields are skipped.
class SseReader {
 public:
  // Appends `bytes` and moves the data of each completed event into *events.
  void feed(const char* bytes, size_t n, std::vector<std::string>* events);
  size_t buffered() const { return buffer_.size(); }

 private:
  std::string buffer_;
};

// "event: NAME\ndata: DATA\n\n" (DATA must not contain newlines: we send compact JSON).
std::string sse_event(const std::string& name, const std::string& data);

}  // namespace cinerag::proxy
