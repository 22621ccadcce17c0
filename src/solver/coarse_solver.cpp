#include "poreflux/solver/coarse_solver.hpp"

#include <stdexcept>

#include <Eigen/SparseCholesky>
#include <Eigen/SparseCore>

namespace poreflux {

struct CoarseSolver::Impl {
  using Matrix = Eigen::SparseMatrix<double>;
  Eigen::SimplicialLDLT<Matrix, Eigen::Lower> ldlt;
  Matrix matrix;
  int n = 0;
};

CoarseSolver::CoarseSolver() : impl_(std::make_unique<Impl>()) {}
CoarseSolver::~CoarseSolver() = default;

void CoarseSolver::factorize(int n, const std::vector<int>& rows, const std::vector<int>& columns,
                             const std::vector<double>& values) {
  Impl& s = *impl_;
  std::vector<Eigen::Triplet<double>> entries;
  entries.reserve(values.size() + static_cast<std::size_t>(n));
  std::vector<double> diagonal(static_cast<std::size_t>(n), 0.0);
  for (std::size_t e = 0; e < values.size(); ++e) {
    if (rows[e] < columns[e]) continue;  // the lower triangle
    entries.emplace_back(rows[e], columns[e], values[e]);
    if (rows[e] == columns[e]) diagonal[static_cast<std::size_t>(rows[e])] += values[e];
  }
  for (int a = 0; a < n; ++a)
    if (!(diagonal[static_cast<std::size_t>(a)] > 0.0))
      entries.emplace_back(a, a, 1.0 - diagonal[static_cast<std::size_t>(a)]);
  s.matrix.resize(n, n);
  s.matrix.setFromTriplets(entries.begin(), entries.end());
  if (n != s.n) {
    s.ldlt.analyzePattern(s.matrix);
    s.n = n;
  }
  s.ldlt.factorize(s.matrix);
  if (s.ldlt.info() != Eigen::Success)
    throw std::runtime_error("two-level preconditioner: the coarse operator is not positive definite");
}

void CoarseSolver::solve(const std::vector<double>& b, std::vector<double>& x) const {
  const Eigen::Map<const Eigen::VectorXd> rhs(b.data(), impl_->n);
  x.resize(static_cast<std::size_t>(impl_->n));
  Eigen::Map<Eigen::VectorXd>(x.data(), impl_->n) = impl_->ldlt.solve(rhs);
}

}  // namespace poreflux
