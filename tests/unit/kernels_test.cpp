// Every SIMD kernel against its scalar _ref twin: lengths x misalignments, exact for integers.
#include "search/kernels.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

namespace cinerag {
namespace {

const size_t kLengths[] = {0, 1, 3, 15, 16, 17, 33, 511, 512, 513};

std::vector<int8_t> random_i8(size_t n, uint32_t seed, bool extremes = false) {
  std::mt19937 rng(seed);
  std::vector<int8_t> v(n);
  for (auto& x : v) {
    x = extremes ? static_cast<int8_t>((rng() & 1) ? -128 : 127)
                 : static_cast<int8_t>(static_cast<int>(rng() % 256) - 128);
  }
  return v;
}

TEST(Kernels, ReportsWhichKernelRuns) {
  const std::string name = simd_kernel_name();
#if defined(__wasm_simd128__)
  EXPECT_EQ(name, "wasm-simd128");
#else
  EXPECT_TRUE(name == "avx2" || name == "scalar") << name;
#endif
}

TEST(Kernels, DotMatchesRefAcrossLengthsAndMisalignments) {
  for (size_t n : kLengths) {
    for (size_t off_a = 0; off_a < 16; ++off_a) {
      for (size_t off_b : {size_t{0}, size_t{1}, size_t{7}, size_t{15}}) {
        const auto a = random_i8(n + off_a, static_cast<uint32_t>(n * 131 + off_a));
        const auto b = random_i8(n + off_b, static_cast<uint32_t>(n * 17 + off_b + 7));
        ASSERT_EQ(dot_i8_simd(a.data() + off_a, b.data() + off_b, n),
                  dot_i8_ref(a.data() + off_a, b.data() + off_b, n))
            << "n=" << n << " off_a=" << off_a << " off_b=" << off_b;
      }
    }
  }
}

TEST(Kernels, DotIsExactAtTheExtremes) {
  // -128 * -128 summed over 513 lanes: the largest magnitudes the int32 accumulators see.
  for (size_t n : kLengths) {
    const auto a = random_i8(n, 1, true), b = random_i8(n, 2, true);
    std::vector<int8_t> min(n, -128);
    EXPECT_EQ(dot_i8_simd(a.data(), b.data(), n), dot_i8_ref(a.data(), b.data(), n));
    EXPECT_EQ(dot_i8_simd(min.data(), min.data(), n), static_cast<int32_t>(16384 * n));
  }
}

TEST(Kernels, RowScanMatchesRef) {
  for (size_t dim : kLengths) {
    for (size_t off : {size_t{0}, size_t{3}}) {
      const size_t rows = 37;
      const auto q = random_i8(dim, 99);
      const auto data = random_i8(rows * dim + off, static_cast<uint32_t>(dim + off));
      std::vector<int32_t> want(rows), got(rows), dispatched(rows);
      dot_i8_rows_ref(q.data(), data.data() + off, rows, dim, want.data());
      dot_i8_rows_simd(q.data(), data.data() + off, rows, dim, got.data());
      dot_i8_rows(Kernel::kAuto, q.data(), data.data() + off, rows, dim, dispatched.data());
      EXPECT_EQ(got, want) << "dim=" << dim << " off=" << off;
      EXPECT_EQ(dispatched, want);
    }
  }
}

TEST(Kernels, QuantizeIsSymmetricAndBounded) {
  const float x[] = {0.5f, -1.0f, 0.25f, 0.0f, 1.0f / 127};
  int8_t q[5];
  const float scale = quantize_i8(x, 5, q);
  EXPECT_FLOAT_EQ(scale, 1.0f / 127);
  EXPECT_EQ(q[1], -127);
  EXPECT_EQ(q[0], 64);  // 63.5 rounds to even
  EXPECT_EQ(q[3], 0);
  EXPECT_EQ(q[4], 1);
  for (size_t i = 0; i < 5; ++i) EXPECT_NEAR(q[i] * scale, x[i], scale / 2 + 1e-7f);
}

TEST(Kernels, QuantizeTreatsNonFiniteAsZero) {
  const float x[] = {NAN, INFINITY, -INFINITY, 0.5f};
  int8_t q[4];
  const float scale = quantize_i8(x, 4, q);
  EXPECT_FLOAT_EQ(scale, 0.5f / 127);
  EXPECT_EQ(q[0], 0);
  EXPECT_EQ(q[1], 0);
  EXPECT_EQ(q[2], 0);
  EXPECT_EQ(q[3], 127);
  const float zeros[3] = {0, 0, 0};
  EXPECT_EQ(quantize_i8(zeros, 3, q), 0.0f);
}

}  // namespace
}  // namespace cinerag
