// The CUDA Exec: memory in thrust::device_vector (the toolkit's CCCL, never Debian's Thrust),
// one GPU thread per element or cell, reductions through thrust::transform_reduce.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include <cuda_runtime.h>
#include <thrust/copy.h>
#include <thrust/device_vector.h>
#include <thrust/execution_policy.h>
#include <thrust/functional.h>
#include <thrust/iterator/counting_iterator.h>
#include <thrust/transform_reduce.h>

namespace poreflux::cuda_backend {

inline void check_cuda(cudaError_t status, const char* what) {
  if (status != cudaSuccess)
    throw std::runtime_error(std::string("CUDA error in ") + what + ": " + cudaGetErrorString(status));
}

template <class F>
__global__ void for_each_kernel(std::size_t n, F f) {
  const std::size_t i = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x;
  if (i < n) f(i);
}

template <class F>
__global__ void for_each_cell_kernel(int nx, int ny, int nz, F f) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  const int j = blockIdx.y * blockDim.y + threadIdx.y;
  const int k = blockIdx.z;
  if (i < nx && j < ny && k < nz) f(i, j, k);
}

struct Plus {
  template <class T>
  __host__ __device__ T operator()(const T& a, const T& b) const {
    return a + b;
  }
};

struct CudaExec {
  using vector = thrust::device_vector<double>;
  using byte_vector = thrust::device_vector<std::uint8_t>;
  // Whether vectors live in host memory (a host sparse solver then needs no transfers).
  static constexpr bool kHostMemory = false;
  using index_vector = thrust::device_vector<std::size_t>;

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
  static double get(const vector& v, std::size_t i) { return v[i]; }
  static void set(vector& v, std::size_t i, double value) { v[i] = value; }
  static void synchronize() { check_cuda(cudaDeviceSynchronize(), "cudaDeviceSynchronize"); }

  template <class F>
  static void for_each(std::size_t n, const F& f) {
    if (n == 0) return;
    const unsigned threads = 256;
    const unsigned blocks = static_cast<unsigned>((n + threads - 1) / threads);
    for_each_kernel<<<blocks, threads>>>(n, f);
    check_cuda(cudaGetLastError(), "for_each launch");
  }

  template <class F>
  static void for_each_cell(int nx, int ny, int nz, const F& f) {
    // x fastest in memory: a warp walks along x for coalesced loads.
    const dim3 threads(nx >= 64 ? 64 : 32, 4, 1);
    const dim3 blocks((nx + threads.x - 1) / threads.x, (ny + threads.y - 1) / threads.y, nz);
    for_each_cell_kernel<<<blocks, threads>>>(nx, ny, nz, f);
    check_cuda(cudaGetLastError(), "for_each_cell launch");
  }

  template <class T, class F>
  static T sum(std::size_t n, const F& f, T init, std::size_t /*work*/ = 1) {
    return thrust::transform_reduce(thrust::device, thrust::counting_iterator<std::size_t>(0),
                                    thrust::counting_iterator<std::size_t>(n), f, init, Plus{});
  }

  template <class F>
  static double max(std::size_t n, const F& f, std::size_t /*work*/ = 1) {
    return thrust::transform_reduce(thrust::device, thrust::counting_iterator<std::size_t>(0),
                                    thrust::counting_iterator<std::size_t>(n), f, 0.0, thrust::maximum<double>());
  }
};

}  // namespace poreflux::cuda_backend
