// Point-wise vector updates of the time integrator (odeint's "operations" role): the backends
// only decide how to iterate (their "algebra"); what happens to each element is written here once.
#pragma once

#include <cmath>
#include <cstddef>

#include "poreflux/kernels/platform_K.hpp"

namespace poreflux {
inline namespace PF_KERNEL_ABI {

// out = a0*x0 + a1*x1 (first RKC stage).
struct ScaleSum2K {
  double* out;
  const double* x0;
  const double* x1;
  double a0, a1;
  PF_HD void operator()(std::size_t i) const { out[i] = a0 * x0[i] + a1 * x1[i]; }
};

// out = a0*x0 + a1*x1 + a2*x2 + a3*x3 + a4*x4 (RKC stages j >= 2).
struct ScaleSum5K {
  double* out;
  const double* x0;
  const double* x1;
  const double* x2;
  const double* x3;
  const double* x4;
  double a0, a1, a2, a3, a4;
  PF_HD void operator()(std::size_t i) const {
    out[i] = a0 * x0[i] + a1 * x1[i] + a2 * x2[i] + a3 * x3[i] + a4 * x4[i];
  }
};

// Squared, weighted RKC local-error estimate of element i (Sommeijer et al. 1998, eq. for est):
// est = 0.8 (y_old - y_new) + 0.4 h (f_old + f_new), weight = atol + rtol max(|y_old|, |y_new|).
struct RkcErrorK {
  const double* y_old;
  const double* y_new;
  const double* f_old;
  const double* f_new;
  double h, rtol, atol;
  PF_HD double operator()(std::size_t i) const {
    const double est = 0.8 * (y_old[i] - y_new[i]) + 0.4 * h * (f_old[i] + f_new[i]);
    const double a = std::fabs(y_old[i]), b = std::fabs(y_new[i]);
    const double w = atol + rtol * (a > b ? a : b);
    const double r = est / w;
    return r * r;
  }
};

// out = a0*x0 + a1*x1 + a2*x2 (implicit stage right-hand sides).
struct ScaleSum3K {
  double* out;
  const double* x0;
  const double* x1;
  const double* x2;
  double a0, a1, a2;
  PF_HD void operator()(std::size_t i) const { out[i] = a0 * x0[i] + a1 * x1[i] + a2 * x2[i]; }
};

// out = a0*x0 + a1*x1 + a2*x2 + a3*x3 (the TR-BDF2 update, Hermite dense output).
struct ScaleSum4K {
  double* out;
  const double* x0;
  const double* x1;
  const double* x2;
  const double* x3;
  double a0, a1, a2, a3;
  PF_HD void operator()(std::size_t i) const { out[i] = a0 * x0[i] + a1 * x1[i] + a2 * x2[i] + a3 * x3[i]; }
};

// Squared, weighted size of an error estimate `est` of element i, weight atol + rtol
// max(|y_old|, |y_new|) (the same weight the RKC estimate uses).
struct WeightedSquareK {
  const double* est;
  const double* y_old;
  const double* y_new;
  double rtol, atol;
  PF_HD double operator()(std::size_t i) const {
    const double a = std::fabs(y_old[i]), b = std::fabs(y_new[i]);
    const double r = est[i] / (atol + rtol * (a > b ? a : b));
    return r * r;
  }
};

// out += a*x (conjugate gradients).
struct AxpyK {
  double* out;
  const double* x;
  double a;
  PF_HD void operator()(std::size_t i) const { out[i] += a * x[i]; }
};

// A contiguous vector copy in the backend's memory.
struct CopyK {
  double* out;
  const double* in;
  PF_HD void operator()(std::size_t i) const { out[i] = in[i]; }
};

}  // namespace PF_KERNEL_ABI
}  // namespace poreflux
