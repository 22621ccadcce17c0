// The host factor of the two-level preconditioner's coarse operator (linear_solvers.hpp):
// a small symmetric positive definite matrix (one unknown per z plane and material, a few
// hundred to a few thousand) given by its entries. Eigen's SimplicialLDLT behind a pointer, so
// the header stays free of Eigen for the CUDA compiler.
#pragma once

#include <memory>
#include <vector>

namespace poreflux {

class CoarseSolver {
 public:
  CoarseSolver();
  ~CoarseSolver();
  CoarseSolver(const CoarseSolver&) = delete;
  CoarseSolver& operator=(const CoarseSolver&) = delete;

  // Factorises the n x n matrix given by (row, column, value) entries (duplicates add up; the
  // lower triangle is used). A row with no positive diagonal (an empty aggregate) gets a unit
  // diagonal, so it decouples. Throws std::runtime_error if the factorisation fails.
  void factorize(int n, const std::vector<int>& rows, const std::vector<int>& columns,
                 const std::vector<double>& values);
  // x = matrix^-1 b.
  void solve(const std::vector<double>& b, std::vector<double>& x) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace poreflux
