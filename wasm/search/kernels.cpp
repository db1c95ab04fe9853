// int8 dot-product kernels: scalar reference, WASM SIMD128 and x86 AVX2 versions.
#include "search/kernels.h"

#include <cmath>
#include <vector>

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#elif defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define CINERAG_X86 1
#endif

namespace cinerag {

int32_t dot_i8_ref(const int8_t* a, const int8_t* b, size_t n) {
  int32_t sum = 0;
  for (size_t i = 0; i < n; ++i) sum += int32_t{a[i]} * int32_t{b[i]};
  return sum;
}

void dot_i8_rows_ref(const int8_t* query, const int8_t* rows, size_t n_rows, size_t dim,
                     int32_t* out) {
  for (size_t r = 0; r < n_rows; ++r) out[r] = dot_i8_ref(query, rows + r * dim, dim);
}

#if defined(__wasm_simd128__)

const char* simd_kernel_name() {
  return "wasm-simd128";
}

// 16 lanes at a time: widen to i16, then i32x4.dot_i16x8 adds adjacent products into i32.
int32_t dot_i8_simd(const int8_t* a, const int8_t* b, size_t n) {
  v128_t acc0 = wasm_i32x4_splat(0), acc1 = wasm_i32x4_splat(0);
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const v128_t va = wasm_v128_load(a + i), vb = wasm_v128_load(b + i);
    acc0 = wasm_i32x4_add(acc0, wasm_i32x4_dot_i16x8(wasm_i16x8_extend_low_i8x16(va),
                                                     wasm_i16x8_extend_low_i8x16(vb)));
    acc1 = wasm_i32x4_add(acc1, wasm_i32x4_dot_i16x8(wasm_i16x8_extend_high_i8x16(va),
                                                     wasm_i16x8_extend_high_i8x16(vb)));
  }
  const v128_t acc = wasm_i32x4_add(acc0, acc1);
  int32_t sum = wasm_i32x4_extract_lane(acc, 0) + wasm_i32x4_extract_lane(acc, 1) +
                wasm_i32x4_extract_lane(acc, 2) + wasm_i32x4_extract_lane(acc, 3);
  return sum + dot_i8_ref(a + i, b + i, n - i);
}

namespace {

int32_t sum_lanes(v128_t v) {
  return wasm_i32x4_extract_lane(v, 0) + wasm_i32x4_extract_lane(v, 1) +
         wasm_i32x4_extract_lane(v, 2) + wasm_i32x4_extract_lane(v, 3);
}

}  // namespace

// The scan: the query is widened to i16 once, then four rows share each query load, so a
// 16-byte chunk of a row costs one load, two widenings and two dot instructions.
void dot_i8_rows_simd(const int8_t* query, const int8_t* rows, size_t n_rows, size_t dim,
                      int32_t* out) {
  const size_t body = dim & ~size_t{15};
  std::vector<int16_t> wide(body);  // (body,) the query's first `body` values as i16
  for (size_t i = 0; i < body; ++i) wide[i] = query[i];
  const int16_t* q16 = wide.data();
  size_t r = 0;
  for (; r + 4 <= n_rows; r += 4) {
    const int8_t* r0 = rows + r * dim;
    const int8_t* r1 = r0 + dim;
    const int8_t* r2 = r1 + dim;
    const int8_t* r3 = r2 + dim;
    v128_t a0 = wasm_i32x4_splat(0), a1 = a0, a2 = a0, a3 = a0;
    for (size_t i = 0; i < body; i += 16) {
      const v128_t ql = wasm_v128_load(q16 + i), qh = wasm_v128_load(q16 + i + 8);
      v128_t v = wasm_v128_load(r0 + i);
      a0 = wasm_i32x4_add(a0, wasm_i32x4_dot_i16x8(wasm_i16x8_extend_low_i8x16(v), ql));
      a0 = wasm_i32x4_add(a0, wasm_i32x4_dot_i16x8(wasm_i16x8_extend_high_i8x16(v), qh));
      v = wasm_v128_load(r1 + i);
      a1 = wasm_i32x4_add(a1, wasm_i32x4_dot_i16x8(wasm_i16x8_extend_low_i8x16(v), ql));
      a1 = wasm_i32x4_add(a1, wasm_i32x4_dot_i16x8(wasm_i16x8_extend_high_i8x16(v), qh));
      v = wasm_v128_load(r2 + i);
      a2 = wasm_i32x4_add(a2, wasm_i32x4_dot_i16x8(wasm_i16x8_extend_low_i8x16(v), ql));
      a2 = wasm_i32x4_add(a2, wasm_i32x4_dot_i16x8(wasm_i16x8_extend_high_i8x16(v), qh));
      v = wasm_v128_load(r3 + i);
      a3 = wasm_i32x4_add(a3, wasm_i32x4_dot_i16x8(wasm_i16x8_extend_low_i8x16(v), ql));
      a3 = wasm_i32x4_add(a3, wasm_i32x4_dot_i16x8(wasm_i16x8_extend_high_i8x16(v), qh));
    }
    const size_t tail = dim - body;
    out[r] = sum_lanes(a0) + dot_i8_ref(query + body, r0 + body, tail);
    out[r + 1] = sum_lanes(a1) + dot_i8_ref(query + body, r1 + body, tail);
    out[r + 2] = sum_lanes(a2) + dot_i8_ref(query + body, r2 + body, tail);
    out[r + 3] = sum_lanes(a3) + dot_i8_ref(query + body, r3 + body, tail);
  }
  for (; r < n_rows; ++r) out[r] = dot_i8_simd(query, rows + r * dim, dim);
}

