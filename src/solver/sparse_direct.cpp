#include "poreflux/solver/sparse_direct.hpp"

#include <algorithm>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <Eigen/OrderingMethods>
#include <Eigen/SparseCholesky>
#include <Eigen/SparseCore>

namespace poreflux {
namespace {

// sum over p in [begin, end) of value[p] v[index[p]], in four partial sums: a sparse dot
// product's multiply-adds otherwise form one dependent chain (~12 per row of the factor here,
// each waiting on the last).
inline double sparse_dot(int begin, int end, const int* index, const double* value, const double* v) {
  double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
  int p = begin;
  for (; p + 3 < end; p += 4) {
    s0 += value[p] * v[index[p]];
    s1 += value[p + 1] * v[index[p + 1]];
    s2 += value[p + 2] * v[index[p + 2]];
    s3 += value[p + 3] * v[index[p + 3]];
  }
  for (; p < end; ++p) s0 += value[p] * v[index[p]];
  return (s0 + s1) + (s2 + s3);
}

// The factor's strictly lower part L by rows as well as Eigen's columns, so that both
// substitutions are dot products: the pattern (and where each entry comes from) is found once,
// each factorisation only copies the values.
struct RowsOfFactor {
  std::vector<int> start, column, from;  // CSR of L; from[k]: its index in Eigen's CSC values
  std::vector<double> value;

  void build(const Eigen::SparseMatrix<double>& lower) {
    const int n = static_cast<int>(lower.cols());
    const int* col_start = lower.outerIndexPtr();
    const int* row = lower.innerIndexPtr();
    start.assign(static_cast<std::size_t>(n) + 1, 0);
    for (int p = 0; p < col_start[n]; ++p) ++start[static_cast<std::size_t>(row[p]) + 1];
    for (int i = 0; i < n; ++i) start[static_cast<std::size_t>(i) + 1] += start[static_cast<std::size_t>(i)];
    column.resize(static_cast<std::size_t>(col_start[n]));
    from.resize(column.size());
    std::vector<int> next(start.begin(), start.end() - 1);
    for (int j = 0; j < n; ++j)  // columns in order: each row's entries come out sorted
      for (int p = col_start[j]; p < col_start[j + 1]; ++p) {
        const auto k = static_cast<std::size_t>(next[static_cast<std::size_t>(row[p])]++);
        column[k] = j;
        from[k] = p;
      }
    value.resize(column.size());
  }

  void refresh(const Eigen::SparseMatrix<double>& lower) {
    if (static_cast<std::size_t>(lower.nonZeros()) != column.size()) build(lower);
    const double* source = lower.valuePtr();
    for (std::size_t k = 0; k < value.size(); ++k) value[k] = source[from[k]];
  }
};

// L D L^T y = y in place, L unit lower triangular (its strictly lower part in Eigen's compressed
// columns, and `rows` the same by rows), inverse_d = 1 / D. Written out rather than Eigen's
// ldlt.solve, whose substitutions are a column update (forward) and a one-chain dot product per
// row (back): 34 us a solve on the axisymmetric cell's 1 465 unknowns, ~19 us as two dot
// products in four partial sums (docs/BENCHMARKS.md, "The axisymmetric process under 50 ms").
// The result differs from Eigen's only by the order of the additions.
void solve_ldlt_permuted(const Eigen::SparseMatrix<double>& lower, const RowsOfFactor& rows,
                         const std::vector<double>& inverse_d, std::vector<double>& y) {
  const int n = static_cast<int>(lower.cols());
  double* v = y.data();
  for (int i = 0; i < n; ++i) {
    const auto r = static_cast<std::size_t>(i);
    v[i] -= sparse_dot(rows.start[r], rows.start[r + 1], rows.column.data(), rows.value.data(), v);
  }
  for (int j = 0; j < n; ++j) v[j] *= inverse_d[static_cast<std::size_t>(j)];
  const int* col_start = lower.outerIndexPtr();
  for (int j = n - 1; j >= 0; --j)
    v[j] -= sparse_dot(col_start[j], col_start[j + 1], lower.innerIndexPtr(), lower.valuePtr(), v);
}

}  // namespace

// The pattern is fixed (faces of conductance 0 still enter), so the fill-reducing permutation P
// is found once and each factorisation fills P W (I - dh A) P^T in place: the entries, as
// assembled, are added into their slots of the permuted upper triangle in assembly order, the
// sums Eigen's setFromTriplets would form, and Eigen factorises that matrix without copying
// it (natural ordering, upper storage). Before, every factorisation sorted the triplets and
// permuted the matrix: ~15 % of its time on the axisymmetric cell.
struct SparseDirectSolver::Impl {
  using Matrix = Eigen::SparseMatrix<double>;
  using Triplet = Eigen::Triplet<double>;
  Eigen::SimplicialLDLT<Matrix, Eigen::Upper, Eigen::NaturalOrdering<int>> ldlt;
  Matrix permuted;               // P W (I - dh A) P^T, upper triangle
  std::vector<int> slot;         // per assembled entry: its index in permuted's values
  std::vector<int> order;        // the fill-reducing permutation: unknown c is row order[c] of L
  std::vector<Triplet> entries;  // the assembly, kept for its storage
  bool analysed = false;
  long factorizations = 0;
  // What solve() needs besides the factor: the weights W and the infinite-dose coupling.
  std::vector<double> weight;    // per unknown
  std::vector<double> film_rhs;  // per cell: dh g_top / K_top (infinite dose), else empty
  bool film_unknown = true;
  std::size_t cells = 0;
  std::vector<double> inverse_d;     // 1 / D of the factor, per unknown in the permuted order
  RowsOfFactor rows;                 // L by rows, for the forward substitution
  mutable std::vector<double> work;  // solve()'s permuted vector (one solve at a time per solver)

