// The CPU Exec: memory in Thrust's OpenMP system, loops through thrust::for_each with the
// omp policy. Cells go in pencils along x (one task per (j,k) row) so the inner loop is a
// plain, vectorisable run of i; a flat per-cell launch with index decoding measured 5-6x
// slower here (ARCHITECTURE.md). Small problems run serially: a parallel region costs more
// than a 100-cell column.
#pragma once

#include <algorithm>
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
  // Whether vectors live in host memory (a host sparse solver then needs no transfers).
  static constexpr bool kHostMemory = true;
  using index_vector = thrust::omp::vector<std::size_t>;

  // Below this many elements a loop runs on the calling thread.
  static constexpr std::size_t kSerialBelow = 4096;
  // Contiguous elements per task in flat loops: long enough to vectorise and amortise.
  static constexpr std::size_t kChunk = 4096;

  static double* data(vector& v) { return thrust::raw_pointer_cast(v.data()); }
  static const double* data(const vector& v) { return thrust::raw_pointer_cast(v.data()); }
  static const std::uint8_t* data(const byte_vector& v) { return thrust::raw_pointer_cast(v.data()); }
  static void upload(const std::vector<double>& h, vector& d) { d.assign(h.begin(), h.end()); }
  static void upload(const std::vector<std::uint8_t>& h, byte_vector& d) { d.assign(h.begin(), h.end()); }
  static void upload(const std::vector<std::size_t>& h, index_vector& d) { d.assign(h.begin(), h.end()); }
  static const std::size_t* data(const index_vector& v) { return thrust::raw_pointer_cast(v.data()); }
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

  // Reductions. `work` is the number of cells one item stands for (a pencil: nx), so that
  // the serial/parallel choice and the chunk size follow the work, not the item count.
  template <class T, class F>
  static T sum(std::size_t n, const F& f, T init, std::size_t work = 1) {
    return reduce(n, f, init, work, [](const T& a, const T& b) { return a + b; });
  }

  template <class F>
  static double max(std::size_t n, const F& f, std::size_t work = 1) {
    return reduce(n, f, 0.0, work, [](double a, double b) { return a > b ? a : b; });
  }

 private:
  template <class T, class F, class Combine>
  static T reduce(std::size_t n, const F& f, T init, std::size_t work, Combine combine) {
    const std::size_t chunk = std::max<std::size_t>(1, kChunk / std::max<std::size_t>(1, work));
    auto chunk_result = [f, n, chunk, combine](std::size_t c) {
      T partial{};
      const std::size_t end = (c + 1) * chunk < n ? (c + 1) * chunk : n;
      for (std::size_t i = c * chunk; i < end; ++i) partial = combine(partial, f(i));
      return partial;
    };
    const std::size_t chunks = (n + chunk - 1) / chunk;
    if (n * std::max<std::size_t>(1, work) < kSerialBelow) {
      for (std::size_t c = 0; c < chunks; ++c) init = combine(init, chunk_result(c));
      return init;
    }
    return thrust::transform_reduce(thrust::omp::par, thrust::counting_iterator<std::size_t>(0),
                                    thrust::counting_iterator<std::size_t>(chunks), chunk_result, init, combine);
  }
};

}  // namespace poreflux::cpu
