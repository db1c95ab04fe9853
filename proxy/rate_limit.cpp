// Token buckets per client.
#include "rate_limit.h"

#include <algorithm>
#include <cmath>

namespace cinerag::proxy {

bool RateLimiter::allow(const std::string& client, double now, int* retry_after) {
  std::lock_guard<std::mutex> lock(mu_);
  if (buckets_.size() >= max_clients_ && !buckets_.count(client)) {
    for (auto it = buckets_.begin(); it != buckets_.end();) {
      const bool full = it->second.tokens + (now - it->second.last) * rate_ >= burst_;
      it = full ? buckets_.erase(it) : std::next(it);
    }
  }
  auto [it, fresh] = buckets_.try_emplace(client, Bucket{burst_, now});
  Bucket& b = it->second;
  if (!fresh) {
    b.tokens = std::min(burst_, b.tokens + std::max(0.0, now - b.last) * rate_);
    b.last = now;
  }
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return true;
  }
  if (retry_after)
    *retry_after = std::max(1, static_cast<int>(std::ceil((1.0 - b.tokens) / rate_)));
  return false;
}

size_t RateLimiter::clients() const {
  std::lock_guard<std::mutex> lock(mu_);
  return buckets_.size();
}

}  // namespace cinerag::proxy
