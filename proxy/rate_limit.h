// Abuse limits: a token bucket per client address, and a cap on requests in flight.
#pragma once

#include <atomic>
#include <mutex>
#include <string>
#include <unordered_map>

namespace cinerag::proxy {

class RateLimiter {
 public:
  // rate: tokens per second; burst: bucket size. max_clients bounds memory under a flood of
  // addresses: past it, buckets that have refilled completely (the same as absent) are dropped.
  RateLimiter(double rate, double burst, size_t max_clients = 100000)
      : rate_(rate), burst_(burst), max_clients_(max_clients) {}

  // Takes one token for `client` at time `now` (seconds). When none is left, returns false and
  // sets *retry_after to the whole seconds until one will be.
  bool allow(const std::string& client, double now, int* retry_after);
  size_t clients() const;

 private:
  struct Bucket {
    double tokens;
    double last;
  };
  double rate_, burst_;
  size_t max_clients_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
};

// Counts requests in flight; acquire() fails past the cap. Release through the returned slot.
class ConcurrencyCap {
 public:
  explicit ConcurrencyCap(int cap) : cap_(cap) {}
  bool acquire() {
    if (in_flight_.fetch_add(1) >= cap_) {
      in_flight_.fetch_sub(1);
      return false;
    }
    return true;
  }
  void release() { in_flight_.fetch_sub(1); }
  int in_flight() const { return in_flight_.load(); }

 private:
  const int cap_;
  std::atomic<int> in_flight_{0};
};

}  // namespace cinerag::proxy