  // Once, from the first assembly (lower triangle, duplicates allowed): AMD on the symmetric
  // pattern as SimplicialLDLT's own analysis does it, the permuted pattern and each entry's slot.
  void analyse(std::size_t n) {
    Matrix lower(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(n));
    lower.setFromTriplets(entries.begin(), entries.end());
    const Matrix symmetric = lower.selfadjointView<Eigen::Lower>();
    Eigen::PermutationMatrix<Eigen::Dynamic, Eigen::Dynamic, int> inverse;
    Eigen::AMDOrdering<int>()(symmetric, inverse);
    order.resize(n);
    for (std::size_t c = 0; c < n; ++c)  // P = inverse^-1: unknown c goes to row order[c]
      order[static_cast<std::size_t>(inverse.indices()[static_cast<Eigen::Index>(c)])] = static_cast<int>(c);
    std::vector<Triplet> upper;
    upper.reserve(entries.size());
    for (const Triplet& e : entries) upper.emplace_back(upper_slot(e).first, upper_slot(e).second, 0.0);
    permuted.resize(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(n));
    permuted.setFromTriplets(upper.begin(), upper.end());
    permuted.makeCompressed();
    slot.clear();
    for (const Triplet& e : entries) {
      const auto [row, col] = upper_slot(e);
      const int* begin = permuted.innerIndexPtr() + permuted.outerIndexPtr()[col];
      const int* end = permuted.innerIndexPtr() + permuted.outerIndexPtr()[col + 1];
      slot.push_back(static_cast<int>(std::lower_bound(begin, end, row) - permuted.innerIndexPtr()));
    }
    ldlt.analyzePattern(permuted);
  }

