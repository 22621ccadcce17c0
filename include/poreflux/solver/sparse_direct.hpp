// Sparse direct solves of the implicit stage equations (I - dh A) x = b on the host, for small
// and medium grids (1D columns, axisymmetric cells, small 3D cells). A is symmetric in the
// V/K-weighted inner product, so W (I - dh A) with W = diag(V/K) is symmetric positive definite
// and a sparse Cholesky (Eigen's SimplicialLDLT, AMD ordering) applies. The unknowns are the
// cells, then the film. The pattern depends on the grid only: it is analysed once and each
// new dh or coefficient set costs one numeric factorisation.
#pragma once

#include <memory>
#include <vector>

#include "poreflux/solver/host_operator.hpp"

namespace poreflux {

class SparseDirectSolver {
 public:
  SparseDirectSolver();
  ~SparseDirectSolver();
  SparseDirectSolver(const SparseDirectSolver&) = delete;
  SparseDirectSolver& operator=(const SparseDirectSolver&) = delete;

  // Factorises W (I - dh A) for the operator's current coefficients. Throws std::runtime_error
  // if the factorisation fails (it cannot for a valid operator and dh > 0).
  void factorize(const HostOperator& op, double dh);
  // Solves (I - dh A) x = b for the cells and the film (the first cells + 1 entries of b and
  // x); with an infinite dose the film entry is held at b's.
  void solve(const std::vector<double>& b, std::vector<double>& x) const;
  // The same on raw host memory: b and x hold at least cells + 1 values, and x's first cells + 1
  // are overwritten (the CPU backend's vectors, solved in place without a copy each way).
  void solve(const double* b, double* x) const;
  long factorizations() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace poreflux
