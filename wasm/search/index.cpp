// Top-k selection, the exact f32 oracle and the int8 scan.
#include "search/index.h"

#include <algorithm>
#include <cmath>

namespace cinerag {
namespace {

// True when a ranks below b: lower score, or the same score and a later row.
bool worse(const Hit& a, const Hit& b) {
  return a.score < b.score || (a.score == b.score && a.row > b.row);
}

// Heap order for std::*_heap: the worst hit at the front.
bool heap_less(const Hit& a, const Hit& b) {
  return worse(b, a);
}

float finite_or_zero(float x) {
  return std::isfinite(x) ? x : 0.0f;
}

}  // namespace

void TopK::push_slow(uint32_t row, float score) {
  if (k_ == 0) return;
  const Hit hit{row, score};
  if (heap_.size() < k_) {
    heap_.push_back(hit);
    std::push_heap(heap_.begin(), heap_.end(), heap_less);
  } else if (worse(heap_.front(), hit)) {
    std::pop_heap(heap_.begin(), heap_.end(), heap_less);
    heap_.back() = hit;
    std::push_heap(heap_.begin(), heap_.end(), heap_less);
  }
}

size_t TopK::take(Hit* out) {
  std::sort(heap_.begin(), heap_.end(), [](const Hit& a, const Hit& b) { return worse(b, a); });
  std::copy(heap_.begin(), heap_.end(), out);
  const size_t n = heap_.size();
  heap_.clear();
  return n;
}

void F32BruteForce::add(const float* row) {
  data_.insert(data_.end(), row, row + dims_);
}

size_t F32BruteForce::search(const float* query, size_t k, Hit* out) const {
  TopK top(k);
  for (size_t r = 0; r < size(); ++r) {
    const float* row = data_.data() + r * dims_;
    double dot = 0;
    for (size_t i = 0; i < dims_; ++i) dot += double{row[i]} * finite_or_zero(query[i]);
    top.push(static_cast<uint32_t>(r), static_cast<float>(dot));
  }
  return top.take(out);
}

void Int8Index::reserve(size_t rows) {
  rows_.reserve(rows * dims_);
  scales_.reserve(rows);
}

void Int8Index::add_quantized(const int8_t* row, float scale) {
  rows_.insert(rows_.end(), row, row + dims_);
  scales_.push_back(std::isfinite(scale) ? scale : 0.0f);
}

void Int8Index::add(const float* row) {
  const size_t at = rows_.size();
  rows_.resize(at + dims_);
  scales_.push_back(quantize_i8(row, dims_, rows_.data() + at));
}

bool Int8Index::assign(std::vector<int8_t> rows, std::vector<float> scales) {
  if (rows.size() != scales.size() * dims_) return false;
  for (float& s : scales) s = std::isfinite(s) ? s : 0.0f;
  rows_ = std::move(rows);
  scales_ = std::move(scales);
  return true;
}

size_t Int8Index::search_with(Kernel kernel, const float* query, size_t k, Hit* out) const {
  if (k == 0 || size() == 0) return 0;
  std::vector<int8_t> q(dims_);
  const float q_scale = quantize_i8(query, dims_, q.data());
  // Pass 1: the int8 scan keeps a shortlist larger than k.
  const size_t shortlist = std::min(size(), std::max(k * kShortlistFactor, kShortlistMin));
  TopK top(shortlist);
  // Blocks keep the int32 scratch in cache and off the heap's hot path.
  constexpr size_t kBlock = 1024;
  int32_t dots[kBlock];
  for (size_t first = 0; first < size(); first += kBlock) {
    const size_t n = std::min(kBlock, size() - first);
    dot_i8_rows(kernel, q.data(), rows_.data() + first * dims_, n, dims_, dots);
    for (size_t i = 0; i < n; ++i) {
      top.push(static_cast<uint32_t>(first + i),
               static_cast<float>(dots[i]) * q_scale * scales_[first + i]);
    }
  }
  // Pass 2: rescore the shortlist with the f32 query, which removes the query's share of the
  // quantisation error; only the rows' int8 rounding is left.
  std::vector<Hit> hits(shortlist);
  hits.resize(top.take(hits.data()));
  TopK best(k);
  for (const Hit& h : hits) {
    const int8_t* row = rows_.data() + size_t{h.row} * dims_;
    float dot = 0;
    for (size_t i = 0; i < dims_; ++i) dot += finite_or_zero(query[i]) * row[i];
    best.push(h.row, dot * scales_[h.row]);
  }
  return best.take(out);
}

}  // namespace cinerag
