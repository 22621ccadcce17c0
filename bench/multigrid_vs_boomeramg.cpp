// PCG with poreflux's geometric multigrid cycle against hypre's PCG + BoomerAMG (defaults), on
// the same matrix, right side and stopping test (2-norm of the residual of W B x = W b reduced
// 1e-8-fold), one process, one thread, at three lateral sizes of the test block of
// tests/test_multigrid.cpp (a 3 x 3-column aqueous channel 10^4x more diffusive than the
// stratum corneum around it, graded z). Prints iterations, setup and solve times; the figures are
// quoted in docs/ARCHITECTURE.md (why geometric multigrid). Not part of the build (hypre and MPI
// are not dependencies of poreflux); after a CPU build, from the repository root:
//
//   g++ -std=c++17 -O3 -DNDEBUG -DOMPI_SKIP_MPICXX -Iinclude -Isrc -Itests -Ibuild/generated \
//     -isystem /usr/include/eigen3 -I/usr/include/hypre -I/usr/include/x86_64-linux-gnu/openmpi \
//     bench/multigrid_vs_boomeramg.cpp -o build/multigrid_vs_boomeramg build/libporeflux_solver.a \
//     build/libporeflux_reference.a build/libporeflux_solver.a build/libporeflux_model.a \
//     build/libporeflux_types.a -lHYPRE -lmpi && OMP_NUM_THREADS=1 build/multigrid_vs_boomeramg
//
// (libhypre-dev and libopenmpi-dev, Debian.) B is probed from the system's own operator with 7
// colours, so both solvers see exactly what poreflux's Krylov solver sees.
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <random>
#include <vector>

#include <mpi.h>
#include <Eigen/Sparse>

#include "HYPRE.h"
#include "HYPRE_parcsr_ls.h"
#include "backend/serial_exec.hpp"
#include "channel_block.hpp"
#include "poreflux/solver/multigrid_preconditioner.hpp"
#include "poreflux/solver/transport_system.hpp"

