// Results kept by key across calls, for work the recommender repeats with every message of a
// conversation: at most `capacity` in weight, all forgotten at once when full. Thread-safe.
#pragma once

#include <cstddef>
#include <mutex>
#include <unordered_map>

namespace cinerag {

template <typename Key, typename Value>
class Kept {
 public:
  explicit Kept(size_t capacity) : capacity_(capacity) {}

  // The value kept for `key`, else compute()'s, kept when its weight (a key's size, or 1 an
  // entry) is at most an eighth of the capacity: one huge key cannot empty the rest.
  template <typename Compute>
  Value get(const Key& key, size_t weight, Compute compute) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (auto it = values_.find(key); it != values_.end()) return it->second;
    }
    Value value = compute();  // unlocked: two callers may compute the same value, never wrongly
    std::lock_guard<std::mutex> lock(mu_);
    if (weight > capacity_ / 8) return value;
    if (used_ + weight > capacity_) {
      values_.clear();
      used_ = 0;
    }
    used_ += weight;
    values_.emplace(key, value);
    return value;
  }

 private:
  const size_t capacity_;
  std::mutex mu_;
  std::unordered_map<Key, Value> values_;
  size_t used_ = 0;
};

}  // namespace cinerag
