// Nearest-neighbour search over unit vectors: the int8 index and the exact f32 oracle, behind one
// interface so tests can hold either to the other.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "search/kernels.h"

namespace cinerag {

struct Hit {
  uint32_t row;  // position of the row in insertion order
  float score;   // approximate cosine (inner product of unit vectors)
};

// Keeps the k best hits seen so far; ties go to the lower row, so results are deterministic.
class TopK {
 public:
  explicit TopK(size_t k) : k_(k) { heap_.reserve(k); }
  void push(uint32_t row, float score) {
    // Most rows of a scan lose to the worst kept hit: decide that inline, without the heap.
    if (heap_.size() == k_ && (k_ == 0 || score < heap_.front().score)) return;
    push_slow(row, score);
  }
  // Writes the hits best first into out (room for k) and returns how many there are.
  size_t take(Hit* out);

 private:
  void push_slow(uint32_t row, float score);
  size_t k_;
  std::vector<Hit> heap_;  // min-heap on (score, -row): heap_.front() is the worst kept
};

class VectorIndex {
 public:
  virtual ~VectorIndex() = default;
  virtual size_t size() const = 0;
  virtual size_t dims() const = 0;

  // The k rows with the highest inner product with `query`.
  //   query: (dims(),) f32, expected unit length
  //   out:   (k,) caller-provided; filled best first
  // Returns the number written: min(k, size()). Non-finite query values count as 0.
  virtual size_t search(const float* query, size_t k, Hit* out) const = 0;
};

// Exact search on f32 rows: slow and simple, the oracle the int8 index is measured against.
class F32BruteForce : public VectorIndex {
 public:
  explicit F32BruteForce(size_t dims) : dims_(dims) {}
  // row: (dims,) f32
  void add(const float* row);
  size_t size() const override { return dims_ ? data_.size() / dims_ : 0; }
  size_t dims() const override { return dims_; }
  size_t search(const float* query, size_t k, Hit* out) const override;
  // (dims(),) f32: the row as added.
  const float* row(size_t r) const { return data_.data() + r * dims_; }

 private:
  size_t dims_;
  std::vector<float> data_;  // (size, dims) f32, row-major
};

// int8 rows with one f32 scale each: row ~= scale * int8 row. A search scans every row with the
// int8 query (the chosen kernel), keeps a shortlist of max(4k, 64), and rescores it with the f32
// query: scores are dot(query, row_int8) * row_scale.
class Int8Index : public VectorIndex {
 public:
  explicit Int8Index(size_t dims, Kernel kernel = Kernel::kAuto) : dims_(dims), kernel_(kernel) {}
  void reserve(size_t rows);
  // row: (dims,) int8 already quantised with `scale`
  void add_quantized(const int8_t* row, float scale);
  // row: (dims,) f32, quantised here
  void add(const float* row);
  // Takes rows (n, dims) int8 and scales (n,) without copying; false (and no change) when
  // rows.size() != n * dims.
  bool assign(std::vector<int8_t> rows, std::vector<float> scales);
  void set_kernel(Kernel kernel) { kernel_ = kernel; }

  size_t size() const override { return scales_.size(); }
  size_t dims() const override { return dims_; }
  size_t search(const float* query, size_t k, Hit* out) const override {
    return search_with(kernel_, query, k, out);
  }
  // search() with this call's kernel instead of the index's.
  size_t search_with(Kernel kernel, const float* query, size_t k, Hit* out) const;

  const int8_t* rows() const { return rows_.data(); }     // (size, dims) int8, row-major
  const float* scales() const { return scales_.data(); }  // (size,) f32

 private:
  static constexpr size_t kShortlistFactor = 4, kShortlistMin = 64;
  size_t dims_;
  Kernel kernel_;
  std::vector<int8_t> rows_;
  std::vector<float> scales_;
};

}  // namespace cinerag
