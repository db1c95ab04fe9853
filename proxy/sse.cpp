// SSE parsing and formatting.
#include "sse.h"

namespace cinerag::proxy {

void SseReader::feed(const char* bytes, size_t n, std::vector<std::string>* events) {
  buffer_.append(bytes, n);
  for (;;) {
    // Events end with a blank line; accept \n\n and \r\n\r\n.
    size_t end = buffer_.find("\n\n");
    size_t skip = 2;
    const size_t crlf = buffer_.find("\r\n\r\n");
    if (crlf != std::string::npos && (end == std::string::npos || crlf < end)) {
      end = crlf;
      skip = 4;
    }
    if (end == std::string::npos) return;
    const std::string block = buffer_.substr(0, end);
    buffer_.erase(0, end + skip);
    std::string data;
    bool has_data = false;
    size_t start = 0;
    while (start <= block.size()) {
      size_t stop = block.find('\n', start);
      if (stop == std::string::npos) stop = block.size();
      std::string line = block.substr(start, stop - start);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.compare(0, 5, "data:") == 0) {
        std::string value = line.substr(5);
        if (!value.empty() && value[0] == ' ') value.erase(0, 1);
        if (has_data) data += '\n';
        data += value;
        has_data = true;
      }
      start = stop + 1;
    }
    if (has_data) events->push_back(std::move(data));
  }
}

std::string sse_event(const std::string& name, const std::string& data) {
  return "event: " + name + "\ndata: " + data + "\n\n";
}

}  // namespace cinerag::proxy
