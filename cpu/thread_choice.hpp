// How many OpenMP threads the CPU backend's solves take when the user has not said
// (OMP_NUM_THREADS unset): the cores not already busy with other work, at least one.
//
// Why: libgomp's threads spin while they wait for the next parallel region (a PCG iteration opens
// several), so a thread that shares its core with another busy process does not slow the solve
// by a share, it stalls every region: on this project's 2-core machine the 3D quarter cell took
// 41.6 s on two threads and 11.9 s on one beside two busy processes (7.98 s on one, 4.5 s on two
// when idle; docs/BENCHMARKS.md, "Thread scaling"). A passive wait policy would avoid it but
// makes two threads slower than one on an idle machine (0.82x), and libgomp reads its policy
// before main runs, so the count is what can be chosen here.
//
// "Busy" is the number of runnable threads the kernel reports besides this process's own
// (/proc/loadavg's fourth field, "running/total"), the smaller of two readings 1 ms apart so a
// momentary wake-up does not count; the one-minute load average is not used, because a
// sequence of this program's own runs (a calibration, a benchmark script) would raise it and
// halve the next run. Results do not depend on the count (sums are combined in a fixed chunk
// order: cpu_exec.hpp).
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <thread>

namespace poreflux::cpu {

// The threads for `cores` available cores of which `busy` run other work, within [1, max_threads].
inline int threads_for(int max_threads, int cores, int busy) {
  return std::clamp(cores - std::max(busy, 0), 1, std::max(max_threads, 1));
}

// Runnable threads besides the caller's (the caller is running while it reads): -1 when the
// kernel does not say (no /proc).
inline int busy_threads_now() {
  auto read_running = []() -> int {
    std::FILE* f = std::fopen("/proc/loadavg", "r");
    if (!f) return -1;
    double l1, l5, l15;
    int running = -1, total = 0;
    const int got = std::fscanf(f, "%lf %lf %lf %d/%d", &l1, &l5, &l15, &running, &total);
    std::fclose(f);
    return got == 5 ? running : -1;
  };
  const int first = read_running();
  if (first < 0) return -1;
  std::this_thread::sleep_for(std::chrono::milliseconds(1));
  const int second = read_running();
  return std::max(0, std::min(first, second < 0 ? first : second) - 1);
}

}  // namespace poreflux::cpu