namespace poreflux::bench {
namespace {

using Exec = reference::SerialExec;
using State = std::vector<double>;

using testing::channel_block;  // tests/channel_block.hpp

using Clock = std::chrono::steady_clock;
double secs(Clock::time_point a) { return std::chrono::duration<double>(Clock::now() - a).count(); }
void compare(int nx, int ny, int nz, double dh) {
  DiscreteProblem p = channel_block(nx, ny, nz);
  TransportSystem<Exec> system(p);
  system.set_time(0.0);
  const std::size_t n = system.controlled_size(), full = system.state_size(), film = n - 1, cells = system.cells();
  std::vector<Eigen::Triplet<double>> trip;
  State e(full, 0.0), f(full, 0.0);
  auto t0 = Clock::now();
  Eigen::VectorXd w(n);
  for (std::size_t c = 0; c < cells; ++c) {
    int i = c % nx, j = (c / nx) % ny, k = c / (nx * ny);
    w[c] = p.cell_volume(i, j, k) / p.materials[p.material[c]].partition;
  }
  // cells by 7 colours ((i + 2j + 3k) mod 7 separates a 7-point stencil); the film column by its
  // unit vector, the film row from it by the symmetry of W B
  auto colour = [&](std::size_t c) {
    int i = c % nx, j = (c / nx) % ny, k = c / (nx * ny);
    return (i + 2 * j + 3 * k) % 7;
  };
  for (int col = 0; col < 7; ++col) {
    std::fill(e.begin(), e.end(), 0.0);
    for (std::size_t c = 0; c < cells; ++c)
      if (colour(c) == col) e[c] = 1.0;
    system.apply_operator(e, f, 0.0);
    for (std::size_t i = 0; i < cells; ++i) {
      long ii = i % nx, jj = (i / nx) % ny, kk = i / (nx * ny);
      const long d[7][3] = {{0, 0, 0}, {1, 0, 0}, {-1, 0, 0}, {0, 1, 0}, {0, -1, 0}, {0, 0, 1}, {0, 0, -1}};
      for (auto& o : d) {
        long a = ii + o[0], b = jj + o[1], c2 = kk + o[2];
        if (a < 0 || b < 0 || c2 < 0 || a >= nx || b >= ny || c2 >= nz) continue;
        std::size_t j = a + (std::size_t)nx * (b + (std::size_t)ny * c2);
        if (colour(j) != col) continue;
        double v = (i == j ? 1.0 : 0.0) - dh * f[i];
        if (v != 0.0) trip.emplace_back(i, j, v);
      }
    }
  }
  std::vector<double> filmcol(n, 0.0);
  std::fill(e.begin(), e.end(), 0.0);
  e[film] = 1.0;
  system.apply_operator(e, f, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    double v = e[i] - dh * f[i];
    if (v != 0.0) {
      trip.emplace_back(i, film, v);
      filmcol[i] = v;
    }
  }
  std::fill(e.begin(), e.end(), 0.0);
  e[0] = 1.0;
  system.apply_operator(e, f, 0.0);
  w[film] = w[0] * filmcol[0] / (-dh * f[film]);
  for (std::size_t c = 0; c < cells; ++c)
    if (filmcol[c] != 0.0) trip.emplace_back(film, c, w[c] * filmcol[c] / w[film]);
  Eigen::SparseMatrix<double, Eigen::RowMajor> B(n, n);
  B.setFromTriplets(trip.begin(), trip.end());
  Eigen::SparseMatrix<double, Eigen::RowMajor> A = w.asDiagonal() * B;
  std::cout << "grid " << nx << "x" << ny << "x" << nz << " (" << cells << " cells), dh " << dh << ", nnz "
            << A.nonZeros() << ", probe " << secs(t0) << " s, asym "
            << (Eigen::SparseMatrix<double>(A) - Eigen::SparseMatrix<double>(A.transpose())).norm() / A.norm()
            << std::endl;
  std::mt19937 random(7);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  Eigen::VectorXd rhs(n);
  for (std::size_t i = 0; i < n; ++i) rhs[i] = 100.0 * uniform(random);
  rhs = (w.asDiagonal() * rhs).eval();
  const double tol = 1e-8;
  for (int rep = 0; rep < 2; ++rep) {
    auto ts = Clock::now();
    MultigridPreconditioner<Exec> mg;
    mg.update_fine(system);
    mg.coarsen();
    mg.factor(dh);
    double setup = secs(ts);
    ts = Clock::now();
    const double film_inv = 1.0 / B.coeff(film, film);
    State rb(full, 0.0), zz(full, 0.0);
    auto prec = [&](const Eigen::VectorXd& r, Eigen::VectorXd& z) {
      for (std::size_t i = 0; i < n; ++i) rb[i] = r[i] / w[i];
      mg.apply(rb, zz, film_inv, w[film]);
      for (std::size_t i = 0; i < n; ++i) z[i] = zz[i];
    };
    Eigen::VectorXd x = Eigen::VectorXd::Zero(n), r = rhs, z(n), pp, q;
    prec(r, z);
    pp = z;
    double rz = r.dot(z);
    int it = 0;
    const double r0 = rhs.norm();
    while (r.norm() > tol * r0 && it < 1000) {
      q = A * pp;
      double alpha = rz / pp.dot(q);
      x += alpha * pp;
      r -= alpha * q;
      prec(r, z);
      double rzn = r.dot(z);
      pp = z + (rzn / rz) * pp;
      rz = rzn;
      ++it;
    }
    std::cout << "  PCG + geometric multigrid: " << it << " iterations, setup " << setup * 1e3 << " ms, solve "
              << secs(ts) * 1e3 << " ms" << std::endl;
  }
  for (int rep = 0; rep < 2; ++rep) {
    HYPRE_IJMatrix ij;
    HYPRE_IJMatrixCreate(MPI_COMM_WORLD, 0, n - 1, 0, n - 1, &ij);
    HYPRE_IJMatrixSetObjectType(ij, HYPRE_PARCSR);
    HYPRE_IJMatrixInitialize(ij);
    for (std::size_t i = 0; i < n; ++i) {
      std::vector<HYPRE_BigInt> cols;
      std::vector<double> vals;
      for (Eigen::SparseMatrix<double, Eigen::RowMajor>::InnerIterator it(A, i); it; ++it) {
        cols.push_back(it.col());
        vals.push_back(it.value());
      }
      HYPRE_Int nc = cols.size();
      HYPRE_BigInt row = i;
      HYPRE_IJMatrixSetValues(ij, 1, &nc, &row, cols.data(), vals.data());
    }
    HYPRE_IJMatrixAssemble(ij);
    HYPRE_ParCSRMatrix par;
    HYPRE_IJMatrixGetObject(ij, (void**)&par);
    HYPRE_IJVector bv, xv;
    HYPRE_IJVectorCreate(MPI_COMM_WORLD, 0, n - 1, &bv);
    HYPRE_IJVectorCreate(MPI_COMM_WORLD, 0, n - 1, &xv);
    for (auto v : {bv, xv}) {
      HYPRE_IJVectorSetObjectType(v, HYPRE_PARCSR);
      HYPRE_IJVectorInitialize(v);
    }
    std::vector<HYPRE_BigInt> idx(n);
    for (std::size_t i = 0; i < n; ++i) idx[i] = i;
    std::vector<double> zero(n, 0.0);
    HYPRE_IJVectorSetValues(bv, n, idx.data(), rhs.data());
    HYPRE_IJVectorSetValues(xv, n, idx.data(), zero.data());
    HYPRE_IJVectorAssemble(bv);
    HYPRE_IJVectorAssemble(xv);
    HYPRE_ParVector pb, px;
    HYPRE_IJVectorGetObject(bv, (void**)&pb);
    HYPRE_IJVectorGetObject(xv, (void**)&px);
    HYPRE_Solver pcg, amg;
    HYPRE_ParCSRPCGCreate(MPI_COMM_WORLD, &pcg);
    HYPRE_PCGSetTol(pcg, tol);
    HYPRE_PCGSetTwoNorm(pcg, 1);
    HYPRE_PCGSetMaxIter(pcg, 1000);
    HYPRE_BoomerAMGCreate(&amg);
    HYPRE_BoomerAMGSetMaxIter(amg, 1);
    HYPRE_BoomerAMGSetTol(amg, 0.0);
    HYPRE_PCGSetPrecond(pcg, (HYPRE_PtrToSolverFcn)HYPRE_BoomerAMGSolve, (HYPRE_PtrToSolverFcn)HYPRE_BoomerAMGSetup,
                        amg);
    auto ts = Clock::now();
    HYPRE_ParCSRPCGSetup(pcg, par, pb, px);
    double setup = secs(ts);
    ts = Clock::now();
    HYPRE_ParCSRPCGSolve(pcg, par, pb, px);
    double solve = secs(ts);
    HYPRE_Int its;
    HYPRE_PCGGetNumIterations(pcg, &its);
    double res;
    HYPRE_PCGGetFinalRelativeResidualNorm(pcg, &res);
    std::cout << "  hypre PCG + BoomerAMG (defaults): " << its << " iterations (final rel. residual " << res
              << "), setup " << setup * 1e3 << " ms, solve " << solve * 1e3 << " ms" << std::endl;
    HYPRE_BoomerAMGDestroy(amg);
    HYPRE_ParCSRPCGDestroy(pcg);
    HYPRE_IJMatrixDestroy(ij);
    HYPRE_IJVectorDestroy(bv);
    HYPRE_IJVectorDestroy(xv);
  }
}
}  // namespace
}  // namespace poreflux::bench

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  HYPRE_Init();
  for (int n : {22, 44, 88}) poreflux::bench::compare(n, n, 61, 50.0);
  HYPRE_Finalize();
  MPI_Finalize();
}
