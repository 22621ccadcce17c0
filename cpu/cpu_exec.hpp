// The CPU Exec: memory in Thrust's OpenMP system, loops through thrust::for_each with the
// omp policy. Cells go in pencils along x (one task per (j,k) row) so the inner loop is a
// plain, vectorisable run of i; a flat per-cell launch with index decoding measured 5-6x
// slower here (ARCHITECTURE.md). Small problems run serially: a parallel region costs more
// than a 100-cell column.
#pragma once

#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>
#include <vector>

#include <thrust/copy.h>
#include <thrust/for_each.h>
#include <thrust/functional.h>
#include <thrust/iterator/counting_iterator.h>
#include <thrust/system/omp/execution_policy.h>
#include <thrust/system/omp/vector.h>
#include <thrust/transform_reduce.h>

namespace poreflux::cpu {

// Whether a cell functor offers pencil(j,k), a whole row along x at once.
template <class F, class = void>
struct has_pencil : std::false_type {};
template <class F>
struct has_pencil<F, std::void_t<decltype(std::declval<const F&>().pencil(0, 0))>> : std::true_type {};

struct CpuExec {
  using vector = thrust::omp::vector<double>;
  using byte_vector = thrust::omp::vector<std::uint8_t>;

  // Below this many elements a loop runs on the calling thread.
  static constexpr std::size_t kSerialBelow = 4096;
  // Contiguous elements per task in flat loops: long enough to vectorise and amortise.
  static constexpr std::size_t kChunk = 4096;

  static double* data(vector& v) { return thrust::raw_pointer_cast(v.data()); }
  static const double* data(const vector& v) { return thrust::raw_pointer_cast(v.data()); }
  static const std::uint8_t* data(const byte_vector& v) { return thrust::raw_pointer_cast(v.data()); }
  static void upload(const std::vector<double>& h, vector& d) { d.assign(h.begin(), h.end()); }
  static void upload(const std::vector<std::uint8_t>& h, byte_vector& d) { d.assign(h.begin(), h.end()); }
  static void download(const vector& d, std::vector<double>& h) {
    h.resize(d.size());
    thrust::copy(d.begin(), d.end(), h.begin());
  }
  static void resize(vector& v, std::size_t n) { v.resize(n); }
  static double get(const vector& v, std::size_t i) { return data(v)[i]; }
  static void set(vector& v, std::size_t i, double value) { data(v)[i] = value; }
  static void synchronize() {}

  template <class F>
  static void for_each(std::size_t n, const F& f) {
    if (n < kSerialBelow) {
      for (std::size_t i = 0; i < n; ++i) f(i);
      return;
    }
    const std::size_t chunks = (n + kChunk - 1) / kChunk;
    thrust::for_each(thrust::omp::par, thrust::counting_iterator<std::size_t>(0),
                     thrust::counting_iterator<std::size_t>(chunks), [f, n](std::size_t chunk) {
                       const std::size_t end = (chunk + 1) * kChunk < n ? (chunk + 1) * kChunk : n;
                       for (std::size_t i = chunk * kChunk; i < end; ++i) f(i);
                     });
  }

  template <class F>
  static void for_each_cell(int nx, int ny, int nz, const F& f) {
    const std::size_t pencils = static_cast<std::size_t>(ny) * nz;
    auto pencil = [f, nx, ny](std::size_t p) {
      const int j = static_cast<int>(p % ny), k = static_cast<int>(p / ny);
      // A local copy: its fields are then provably loop-invariant (the closure's are not, as
      // far as alias analysis can tell), which the vectoriser needs.
      const F body = f;
      if constexpr (has_pencil<F>::value) {
        body.pencil(j, k);
      } else {
        for (int i = 0; i < nx; ++i) body(i, j, k);
      }
    };
    if (pencils * nx < kSerialBelow) {
      for (std::size_t p = 0; p < pencils; ++p) pencil(p);
      return;
    }
    thrust::for_each(thrust::omp::par, thrust::counting_iterator<std::size_t>(0),
                     thrust::counting_iterator<std::size_t>(pencils), pencil);
  }

  template <class T, class F>
  static T sum(std::size_t n, const F& f, T init) {
    if (n < kSerialBelow) {
      for (std::size_t i = 0; i < n; ++i) init = init + f(i);
      return init;
    }
    const std::size_t chunks = (n + kChunk - 1) / kChunk;
    return thrust::transform_reduce(
        thrust::omp::par, thrust::counting_iterator<std::size_t>(0), thrust::counting_iterator<std::size_t>(chunks),
        [f, n](std::size_t chunk) {
          T partial{};
          const std::size_t end = (chunk + 1) * kChunk < n ? (chunk + 1) * kChunk : n;
          for (std::size_t i = chunk * kChunk; i < end; ++i) partial = partial + f(i);
          return partial;
        },
        init, [](const T& a, const T& b) { return a + b; });
  }

  template <class F>
  static double max(std::size_t n, const F& f) {
    auto chunk_max = [f, n](std::size_t chunk) {
      double m = 0.0;
      const std::size_t end = (chunk + 1) * kChunk < n ? (chunk + 1) * kChunk : n;
      for (std::size_t i = chunk * kChunk; i < end; ++i) {
        const double v = f(i);
        m = v > m ? v : m;
      }
      return m;
    };
    const std::size_t chunks = (n + kChunk - 1) / kChunk;
    if (n < kSerialBelow) {
      double m = 0.0;
      for (std::size_t c = 0; c < chunks; ++c) {
        const double v = chunk_max(c);
        m = v > m ? v : m;
      }
      return m;
    }
    return thrust::transform_reduce(thrust::omp::par, thrust::counting_iterator<std::size_t>(0),
                                    thrust::counting_iterator<std::size_t>(chunks), chunk_max, 0.0,
                                    thrust::maximum<double>());
  }
};

}  // namespace poreflux::cpu