  std::pair<int, int> upper_slot(const Triplet& e) const {
    const int a = order[static_cast<std::size_t>(e.row())], b = order[static_cast<std::size_t>(e.col())];
    return {std::min(a, b), std::max(a, b)};
  }
};

SparseDirectSolver::SparseDirectSolver() : impl_(std::make_unique<Impl>()) {}
SparseDirectSolver::~SparseDirectSolver() = default;
long SparseDirectSolver::factorizations() const { return impl_->factorizations; }

void SparseDirectSolver::factorize(const HostOperator& op, double dh) {
  Impl& s = *impl_;
  const std::size_t nx = op.nx, ny = op.ny, nz = op.nz, cells = nx * ny * nz;
  const std::size_t film = cells;
  s.cells = cells;
  s.film_unknown = op.film_unknown;
  s.weight.assign(cells + 1, 1.0);
  std::vector<Impl::Triplet>& entries = s.entries;
  entries.clear();
  entries.reserve(4 * cells + 2 * nx * ny + 1);
  std::vector<double> diag(cells + 1, 0.0);
  // A face of conductance g between cells a and b: B_ab = -dh g / (K_a K_b), and dh g / K² on
  // each diagonal. Faces whose conductance is 0 still enter, so the pattern never changes.
  auto face = [&](std::size_t a, std::size_t b, double g) {
    if (a == b) return;  // a periodic direction one cell wide couples a cell to itself: no flux
    const double w = dh * g * op.inv_k[a] * op.inv_k[b];
    entries.emplace_back(static_cast<int>(std::max(a, b)), static_cast<int>(std::min(a, b)), -w);
    diag[a] += dh * g * op.inv_k[a] * op.inv_k[a];
    diag[b] += dh * g * op.inv_k[b] * op.inv_k[b];
  };
  s.film_rhs.clear();
  if (op.film_drives_cells) s.film_rhs.assign(cells, 0.0);
  const double kf1 = op.film_inverse_capacity;  // 1 / K_f
  for (std::size_t k = 0; k < nz; ++k)
    for (std::size_t j = 0; j < ny; ++j)
      for (std::size_t i = 0; i < nx; ++i) {
        const std::size_t c = i + nx * (j + ny * k);
        if (i + 1 < nx || (op.periodic_x && nx > 1)) face(c, i + 1 < nx ? c + 1 : c + 1 - nx, op.gx[c]);
        if (j + 1 < ny || (op.periodic_y && ny > 1)) face(c, j + 1 < ny ? c + nx : c - nx * (ny - 1), op.gy[c]);
        if (k + 1 < nz) face(c, c + nx * ny, op.gz[c]);
        else diag[c] += dh * op.gz[c] * op.inv_k[c] * op.inv_k[c];  // the sink below
        s.weight[c] = op.volume[c] * op.inv_k[c];
        diag[c] += s.weight[c] * (1.0 + dh * op.decay[c]);
        if (k == 0) {
          // The film entry is always present, 0 while the film is held or sealed, so that the
          // pattern (analysed once) never changes when the film changes regime.
          const double g = op.vehicle_contact * op.top[c];
          diag[c] += dh * g * op.inv_k[c] * op.inv_k[c];
          entries.emplace_back(static_cast<int>(film), static_cast<int>(c),
                               op.film_unknown ? -dh * g * op.inv_k[c] * kf1 : 0.0);
          if (op.film_unknown) diag[film] += dh * g * kf1 * kf1;
          if (op.film_drives_cells) s.film_rhs[c] = dh * g * op.inv_k[c];
        }
      }
  if (op.film_unknown) {
    s.weight[film] = op.film_volume_cm3 * kf1;
    diag[film] += s.weight[film] * (1.0 + dh * op.film_decay_per_s);
  } else {
    diag[film] = 1.0;  // held: x_film = b_film
  }
  for (std::size_t c = 0; c <= cells; ++c) entries.emplace_back(static_cast<int>(c), static_cast<int>(c), diag[c]);

  if (!s.analysed) {
    s.analyse(cells + 1);
    s.analysed = true;
  }
  double* value = s.permuted.valuePtr();
  std::fill(value, value + s.permuted.nonZeros(), 0.0);
  for (std::size_t e = 0; e < entries.size(); ++e) value[s.slot[e]] += entries[e].value();
  s.ldlt.factorize(s.permuted);
  ++s.factorizations;
  if (s.ldlt.info() != Eigen::Success)
    throw std::runtime_error("sparse direct solver: the factorisation of I - dh A failed (dh = " + std::to_string(dh) +
                             ")");
  s.rows.refresh(s.ldlt.matrixL().nestedExpression());
  const Eigen::VectorXd& d = s.ldlt.vectorD();
  s.inverse_d.resize(static_cast<std::size_t>(d.size()));
  for (Eigen::Index i = 0; i < d.size(); ++i) s.inverse_d[static_cast<std::size_t>(i)] = 1.0 / d[i];
}

void SparseDirectSolver::solve(const std::vector<double>& b, std::vector<double>& x) const {
  const std::size_t n = impl_->cells + 1;
  if (b.size() < n)
    throw std::invalid_argument("sparse direct solver: the right-hand side is shorter than the unknowns");
  if (x.size() < n) x.resize(n);
  solve(b.data(), x.data());
}

void SparseDirectSolver::solve(const double* b, double* x) const {
  const Impl& s = *impl_;
  const std::size_t n = s.cells + 1;
  // P W b (the film's infinite-dose coupling included) straight into the permuted work vector.
  std::vector<double>& y = s.work;
  y.resize(n);
  const int* to = s.order.data();
  for (std::size_t c = 0; c < n; ++c) y[static_cast<std::size_t>(to[c])] = s.weight[c] * b[c];
  for (std::size_t c = 0; c < s.film_rhs.size(); ++c) y[static_cast<std::size_t>(to[c])] += s.film_rhs[c] * b[s.cells];
  solve_ldlt_permuted(s.ldlt.matrixL().nestedExpression(), s.rows, s.inverse_d, y);
  for (std::size_t c = 0; c < n; ++c) x[c] = y[static_cast<std::size_t>(to[c])];
}

}  // namespace poreflux
