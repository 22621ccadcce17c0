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

// PF_UNROLL_LINES unrolls the following short loop fully on the host (a loop over the few z
// lines LineRelaxK::group interleaves: unrolled, each line's running value stays in a register
// instead of a stack slot on the dependent chain); nothing for nvcc.
#if defined(__CUDACC__)
#define PF_UNROLL_LINES
#else
#define PF_UNROLL_LINES _Pragma("GCC unroll 8")
#endif
