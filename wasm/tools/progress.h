// A progress bar on stderr for the data tools: counts, rate and ETA; a redrawn line on a
// terminal, a line every 10% otherwise (so CI logs stay short).
#pragma once

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace cinerag {

class Progress {
 public:
  Progress(std::string label, uint64_t total, std::string unit = "")
      : label_(std::move(label)),
        unit_(std::move(unit)),
        total_(total),
        start_(std::chrono::steady_clock::now()),
        tty_(isatty(2)) {}
  ~Progress() { done(); }

  void update(uint64_t n) {
    n_ = n;
    const auto now = std::chrono::steady_clock::now();
    const int decile = total_ ? static_cast<int>(10 * n / total_) : 0;
    if (tty_ ? now - last_ < std::chrono::milliseconds(100) : decile <= last_decile_) return;
    last_ = now;
    last_decile_ = decile;
    draw(false);
  }
  void done() {
    if (finished_) return;
    finished_ = true;
    draw(true);
  }

 private:
  static std::string count(uint64_t v) {
    std::string s = std::to_string(v);
    for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3)
      s.insert(static_cast<size_t>(i), ",");
    return s;
  }
  void draw(bool final) {
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    std::string line = "  " + label_ + " ";
    if (total_) {
      const double f = std::min(1.0, static_cast<double>(n_) / static_cast<double>(total_));
      const int w = 24, fill = static_cast<int>(f * w);
      line += "[" + std::string(static_cast<size_t>(fill), '#') +
              std::string(static_cast<size_t>(w - fill), ' ') + "] ";
      line += count(n_) + "/" + count(total_) + unit_;
      char tail[64];
      const double eta = n_ ? secs * (static_cast<double>(total_) / n_ - 1) : 0;
      std::snprintf(tail, sizeof tail, " %3d%% %.1fs%s", static_cast<int>(f * 100), secs,
                    final ? "" : (" ETA " + std::to_string(static_cast<int>(eta)) + "s").c_str());
      line += tail;
    } else {
      char tail[48];
      std::snprintf(tail, sizeof tail, " %.1fs", secs);
      line += count(n_) + unit_ + tail;
    }
    if (tty_) {
      std::fprintf(stderr, "\r\033[K%s%s", line.c_str(), final ? "\n" : "");
    } else {
      std::fprintf(stderr, "%s\n", line.c_str());
    }
    std::fflush(stderr);
  }

  std::string label_, unit_;
  uint64_t total_, n_ = 0;
  std::chrono::steady_clock::time_point start_, last_{};
  bool tty_, finished_ = false;
  int last_decile_ = -1;
};

}  // namespace cinerag
