// PCA by eigen-decomposition of X^T X; randomized SVD on a sparse ratings matrix.
#include "data/factorize.h"

#include <Eigen/Dense>
#include <Eigen/Sparse>
#include <algorithm>
#include <random>

namespace cinerag {

std::vector<float> principal_directions(const float* x, size_t n, size_t dims, size_t max_dims) {
  using Mat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  const Eigen::Map<const Mat> X(x, static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(dims));
  // Accumulate in double: n is up to ~10^5 and the spectrum spans orders of magnitude.
  Eigen::MatrixXd C =
      Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(dims), static_cast<Eigen::Index>(dims));
  const Eigen::Index block = 4096;
  for (Eigen::Index r = 0; r < X.rows(); r += block) {
    const Eigen::Index h = std::min(block, X.rows() - r);
    const Eigen::MatrixXf part = X.middleRows(r, h);
    C.noalias() += (part.transpose() * part).cast<double>();
  }
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(C);  // ascending eigenvalues
  max_dims = std::min(max_dims, dims);
  std::vector<float> out(max_dims * dims);
  for (size_t k = 0; k < max_dims; ++k) {
    const Eigen::Index col = static_cast<Eigen::Index>(dims - 1 - k);
    for (size_t d = 0; d < dims; ++d) {
      out[k * dims + d] = static_cast<float>(eig.eigenvectors()(static_cast<Eigen::Index>(d), col));
    }
  }
  return out;
}

void RatingTriplets::add(uint32_t user, uint32_t item, float value) {
  if (blocks_.empty() || blocks_.back().size() == kBlock) {
    blocks_.emplace_back();
    blocks_.back().reserve(kBlock);
  }
  blocks_.back().push_back({user, item, value});
  ++size_;
}

ItemFactors item_factors(const RatingTriplets& ratings, size_t n_users, size_t n_items, size_t rank,
                         size_t min_ratings, int power_iterations, uint32_t seed) {
  ItemFactors f;
  f.rank = rank;
  f.vectors.assign(n_items * rank, 0.0f);
  if (ratings.size() == 0 || n_users == 0 || n_items == 0 || rank == 0) return f;

  std::vector<double> user_sum(n_users, 0.0);
  std::vector<uint32_t> user_n(n_users, 0), item_n(n_items, 0);
  ratings.for_each([&](uint32_t u, uint32_t i, float v) {
    user_sum[u] += v;
    ++user_n[u];
    ++item_n[i];
  });
  // Only items with enough ratings take part: rare items would get noise vectors.
  std::vector<int> column(n_items, -1);
  size_t cols = 0;
  for (size_t i = 0; i < n_items; ++i) {
    if (item_n[i] >= min_ratings) column[i] = static_cast<int>(cols++);
  }
  if (cols == 0) return f;

  using Sparse = Eigen::SparseMatrix<float, Eigen::RowMajor, int64_t>;
  Sparse A(static_cast<Eigen::Index>(n_users), static_cast<Eigen::Index>(cols));
  {
    // Build the CSR arrays directly: counting per row first needs no triplet copy.
    std::vector<int64_t> row_nnz(n_users, 0);
    ratings.for_each([&](uint32_t u, uint32_t i, float) {
      if (column[i] >= 0) ++row_nnz[u];
    });
    A.reserve(Eigen::Map<const Eigen::Matrix<int64_t, Eigen::Dynamic, 1>>(
        row_nnz.data(), static_cast<Eigen::Index>(n_users)));
    ratings.for_each([&](uint32_t u, uint32_t i, float v) {
      if (column[i] < 0) return;
      const float centred = v - static_cast<float>(user_sum[u] / user_n[u]);
      // A user who rated one movie the same as their mean adds nothing; keep the entry anyway so
      // duplicates sum like the other entries.
      A.coeffRef(static_cast<Eigen::Index>(u), column[i]) += centred;
    });
    A.makeCompressed();
  }

  const Eigen::Index l = static_cast<Eigen::Index>(std::min(rank + 10, cols));
  std::mt19937 rng(seed);
  std::normal_distribution<float> gauss;
  Eigen::MatrixXf omega(static_cast<Eigen::Index>(cols), l);
  for (Eigen::Index c = 0; c < omega.cols(); ++c)
    for (Eigen::Index r = 0; r < omega.rows(); ++r) omega(r, c) = gauss(rng);
  auto orth = [](const Eigen::MatrixXf& m) {
    Eigen::HouseholderQR<Eigen::MatrixXf> qr(m);
    return Eigen::MatrixXf(qr.householderQ() * Eigen::MatrixXf::Identity(m.rows(), m.cols()));
  };
  Eigen::MatrixXf Q = orth(A * omega);  // (users, l)
  for (int it = 0; it < power_iterations; ++it) {
    const Eigen::MatrixXf Z = orth(A.transpose() * Q);  // (cols, l)
    Q = orth(A * Z);
  }
  const Eigen::MatrixXf Bt = A.transpose() * Q;  // (cols, l) = B^T, B = Q^T A
  // B B^T = W S^2 W^T; V S = B^T W.
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXf> eig(Bt.transpose() * Bt);
  const Eigen::Index use = std::min<Eigen::Index>(static_cast<Eigen::Index>(rank), l);
  const Eigen::MatrixXf W = eig.eigenvectors().rightCols(use).rowwise().reverse();
  const Eigen::MatrixXf VS = Bt * W;  // (cols, use), strongest first
  for (size_t i = 0; i < n_items; ++i) {
    if (column[i] < 0) continue;
    for (Eigen::Index k = 0; k < use; ++k) {
      f.vectors[i * rank + static_cast<size_t>(k)] = VS(column[i], k);
    }
  }
  return f;
}

}  // namespace cinerag
