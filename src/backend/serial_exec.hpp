// The reference Exec: plain serial loops over std::vector. Obviously correct, the oracle the
// fast backends are tested against (as Ginkgo's reference executor is).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace poreflux::reference {

struct SerialExec {
  using vector = std::vector<double>;
  using byte_vector = std::vector<std::uint8_t>;
  // Whether vectors live in host memory (a host sparse solver then needs no transfers).
  static constexpr bool kHostMemory = true;
  using index_vector = std::vector<std::size_t>;

  static double* data(vector& v) { return v.data(); }
  static const double* data(const vector& v) { return v.data(); }
  static const std::uint8_t* data(const byte_vector& v) { return v.data(); }
  static void upload(const std::vector<double>& h, vector& d) { d = h; }
  static void upload(const std::vector<std::uint8_t>& h, byte_vector& d) { d = h; }
  static void upload(const std::vector<std::size_t>& h, index_vector& d) { d = h; }
  static const std::size_t* data(const index_vector& v) { return v.data(); }
  static void download(const vector& d, std::vector<double>& h) { h = d; }
  static void resize(vector& v, std::size_t n) { v.resize(n); }
  static double get(const vector& v, std::size_t i) { return v[i]; }
  static void set(vector& v, std::size_t i, double value) { v[i] = value; }
  static void synchronize() {}

  template <class F>
  static void for_each(std::size_t n, const F& f) {
    for (std::size_t i = 0; i < n; ++i) f(i);
  }
  template <class F>
  static void for_each_cell(int nx, int ny, int nz, const F& f) {
    for (int k = 0; k < nz; ++k)
      for (int j = 0; j < ny; ++j)
        for (int i = 0; i < nx; ++i) f(i, j, k);
  }
  template <class T, class F>
  static T sum(std::size_t n, const F& f, T init, std::size_t /*work*/ = 1) {
    for (std::size_t i = 0; i < n; ++i) init = init + f(i);
    return init;
  }
  template <class F>
  static double max(std::size_t n, const F& f, std::size_t /*work*/ = 1) {
    double m = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      const double v = f(i);
      m = v > m ? v : m;
    }
    return m;
  }
};

}  // namespace poreflux::reference
