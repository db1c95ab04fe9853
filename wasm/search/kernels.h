// int8 dot-product kernels: a scalar reference and the SIMD versions that must agree with it.
#pragma once

#include <cstddef>
#include <cstdint>

namespace cinerag {

// Which implementation a scan uses. kAuto picks the fastest one this build and CPU support:
// WASM SIMD128 under Emscripten, AVX2 on x86-64 CPUs that have it, else the scalar reference.
enum class Kernel { kAuto, kScalar, kSimd };

// Name of the kernel kAuto resolves to: "wasm-simd128", "avx2" or "scalar".
const char* simd_kernel_name();

// sum_i a[i] * b[i], exact in int32 for n < 2^17. No alignment needed.
int32_t dot_i8_ref(const int8_t* a, const int8_t* b, size_t n);
int32_t dot_i8_simd(const int8_t* a, const int8_t* b, size_t n);  // == dot_i8_ref, always

// out[r] = dot(query, rows + r * dim) for r < n_rows.
//   query: (dim,) int8
//   rows:  (n_rows, dim) int8, row-major, no alignment needed
//   out:   (n_rows,) int32, caller-provided
void dot_i8_rows_ref(const int8_t* query, const int8_t* rows, size_t n_rows, size_t dim,
                     int32_t* out);
void dot_i8_rows_simd(const int8_t* query, const int8_t* rows, size_t n_rows, size_t dim,
                      int32_t* out);
void dot_i8_rows(Kernel kernel, const int8_t* query, const int8_t* rows, size_t n_rows, size_t dim,
                 int32_t* out);

// Symmetric int8 quantisation of one row: out[i] = round(x[i] / scale) in [-127, 127], with
// scale = max|x| / 127 returned. NaN and infinite values count as 0; an all-zero row gets scale 0.
float quantize_i8(const float* x, size_t dim, int8_t* out);

}  // namespace cinerag