#elif defined(CINERAG_X86)

const char* simd_kernel_name() {
  return __builtin_cpu_supports("avx2") ? "avx2" : "scalar";
}

namespace {

// 32 lanes at a time: widen to i16, then vpmaddwd adds adjacent products into i32.
__attribute__((target("avx2"))) int32_t dot_i8_avx2(const int8_t* a, const int8_t* b, size_t n) {
  __m256i acc = _mm256_setzero_si256();
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const __m256i va =
        _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(a + i)));
    const __m256i vb =
        _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(b + i)));
    acc = _mm256_add_epi32(acc, _mm256_madd_epi16(va, vb));
  }
  __m128i s = _mm_add_epi32(_mm256_castsi256_si128(acc), _mm256_extracti128_si256(acc, 1));
  s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4E));
  s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xB1));
  return _mm_cvtsi128_si32(s) + dot_i8_ref(a + i, b + i, n - i);
}

__attribute__((target("avx2"))) void dot_i8_rows_avx2(const int8_t* query, const int8_t* rows,
                                                      size_t n_rows, size_t dim, int32_t* out) {
  for (size_t r = 0; r < n_rows; ++r) out[r] = dot_i8_avx2(query, rows + r * dim, dim);
}

const bool kHasAvx2 = __builtin_cpu_supports("avx2");

}  // namespace

int32_t dot_i8_simd(const int8_t* a, const int8_t* b, size_t n) {
  return kHasAvx2 ? dot_i8_avx2(a, b, n) : dot_i8_ref(a, b, n);
}

void dot_i8_rows_simd(const int8_t* query, const int8_t* rows, size_t n_rows, size_t dim,
                      int32_t* out) {
  if (kHasAvx2) {
    dot_i8_rows_avx2(query, rows, n_rows, dim, out);
  } else {
    dot_i8_rows_ref(query, rows, n_rows, dim, out);
  }
}

#else

const char* simd_kernel_name() {
  return "scalar";
}
int32_t dot_i8_simd(const int8_t* a, const int8_t* b, size_t n) {
  return dot_i8_ref(a, b, n);
}
void dot_i8_rows_simd(const int8_t* query, const int8_t* rows, size_t n_rows, size_t dim,
                      int32_t* out) {
  dot_i8_rows_ref(query, rows, n_rows, dim, out);
}

#endif

void dot_i8_rows(Kernel kernel, const int8_t* query, const int8_t* rows, size_t n_rows, size_t dim,
                 int32_t* out) {
  if (kernel == Kernel::kScalar) {
    dot_i8_rows_ref(query, rows, n_rows, dim, out);
  } else {
    dot_i8_rows_simd(query, rows, n_rows, dim, out);
  }
}

float quantize_i8(const float* x, size_t dim, int8_t* out) {
  float max_abs = 0.0f;  // over finite values: NaN and infinity count as 0
  for (size_t i = 0; i < dim; ++i) {
    if (std::isfinite(x[i])) max_abs = std::fmax(max_abs, std::fabs(x[i]));
  }
  if (!(max_abs > 0.0f)) {
    for (size_t i = 0; i < dim; ++i) out[i] = 0;
    return 0.0f;
  }
  const float scale = max_abs / 127.0f;
  for (size_t i = 0; i < dim; ++i) {
    const float q = std::isfinite(x[i]) ? std::nearbyint(x[i] / scale) : 0.0f;
    out[i] = static_cast<int8_t>(q > 127.0f ? 127.0f : (q < -127.0f ? -127.0f : q));
  }
  return scale;
}

}  // namespace cinerag
