// What makes a point-wise kernel callable from both backends.
// PF_HD marks host/device functions. Each compiler gets its own inline namespace for the
// kernel bodies, so nvcc's and g++'s copies of the same inline function are distinct
// symbols and the one-definition rule holds when both backends link into one program.
#pragma once

// PF_SIMD asks the host compiler to vectorise the following loop (OpenMP simd, honoured when
// the CPU backend builds with OpenMP); nothing for nvcc.
#if defined(_OPENMP) && !defined(__CUDACC__)
#define PF_SIMD _Pragma("omp simd")
#else
#define PF_SIMD
#endif

#if defined(__CUDACC__)
#define PF_HD __host__ __device__
#define PF_KERNEL_ABI kernels_cuda
#else
#define PF_HD
#define PF_KERNEL_ABI kernels_host
#endif
