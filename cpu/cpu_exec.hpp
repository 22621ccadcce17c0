// The CPU Exec: memory in Thrust's OpenMP system; loops are OpenMP work-sharing loops of their
// own. Cells go in pencils along x (one task per (j,k) row) so the inner loop is a plain,
// vectorisable run of i; a flat per-cell launch with index decoding measured 5-6x slower here
// (ARCHITECTURE.md). Small problems run serially: a parallel region costs more than a
// 100-cell column.
//
// Why not thrust::for_each / transform_reduce with the omp policy (what this file used until
// issue 19's thread-scaling work): Thrust 1.17's OpenMP reduce opens two parallel regions per
// call (the partial sums, then their sum) and allocates its partial-sum array each time, and it
// splits the range into omp_get_num_procs() contiguous intervals whatever the chunk sizes, so
// 7 full chunks and a short one went 4 : 3.2 between two threads. A PCG iteration makes a dozen
// such calls; on the 3D cell the second thread idled a third of the time (docs/BENCHMARKS.md,
// thread scaling). Here every loop is one region over equal chunks.
#pragma once

#include <omp.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>
#include <vector>

#include <thrust/copy.h>
#include <thrust/system/omp/vector.h>

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

  // Below this many elements a loop runs on the calling thread. On the 3D quarter cell (2
  // threads) 1 024 (its third multigrid level, 2 196 cells, split too) took 4.37-4.42 s and 8 192
  // (the second level serial as well) 4.28 s, against 4.22-4.23 s here (docs/BENCHMARKS.md,
  // "Issue 19 at its close").
  static constexpr std::size_t kSerialBelow = 4096;
  // Contiguous elements per task in flat loops: long enough to vectorise and amortise.
  static constexpr std::size_t kChunk = 4096;
  // Chunk counts are rounded up to a multiple of this (Chunks).
  static constexpr std::size_t kChunkMultiple = 8;

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
    const Chunks chunks(n, 1);
    auto run = [&](std::size_t c) {
      const F body = f;  // a local copy: its fields are provably loop-invariant (vectorisation)
      for (std::size_t i = chunks.begin(c), end = chunks.begin(c + 1); i < end; ++i) body(i);
    };
    if (chunks.serial) {
      for (std::size_t c = 0; c < chunks.count; ++c) run(c);
      return;
    }
    const long count = static_cast<long>(chunks.count);
#pragma omp parallel for schedule(static)
    for (long c = 0; c < count; ++c) run(static_cast<std::size_t>(c));
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
    const long count = static_cast<long>(pencils);
#pragma omp parallel for schedule(static)
    for (long p = 0; p < count; ++p) pencil(static_cast<std::size_t>(p));
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
  // The chunks of a loop over n items of `work` cells each: about kChunk cells per chunk, their
  // count rounded up to a multiple of kChunkMultiple and their sizes equal to one item, so that
  // 1, 2, 4 or 8 threads get equal shares under a static schedule. The boundaries depend on n
  // and work only, never on the thread count: a reduction sums its chunks in chunk order, so
  // sums (and every iteration count that depends on them) are the same on any number of
  // threads, and the same as the serial path's. The schedule is static so that a thread gets the
  // same rows in every sweep and finds them in its own L2: schedule(dynamic, 1) over the same
  // chunks made the 3D quarter cell 1.4x slower on two threads (6.0-6.2 s against 4.1-4.3 s).
  struct Chunks {
    std::size_t n, count;
    bool serial;
    Chunks(std::size_t items, std::size_t work) : n(items) {
      const std::size_t cells = items * std::max<std::size_t>(1, work);
      serial = cells < kSerialBelow;
      count = (cells + kChunk - 1) / kChunk;
      if (!serial) count = (count + kChunkMultiple - 1) / kChunkMultiple * kChunkMultiple;
      count = std::max<std::size_t>(1, std::min(count, items));
    }
    std::size_t begin(std::size_t c) const { return n * c / count; }
  };

  template <class T, class F, class Combine>
  static T reduce(std::size_t n, const F& f, T init, std::size_t work, Combine combine) {
    const Chunks chunks(n, work);
    auto chunk_result = [&](std::size_t c) {
      const F body = f;
      T partial{};
      for (std::size_t i = chunks.begin(c), end = chunks.begin(c + 1); i < end; ++i)
        partial = combine(partial, body(i));
      return partial;
    };
    if (chunks.serial) {
      for (std::size_t c = 0; c < chunks.count; ++c) init = combine(init, chunk_result(c));
      return init;
    }
    // One region; the partial sums go to a buffer on the stack (a heap one past its size), and
    // are combined in chunk order after it.
    constexpr std::size_t kOnStack = 64;
    T stack[kOnStack];
    std::vector<T> heap(chunks.count > kOnStack ? chunks.count : 0);
    T* partial = chunks.count > kOnStack ? heap.data() : stack;
    const long count = static_cast<long>(chunks.count);
#pragma omp parallel for schedule(static)
    for (long c = 0; c < count; ++c) partial[c] = chunk_result(static_cast<std::size_t>(c));
    for (std::size_t c = 0; c < chunks.count; ++c) init = combine(init, partial[c]);
    return init;
  }
};

}  // namespace poreflux::cpu
