// Fits the static sentence encoder (native only; scripts/build/static_encoder.mjs drives it).
//   encoder_fit --vocab vocab.json --sentences FILE --targets F32 --pieces F32 --out MODEL
//               [--rank R] [--report JSON]
// sentences: one text per line; targets: the transformer's 512-d vector of each line (f32,
// row-major); pieces: its vector of each vocabulary piece alone, the starting point.
// The model: text vector = bias + mean of its pieces' rows. Least squares with a pull towards
// the starting point: minimise sum_s |a_s W - y_s|^2 + lambda |W - W0|^2 over the rows W (a_s:
// the text's piece counts / its length, plus 1 for the bias), solved exactly from the normal
// equations (vocabulary 8k: one 8k x 8k Cholesky). lambda is chosen on every 20th text (held
// out), then the model is refit on all texts. The rows are then stored in a basis of R (default
// 128) directions: the principal directions of the fitted outputs over the texts (the top
// eigenvectors of W^T G W), which lose the least of what the texts' vectors hold. Deterministic.
#include <Eigen/Dense>
#include <Eigen/Eigenvalues>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "embed/static_encoder.h"
#include "text/sentencepiece.h"

namespace {

using cinerag::SentencePieceTokenizer;
using Matrix = Eigen::MatrixXd;

constexpr int kDims = 512;
constexpr int kHoldoutEvery = 20;
const double kLambdas[] = {0.003, 0.01, 0.03, 0.1};
const int kReportedRanks[] = {64, 96, 128, 192, 256, 512};

struct Text {
  std::vector<std::pair<int32_t, double>> weights;  // (piece id, count / length)
  const float* target = nullptr;                    // [kDims], unit
  bool held_out = false;
};

bool read_file(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::stringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return true;
}

bool read_floats(const std::string& path, size_t rows, std::vector<float>* out) {
  std::string bytes;
  if (!read_file(path, &bytes) || bytes.size() != rows * kDims * sizeof(float)) return false;
  out->resize(rows * kDims);
  std::memcpy(out->data(), bytes.data(), bytes.size());
  return true;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::stringstream ss(text);
  for (std::string line; std::getline(ss, line);) lines.push_back(line);
  return lines;
}

// The texts with pieces and a target: their mean-pooling weights.
std::vector<Text> texts_of(const SentencePieceTokenizer& tok, const std::vector<std::string>& lines,
                           const std::vector<float>& targets) {
  std::vector<Text> texts;
  for (size_t i = 0; i < lines.size(); ++i) {
    const float* y = targets.data() + i * kDims;
    const std::vector<int32_t> ids = tok.encode(lines[i]);
    if (ids.empty() || (y[0] == 0.0f && y[1] == 0.0f)) continue;
    Text t;
    t.target = y;
    t.held_out = i % kHoldoutEvery == 0;
    for (int32_t id : ids) {
      auto it = std::find_if(t.weights.begin(), t.weights.end(),
                             [id](const auto& w) { return w.first == id; });
      if (it == t.weights.end()) {
        t.weights.emplace_back(id, 0.0);
        it = t.weights.end() - 1;
      }
      it->second += 1.0 / static_cast<double>(ids.size());
    }
    texts.push_back(std::move(t));
  }
  return texts;
}

// The normal equations' Gram matrix G = A^T A and right-hand side B = A^T Y over the chosen
// texts; column `vocab` is the bias (weight 1 in every text).
void accumulate(const std::vector<Text>& texts, bool include_held_out, size_t vocab, Matrix* G,
                Matrix* B) {
  *G = Matrix::Zero(vocab + 1, vocab + 1);
  *B = Matrix::Zero(vocab + 1, kDims);
  for (const Text& t : texts) {
    if (t.held_out && !include_held_out) continue;
    auto weights = t.weights;
    weights.emplace_back(static_cast<int32_t>(vocab), 1.0);
    for (const auto& [i, wi] : weights) {
      for (const auto& [j, wj] : weights) (*G)(i, j) += wi * wj;
      for (int d = 0; d < kDims; ++d) (*B)(i, d) += wi * t.target[d];
    }
  }
}

// W = (G + lambda I)^-1 (B + lambda W0); the bias is pulled towards 0 only slightly.
Matrix solve(const Matrix& G, const Matrix& B, const Matrix& W0, double lambda) {
  Matrix M = G;
  Matrix R = B + lambda * W0;
  for (Eigen::Index i = 0; i + 1 < M.rows(); ++i) M(i, i) += lambda;
  M(M.rows() - 1, M.rows() - 1) += 1e-6;
  return M.llt().solve(R);
}

// Mean cosine to the targets of the held-out texts, with rows W (last row the bias).
double held_out_cosine(const std::vector<Text>& texts, const Matrix& W) {
  const Eigen::Index bias = W.rows() - 1;
  double sum = 0;
  size_t n = 0;
  for (const Text& t : texts) {
    if (!t.held_out) continue;
    Eigen::VectorXd v = W.row(bias).transpose();
    for (const auto& [id, w] : t.weights) v += w * W.row(id).transpose();
    const double norm = v.norm();
    if (norm == 0) continue;
    double dot = 0;
    for (int d = 0; d < kDims; ++d) dot += v[d] * t.target[d];
    sum += dot / norm;
    ++n;
  }
  return n ? sum / static_cast<double>(n) : 0;
}

// The basis: the `rank` principal directions of the piece part of the outputs over the texts
// whose Gram matrix is G (the eigenvectors of W^T G W with the largest eigenvalues), one per row.
Matrix principal_basis(const Matrix& W, const Matrix& G, int rank) {
  const Eigen::Index vocab = W.rows() - 1;
  const Matrix pieces = W.topRows(vocab);
  const Matrix C = pieces.transpose() * (G.topLeftCorner(vocab, vocab) * pieces);
  Eigen::SelfAdjointEigenSolver<Matrix> eig(C);
  // Eigenvalues ascend: the last `rank` columns, largest first.
  Matrix basis(rank, kDims);
  for (int k = 0; k < rank; ++k) {
    Eigen::VectorXd v = eig.eigenvectors().col(kDims - 1 - k);
    // A fixed sign (the largest coordinate positive), so that the file does not depend on the
    // solver's choice.
    Eigen::Index at;
    v.cwiseAbs().maxCoeff(&at);
    if (v[at] < 0) v = -v;
    basis.row(k) = v.transpose();
  }
  return basis;
}

// W with its piece rows stored as the file does (in the basis, int8 with a scale per row): the
// rows the core computes with, mapped back to kDims.
Matrix quantized(const Matrix& W, const Matrix& basis, std::vector<float>* bias,
                 std::vector<float>* basis_out, std::vector<float>* scale,
                 std::vector<int8_t>* rows) {
  const Eigen::Index vocab = W.rows() - 1, rank = basis.rows();
  bias->assign(kDims, 0.0f);
  for (int d = 0; d < kDims; ++d) (*bias)[d] = static_cast<float>(W(vocab, d));
  basis_out->assign(static_cast<size_t>(rank) * kDims, 0.0f);
  Matrix B32(rank, kDims);  // the basis as the file holds it (f32)
  for (Eigen::Index k = 0; k < rank; ++k)
    for (int d = 0; d < kDims; ++d) {
      (*basis_out)[static_cast<size_t>(k) * kDims + d] = static_cast<float>(basis(k, d));
      B32(k, d) = static_cast<float>(basis(k, d));
    }
  const Matrix coords = W.topRows(vocab) * basis.transpose();  // [vocab][rank]
  Matrix Q(vocab, rank);
  scale->assign(static_cast<size_t>(vocab), 0.0f);
  rows->assign(static_cast<size_t>(vocab) * rank, 0);
  for (Eigen::Index i = 0; i < vocab; ++i) {
    const double s = coords.row(i).cwiseAbs().maxCoeff() / 127.0;
    (*scale)[static_cast<size_t>(i)] = static_cast<float>(s);
    for (Eigen::Index k = 0; k < rank; ++k) {
      const int8_t q = s > 0 ? static_cast<int8_t>(std::lround(coords(i, k) / s)) : 0;
      (*rows)[static_cast<size_t>(i * rank + k)] = q;
      Q(i, k) = static_cast<float>(s) * q;
    }
  }
  Matrix out(W.rows(), kDims);
  out.topRows(vocab) = Q * B32;
  out.row(vocab) = W.row(vocab).cast<float>().cast<double>();
  return out;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

int usage() {
  std::fprintf(stderr,
               "usage: encoder_fit --vocab vocab.json --sentences FILE --targets F32 --pieces F32 "
               "--out MODEL [--rank R] [--report JSON]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string vocab_path, sentences_path, targets_path, pieces_path, out_path, report_path;
  int rank = 128;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--vocab")
      vocab_path = value;
    else if (flag == "--sentences")
      sentences_path = value;
    else if (flag == "--targets")
      targets_path = value;
    else if (flag == "--pieces")
      pieces_path = value;
    else if (flag == "--out")
      out_path = value;
    else if (flag == "--report")
      report_path = value;
    else if (flag == "--rank")
      rank = std::atoi(value.c_str());
    else
      return usage();
  }
  if (vocab_path.empty() || sentences_path.empty() || targets_path.empty() || pieces_path.empty() ||
      out_path.empty() || rank < 1 || rank > kDims) {
    return usage();
  }
  const auto t0 = std::chrono::steady_clock::now();
  std::string vocab_json, sentences;
  cinerag::Error error;
  if (!read_file(vocab_path, &vocab_json) || !read_file(sentences_path, &sentences)) {
    std::fprintf(stderr, "encoder_fit: cannot read %s or %s\n", vocab_path.c_str(),
                 sentences_path.c_str());
    return 1;
  }
  auto tok = SentencePieceTokenizer::from_vocab_json(vocab_json, &error);
  if (!tok) {
    std::fprintf(stderr, "encoder_fit: %s\n", error.message.c_str());
    return 1;
  }
  const size_t vocab = tok->vocab_size();
  const std::vector<std::string> lines = lines_of(sentences);
  std::vector<float> targets, pieces;
  if (!read_floats(targets_path, lines.size(), &targets) ||
      !read_floats(pieces_path, vocab, &pieces)) {
    std::fprintf(stderr, "encoder_fit: %s or %s does not hold %zu / %zu rows of %d floats\n",
                 targets_path.c_str(), pieces_path.c_str(), lines.size(), vocab, kDims);
    return 1;
  }
  const std::vector<Text> texts = texts_of(*tok, lines, targets);
  // The starting point: each piece's own vector, no bias (the Model2Vec recipe).
  Matrix W0 = Matrix::Zero(static_cast<Eigen::Index>(vocab + 1), kDims);
  for (size_t i = 0; i < vocab; ++i)
    for (int d = 0; d < kDims; ++d) W0(static_cast<Eigen::Index>(i), d) = pieces[i * kDims + d];
  nlohmann::json report = {{"texts", texts.size()}, {"vocab", vocab}, {"dims", kDims}};
  report["held_out_cosine_pieces_only"] = held_out_cosine(texts, W0);
  std::printf("encoder_fit: %zu texts; held-out cosine of the pieces alone %.4f\n", texts.size(),
              report["held_out_cosine_pieces_only"].get<double>());

  Matrix G, B;
  accumulate(texts, false, vocab, &G, &B);
  double best_lambda = kLambdas[0], best = -1;
  for (double lambda : kLambdas) {
    const double c = held_out_cosine(texts, solve(G, B, W0, lambda));
    report["held_out_cosine_by_lambda"][std::to_string(lambda)] = c;
    std::printf("encoder_fit: lambda %.3f held-out cosine %.4f (%.0f s)\n", lambda, c,
                seconds_since(t0));
    if (c > best) best = c, best_lambda = lambda;
  }
  std::vector<float> bias, basis, scale;
  std::vector<int8_t> rows;
  const Matrix W_train = solve(G, B, W0, best_lambda);
  report["lambda"] = best_lambda;
  report["held_out_cosine"] = held_out_cosine(texts, W_train);
  // What each rank keeps, stored as the file stores it (int8 rows in the basis).
  const Matrix full_basis = principal_basis(W_train, G, kDims);
  for (int r : kReportedRanks) {
    const double c = held_out_cosine(
        texts, quantized(W_train, full_basis.topRows(r), &bias, &basis, &scale, &rows));
    report["held_out_cosine_int8_by_rank"][std::to_string(r)] = c;
    std::printf("encoder_fit: rank %d held-out cosine (int8) %.4f\n", r, c);
  }
  report["rank"] = rank;
  report["held_out_cosine_int8"] = held_out_cosine(
      texts, quantized(W_train, full_basis.topRows(rank), &bias, &basis, &scale, &rows));

  accumulate(texts, true, vocab, &G, &B);  // the shipped model: every text
  const Matrix W = solve(G, B, W0, best_lambda);
  quantized(W, principal_basis(W, G, rank), &bias, &basis, &scale, &rows);
  const std::vector<uint8_t> bytes = cinerag::StaticEncoder::to_bytes(bias, basis, scale, rows);
  const std::string tmp = out_path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
    if (!out) {
      std::fprintf(stderr, "encoder_fit: cannot write %s\n", tmp.c_str());
      return 1;
    }
  }
  std::rename(tmp.c_str(), out_path.c_str());
  report["bytes"] = bytes.size();
  report["seconds"] = seconds_since(t0);
  std::printf("encoder_fit: lambda %.3f, held-out cosine %.4f (rank %d int8 %.4f); %s, %zu bytes, "
              "%.0f s\n",
              best_lambda, report["held_out_cosine"].get<double>(), rank,
              report["held_out_cosine_int8"].get<double>(), out_path.c_str(), bytes.size(),
              report["seconds"].get<double>());
  if (!report_path.empty()) std::ofstream(report_path) << report.dump(2) << "\n";
  return 0;
}
